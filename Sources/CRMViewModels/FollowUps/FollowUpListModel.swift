import CRMCore
import CRMRepositories
import Foundation

/// The follow-ups list (Today's `F`): every follow-up at any date, open by
/// default and done or cancelled ones on request, narrowed by assignee,
/// customer, deal and due range, sorted by due. Only a window of rows is
/// loaded, keyset-paged both ways, so it is as quick at 50,000 as at 50.
public final class FollowUpListModel {
    /// The status choices `v` cycles through.
    public enum StatusChoice: Int, CaseIterable, Sendable {
        case open, done, cancelled, all

        public var statuses: Set<FollowUpStatus> {
            switch self {
            case .open: [.open]
            case .done: [.done]
            case .cancelled: [.cancelled]
            case .all: Set(FollowUpStatus.allCases)
            }
        }

        public var title: String {
            switch self {
            case .open: "open"
            case .done: "done"
            case .cancelled: "cancelled"
            case .all: "every status"
            }
        }
    }

    unowned let context: AppContext
    public private(set) var filter: FollowUpFilter
    /// The "from" of the date filter as typed, so the "to" typed next is
    /// read with it as one range (`range(from:to:)`).
    var fromText: String?
    public private(set) var status: StatusChoice
    /// How each filter is named in the title line ("assignee omid").
    public private(set) var labels: [String: String] = [:]
    public private(set) var window = ListWindow<FollowUpRow>(capacity: 400)
    /// How many follow-ups the filter matches (nil: could not be counted).
    public private(set) var total: Int?
    /// Where `q`/Esc goes back to (Today, or the view it was opened from).
    public let returnTo: ViewKind
    let pageSize: Int

    public init(context: AppContext, filter: FollowUpFilter = FollowUpFilter(), labels: [String: String] = [:],
                returnTo: ViewKind = .today, pageSize: Int = 100) {
        self.context = context
        self.filter = filter
        self.labels = labels
        self.returnTo = returnTo
        self.pageSize = pageSize
        self.status = StatusChoice.allCases.first { $0.statuses == filter.statuses } ?? .all
    }

    var repo: any FollowUpRepository { context.repositories.followUpRepository }
    public var selectedRow: FollowUpRow? { window.selectedRow }
    public var viewport: Int {
        get { window.viewport }
        set { window.viewport = max(newValue, 1); window.keepSelectionVisible() }
    }

    /// "open · assignee omid · customer "acme" · due from … to …"
    public var filterDescription: String {
        var parts = [status.title]
        // Whose: a list of every assignee says so (QA 41 #14: "Showing: open"
        // under everyone's Today read as one's own).
        if filter.assigneeID == nil, labels["assignee"] == nil { parts.append("everyone's") }
        for key in ["assignee", "customer", "deal", "from", "to"] {
            if let label = labels[key] { parts.append(label) }
        }
        return parts.joined(separator: " · ")
    }

    public var isFiltered: Bool { status != .open || !labels.isEmpty }

    // MARK: loading

    /// The first page (or the page around the selected row, keeping it).
    public func reload(keepSelection: Bool = true) {
        let keep = keepSelection ? window.selectedRow : nil
        let offset = window.selected - window.scrollTop
        do {
            var rows: [FollowUpRow]
            var before: [FollowUpRow] = []
            if let keep {
                // From the kept row on (it may be gone: then what took its place).
                rows = try repo.list(filter, after: FollowUpCursor(dueAt: keep.followUp.dueAt, id: keep.id - 1), limit: pageSize + 1)
                before = try repo.list(filter, before: FollowUpCursor(keep), limit: pageSize)
            } else {
                rows = try repo.list(filter, after: nil, limit: pageSize + 1)
            }
            let more = rows.count > pageSize
            if more { rows.removeLast() }
            window.replace(before + rows, selected: before.count, offsetInView: offset, moreBefore: before.count == pageSize,
                           moreAfter: more)
            total = try repo.count(filter)
        } catch {
            context.report(error, reading: "the follow-ups")
        }
    }

    public func set(_ filter: FollowUpFilter, label key: String, _ label: String?) {
        self.filter = filter
        labels[key] = label
        reload(keepSelection: false)
    }

    public func cycleStatus() {
        status = StatusChoice(rawValue: (status.rawValue + 1) % StatusChoice.allCases.count)!
        filter.statuses = status.statuses
        reload(keepSelection: false)
    }

    public func clearFilters() {
        filter = FollowUpFilter()
        status = .open
        labels = [:]
        reload(keepSelection: false)
    }

    // MARK: moving

    public func move(by delta: Int) {
        guard !window.isEmpty else { return }
        // Loading shifts the indices (rows added before, or dropped in front).
        if window.selected + delta >= window.rows.count, window.moreAfter { loadAfter() }
        if window.selected + delta < 0, window.moreBefore { loadBefore() }
        window.select(window.selected + delta)
    }

    public func toTop() {
        guard window.moreBefore else { window.select(0); return }
        window.replace([], moreBefore: false, moreAfter: true)
        reload(keepSelection: false)
    }

