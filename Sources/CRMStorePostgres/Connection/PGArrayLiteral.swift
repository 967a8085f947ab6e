/// A column of values as one PostgreSQL array literal, bound as ONE
/// parameter (`unnest($1::text[], $2::bigint[], …)`): a thousand rows go in
/// one statement with a dozen parameters instead of one round trip each, and
/// every value is still bound, never spliced into SQL.
enum PGArrayLiteral {
    static func texts(_ values: [String?]) -> String {
        "{" + values.map { value in
            guard let value else { return "NULL" }
            var quoted = "\""
            quoted.reserveCapacity(value.utf8.count + 2)
            for ch in value.unicodeScalars {
                if ch == "\"" || ch == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(ch)
            }
            return quoted + "\""
        }.joined(separator: ",") + "}"
    }

    static func integers(_ values: [Int64?]) -> String {
        "{" + values.map { $0.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }

    /// Each as `Double.pgText` writes a single parameter ("inf", "nan" read back as such).
    static func doubles(_ values: [Double?]) -> String {
        "{" + values.map { $0.map { "\($0)" } ?? "NULL" }.joined(separator: ",") + "}"
    }
}
