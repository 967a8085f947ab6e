import Foundation

/// A Content-Type or Content-Disposition value: `text/plain; charset="utf-8"`
/// as the type "text/plain" and its parameters (names lower-cased, values
/// unquoted). Parameters in RFC 2231 form (`charset*=utf-8''…`) are read too.
struct ContentType: Equatable {
    var value: String
    var parameters: [String: String]

    /// Main type ("text"), lower-cased.
    var type: String { String(value.split(separator: "/").first ?? "") }
    var subtype: String { value.split(separator: "/").count > 1 ? String(value.split(separator: "/")[1]) : "" }

    static let plainText = ContentType(value: "text/plain", parameters: [:])

    init(value: String, parameters: [String: String]) {
        self.value = value
        self.parameters = parameters
    }

    init(_ header: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var depth = 0
        for ch in header {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted {
                if ch == "\\" { escaped = true } else if ch == "\"" { quoted = false } else { current.append(ch) }
                continue
            }
            if depth > 0 {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                continue
            }
            switch ch {
            case "\"": quoted = true
            case "(": depth = 1
            case ";":
                parts.append(current)
                current = ""
            default: current.append(ch)
            }
        }
        parts.append(current)
        value = parts[0].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        var params: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var name = part[..<eq].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            var v = part[part.index(after: eq)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if name.hasSuffix("*") {
                // RFC 2231: charset'language'percent-encoded.
                name.removeLast()
                let pieces = v.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3 {
                    v = MailCharset.decode(Self.percentDecoded(String(pieces[2])), charset: String(pieces[0]))
                }
            }
            if params[name] == nil { params[name] = v }
        }
        parameters = params
    }

    static func percentDecoded(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = TransferDecoding.hex(bytes[i + 1]), let lo = TransferDecoding.hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
