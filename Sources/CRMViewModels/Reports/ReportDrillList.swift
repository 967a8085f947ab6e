import CRMCore
import CRMRepositories
import Foundation

/// The records behind one report figure (Enter on a row): deals, contacts
/// or follow-ups, in a list a person moves through as any other; Enter opens
/// one in its own view, Esc goes back to the report where it was.
///
/// The ids come first (all of them, for the count); their rows are fetched
/// a chunk at a time as the selection comes near the end of those fetched
/// (g and G fetch the first or last chunk), so Enter on a stage of 5,000
/// deals reads 200 rows and not the 2,000 listed.
public final class ReportDrillList {
    /// Rows kept at a time: moving past them drops the far end and fetches
    /// the ids ahead (every id listed is reachable, QA 30 #17: it stopped
    /// at the 2,000th of 2,623).
    public static let limit = 2000
    /// Rows fetched at a time: more than a tall screen, so a key rarely
    /// waits for the next ones.
    static let chunk = 200

    public let what: ReportDrill
    /// The row of the report it lists ("Sales · Proposal").
    public let title: String
    public private(set) var entries = ListWindow<ReportDrillRow>(capacity: ReportDrillList.limit)
    /// How many records the figure counted.
    public let total: Int
    /// The ids listed, in order.
    let ids: [Int64]
    /// The part of `ids` whose rows are in `entries` (a record removed
    /// since the figure was counted has no row).
    private(set) var fetched: Range<Int> = 0 ..< 0
    private let fetch: ([Int64]) throws -> [ReportDrillRow]

    /// How many are listed (the rows of those fetched so far and the rest).
    public var listed: Int { ids.count }

    init(what: ReportDrill, title: String, ids: [Int64], total: Int,
         fetch: @escaping ([Int64]) throws -> [ReportDrillRow]) throws {
        self.what = what
        self.title = title
        self.total = total
        self.ids = ids
        self.fetch = fetch
        try fetchAfter()
    }

    /// `what` resolved first: a counted figure's records are fetched here,
    /// when Enter asks for them, not with the page.
    static func load(_ what: ReportDrill, title: String, repositories: any CRMRepositories) throws -> ReportDrillList {
        let repo = repositories.reportDrillRepository
        let what = try what.resolved(repositories)
        switch what {
        case .deals(let ids):
            return try ReportDrillList(what: what, title: title, ids: ids, total: ids.count, fetch: repo.dealRows)
        case .contacts(let ids):
            return try ReportDrillList(what: what, title: title, ids: ids, total: ids.count, fetch: repo.contactRows)
        case .followUps(let ids):
            return try ReportDrillList(what: what, title: title, ids: ids, total: ids.count, fetch: repo.followUpRows)
        case .counted:
            // resolved() never answers with a question.
            return try ReportDrillList(what: what, title: title, ids: [], total: 0) { _ in [] }
        }
    }

    /// The next chunk's rows after those fetched (until one has a row);
    /// how many rows the window dropped at its front to keep `limit`.
    @discardableResult
    private func fetchAfter() throws -> Int {
        var dropped = 0
        while fetched.upperBound < ids.count {
            let next = fetched.upperBound ..< min(fetched.upperBound + Self.chunk, ids.count)
            let rows = try fetch(Array(ids[next]))
            dropped += entries.append(rows, moreAfter: next.upperBound < ids.count)
            fetched = fetched.lowerBound ..< next.upperBound
            if dropped > 0, let first = entries.rows.first, let i = ids[fetched].firstIndex(of: first.id) {
                fetched = i ..< fetched.upperBound
            }
            if !rows.isEmpty { return dropped }
        }
        return dropped
    }

    /// The chunk's rows before those fetched (until one has a row); how many.
    private func fetchBefore() throws -> Int {
        while fetched.lowerBound > 0 {
            let previous = max(0, fetched.lowerBound - Self.chunk) ..< fetched.lowerBound
            let added = entries.prepend(try fetch(Array(ids[previous])), moreBefore: previous.lowerBound > 0)
            fetched = previous.lowerBound ..< fetched.upperBound
            // The window dropped rows at its end to keep `limit`.
            if entries.rows.count >= Self.limit, let last = entries.rows.last, let j = ids[fetched].lastIndex(of: last.id) {
                fetched = fetched.lowerBound ..< j + 1
            }
            if added > 0 { return added }
        }
        return 0
    }

    /// Only the rows of `part` of the ids (the first or the last chunk).
    private func fetchOnly(_ part: Range<Int>, selectLast: Bool) throws {
        let rows = try fetch(Array(ids[part]))
        entries.replace(rows, selected: selectLast ? rows.count - 1 : 0, offsetInView: selectLast ? entries.viewport - 1 : 0,
                        moreBefore: part.lowerBound > 0, moreAfter: part.upperBound < ids.count)
        fetched = part
    }

    /// The first record (g): the first chunk again if it is not at hand.
    func moveToFirst() throws {
        if fetched.lowerBound > 0 {
            try fetchOnly(0 ..< min(Self.chunk, ids.count), selectLast: false)
            if entries.isEmpty { try fetchAfter() }
        }
        entries.select(0)
    }

    /// The last record (G): the last chunk if the rest is more than one.
    func moveToLast() throws {
        if ids.count - fetched.upperBound > Self.chunk {
            try fetchOnly(max(0, ids.count - Self.chunk) ..< ids.count, selectLast: true)
            if entries.isEmpty { _ = try fetchBefore() }
        }
        while fetched.upperBound < ids.count { try fetchAfter() }
        entries.select(entries.rows.count - 1)
    }

    /// "deals", "contacts", "follow-ups".
    public var noun: String {
        switch what {
        case .deals: "deals"
        case .contacts: "contacts"
        case .followUps: "follow-ups"
        case .counted(let query): query.noun
        }
    }

    func setViewport(_ lines: Int) {
        entries.viewport = max(1, lines)
        entries.keepSelectionVisible()
    }

    /// Moves the selection, fetching the rows a screen beyond it first.
    func move(by delta: Int) throws {
        var target = entries.selected + delta
        while target + entries.viewport >= entries.rows.count, fetched.upperBound < ids.count { target -= try fetchAfter() }
        while target - entries.viewport < 0, fetched.lowerBound > 0 {
            let added = try fetchBefore()
            target += added
            if added == 0 { break }
        }
        entries.select(target)
    }
}
