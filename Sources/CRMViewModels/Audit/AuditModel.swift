import CRMCore
import CRMRepositories
import Foundation

/// The audit trail on screen, over the view it was opened from: either one
/// record's history (H in a contact's, company's or deal's details) or the
/// whole log for managers and admins (A, or "Audit trail" in the palette),
/// filtered by user, kind of record, action and period. Newest first,
/// keyset paged: a page costs the same however far back it is.
public final class AuditModel {
    /// What a key did to the list.
    public enum Outcome: Equatable {
        case stay
        case close
        /// Enter on an entry of the global view: show this record.
        case open(entity: String, id: Int64)
    }

    /// The periods the global view cycles through with p.
    public enum Period: Int, CaseIterable, Sendable {
        case all, today, week, month, year
        public var title: String {
            switch self {
            case .all: "all time"
            case .today: "today"
            case .week: "last 7 days"
            case .month: "last 30 days"
            case .year: "last 365 days"
            }
        }
    }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }
    /// Nil for the global view; the record whose history this is otherwise.
    public let record: (entity: String, id: Int64, name: String)?
    public private(set) var list = ListWindow<AuditEntry>(capacity: 5000)
    public private(set) var userLogin: String?
    public private(set) var entity: String?
    public private(set) var action: String?
    public private(set) var period = Period.all
    public let text: AuditText
    let pageSize = 100

    /// The actions the global view cycles through with a.
    public static let actions = ["create", "update", "delete", "restore", "move", "won", "lost", "reopen",
                                 "reassign", "merge", "unmerge"]

    /// One record's history.
    public init(context: AppContext, entity: String, id: Int64, name: String) {
        self.context = context
        self.record = (entity, id, name)
        self.text = AuditText(timeFormat: context.timeFormat, users: (try? context.repositories.allUsers()) ?? [])
        reload()
    }

    /// The whole audit log.
    public init(context: AppContext) {
        self.context = context
        self.record = nil
        self.text = AuditText(timeFormat: context.timeFormat, users: (try? context.repositories.allUsers()) ?? [])
        reload()
    }

    public var isGlobal: Bool { record == nil }

    public var title: String {
        if let record { return "History of \(record.entity) \(record.name) · newest first" }
        return "Audit trail · newest first"
    }

    /// "by everyone · every kind · every action · all time".
    public var filterSummary: String {
        [userLogin.map { "by \($0)" } ?? "by everyone",
         entity ?? "every kind", action ?? "every action", period.title].joined(separator: " · ")
    }

    var filter: AuditFilter {
        if let record { return AuditFilter(entity: record.entity, entityID: record.id) }
        var f = AuditFilter(entity: entity, userLogin: userLogin, action: action)
        if period != .all {
            let days = [Period.today: 0, .week: 7, .month: 30, .year: 365][period] ?? 0
            let calendar = context.timeFormat.calendar
            let startOfToday = calendar.startOfDay(for: context.clock.now)
            f.since = calendar.date(byAdding: .day, value: -days, to: startOfToday)
        }
        return f
    }

    /// Rows the list shows (from the layout).
    public func setViewport(_ rows: Int) {
        list.viewport = max(rows, 1)
        list.keepSelectionVisible()
    }

    func reload() {
        do {
            let entries = try repos.auditPage(filter, after: nil, limit: pageSize + 1)
            list.replace(Array(entries.prefix(pageSize)), selected: 0, moreAfter: entries.count > pageSize)
        } catch {
            list.replace([])
            context.report(error, reading: "the audit trail")
        }
    }

    private func move(by offset: Int) {
        list.select(list.selected + offset)
        if list.moreAfter, list.selected >= list.rows.count - 5, let last = list.rows.last {
            do {
                let more = try repos.auditPage(filter, after: last.id, limit: pageSize + 1)
                _ = list.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
            } catch {
                context.report(error, reading: "more of the audit trail")
            }
        }
    }

    /// The next of `choices` after `current`, then none again.
    static func next(after current: String?, in choices: [String]) -> String? {
        guard let current, let i = choices.firstIndex(of: current) else { return choices.first }
        return i + 1 < choices.count ? choices[i + 1] : nil
    }

    // MARK: keys

    public var keyBindings: [KeyBinding] {
        var table = [
            KeyBinding([.char("j"), .down], .moveDown, "Next entry"),
            KeyBinding([.char("k"), .up], .moveUp, "Previous entry"),
            KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
            KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            KeyBinding([.char("g"), .home], .top, "Newest entry"),
            KeyBinding([.char("G"), .end], .bottom, "Oldest entry loaded"),
        ]
        if isGlobal {
            let none = list.selectedRow == nil ? "no entry selected" : nil
            table += [
                KeyBinding([.enter], .open, "Open the record", hint: true, disabled: none),
                KeyBinding([.char("w")], .filterOwner, "Filter by user (cycles)", hint: true, hintTitle: "who"),
                KeyBinding([.char("t")], .filterKind, "Filter by kind of record (cycles)", hint: true, hintTitle: "kind"),
                KeyBinding([.char("a")], .auditFilterAction, "Filter by action (cycles)", hint: true, hintTitle: "action"),
                KeyBinding([.char("p")], .filterDates, "Filter by period (cycles)", hint: true, hintTitle: "period"),
                KeyBinding([.char("x")], .clearFilters, "Clear the filters"),
            ]
        }
        table.append(KeyBinding([.escape, .char("q")], .back, "Close", hint: true))
        return table
    }

    /// Handles a key.
    public func handle(_ key: Key) -> Outcome {
        var outcome = Outcome.stay
        _ = context.dispatch(key, in: keyBindings) { outcome = perform($0) }
        return outcome
    }

    func perform(_ action: ActionID) -> Outcome {
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: list.viewport)
        case .pageUp: move(by: -list.viewport)
        case .top: list.select(0)
        case .bottom: move(by: list.rows.count)
        case .open:
            if let entry = list.selectedRow { return .open(entity: entry.entity, id: entry.entityID) }
        case .filterOwner:
            userLogin = Self.next(after: userLogin, in: text.logins.sorted { $0.key < $1.key }.map(\.value))
            reload()
        case .filterKind:
            entity = Self.next(after: entity, in: AuditText.entityKinds.map(\.stored))
            reload()
        case .auditFilterAction:
            self.action = Self.next(after: self.action, in: Self.actions)
            reload()
        case .filterDates:
            period = Period(rawValue: (period.rawValue + 1) % Period.allCases.count)!
            reload()
        case .clearFilters:
            userLogin = nil; entity = nil; self.action = nil; period = .all
            reload()
        case .back: return .close
        default: break
        }
        return .stay
    }

    /// The entries as screen lines: a heading per entry, then its fields;
    /// `entry` is the entry's index in the list (for the selection).
    public func lines() -> [(entry: Int, text: String, heading: Bool)] {
        var out: [(Int, String, Bool)] = []
        for (i, e) in list.rows.enumerated() {
            out.append((i, text.heading(e), true))
            for line in text.fieldLines(e) { out.append((i, "  " + line, false)) }
        }
        return out
    }
}

extension ContactsViewModel {
    /// H: the selected contact's or company's history, over the workspace.
    func showHistory() {
        if mode == .contacts, let row = contacts.selectedRow {
            context.present(.audit(AuditModel(context: context, entity: "contact", id: row.id, name: row.name)))
        } else if mode == .companies, let row = companies.selectedRow {
            context.present(.audit(AuditModel(context: context, entity: "company", id: row.id, name: row.name)))
        }
    }
}
