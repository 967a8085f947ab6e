import CRMCore
import Foundation

/// The rowid of an interaction in `interaction_fts` (schema 30): its place
/// in the timeline, newest last, `occurred_at * 2^31 + id`, so full-text
/// matches come out of the index in timeline order and a keyset page is a
/// range of rowids. The time is clamped to ±2^32 seconds (1834 to 2106) to
/// keep the key inside 64 bits; interactions outside those years order
/// among themselves by id. Ids stay below 2^31.
enum InteractionTimelineKey {
    static let idBits: Int64 = 2_147_483_648
    static let idMask: Int64 = 2_147_483_647
    static let latest: Int64 = 4_294_967_295
    static let earliest: Int64 = -4_294_967_296

    static func key(seconds: Int64, id: Int64) -> Int64 {
        max(min(seconds, latest), earliest) * idBits + id
    }

    static func key(_ date: Date, id: Int64) -> Int64 {
        key(seconds: date.wholeSecondsSince1970, id: id)
    }

    /// The same as SQL over the columns of interaction `alias`, as the
    /// triggers compute it.
    static func sql(_ alias: String) -> String {
        "max(min(\(alias).occurred_at, \(latest)), \(earliest)) * \(idBits) + \(alias).id"
    }
}
