import CRMRepositories
import CRMStore
/// SplitMix64: a tiny, fast generator whose output depends only on the seed,
/// on every platform and Swift version — which the system generator does not
/// promise. Demo data for a seed must be the same everywhere. A
/// RandomNumberGenerator, so tests draw seeded histories with the standard
/// `random(in:using:)`.
public struct DemoRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (the modulo bias is far below what demo data cares about).
    public mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    /// An index chosen with the given relative weights.
    public mutating func weighted(_ weights: [Int]) -> Int {
        var r = int(0..<weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// `n` distinct elements of `items` (all of them if n >= count), in list order.
    mutating func sample<T>(_ items: [T], _ n: Int) -> [T] {
        var chosen = Set<Int>()
        while chosen.count < min(n, items.count) { chosen.insert(int(0..<items.count)) }
        return chosen.sorted().map { items[$0] }
    }

    /// Replaces each "#" in `pattern` with a random digit.
    mutating func digits(_ pattern: String) -> String {
        var out = ""
        out.reserveCapacity(pattern.utf8.count)
        for ch in pattern {
            if ch == "#" { out.append(Character(Unicode.Scalar(UInt8(48 + int(0..<10))))) } else { out.append(ch) }
        }
        return out
    }
}
