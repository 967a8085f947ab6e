import CRMViewModels
import Foundation

/// The characters charts are drawn with: eighth blocks for bars and the
/// eight block heights for sparklines, or plain ASCII ('#' bars, "_.-=^"
/// sparklines) where those cannot be shown — the Linux console's font has
/// no eighth blocks, the `mono` theme asks for plain characters, and a
/// terminal whose wcwidth makes a block wider than one column would break
/// every column after it.
public struct ChartGlyphs: Sendable {
    public let ascii: Bool

    public init(ascii: Bool) { self.ascii = ascii }

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let heights: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiHeights: [Character] = ["_", ".", "-", "=", "^"]

    /// Whether this terminal must get ASCII charts: TERM=linux (the console),
    /// or any block character that is not exactly one column wide here.
    public static func terminalNeedsASCII(term: String?) -> Bool {
        if let term, term == "linux" || term.hasPrefix("linux-") { return true }
        return (eighths + heights).contains { DisplayWidth.width(of: $0) != 1 }
    }

    /// A bar of `fraction` (0…1) of `width` columns; a value above zero
    /// always shows at least the thinnest mark, so it is not read as none.
    public func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0, fraction.isFinite, fraction > 0 else { return "" }
        let f = min(fraction, 1)
        if ascii {
            return String(repeating: "#", count: max(1, Int((f * Double(width)).rounded())))
        }
        let eighthsTotal = max(1, Int((f * Double(width) * 8).rounded()))
        let full = eighthsTotal / 8, rest = eighthsTotal % 8
        return String(repeating: "█", count: full) + (rest > 0 ? String(Self.eighths[rest - 1]) : "")
    }

    /// One character per value, scaled from the smallest to the largest.
    public func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        let levels = ascii ? Self.asciiHeights : Self.heights
        return String(values.map { v -> Character in
            guard v.isFinite else { return " " }
            let share = high > low ? (v - low) / (high - low) : (high > 0 ? 1 : 0)
            return levels[min(levels.count - 1, Int((share * Double(levels.count - 1)).rounded()))]
        })
    }
}
