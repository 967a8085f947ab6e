import CRMCore
import CRMRepositories
import Foundation

/// The morning review, the screen the program opens on: follow-ups that are
/// overdue, due today and due in the next seven days, then the contacts nobody
/// has been in touch with for longer than their cadence. Each section is a
/// bounded query (at most `rowsPerSection` rows) with an exact count for its
/// header, so the view costs the same at 50,000 follow-ups as at 50.
public final class TodayViewModel {
    public enum Section: Int, CaseIterable, Sendable {
        case overdue, today, upcoming, attention

        public var title: String {
            switch self {
            case .overdue: "Overdue"
            case .today: "Today"
            case .upcoming: "Upcoming · next 7 days"
            case .attention: "Needs attention"
            }
        }

        public var emptyText: String {
            switch self {
            case .overdue: "Nothing overdue."
            case .today: "Nothing else due today."
            case .upcoming: "Nothing due in the next 7 days."
            case .attention: "Everyone has heard from us within their cadence."
            }
        }
    }

    /// One selectable row: a follow-up, or a contact past their cadence.
    public enum Item: Hashable, Sendable {
        case followUp(FollowUpRow)
        case attention(AttentionRow)

        public var contactID: Int64? {
            switch self {
            case .followUp(let row): row.followUp.contactID
            case .attention(let row): row.contactID
            }
        }

        public var customerName: String {
            switch self {
            case .followUp(let row): row.contactName ?? row.dealTitle ?? "—"
            case .attention(let row): row.name
            }
        }

        /// Stable identity across reloads, for keeping the selection.
        var key: String {
            switch self {
            case .followUp(let row): "f\(row.id)"
            case .attention(let row): "c\(row.contactID)"
            }
        }
    }

    /// What the pane draws, top to bottom.
    public enum Line: Hashable, Sendable {
        case header(Section, count: Int)
        case item(Section, Item)
        case empty(Section)
        /// "… and 120 more": the section holds more than is loaded.
        case more(Section, Int)
    }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }

    public private(set) var lines: [Line] = []
    /// Index into `lines` of the selected item (only item lines are selectable).
    public private(set) var selectedLine: Int?
    public private(set) var scrollTop = 0
    public var viewport = 20 { didSet { keepSelectionVisible() } }
    /// Everyone's follow-ups and contacts instead of only mine.
    public var showEveryone = false
    public private(set) var counts: [Section: Int] = [:]
    /// When the lists were built: the boundaries of "overdue" and "today".
    public private(set) var builtAt: Date?
    public let rowsPerSection: Int
    /// The follow-ups list (`F`), shown instead of the sections while open.
    public internal(set) var list: FollowUpListModel?

    public init(context: AppContext, rowsPerSection: Int = 50) {
        self.context = context
        self.rowsPerSection = rowsPerSection
    }

    public var selectedItem: Item? {
        guard let i = selectedLine, case .item(_, let item)? = lines[safe: i] else { return nil }
        return item
    }

    public var selectedFollowUp: FollowUpRow? {
        if case .followUp(let row)? = selectedItem { return row }
        return nil
    }

    public var items: [Item] {
        lines.compactMap { if case .item(_, let item) = $0 { item } else { nil } }
    }

    public func items(in section: Section) -> [Item] {
        lines.compactMap { if case .item(section, let item) = $0 { item } else { nil } }
    }

    // MARK: loading

    /// Who the lists are for: me, unless showing everyone (or there is no
    /// real user, as in a fresh database opened without a login).
    var scopeUserID: Int64? {
        showEveryone || context.me.id == 0 ? nil : context.me.id
    }

    /// Rebuilds every section; the selection stays on the same record when it
    /// is still listed, else on the row that took its place.
    public func reload(keepOrdinal: Bool = false) {
        // An action in the follow-ups list reloads the list; the sections
        // are built again when it closes.
        if let list {
            list.reload()
            return
        }
        let previousKey = selectedItem?.key
        let previousOrdinal = selectedOrdinal
        do {
            try build()
        } catch {
            context.report(error)
        }
        let itemLines = lines.indices.filter { if case .item = lines[$0] { true } else { false } }
        if !keepOrdinal, let key = previousKey,
           let i = itemLines.first(where: { if case .item(_, let item) = lines[$0] { item.key == key } else { false } }) {
            selectedLine = i
        } else if itemLines.isEmpty {
            selectedLine = nil
        } else {
            selectedLine = itemLines[min(previousOrdinal ?? 0, itemLines.count - 1)]
        }
        keepSelectionVisible()
    }

    private func build() throws {
        let now = context.clock.now
        let calendar = context.timeFormat.calendar
        let startOfTomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let endOfUpcoming = calendar.date(byAdding: .day, value: 7, to: startOfTomorrow)!
        let who = scopeUserID
        let fu = repos.followUpRepository
        let agenda = repos.agendaRepository
        let rules = context.settings.cadenceRules

        let ranges: [(Section, Date?, Date)] = [(.overdue, nil, now), (.today, now, startOfTomorrow),
                                                (.upcoming, startOfTomorrow, endOfUpcoming)]
        var newLines: [Line] = []
        var newCounts: [Section: Int] = [:]
        for (section, from, to) in ranges {
            let rows = try fu.due(from: from, to: to, assigneeID: who, limit: rowsPerSection)
            // Counting is only needed when the page is full.
            let count = rows.count < rowsPerSection ? rows.count : try agenda.countDue(from: from, to: to, assigneeID: who)
            newCounts[section] = count
            append(section, rows.map { .followUp($0) }, count: count, to: &newLines)
        }
        let attention = try agenda.pastCadence(rules: rules, now: now, ownerID: who, limit: rowsPerSection)
        let attentionCount = attention.count < rowsPerSection ? attention.count
            : try agenda.countPastCadence(rules: rules, now: now, ownerID: who)
        newCounts[.attention] = attentionCount
        append(.attention, attention.map { .attention($0) }, count: attentionCount, to: &newLines)
        lines = newLines
        counts = newCounts
        builtAt = now
    }

    private func append(_ section: Section, _ items: [Item], count: Int, to lines: inout [Line]) {
        lines.append(.header(section, count: count))
        if items.isEmpty { lines.append(.empty(section)) }
        lines += items.map { .item(section, $0) }
        if count > items.count { lines.append(.more(section, count - items.count)) }
    }

    // MARK: selection

    /// How many items come before the selected one.
    var selectedOrdinal: Int? {
        guard let s = selectedLine else { return nil }
        return lines[..<s].filter { if case .item = $0 { true } else { false } }.count
    }

    func move(by delta: Int) {
        let itemLines = lines.indices.filter { if case .item = lines[$0] { true } else { false } }
        guard !itemLines.isEmpty else { return }
        let current = selectedOrdinal ?? 0
        selectedLine = itemLines[min(max(current + delta, 0), itemLines.count - 1)]
        keepSelectionVisible()
    }

    func keepSelectionVisible() {
        let height = max(viewport, 1)
        guard let s = selectedLine else { scrollTop = 0; return }
        // Show the section header with its first row.
        var top = s
        if s > 0, case .header = lines[s - 1] { top = s - 1 }
        if top < scrollTop { scrollTop = top }
        if s >= scrollTop + height { scrollTop = s - height + 1 }
        scrollTop = max(0, min(scrollTop, max(lines.count - height, 0)))
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
