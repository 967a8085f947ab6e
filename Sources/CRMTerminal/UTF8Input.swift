/// Turns the bytes a terminal sends into Unicode scalars, one byte at a time.
///
/// ncurses' `get_wch` cannot be trusted with this: on a byte that is not
/// UTF-8 (a Latin-1 terminal sends "é" as the single byte 0xE9) it keeps
/// reading, hoping the sequence completes, and then drops everything it
/// read. Here each ill-formed sequence becomes one U+FFFD and decoding goes on
/// with the next byte, so "caf\u{E9} au lait" arrives as "caf� au lait".
/// Ill-formed input is replaced the way Swift's `String(decoding:as:)` and
/// the WHATWG Encoding standard do it (one U+FFFD per maximal subpart).
struct UTF8Input {
    /// The scalar built so far from the lead byte and continuation bytes.
    private var partial: UInt32 = 0
    private var needed = 0
    private var seen = 0
    /// The range the next continuation byte must be in: narrower than
    /// 0x80...0xBF after E0, ED, F0 and F4, so overlong forms, surrogates and
    /// values above U+10FFFF are refused at the byte that makes them so.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    static let replacement = Unicode.Scalar(0xFFFD)!

    /// True while a sequence is begun but not complete.
    var isIncomplete: Bool { needed > 0 }

    /// The scalars that `byte` completes: none (in the middle of a
    /// sequence), one, or two (U+FFFD for a broken sequence, then the byte
    /// itself read afresh).
    mutating func feed(_ byte: UInt8) -> [Unicode.Scalar] {
        if needed == 0 {
            switch byte {
            case 0x00...0x7F:
                return [Unicode.Scalar(byte)]
            case 0xC2...0xDF:
                begin(needing: 1, bits: byte & 0x1F)
            case 0xE0...0xEF:
                if byte == 0xE0 { lower = 0xA0 }
                if byte == 0xED { upper = 0x9F }
                begin(needing: 2, bits: byte & 0x0F)
            case 0xF0...0xF4:
                if byte == 0xF0 { lower = 0x90 }
                if byte == 0xF4 { upper = 0x8F }
                begin(needing: 3, bits: byte & 0x07)
            default:
                // A stray continuation byte, C0, C1 or F5...FF: never valid.
                return [Self.replacement]
            }
            return []
        }
        guard (lower...upper).contains(byte) else {
            // The sequence broke off: it stands for one U+FFFD, and this byte
            // starts something new.
            reset()
            return [Self.replacement] + feed(byte)
        }
        lower = 0x80
        upper = 0xBF
        partial = partial << 6 | UInt32(byte & 0x3F)
        seen += 1
        guard seen == needed else { return [] }
        let scalar = Unicode.Scalar(partial) ?? Self.replacement
        reset()
        return [scalar]
    }

    /// The input stopped in the middle of a sequence: it stands for one
    /// U+FFFD. Nil when nothing was pending.
    mutating func finish() -> Unicode.Scalar? {
        guard needed > 0 else { return nil }
        reset()
        return Self.replacement
    }

    private mutating func begin(needing count: Int, bits: UInt8) {
        needed = count
        seen = 0
        partial = UInt32(bits)
    }

    private mutating func reset() {
        needed = 0
        seen = 0
        partial = 0
        lower = 0x80
        upper = 0xBF
    }

    /// All of `bytes`, decoded; an unfinished sequence at the end is U+FFFD.
    static func decode(_ bytes: some Sequence<UInt8>) -> String {
        var input = UTF8Input()
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(contentsOf: input.feed(byte)) }
        if let last = input.finish() { scalars.append(last) }
        return String(scalars)
    }
}
