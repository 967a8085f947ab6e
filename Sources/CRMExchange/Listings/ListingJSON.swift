/// JSON for listings, written by hand: the fields in their schema's order
/// (Foundation's writer sorts keys by locale-aware comparison, which cost
/// most of the time of a large listing), and every control character, DEL,
/// C1 control and bidi control inside a string escaped as \uXXXX, so a stored
/// escape sequence never reaches whatever shows the JSON raw.
public enum ListingJSON {
    /// The scalars written as \uXXXX inside strings (besides `"` and `\`).
    public static func mustEscape(_ s: Unicode.Scalar) -> Bool { JSONLine.mustEscape(s) }

    /// A record on one line (JSON lines).
    public static func line(_ record: ListingRecord) -> String {
        var out = ""
        write(.object(record.fields), into: &out)
        return out
    }

    /// A record with one field a line, indented by `indent` spaces; nested
    /// arrays and objects stay on their field's line.
    public static func pretty(_ record: ListingRecord, indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = pad + "{\n"
        for (i, field) in record.fields.enumerated() {
            out += pad + "  "
            string(field.name, into: &out)
            out += ": "
            write(field.value, into: &out)
            out += i == record.fields.count - 1 ? "\n" : ",\n"
        }
        return out + pad + "}"
    }

    static func write(_ value: ListingValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .integer(let n): out += String(n)
        case .text(let text): string(text, into: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { out += ", " }
                string(field.name, into: &out)
                out += ": "
                write(field.value, into: &out)
            }
            out += "}"
        }
    }

    /// A JSON string, escaped as the export writes it (one escaping for both).
    static func string(_ text: String, into out: inout String) { JSONLine.writeString(text, into: &out) }
}
