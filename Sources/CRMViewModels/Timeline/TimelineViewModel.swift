import CRMCore
import CRMRepositories
import Foundation

/// Every interaction with every customer, newest first, keyset paged, and
/// narrowed by type, author, date range and text. Enter jumps to the customer.
public final class TimelineViewModel {
    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }

    public private(set) var entries = ListWindow<TimelineEntry>(capacity: 2000)
    public private(set) var filter = TimelineFilter()
    /// The search line; `isSearching` while the user types into it.
    public internal(set) var search = LineEditor()
    public internal(set) var isSearching = false
    /// The author filter's login, for the summary line.
    public private(set) var authorLogin: String?
    /// The date filter as typed, for the summary line.
    public private(set) var dateRangeText: String?
    let pageSize = 100
    /// The last load failed (reported): the list is not "no interactions",
    /// and it is read again when the database answers (`AppModel`'s reload
    /// after a reconnect).
    public private(set) var loadFailed = false

    public init(context: AppContext) {
        self.context = context
    }

    public var isFiltered: Bool {
        !filter.kinds.isEmpty || filter.authorID != nil || filter.from != nil || filter.to != nil || !filter.text.isEmpty
    }

    /// Why the search finds nothing when it cannot find anything: the text
    /// typed has no letter or digit to match.
    public var searchProblem: String? {
        !filter.text.isEmpty && !SearchText.hasTerms(filter.text) ? SearchMessages.noTerms : nil
    }

    /// "calls · by ana · 2026-01-01..2026-02-01 · \"invoice\"".
    public var filterSummary: String {
        var parts: [String] = []
        if let kind = filter.kinds.first { parts.append(kind.title.lowercased() + "s") }
        if let authorLogin { parts.append("by \(authorLogin)") }
        if let dateRangeText { parts.append(dateRangeText) }
        if !filter.text.isEmpty { parts.append("\"\(filter.text)\"") }
        return parts.isEmpty ? "everything, newest first" : parts.joined(separator: " · ")
    }

    public func setViewport(_ rows: Int) {
        entries.viewport = max(rows, 1)
        entries.keepSelectionVisible()
    }

    // MARK: loading

    /// Loads the first page for the current filter. `keepWindow` (a refresh
    /// after another user's write, same filter): keep the selection even when
    /// it is further down than one page, by keeping the loaded rows.
    public func reload(keepWindow: Bool = false) {
        let keep = entries.selectedRow?.id
        do {
            let rows = try repos.interactionRepository.timeline(.all(filter), before: nil, limit: pageSize + 1)
            var list = Array(rows.prefix(pageSize))
            var selected = 0
            // Keep the selected entry when it is further down than one page.
            if let keep, let old = entries.rows.firstIndex(where: { $0.id == keep }) {
                if let i = list.firstIndex(where: { $0.id == keep }) {
                    selected = i
                } else if keepWindow, old < entries.rows.count, entries.rows.count > list.count {
                    list = Array(entries.rows.prefix(old + pageSize))
                    selected = old
                }
            }
            entries.replace(list, selected: selected, offsetInView: selected - entries.scrollTop,
                            moreAfter: rows.count > pageSize || list.count > pageSize)
            loadFailed = false
        } catch {
            loadFailed = true
            // Another filter's or search's entries are not shown under this
            // one's title (QA 45 PG #5); a refresh keeps what it had.
            if !keepWindow { entries.replace([], selected: 0, offsetInView: 0, moreAfter: false) }
            context.report(error)
        }
    }

    func move(by delta: Int) {
        let target = entries.selected + delta
        do {
            while target >= entries.rows.count - 1, entries.moreAfter, let last = entries.rows.last {
                let more = try repos.interactionRepository.timeline(.all(filter), before: last.cursor, limit: pageSize + 1)
                let dropped = entries.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
                // The window holds at most its capacity; past that, G stops
                // at the oldest entry loaded.
                if dropped > 0 || more.isEmpty { break }
            }
        } catch {
            context.report(error)
        }
        entries.select(target)
    }

    func searchChanged(to text: String) {
        if text.isEmpty { search = LineEditor() }
        filter.text = text.trimmingCharacters(in: .whitespaces)
        reload()
    }

    // MARK: filters

    static let kindCycle: [InteractionKind?] = [nil, .call, .email, .meeting, .note, .message, .stageChange]

    func cycleKind() {
        let current = filter.kinds.first
        let i = Self.kindCycle.firstIndex(of: current) ?? 0
        let next = Self.kindCycle[(i + 1) % Self.kindCycle.count]
        filter.kinds = next.map { [$0] } ?? []
        reload()
    }

    /// `typed`: what was typed before, when a refusal asks again.
    func askAuthor(typed: String? = nil) {
        let users = context.read("the users") { try repos.allUsers() }
        let logins = (users ?? []).map(\.login)
        let title = "Show entries by (login; empty: everyone)" + (users == nil ? " — the users could not be read:" : ":")
        context.present(.prompt(Prompt(title, initial: typed ?? authorLogin ?? "", suggestions: logins,
                                       resume: .action(view: .timeline, action: .filterMine)) { [unowned self] text in
            let login = text.trimmingCharacters(in: .whitespaces)
            if login.isEmpty {
                filter.authorID = nil
                authorLogin = nil
            } else if let users = context.read("the users", { try repos.allUsers() }) {
                guard let user = users.first(where: { $0.login == login }) else {
                    context.status("No user \"\(login)\"; known: \(users.map(\.login).joined(separator: ", "))", .error)
                    askAuthor(typed: text)
                    return
                }
                filter.authorID = user.id
                authorLogin = user.login
            } else {
                return  // reported: the filter stays as it was
            }
            reload()
        }))
    }

    /// "2026-01-01..2026-02-01", "-7d..", "..yesterday", "today": whole days,
    /// both ends included, read like due dates (in the user's calendar).
    func askDates(typed: String? = nil) {
        // The example in the user's calendar (QA 45 FA #7: a
        // Gregorian year under the Persian calendar).
        let year = context.timeFormat.calendar.component(.year, from: context.clock.now)
        let example = "-7d.., \(year)-01-01..\(year)-01-31"
        context.present(.prompt(Prompt("Dates FROM..TO (either side may be empty; e.g. \(example), today):",
                                       initial: typed ?? dateRangeText ?? "",
                                       preview: { [unowned self] text in
                                           switch parseRange(text) {
                                           case .success(let r): describeRange(r)
                                           case .failure(let e): "? \(e.message)"
                                           }
                                       }, resume: .action(view: .timeline, action: .filterDates)) { [unowned self] text in
            switch parseRange(text) {
            case .success(let range):
                filter.from = range.from
                filter.to = range.to
                dateRangeText = range.from == nil && range.to == nil ? nil : text.trimmingCharacters(in: .whitespaces)
                reload()
            case .failure(let error):
                context.status(error.message, .error)
                askDates(typed: text)
            }
        }))
    }

    func describeRange(_ r: (from: Date?, to: Date?)) -> String {
        let tf = context.timeFormat
        let from = r.from.map { tf.spell($0, "EEE d MMM yyyy") } ?? "the beginning"
        let to = r.to.map { tf.spell($0.addingTimeInterval(-1), "EEE d MMM yyyy") } ?? "now"
        return "→ \(from) to \(to)"
    }

    func parseRange(_ text: String) -> Result<(from: Date?, to: Date?), DueDateError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .success((nil, nil)) }
        // The timeline is the past: "22 nov" or "fri" is the latest such
        // day, not the next (only a range's end may lie ahead of its start).
        var parser = context.timeFormat.dueDateParser
        parser.looksBack = true
        let cal = context.timeFormat.calendar
        let now = context.clock.now
        let sides: [String]
        if let r = t.range(of: "..") {
            sides = [String(t[..<r.lowerBound]), String(t[r.upperBound...])]
        } else {
            sides = [t, t]  // one day
        }
        var bounds: [Date?] = []
        for (i, side) in sides.enumerated() {
            let s = side.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { bounds.append(nil); continue }
            var read = parser.parse(s, now: now)
            if i == 1, case .success(let back) = read, let from = bounds.first ?? nil, back.date < from {
                var ahead = parser
                ahead.looksBack = false
                read = ahead.parse(s, now: now)
            }
            switch read {
            case .failure(let e): return .failure(e)
            case .success(let due):
                let day = cal.startOfDay(for: due.date)
                bounds.append(i == 0 ? day : cal.date(byAdding: .day, value: 1, to: day))
            }
        }
        if let from = bounds[0], let to = bounds[1], from >= to {
            return .failure(DueDateError(message: "the range ends before it starts"))
        }
        return .success((bounds[0], bounds[1]))
    }

    func clearFilters() {
        filter = TimelineFilter()
        search = LineEditor()
        authorLogin = nil
        dateRangeText = nil
        reload()
    }
}
