import CRMCore
import CSQLite

/// `crm_namekey(text)`: `DuplicateKey.name` as an SQL function, registered on
/// every connection this program opens (Connection.init), as `crm_sortkey`
/// is. Schema 13 fills `contacts.name_key` and `companies.name_key` with it,
/// and its triggers key a row any writer inserts without one or renames; the
/// repositories and BulkLoader write the key themselves (the same Swift
/// function), so both agree by construction.
///
/// Deterministic and innocuous; NULL stays NULL.
enum NameKeyFunction {
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            db, "crm_namekey", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                guard count == 1, let value = arguments?[0], sqlite3_value_type(value) != SQLITE_NULL,
                      let text = sqlite3_value_text(value) else {
                    sqlite3_result_null(context)
                    return
                }
                let length = Int(sqlite3_value_bytes(value))
                let key = DuplicateKey.name(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
                key.withCString { chars in
                    sqlite3_result_text(context, chars, Int32(key.utf8.count), crm_sqlite_transient())
                }
            },
            nil, nil, nil)
    }
}
