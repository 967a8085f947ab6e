import Foundation

/// The text encodings an import file may be in. UTF-8 unless the file says
/// otherwise (a byte-order mark, the NUL pattern of UTF-16, bytes that are
/// not UTF-8) or the user names one with `--encoding`.
public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
    /// Arabic and Persian Windows (Excel's "CSV" there).
    case windows1256 = "windows-1256"
    case latin1 = "iso-8859-1"

    /// What `--encoding` accepts, for the message when a name is unknown.
    public static let acceptedNames = "utf-8, utf-16, utf-16le, utf-16be, windows-1252 (cp1252), windows-1256 (cp1256), latin1 (iso-8859-1)"

    /// The encoding a user named. "utf-16" alone leaves the byte order to the
    /// byte-order mark or the NUL pattern (nil order: see `Request`).
    public enum Request: Sendable, Equatable {
        case detect
        case exactly(TextEncoding)
        case utf16AnyOrder
    }

    /// The request for `--encoding NAME`; an unknown name is a usage error
    /// naming the ones we read.
    public static func request(named name: String?, path: String) throws -> Request {
        guard let name else { return .detect }
        switch name.lowercased().trimmed.replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": return .exactly(.utf8)
        case "utf-16", "utf16", "ucs-2": return .utf16AnyOrder
        case "utf-16le", "utf16le": return .exactly(.utf16LE)
        case "utf-16be", "utf16be": return .exactly(.utf16BE)
        case "windows-1252", "cp1252", "win1252", "windows1252": return .exactly(.windows1252)
        case "windows-1256", "cp1256", "win1256", "windows1256", "arabic": return .exactly(.windows1256)
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1": return .exactly(.latin1)
        default:
            throw ImportFileError(.usage, path: path,
                                  message: "unknown encoding '\(name)' for --encoding; expected one of \(acceptedNames)")
        }
    }

    /// Characters 0x80-0x9F of Windows-1252 (the rest is Latin-1). The five
    /// bytes Windows leaves undefined map to the C1 control of the same value,
    /// as the WHATWG encoding standard does, so no byte is lost.
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Characters 0x80-0xFF of Windows-1256 (Arabic and Persian letters,
    /// ZWNJ at 0x9D), as the WHATWG encoding standard has them.
    static let cp1256High: [UInt16] = [
        0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0679, 0x2039, 0x0152, 0x0686, 0x0698, 0x0688,
        0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA,
        0x00A0, 0x060C, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x061B, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x061F,
        0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627, 0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F,
        0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x00D7, 0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
        0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0649, 0x064A, 0x00EE, 0x00EF,
        0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7, 0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
    ]

    /// The bytes of a single-byte encoding as UTF-8.
    static func singleByteToUTF8(_ bytes: some Collection<UInt8>, encoding: TextEncoding, into out: inout [UInt8]) {
        for byte in bytes {
            if byte < 0x80 { out.append(byte); continue }
            let scalar: UInt32
            switch encoding {
            case .windows1256: scalar = UInt32(cp1256High[Int(byte) - 0x80])
            case .windows1252 where byte < 0xA0: scalar = UInt32(cp1252High[Int(byte) - 0x80])
            default: scalar = UInt32(byte)
            }
            appendUTF8(scalar, into: &out)
        }
    }

    /// Whether bytes that are not UTF-8 read as Arabic-script words rather
    /// than as Latin letters with accents: in Windows-1256 a word of Persian
    /// or Arabic is a run of bytes above 0x7F, where German or French text in
    /// Windows-1252 has one such byte among ASCII letters ("M\u{FC}ller").
    /// Most of those bytes in runs of three or more: Windows-1256 (QA 45 FA
    /// #1: a Persian Excel CSV was read as Windows-1252 and imported garbled).
    static func looksLikeWindows1256(_ bytes: some Collection<UInt8>) -> Bool {
        var high = 0, inRuns = 0, run = 0
        func end() { if run >= 3 { inRuns += run }; run = 0 }
        for byte in bytes {
            if byte >= 0x80 { high += 1; run += 1 } else { end() }
        }
        end()
        return high > 0 && inRuns * 2 > high
    }

    static func appendUTF8(_ scalar: UInt32, into out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6))); out.append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12))); out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18))); out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F))); out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether `bytes` is UTF-8, allowing a sequence cut off at the end (the
    /// sniffed prefix may end in the middle of a character).
    static func looksLikeUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            for k in 1..<length {
                guard i + k < bytes.endIndex else { return true }
                if bytes[i + k] & 0xC0 != 0x80 { return false }
            }
            i += length
        }
        return true
    }
}
