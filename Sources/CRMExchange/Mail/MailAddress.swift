import Foundation

/// One address of a From, To or Cc header: `"Müller, Günter" <g@example.de>`
/// is the name "Müller, Günter" and the address g@example.de.
public struct MailAddress: Equatable, Sendable, CustomStringConvertible {
    /// The display name, decoded (RFC 2047) and unquoted; empty when none.
    public var name: String
    public var address: String

    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }

    public var description: String { name.isEmpty ? address : "\(name) <\(address)>" }

    /// The addresses of an address-list header value (unfolded, not yet
    /// decoded): display names quoted or not, with encoded words, comments
    /// in parentheses, groups (`Team: a@x, b@y;`). Items without an `@` are
    /// left out.
    public static func list(_ value: String) -> [MailAddress] {
        var result: [MailAddress] = []
        var display = ""
        var angle: String?
        var comment = ""
        var quoted = false
        var escaped = false
        var depth = 0
        var inAngle = false
        func flush() {
            defer { display = ""; angle = nil; comment = ""; inAngle = false }
            let name: String
            let address: String
            if let angle {
                // A source route ("@relay:addr") is obsolete; only the address counts.
                address = String(angle.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
                let shown = display.trimmingCharacters(in: .whitespaces)
                name = shown.isEmpty ? comment : shown
            } else {
                address = display.filter { !$0.isWhitespace }
                name = comment
            }
            guard address.contains("@") else { return }
            result.append(MailAddress(name: EncodedWords.decode(name.trimmingCharacters(in: .whitespaces)), address: address))
        }
        for ch in value {
            if escaped {
                if inAngle { angle!.append(ch) } else if depth > 0 { comment.append(ch) } else { display.append(ch) }
                escaped = false
                continue
            }
            if ch == "\\" && (quoted || depth > 0) { escaped = true; continue }
            if quoted {
                if ch == "\"" { quoted = false } else { display.append(ch) }
                continue
            }
            if depth > 0 {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                if depth > 0 { comment.append(ch) }
                continue
            }
            if inAngle {
                if ch == ">" { inAngle = false } else { angle!.append(ch) }
                continue
            }
            switch ch {
            case "\"": quoted = true
            case "(":
                depth = 1
                if !comment.isEmpty { comment.append(" ") }
            case "<":
                inAngle = true
                angle = ""
            case ",", ";": flush()
            case ":":
                // The name of a group: what follows are its members.
                display = ""
            default:
                display.append(ch)
            }
        }
        flush()
        return result
    }
}
