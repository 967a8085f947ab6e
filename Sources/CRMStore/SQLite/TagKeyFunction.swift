import CRMCore
import Foundation
import CSQLite

/// `crm_tag_key(text)`: a tag's name in lower case, every letter
/// (`TagName.key`), registered on every connection as `crm_fold` is. The
/// `tags` column's NOCASE folds A–Z only, so "Über" and "über" were two tags
/// on a file and one on PostgreSQL (whose `lower()` folds every letter), and
/// moving such a file to PostgreSQL failed on its unique index. Since schema
/// 78 a tag is found, attached and filtered by this key: one tag per key.
///
/// Deterministic and innocuous; NULL stays NULL. ASCII text (most tags) is
/// lowered without making a Swift string; other text by `TagName.key`.
enum TagKeyFunction {
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            db, "crm_tag_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                guard count == 1, let value = arguments?[0], sqlite3_value_type(value) != SQLITE_NULL,
                      let text = sqlite3_value_text(value) else {
                    sqlite3_result_null(context)
                    return
                }
                let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_value_bytes(value)))
                let key: String
                if bytes.allSatisfy({ $0 < 0x80 }) {
                    key = String(decoding: bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
                } else {
                    key = TagName.key(String(decoding: bytes, as: UTF8.self))
                }
                key.withCString { chars in
                    sqlite3_result_text(context, chars, Int32(key.utf8.count), crm_sqlite_transient())
                }
            },
            nil, nil, nil)
    }
}
