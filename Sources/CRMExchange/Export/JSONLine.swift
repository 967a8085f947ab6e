import CRMRepositories
import Foundation

/// JSON written by hand, one object per line: keys in the order given (not
/// sorted, not hashed), numbers as stored, so the same rows give the same
/// bytes on every run, which the lossless round trip relies on.
///
/// Strings escape what JSON requires (quote, backslash, C0 controls) and
/// also DEL, C1 controls, bidi controls and the line/paragraph separators,
/// as \uXXXX: a file that is `cat` to a terminal or opened in an editor
/// cannot carry an escape sequence or reorder what is shown, and every
/// JSON reader turns them back into the same text.
public enum JSONLine {
    public indirect enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int64)
        /// A number written as given (a decimal amount, a stored REAL).
        case number(String)
        case null
        case array([Value])
        case object([(String, Value)])

        public static func == (a: Value, b: Value) -> Bool { JSONLine.encode(a) == JSONLine.encode(b) }
        public func hash(into hasher: inout Hasher) { hasher.combine(JSONLine.encode(self)) }
    }

    /// One line: the object and "\n".
    public static func line(_ fields: [(String, Value)]) -> String {
        encode(.object(fields)) + "\n"
    }

    public static func encode(_ value: Value) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func write(_ value: Value, into out: inout String) {
        switch value {
        case .string(let s): writeString(s, into: &out)
        case .integer(let n): out += String(n)
        case .number(let s): out += s
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, item)) in fields.enumerated() {
                if i > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(item, into: &out)
            }
            out += "}"
        }
    }

    /// The scalars written as \uXXXX inside strings (also by `crm --json`).
    public static func mustEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if mustEscape(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A stored REAL as the shortest text that reads back as the same Double
    /// ("1.0", "0.5", "1e-05"); never NaN or infinity, which JSON cannot hold
    /// (they become null).
    public static func real(_ d: Double) -> Value {
        d.isFinite ? .number(d.description) : .null
    }

    public static func field(_ f: ExportField) -> Value {
        switch f {
        case .text(let s): .string(s)
        case .integer(let n): .integer(n)
        case .decimal(let s): .number(s)
        case .null: .null
        }
    }

    public static func snapshot(_ v: SnapshotValue) -> Value {
        switch v {
        case .null: .null
        case .integer(let n): .integer(n)
        case .real(let d): real(d)
        case .text(let s): .string(s)
        }
    }
}
