import CSQLite

/// `crm_composes(text, ...)`: 1 when one of the texts holds a mark that
/// `SearchFold.composes` names (a combining diacritic, a kana voicing mark,
/// a Hangul vowel or final jamo), else 0; NULL counts as no text. Schema
/// step 79 finds with it the rows to index again: a scan of the UTF-8 bytes
/// without making a Swift string, where a GLOB with a set of those
/// characters took 2.8 s over a million interactions.
///
/// Deterministic and innocuous; registered on every connection.
enum ComposingMarkFunction {
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            db, "crm_composes", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                var found = false
                for i in 0..<Int(count) where !found {
                    guard let value = arguments?[i], sqlite3_value_type(value) != SQLITE_NULL,
                          let text = sqlite3_value_text(value) else { continue }
                    found = ComposingMarkFunction.holdsOne(UnsafeBufferPointer(start: text, count: Int(sqlite3_value_bytes(value))))
                }
                sqlite3_result_int(context, found ? 1 : 0)
            },
            nil, nil, nil)
    }

    /// Whether UTF-8 `bytes` hold U+0300–U+036F (CC 80 – CD AF),
    /// U+1160–U+11FF (E1 85 A0 – E1 87 BF) or U+3099–U+309A (E3 82 99/9A).
    static func holdsOne(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0xCC {
                i += 1
                continue
            }
            let next: UInt8 = i + 1 < n ? bytes[i + 1] : 0
            let third: UInt8 = i + 2 < n ? bytes[i + 2] : 0
            switch b {
            case 0xCC: return true
            case 0xCD where next <= 0xAF: return true
            case 0xE1 where (next == 0x85 && third >= 0xA0) || next == 0x86 || next == 0x87: return true
            case 0xE3 where next == 0x82 && (third == 0x99 || third == 0x9A): return true
            default: i += 1
            }
        }
        return false
    }
}