    public func toBottom() {
        guard window.moreAfter else { window.select(window.rows.count - 1); return }
        do {
            // The last page, read backwards from past any date.
            let rows = try repo.list(filter, before: FollowUpCursor(dueAt: .distantFuture, id: .max), limit: pageSize)
            window.replace(rows, selected: rows.count - 1, offsetInView: window.viewport - 1,
                           moreBefore: rows.count == pageSize, moreAfter: false)
        } catch {
            context.report(error, reading: "the follow-ups")
        }
    }

    private func loadAfter() {
        guard let last = window.rows.last else { return }
        do {
            var rows = try repo.list(filter, after: FollowUpCursor(last), limit: pageSize + 1)
            let more = rows.count > pageSize
            if more { rows.removeLast() }
            window.append(rows, moreAfter: more)
        } catch {
            context.report(error, reading: "the follow-ups")
        }
    }

    @discardableResult
    private func loadBefore() -> Int {
        guard let first = window.rows.first else { return 0 }
        do {
            let rows = try repo.list(filter, before: FollowUpCursor(first), limit: pageSize)
            return window.prepend(rows, moreBefore: rows.count == pageSize)
        } catch {
            context.report(error, reading: "the follow-ups")
            return 0
        }
    }
}

extension FollowUpListModel {
    /// One end of a due range typed as due dates are ("1 dec", "1405-09-10",
    /// "today", Persian digits too). A day without a time means its start for
    /// `from` and its end for `to`; the date returned for `to` is exclusive
    /// (one minute past what was typed), as the filter's `to` is.
    public static func bound(_ text: String, end: Bool, timeFormat: TimeFormat, now: Date, looksBack: Bool = false) -> Result<Date, DueDateError> {
        var parser = DueDateParser(calendar: timeFormat.calendar, defaultTime: end ? (23, 59) : (0, 0))
        parser.looksBack = looksBack
        parser.periodEnd = end
        return parser.parse(text, now: now).map { end ? $0.date.addingTimeInterval(60) : $0.date }
    }

    /// Why `range` refused: an end that is not a date, or no reading of the
    /// two that makes a range.
    public enum RangeRefusal: Error, Equatable {
        case from(DueDateError), to(DueDateError), endsBeforeStart

        public var message: String {
            switch self {
            case .from(let e), .to(let e): e.message
            case .endsBeforeStart: "the range ends before it starts"
            }
        }
    }

    /// A FROM..TO range as a person means it. A day without a year ("25
    /// nov") or a weekday may be the last such day or the next one: of the
    /// readings of both ends that make a range at all, the shortest is taken,
    /// then the one nearest today, then the later one (follow-ups lie ahead);
    /// an open range's one date is the reading nearest today. A start that
    /// can be today is today ("from mon" on a Monday).
    /// So on 30 Nov "25 nov".."5 dec" is this week's, "1 nov".."20 nov" the
    /// November just gone, "1 dec".."10 dec" the coming one. Either end may be
    /// nil (open); a range that ends before it starts is refused.
    public static func range(from fromText: String?, to toText: String?, timeFormat: TimeFormat, now: Date)
        -> Result<(from: Date?, to: Date?), RangeRefusal> {
        func readings(_ text: String?, end: Bool) -> Result<[Date?], DueDateError> {
            guard let text else { return .success([nil]) }
            switch bound(text, end: end, timeFormat: timeFormat, now: now) {
            case .failure(let e): return .failure(e)
            case .success(let ahead):
                let back = (try? bound(text, end: end, timeFormat: timeFormat, now: now, looksBack: true).get()) ?? ahead
                // A start that can be today is today: "from mon" on a Monday
                // starts this morning, not a week on (QA 29 #7: the shortest
                // range left this week out).
                if !end, timeFormat.calendar.isDate(back, inSameDayAs: now) { return .success([back]) }
                return .success(back == ahead ? [ahead] : [ahead, back])
            }
        }
        let froms: [Date?], tos: [Date?]
        switch readings(fromText, end: false) { case .failure(let e): return .failure(.from(e)); case .success(let d): froms = d }
        switch readings(toText, end: true) { case .failure(let e): return .failure(.to(e)); case .success(let d): tos = d }
        var best: (from: Date?, to: Date?, span: Double, distance: Double, order: Int)?
        for (i, from) in froms.enumerated() {
            for (j, to) in tos.enumerated() {
                if let from, let to, to <= from { continue }
                let span = from.flatMap { f in to.map { $0.timeIntervalSince(f) } } ?? 0
                // How far the range lies from today (an open end: how far its one date does).
                let distance: Double
                switch (from, to) {
                case (let f?, nil): distance = abs(f.timeIntervalSince(now))
                case (nil, let t?): distance = abs(t.timeIntervalSince(now))
                case (let f?, _) where f > now: distance = f.timeIntervalSince(now)
                case (_, let t?) where t < now: distance = now.timeIntervalSince(t)
                default: distance = 0
                }
                let candidate = (from, to, span, distance, i + j)
                if let b = best, (b.span, b.distance, b.order) <= (span, distance, i + j) { continue }
                best = candidate
            }
        }
        guard let best else { return .failure(.endsBeforeStart) }
        return .success((best.from, best.to))
    }
}
