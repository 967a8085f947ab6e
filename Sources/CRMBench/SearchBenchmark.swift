import CRMCore
import CRMRepositories
import CRMStore
import Foundation

/// The search rows of `crm bench`: what counting a search's matches costs
/// (exactly, and stopping at the contacts view's limit), and its first and
/// last page, from a one-letter search that finds half the contacts to a run
/// of phone digits; through the public repository API, as the screen calls it.
public struct SearchBenchmark {
    public let path: String
    public let runs: Int
    /// What the contacts view counts up to on each key (`searchCountLimit`).
    public var countLimit = 10_000

    public init(path: String, runs: Int) {
        self.path = path
        self.runs = runs
    }

    /// Broad to narrow: letters, a name prefix, digits with leading zeros,
    /// two digits (no trigram: a scan), and symbols only (matches nothing).
    /// Then phone numbers in the forms people type them: international,
    /// with 00, national with the trunk 0 (read with phone_region DE).
    /// Then words inside CJK runs (schema 10): a given name after the family
    /// name, one character, a whole name, Japanese kana. Then two one-letter
    /// words, and a word found in the other fields of many contacts (issue 16).
    public static let queries = ["a", "ma", "mar", "mül", "رضا", "000", "0069", "55", "--",
                                 "+49 171", "+49 171 555", "0049 171 5550", "0171 555", "01715550",
                                 "秀英", "小明", "英", "李秀英", "くら", "a b", "call"]

    public func run(into table: BenchTable) throws {
        let db = try Database(path: path, login: "bench", phoneRegion: PhoneRegion(code: "DE"))
        let contacts = db.contacts
        for text in Self.queries {
            let filter = ContactFilter(text: text)
            let hits = try contacts.count(filter: filter)
            let note = "\(hits) match"
            try table.time("search \"\(text)\": count, exact", runs: runs, note: note) {
                _ = try contacts.count(filter: filter)
            }
            // Two digits are counted to 1,000 on each key (ContactsViewModel.countLimit).
            let limit = SearchHighlight(text).digits?.count == 2 ? min(1000, countLimit) : countLimit
            try table.time("search \"\(text)\": count up to \(limit)", runs: runs, targetMs: 16, note: note) {
                _ = try contacts.count(filter: filter, upTo: limit)
            }
            try table.time("search \"\(text)\": first page (101, by name)", runs: runs, targetMs: 16, note: note) {
                _ = try contacts.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 101)
            }
            try table.time("search \"\(text)\": last page (G)", runs: runs, targetMs: 16, note: note) {
                _ = try contacts.list(sort: .name, filter: filter, cursor: nil, direction: .backward, limit: 101)
            }
        }
    }
}
