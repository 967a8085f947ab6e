import Foundation

/// The text encodings an import file may be in. UTF-8 unless the file says
/// otherwise (a byte-order mark, the NUL pattern of UTF-16, bytes that are
/// not UTF-8) or the user names one with `--encoding`.
public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
    case latin1 = "iso-8859-1"

    /// What `--encoding` accepts, for the message when a name is unknown.
    public static let acceptedNames = "utf-8, utf-16, utf-16le, utf-16be, windows-1252 (cp1252), latin1 (iso-8859-1)"

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

    /// The bytes of a single-byte encoding as UTF-8.
    static func singleByteToUTF8(_ bytes: some Collection<UInt8>, cp1252: Bool, into out: inout [UInt8]) {
        for byte in bytes {
            if byte < 0x80 { out.append(byte); continue }
            let scalar: UInt32 = (cp1252 && byte < 0xA0) ? UInt32(cp1252High[Int(byte) - 0x80]) : UInt32(byte)
            appendUTF8(scalar, into: &out)
        }
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
