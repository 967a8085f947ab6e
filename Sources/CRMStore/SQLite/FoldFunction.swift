import CRMCore
import CSQLite

/// `crm_fold(text)`: `SearchFold.indexed` as an SQL function, registered on
/// every connection this program opens (Connection.init). The search triggers
/// since schema 8 index `crm_fold(...)` of the text, and queries are folded in
/// Swift by `SearchFold.fold`, the folding `indexed` is made of (SearchQuery),
/// so both sides agree by construction.
///
/// What the function returns is code, not frozen SQL: a change to SearchFold
/// that changes what existing rows index needs a migration step that
/// re-indexes (as step 8 does, and step 10 for the CJK bigrams that
/// `SearchFold.indexed` appends), or old rows keep their old folding.
///
/// Deterministic and innocuous (no side effects, reads nothing but its
/// argument), so it may run in triggers with the defensive flags we set.
/// NULL stays NULL; text without Arabic-block letters or joiners is returned
/// as the same value, without a copy through a Swift String.
///
/// A program that does not register it (the sqlite3 shell) cannot run the
/// search triggers: an INSERT or UPDATE of a contact, company, deal or
/// interaction there fails with "no such function: crm_fold", and the row is
/// not written. Reading works. That is the intended trade: the index never
/// holds unfolded text that search would silently miss.
enum FoldFunction {
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            db, "crm_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                guard count == 1, let value = arguments?[0] else { return }
                guard sqlite3_value_type(value) != SQLITE_NULL else {
                    sqlite3_result_null(context)
                    return
                }
                let length = Int(sqlite3_value_bytes(value))
                guard let text = sqlite3_value_text(value) else {
                    sqlite3_result_null(context)
                    return
                }
                let bytes = UnsafeBufferPointer(start: text, count: length)
                // Every scalar SearchFold changes is U+0622…U+06F9 (UTF-8 lead
                // byte D8, D9 or DB) or U+200C/U+200D (E2 80 8C/8D); every CJK
                // scalar it adds bigrams for (schema 10) is U+1100 or above
                // (lead byte E1…F0, ẞ U+1E9E and the ligatures U+FB00… among
                // them); since schema 77 ß is C3 9F, and Greek and Cyrillic
                // (U+0380–U+047F) lead with CE, CF, D0 or D1; since schema 79
                // a combining mark (U+0300–U+036F) CC or CD.
                guard bytes.indices.contains(where: { i in
                    let b = bytes[i]
                    return b == 0xD8 || b == 0xD9 || b == 0xDB || (0xE1...0xF0).contains(b) || (0xCC...0xD1).contains(b)
                        || (b == 0xC3 && i + 1 < bytes.count && bytes[i + 1] == 0x9F)
                }) else {
                    sqlite3_result_value(context, value)
                    return
                }
                let folded = SearchFold.indexed(String(decoding: bytes, as: UTF8.self))
                folded.withCString { chars in
                    sqlite3_result_text(context, chars, Int32(folded.utf8.count), crm_sqlite_transient())
                }
            },
            nil, nil, nil)
    }
}
