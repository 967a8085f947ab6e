/// Writing CSV per RFC 4180: a field with a comma, a quote, a CR or an LF is
/// quoted, quotes inside doubled; records end with CRLF.
public enum CSVField {
    public static func quoted(_ field: String, delimiter: Character = ",") -> String {
        // By bytes when the delimiter is ASCII (always, in practice): an
        // export writes millions of fields, and walking Characters (grapheme
        // breaking) was most of its time. A UTF-8 continuation byte is never
        // an ASCII byte, so the answer is the same.
        let needsQuotes: Bool
        if let d = delimiter.asciiValue {
            needsQuotes = field.utf8.contains { $0 == d || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        } else {
            needsQuotes = field.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated.
    public static func record(_ fields: [String], delimiter: Character = ",") -> String {
        fields.map { quoted($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\r\n"
    }
}
