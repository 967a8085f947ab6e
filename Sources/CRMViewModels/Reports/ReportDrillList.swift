import CRMCore
import CRMRepositories
import Foundation

/// The records behind one report figure (Enter on a row): deals, contacts
/// or follow-ups, in a list a person moves through as any other; Enter opens
/// one in its own view, Esc goes back to the report where it was.
public final class ReportDrillList {
    /// At most this many are listed; the title says how many there are.
    public static let limit = 2000

    public let what: ReportDrill
    /// The row of the report it lists ("Sales · Proposal").
    public let title: String
    public private(set) var entries = ListWindow<ReportDrillRow>(capacity: ReportDrillList.limit)
    /// How many records the figure counted (may be more than listed).
    public let total: Int

    init(what: ReportDrill, title: String, rows: [ReportDrillRow], total: Int) {
        self.what = what
        self.title = title
        self.total = total
        entries.replace(rows)
    }

    /// `what` resolved first: a counted figure's records are fetched here,
    /// when Enter asks for them, not with the page.
    static func load(_ what: ReportDrill, title: String, repositories: any CRMRepositories) throws -> ReportDrillList {
        let repo = repositories.reportDrillRepository
        let what = try what.resolved(repositories)
        switch what {
        case .deals(let ids):
            return ReportDrillList(what: what, title: title, rows: try repo.dealRows(Array(ids.prefix(limit))), total: ids.count)
        case .contacts(let ids):
            return ReportDrillList(what: what, title: title, rows: try repo.contactRows(Array(ids.prefix(limit))), total: ids.count)
        case .followUps(let ids):
            return ReportDrillList(what: what, title: title, rows: try repo.followUpRows(Array(ids.prefix(limit))), total: ids.count)
        case .counted:
            // resolved() never answers with a question.
            return ReportDrillList(what: what, title: title, rows: [], total: 0)
        }
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

    func move(by delta: Int) { entries.select(entries.selected + delta) }
}
