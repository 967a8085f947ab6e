import CRMCore
import CRMRepositories
import CRMStore
import Foundation

/// The duplicates rows of `crm bench`: the check a contact form runs before
/// it saves (a probe with an email, a phone and a name at a company), the
/// first page of the Duplicates list (the email groups), a page deep in it
/// (past the email and phone groups, among the names), and the companies'
/// list; through the public repository API, as the screen calls it.
public struct DuplicatesBenchmark {
    public let path: String
    public let runs: Int

    public init(path: String, runs: Int) {
        self.path = path
        self.runs = runs
    }

    public func run(into table: BenchTable) throws {
        let db = try Database(path: path, login: "bench", phoneRegion: PhoneRegion(code: "DE"))
        let contacts = db.contacts
        guard let sample = try contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 1).first,
              let full = try contacts.get(sample.id) else { return }
        let probe = DuplicateProbe(name: full.name, companyID: full.companyID, emails: full.emails.map(\.address),
                                   phones: full.phones.map(\.number))
        let found = try contacts.possibleDuplicates(of: probe, limit: 3).count
        try table.time("duplicates: form check (email, phone, name)", runs: runs, targetMs: 2, note: "\(found) found") {
            _ = try contacts.possibleDuplicates(of: probe, limit: 3)
        }
        try table.time("duplicates: first page of pairs (50)", runs: runs, targetMs: 20) {
            _ = try contacts.duplicatePairs(after: nil, limit: 50)
        }
        // Walk past the email pairs once, as paging down would.
        var cursor: DuplicateCursor?
        var walked = 0
        while walked < 100_000 {
            let page = try contacts.duplicatePairs(after: cursor, limit: 1000)
            guard let last = page.last else { break }
            cursor = last.cursor
            walked += page.count
            if last.cursor.strength != .email { break }
        }
        // Past the email pairs of the demo data only 23 phone pairs and no
        // name pair are left: this page walks the rest of both indexes to
        // find that out, the most a page of the list ever reads.
        try table.time("duplicates: page of 50 after pair \(walked) (\(cursor.map { "\($0.strength)" } ?? "end"))", runs: runs,
                       targetMs: 100) {
            _ = try contacts.duplicatePairs(after: cursor, limit: 50)
        }
        try table.time("duplicates: first page of company pairs (50)", runs: runs, targetMs: 20) {
            _ = try db.companies.duplicatePairs(after: nil, limit: 50)
        }
    }
}
