import CRMCore
import CRMRepositories
import Foundation

/// The morning review, the screen the program opens on: follow-ups that are
/// overdue, due today and due in the next seven days, then the contacts nobody
/// has been in touch with for longer than their cadence. A header line names
/// every section with its count ("1000+" past `countLimit`: counted lazily,
/// exactly when the selection goes that far or to the last row); the body
/// lists the section the selection is in, paged by keyset
/// (TodaySectionPager), so every item is reachable and the view costs the
/// same at 500,000 overdue as at 5.
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

        /// The name in the header line of counts.
        public var shortTitle: String {
            switch self {
            case .overdue: "Overdue"
            case .today: "Today"
            case .upcoming: "Upcoming"
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

        /// The record's id (a follow-up's or a contact's) and version.
        public var versionedID: VersionedID {
            switch self {
            case .followUp(let row): VersionedID(id: row.id, version: row.followUp.version)
            case .attention(let row): VersionedID(id: row.contactID, version: row.version)
            }
        }

        var cursor: AgendaCursor {
            switch self {
            case .followUp(let row): AgendaCursor(dueAt: row.followUp.dueAt, id: row.id)
            case .attention(let row): row.cursor
            }
        }
    }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }

    /// The section the selection is in (the one the body lists).
    public private(set) var section: Section = .overdue
    /// Position of the selected item within `section`; nil when it is empty.
    public private(set) var selectedOrdinal: Int?
    /// Position within `section` of the first row shown.
    public private(set) var scrollTop = 0
    public var viewport = 20 { didSet { keepSelectionVisible() } }
    /// Everyone's follow-ups and contacts instead of only mine.
    public var showEveryone = false
    /// In everyone's mode: only this colleague's (nil: all).
    public internal(set) var assigneeFilter: User?
    /// The row an undo just put back (in its section, at its time): the
    /// next reload selects it, so the next key acts on it and not on the row
    /// that had taken its place (QA 38 A-F9: `s` then snoozed a neighbour).
    var restoredRow: (section: Section, cursor: AgendaCursor)?
    /// The row the selection fell on when a colleague's write took the
    /// selected one out of the lists, and why (`TodaySelectionFell`).
    var selectionFellOn: (section: Section, id: Int64, why: String)?

    /// Exactly `user`'s lists, as their own Today shows them, read by any
    /// session (`crm agenda --user`): no need to act as them, which a
    /// PostgreSQL connection may not.
    public func show(onlyOf user: User) {
        showEveryone = true
        assigneeFilter = user
    }
    /// Each section's count; a lower bound where `isCountExact` is false.
    public var counts: [Section: Int] {
        Dictionary(uniqueKeysWithValues: pagers.map { ($0.key, $0.value.count) })
    }
    /// Up to how many rows each section is counted on a rebuild (nil: all,
    /// as `crm followups` prints them). Everyone's lists at a million
    /// contacts hold about 130,000 overdue follow-ups and 400,000 contacts
    /// past their cadence: counted whole they cost 130-200 ms on every
    /// rebuild (`m`, `1`, the first screen, `x`, `s`, `d`); a section past
    /// this many says "1000+" until the selection goes that far.
    public var countLimit: Int? { didSet { countLimit = countLimit.map { max($0, 1) } } }
    /// When the lists were built: the boundaries of "overdue" and "today".
    public private(set) var builtAt: Date?
    /// Rows per keyset page; also how many `items(in:)` returns.
    public let rowsPerSection: Int
    /// Marked rows (Space, `*`) of `markedSection`, with the version each was
    /// seen at: bulk actions write only over those versions.
    public internal(set) var marks: [Int64: Int64] = [:]
    public internal(set) var markedSection: Section?

    var pagers: [Section: TodaySectionPager] = [:]
    /// The follow-ups list (`F`), shown instead of the sections while open.
    public internal(set) var list: FollowUpListModel?

    public init(context: AppContext, rowsPerSection: Int = 50, countLimit: Int? = 1_000) {
        self.context = context
        self.rowsPerSection = rowsPerSection
        self.countLimit = countLimit.map { max($0, 1) }
    }

    public var selectedItem: Item? {
        selectedOrdinal.flatMap { pagers[section]?.item(at: $0) }
    }

    public var selectedFollowUp: FollowUpRow? {
        if case .followUp(let row)? = selectedItem { return row }
        return nil
    }

    public func count(of section: Section) -> Int { pagers[section]?.count ?? 0 }

    /// False while `count(of:)` is only "at least this many".
    public func isCountExact(of section: Section) -> Bool { pagers[section]?.isExact ?? true }

    /// The count as the header shows it: "12", or "1000+" when not counted
    /// to the end.
    public func countText(of section: Section) -> String {
        "\(count(of: section))\(isCountExact(of: section) ? "" : "+")"
    }

    /// The rows on screen: position in the section and item.
    public var visibleItems: [(ordinal: Int, item: Item)] {
        guard let pager = pagers[section] else { return [] }
        return pager.items(scrollTop..<min(scrollTop + max(viewport, 1), pager.count)).map { (ordinal: $0.0, item: $0.1) }
    }

    public func isMarked(_ item: Item) -> Bool {
        markedSection == section && marks[item.versionedID.id] != nil
    }

    /// Every row of a section, read now page by page (`rowsPerSection` at a
    /// time, by the keyset the screen pages with): for the `crm followups`
    /// and `crm agenda` listings, which print sections whole (QA 29 #8:
    /// they stopped at the first 10,000 without a word).
    public func items(in section: Section) -> [Item] {
        guard let pager = pagers[section] else { return [] }
        var all: [Item] = []
        while let page = try? pager.fetch(all.last?.cursor, .forward, rowsPerSection), !page.isEmpty {
            all += page
            if page.count < rowsPerSection { break }
        }
        return all
    }

    // MARK: loading

    /// Who the lists are for: me, unless showing everyone (or there is no
    /// real user, as in a fresh database opened without a login); in
    /// everyone's mode, the colleague picked as a filter.
    var scopeUserID: Int64? {
        if showEveryone { return assigneeFilter?.id }
        return context.me.storedID
    }

    /// Rebuilds every section's count and the shown section's window; the
    /// selection stays on the same record when it is still listed, else on
    /// the row that took its place (`keepOrdinal` asks for the latter when the
    /// record just left the list: done, snoozed).
    public func reload(keepOrdinal: Bool = false) {
        // An action in the follow-ups list reloads the list; the sections
        // are built again when it closes.
        if let list {
            restoredRow = nil
            list.reload()
            return
        }
        var anchor = selectedItem?.cursor
        var anchorID = selectedItem?.versionedID.id
        if let restored = restoredRow {
            // Back in its section, even when acting on it had emptied that
            // section and the view had gone on to the next one.
            section = restored.section
            anchor = restored.cursor
            anchorID = restored.cursor.id
        }
        restoredRow = nil
        do {
            try build(anchor: anchor)
        } catch {
            context.report(error)
        }
        let total = count(of: section)
        guard let pager = pagers[section], total > 0 else {
            // The section emptied: go to the next one with rows, if any.
            selectedOrdinal = nil
            if let next = nextSectionWithRows(after: section) ?? Section.allCases.first(where: { count(of: $0) > 0 }) {
                jump(to: next)
            }
            return
        }
        // The anchor row, or the one that took its place (the first row from
        // the anchor on); when the acted-on row was the section's last, the
        // next section's first is what comes next.
        let position = pager.window.firstIndex { $0.versionedID.id == anchorID } ?? pager.window.firstIndex { $0.cursor.dueAt > anchor?.dueAt ?? .distantPast || ($0.cursor.dueAt == anchor?.dueAt && $0.cursor.id > anchor?.id ?? 0) }
        if anchor != nil, position == nil, keepOrdinal, let next = nextSectionWithRows(after: section) {
            jump(to: next)
            return
        }
        selectedOrdinal = min(pager.windowStart + (position ?? pager.window.count - 1), total - 1)
        keepSelectionVisible()
    }

    func nextSectionWithRows(after current: Section) -> Section? {
        Section.allCases.first { $0.rawValue > current.rawValue && count(of: $0) > 0 }
    }

    private func build(anchor: AgendaCursor?) throws {
        let now = context.clock.now
        let calendar = context.timeFormat.calendar
        let startOfTomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let endOfUpcoming = calendar.date(byAdding: .day, value: 7, to: startOfTomorrow)!
        let who = scopeUserID
        let agenda = repos.agendaRepository
        let rules = context.settings.cadenceRules
        let page = rowsPerSection
        let ranges: [(Section, Date?, Date)] = [(.overdue, nil, now), (.today, now, startOfTomorrow),
                                                (.upcoming, startOfTomorrow, endOfUpcoming)]
        // Every header's count in one call (one round trip on PostgreSQL),
        // each stopped at the limit.
        let upTo = countLimit.map { $0 + 1 }
        let counts = try agenda.agendaCounts(windows: ranges.map { DueWindow(from: $0.1, to: $0.2) }, assigneeID: who,
                                             rules: rules, now: now, upTo: upTo)
        var built: [Section: TodaySectionPager] = [:]
        for ((section, from, to), count) in zip(ranges, counts.due) {
            built[section] = TodaySectionPager(pageSize: page) { cursor, direction, limit in
                try agenda.duePage(from: from, to: to, assigneeID: who, cursor: cursor, direction: direction, limit: limit)
                    .map { .followUp($0) }
            } position: { cursor in
                try agenda.duePosition(from: from, to: to, assigneeID: who, cursor: cursor)
            } count: { upTo in
                try agenda.countDue(from: from, to: to, assigneeID: who, upTo: upTo)
            }
            built[section]!.setCount(count, upTo: upTo)
        }
        built[.attention] = TodaySectionPager(pageSize: page) { cursor, direction, limit in
            try agenda.attentionPage(rules: rules, now: now, ownerID: who, cursor: cursor, direction: direction, limit: limit)
                .map { .attention($0) }
        } position: { cursor in
            try agenda.attentionPosition(rules: rules, now: now, ownerID: who, cursor: cursor)
        } count: { upTo in
            try agenda.countPastCadence(rules: rules, now: now, ownerID: who, upTo: upTo)
        }
        built[.attention]!.setCount(counts.pastCadence, upTo: upTo)
        // Only the shown section reads rows.
        try built[section]!.load(anchor: anchor)
        pagers = built
        builtAt = now
    }

    // MARK: selection

    /// Moves within the section; past its last row into the next section
    /// that has rows (and before its first into the previous one).
    func move(by delta: Int) {
        guard let current = selectedOrdinal else {
            if let next = Section.allCases.first(where: { count(of: $0) > 0 }) { jump(to: next) }
            return
        }
        countPast(current + delta)
        let total = count(of: section)
        let target = current + delta
        if target >= total, delta == 1, let next = Section.allCases.first(where: { $0.rawValue > section.rawValue && self.count(of: $0) > 0 }) {
            jump(to: next)
        } else if target < 0, delta == -1,
                  let previous = Section.allCases.last(where: { $0.rawValue < section.rawValue && self.count(of: $0) > 0 }) {
            jump(to: previous, atEnd: true)
        } else {
            select(min(max(target, 0), total - 1))
        }
    }

    func select(_ ordinal: Int) {
        selectedOrdinal = ordinal
        keepSelectionVisible()
    }

    /// Counts the shown section further when `ordinal` nears its counted
    /// rows (nil: to the end, for the last row).
    func countPast(_ ordinal: Int?) {
        guard var pager = pagers[section], !pager.isExact else { return }
        do {
            try pager.countPast(ordinal ?? 0, limit: ordinal == nil ? nil : countLimit)
        } catch {
            context.report(error)
        }
        pagers[section] = pager
    }

    /// Shows `target` with its first (or last) row selected.
    func jump(to target: Section, atEnd: Bool = false) {
        section = target
        do {
            var pager = pagers[target]!
            if atEnd, pager.count > 0 {
                try pager.countPast(0, limit: nil)
                try pager.ensure(pager.count - 1..<pager.count)
            } else {
                try pager.load(anchor: nil)
            }
            pagers[target] = pager
        } catch {
            context.report(error)
        }
        let total = count(of: target)
        selectedOrdinal = total == 0 ? nil : (atEnd ? total - 1 : 0)
        scrollTop = 0
        keepSelectionVisible()
    }

    /// Tab / `]`: the next section (wrapping); Shift-Tab / `[`: the previous.
    func jumpSection(by step: Int) {
        let all = Section.allCases
        let i = (section.rawValue + step + all.count) % all.count
        jump(to: all[i])
    }

    func keepSelectionVisible() {
        let height = max(viewport, 1)
        countPast(max(selectedOrdinal ?? 0, scrollTop) + height)
        let total = count(of: section)
        if let s = selectedOrdinal {
            if s < scrollTop { scrollTop = s }
            if s >= scrollTop + height { scrollTop = s - height + 1 }
        }
        scrollTop = max(0, min(scrollTop, max(total - height, 0)))
        guard var pager = pagers[section] else { return }
        do {
            try pager.ensure(scrollTop..<scrollTop + height)
        } catch {
            context.report(error)
        }
        pagers[section] = pager
    }
}
