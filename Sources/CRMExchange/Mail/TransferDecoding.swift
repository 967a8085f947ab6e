import Foundation

/// Content-Transfer-Encoding (RFC 2045) and the B and Q forms of encoded
/// words (RFC 2047) on bytes. Forgiving on purpose: a character that does
/// not belong is skipped (base64) or kept as it is (quoted-printable), so a
/// damaged part still gives what can be read.
enum TransferDecoding {
    /// Base64: characters outside the alphabet (line breaks, spaces) are
    /// skipped; decoding stops at the first `=`.
    static func base64<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return out
            default: continue
            }
            buffer = (buffer << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// Quoted-printable: `=XX` is a byte, `=` at the end of a line a soft
    /// break; a `=` followed by anything else stays. `underscoreIsSpace` for
    /// the Q encoding of header words.
    static func quotedPrintable(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "=") {
                // Soft line break: "=" then optional trailing blanks, then (CR)LF.
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < bytes.count, bytes[j] == 0x0A { i = j + 1; continue }
                if j + 1 < bytes.count, bytes[j] == 0x0D, bytes[j + 1] == 0x0A { i = j + 2; continue }
                if j == bytes.count, j > i + 1 || i + 1 == bytes.count { i = j; continue }
                if i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                out.append(b)
            } else if underscoreIsSpace && b == UInt8(ascii: "_") {
                out.append(0x20)
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
