import CRMCore
import CRMRepositories
import Foundation

/// View 5, Reports: one page of figures at a time (Tab / Shift-Tab, or the
/// palette by name), over a filter every page shares — period, pipelines,
/// owners, currency. A page or filter change asks for new figures; they are
/// computed on the next idle tick, so the key is answered at once and the
/// previous page stays on screen (marked as being recomputed) until they
/// arrive. They are computed on a thread of their own (`ReportWorker`,
/// through a second read session of the store) and come back as a message
/// (`receive`), so no page, however slow, holds up the keys; a result that
/// a newer request overtook is dropped. Enter on a row lists the records
/// behind it (`drill`).
public final class ReportsModel {
    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }
    /// Where the worker posts the figures for the loop.
    let inbox: AppInbox
    /// Computes the pages away from this thread; made on the first request,
    /// again when the acting user changed.
    private var worker: ReportWorker?
    private var workerUser: User?
    /// The store could not open a second session: pages are computed here,
    /// on the next tick, as before (the screen waits for them).
    public private(set) var computesHere = false
    /// The last figures asked for could not be read (reported): without
    /// older ones on screen, the page says so instead of "computing".
    public private(set) var readFailed = false
    /// Numbers the requests, so a result says whether it is still wanted.
    private var requests = 0
    /// The number of the request whose figures are on screen.
    private var shownRequest = 0

    public private(set) var page: ReportPage = .pipeline
    public private(set) var period: ReportPeriod = .month
    /// The pipelines counted (empty: every one), and their names for the filter bar.
    public private(set) var pipelines: [Pipeline] = []
    /// The owners counted (empty: everyone), and their logins.
    public private(set) var owners: [User] = []
    public private(set) var currency: Currency?
    /// The figures on screen; nil before the first ones arrived.
    public private(set) var sheet: ReportSheet?
    /// The filter `sheet` was computed with.
    public private(set) var sheetFilter: ReportFilter?
    /// The figures asked for and not arrived yet (nil: those on screen are
    /// current).
    public private(set) var wanted: ReportRequest?
    /// New figures are asked for and not computed yet: the screen keeps the
    /// old ones and says so.
    public var isStale: Bool { wanted != nil }
    /// The row selected: an index into `rows` (every row of every section).
    public private(set) var selected = 0
    /// The first line of the sheet shown (the pane scrolls with the selection).
    public private(set) var scrollTop = 0
    /// Lines the sheet's body has on screen (set by `layout`).
    public private(set) var viewportLines = 10
    /// The records behind a figure, while Enter's list is up.
    public private(set) var drill: ReportDrillList?
    /// The terminal cannot draw eighth blocks (TERM=linux, or they are not
    /// one column wide): charts in ASCII. Set by the terminal at start.
    public var blockCharsUnavailable = false
    /// Where each page's selection was, so Tab back returns to it.
    private var selectionByPage: [ReportPage: (selected: Int, scrollTop: Int)] = [:]

    public init(context: AppContext, inbox: AppInbox = AppInbox()) {
        self.context = context
        self.inbox = inbox
        // A user who may not see everyone's figures sees their own.
        if !mayReportOnEveryone, context.me.id != 0 { owners = [context.me] }
    }

    /// Charts in '#' and '_.-=^' instead of block characters: the terminal
    /// cannot draw them, or the `mono` theme asks for plain characters.
    public var asciiCharts: Bool { blockCharsUnavailable || context.settings.theme == .mono }

    public var mayReportOnEveryone: Bool { context.me.role.may(.seeEveryonesReports) }

    /// The question the figures answer, from the filter as it stands now.
    public var filter: ReportFilter {
        let now = context.clock.now
        let interval = period.interval(now: now, calendar: context.settings.effectiveCalendar)
        return ReportFilter(start: interval.start, end: interval.end, pipelineIDs: pipelines.map(\.id),
                            ownerIDs: owners.map(\.id), currency: currency, now: now)
    }

    // MARK: rows

    /// Every row of the sheet, with its section, in drawing order.
    public var rows: [(section: Int, row: ReportRow)] {
        guard let sheet else { return [] }
        return sheet.sections.enumerated().flatMap { i, s in s.rows.map { (i, $0) } }
    }

    public var selectedRow: ReportRow? {
        let all = rows
        return all.indices.contains(selected) ? all[selected].row : nil
    }

    /// The lines each row (and the header) of each section takes on screen:
    /// one, or more when a table is too wide for it; and the lines of each
    /// note, wrapped to the width (set by the pane, which lays the sheet
    /// out; what it did not set takes one line).
    public private(set) var linesPerRow: [Int] = []
    public private(set) var noteLines: [Int] = []

    public func setLayout(linesPerRow: [Int], noteLines: [Int]) {
        guard linesPerRow != self.linesPerRow || noteLines != self.noteLines else { return }
        self.linesPerRow = linesPerRow
        self.noteLines = noteLines
        keepSelectionVisible()
    }

    private func lines(ofSection i: Int) -> Int { linesPerRow.indices.contains(i) ? max(1, linesPerRow[i]) : 1 }

    /// The first line of the sheet's body each row is drawn on: per section
    /// a title line and its header, its rows, then a blank line.
    public func line(ofRow index: Int) -> Int {
        guard let sheet else { return 0 }
        var line = 0
        var remaining = index
        for (i, section) in sheet.sections.enumerated() {
            let k = lines(ofSection: i)
            line += 1 + k
            if remaining < section.rows.count { return line + remaining * k }
            remaining -= section.rows.count
            line += section.rows.count * k + 1
        }
        return line
    }

    /// All the lines of the body: sections, then the notes.
    public var bodyLines: Int {
        guard let sheet else { return 0 }
        return sheet.sections.enumerated().reduce(0) { $0 + 2 + lines(ofSection: $1.offset) * (1 + $1.element.rows.count) }
            + sheet.notes.indices.reduce(0) { $0 + (noteLines.indices.contains($1) ? max(1, noteLines[$1]) : 1) }
    }

    func move(by delta: Int) {
        let count = rows.count
        guard count > 0 else { return }
        selected = max(0, min(count - 1, selected + delta))
        keepSelectionVisible()
    }

    func scrollToEnd() {
        move(by: rows.count)
        // The notes are under the last row: show them too.
        scrollTop = max(scrollTop, min(bodyLines - viewportLines, line(ofRow: selected)))
        scrollTop = max(0, scrollTop)
    }

    func keepSelectionVisible() {
        let line = line(ofRow: selected)
        let k = rows.indices.contains(selected) ? lines(ofSection: rows[selected].section) : 1
        // The section's title and header stay in view with its first row.
        let top = max(0, line - 1 - k)
        if top < scrollTop || selected == 0 { scrollTop = selected == 0 ? 0 : top }
        // All of the row's lines in view.
        if line + k - 1 >= scrollTop + viewportLines { scrollTop = line + k - viewportLines }
        scrollTop = max(0, min(scrollTop, max(0, bodyLines - viewportLines)))
    }

    public func setViewport(_ lines: Int) {
        viewportLines = max(1, lines)
        keepSelectionVisible()
        drill?.setViewport(lines)
    }

    // MARK: loading

    deinit { worker?.stop() }

    /// Asks for the figures of the page and filter as they stand now, and
    /// returns at once: the worker computes them (or, without one, the next
    /// tick does). A request replaces any earlier one still outstanding.
    func invalidate() {
        requests += 1
        let request = ReportRequest(number: requests, page: page, period: period, filter: filter)
        wanted = request
        readyWorker()?.ask(request, settings: context.settings)
    }

    /// The worker, made with a read session acting as the current user; nil
    /// when the store cannot open one (then pages are computed here).
    private func readyWorker() -> ReportWorker? {
        if computesHere { return nil }
        if let worker, workerUser == context.me { return worker }
        worker?.stop()
        worker = nil
        do {
            let inbox = inbox
            worker = ReportWorker(opening: try repos.readSessionOpener()) { inbox.post($0) }
            workerUser = context.me
        } catch let error as RepositoryError {
            guard case .unavailable = error else {
                computeHereFromNowOn()
                return nil
            }
            // The server is away: said, and the figures are asked for
            // again when it answers (the reload after a reconnect), not
            // left "computing" for ever (QA 37 #4).
            if let wanted { failed(error, for: wanted) }
        } catch {
            computeHereFromNowOn()
        }
        return worker
    }

    /// The worker cannot have a session of its own (its opener refused, or
    /// its thread could not open it, for another reason than a store away):
    /// the pages are computed on this thread from now on. Still correct,
    /// only slower (the screen waits for each page); nothing to tell the
    /// user, who can do nothing about it.
    private func computeHereFromNowOn() {
        worker?.stop()
        worker = nil
        computesHere = true
    }

    /// Figures from the worker: shown when they answer the request still
    /// wanted, dropped when a request for another page or filter overtook
    /// them. Figures for the same question asked again (another user's
    /// change meanwhile) are shown when newer than those on screen, still
    /// marked "computing…": a busy team's changes, each asking anew, never
    /// keep the page from showing. True when shown.
    @discardableResult
    public func receive(_ computed: ReportComputed) -> Bool {
        guard let wanted else { return false }
        // A store away is said below as any failed read is, and the
        // session is tried again at the next request.
        if case .failed(let failure) = computed.outcome, failure.opening, !failure.isUnavailable {
            computeHereFromNowOn()
            compute()
            return true
        }
        let request = computed.request
        let current = request == wanted
        guard current || (request.asksTheSame(as: wanted) && request.number > shownRequest) else { return false }
        switch computed.outcome {
        case .sheet(let sheet): display(sheet, for: request)
        case .failed(let failure): failed(failure.error, for: request)
        }
        if !current { self.wanted = wanted }
        return true
    }

    /// Computes the wanted page here and now (without a worker).
    func compute() {
        guard let request = wanted else { return }
        do {
            display(try ReportSheets.build(request.page, request.filter, repositories: repos, settings: context.settings), for: request)
        } catch {
            failed(error, for: request)
        }
    }

    private func display(_ new: ReportSheet, for request: ReportRequest) {
        readFailed = false
        let samePage = sheet?.page == new.page
        // Other figures (another period, owner, pipeline or currency): from
        // the top, on every page (QA 44: a page reopened mid-table, without
        // its headings); the same ones again (a colleague's write) keep the place.
        if let shown = sheetFilter, !Self.sameQuestion(shown, request.filter) {
            selectionByPage = [:]
            if samePage { (selected, scrollTop) = (0, 0) }
        }
        sheet = new
        sheetFilter = request.filter
        shownRequest = request.number
        wanted = nil
        if !samePage {
            let saved = selectionByPage[new.page]
            selected = saved?.selected ?? 0
            scrollTop = saved?.scrollTop ?? 0
        }
        selected = min(selected, max(0, rows.count - 1))
        keepSelectionVisible()
    }

    /// The same period, pipelines, owners and currency ("now" moves on).
    static func sameQuestion(_ a: ReportFilter, _ b: ReportFilter) -> Bool {
        a.start == b.start && a.end == b.end && a.pipelineIDs == b.pipelineIDs && a.ownerIDs == b.ownerIDs && a.currency == b.currency
    }

    /// Keeps the old figures on a failed read (reported, and no longer
    /// marked as being recomputed) when they answer the same question; those
    /// of another page or another period go, so no page shows another's
    /// figures under its heading (QA 45 PG #5: Forecast's tab over the
    /// Pipeline's table while the server was away).
    private func failed(_ error: any Error, for request: ReportRequest) {
        wanted = nil
        readFailed = true
        if sheet?.page != request.page || sheetFilter.map({ !Self.sameQuestion($0, request.filter) }) ?? true {
            sheet = nil
            sheetFilter = nil
            selected = 0
            scrollTop = 0
        }
        context.report(error, reading: "the figures of the \(request.page.title) report")
    }

    func show(_ newPage: ReportPage) {
        guard newPage != page else { return }
        selectionByPage[page] = (selected, scrollTop)
        page = newPage
        drill = nil
        invalidate()
    }

    func step(_ delta: Int) {
        let all = ReportPage.allCases
        let i = all.firstIndex(of: page) ?? 0
        show(all[(i + delta + all.count) % all.count])
    }

    // MARK: the filter bar

    /// "this month (1 Nov – 30 Nov 2026) · all pipelines · everyone · all currencies".
    public var filterSummary: String {
        let f = filter
        let days = ReportValueText(timeFormat: context.timeFormat).days(f)
        let pipelineText = pipelines.isEmpty ? "all pipelines" : pipelines.map(\.name).joined(separator: ", ")
        let ownerText = owners.isEmpty ? "everyone" : owners.map(\.login).joined(separator: ", ")
        return "\(period.name) (\(days)) · \(pipelineText) · \(ownerText) · \(currency?.code ?? "all currencies")"
    }

    var isFiltered: Bool {
        period != .month || !pipelines.isEmpty || currency != nil || (mayReportOnEveryone && !owners.isEmpty)
    }

    func clearFilters() {
        period = .month
        pipelines = []
        currency = nil
        if mayReportOnEveryone { owners = [] }
        invalidate()
    }

    func askPeriod(typed: String? = nil) {
        let calendar = context.settings.effectiveCalendar
        context.present(.prompt(Prompt("Period (\(ReportPeriod.examples)):", initial: typed ?? period.name,
                                       suggestions: ReportPeriod.presets.map(\.name),
                                       preview: { [unowned self] text in
                                           switch ReportPeriod.parse(text, now: context.clock.now, calendar: calendar) {
                                           case .success(let p):
                                               let i = p.interval(now: context.clock.now, calendar: calendar)
                                               return "→ \(context.timeFormat.spellShort(i.start, "EEE d MMM yyyy")) to \(context.timeFormat.spellShort(i.end.addingTimeInterval(-1), "EEE d MMM yyyy"))"
                                           case .failure(let e): return "? \(e.message)"
                                           }
                                       }, resume: .action(view: .reports, action: .filterDates)) { [unowned self] text in
            switch ReportPeriod.parse(text, now: context.clock.now, calendar: calendar) {
            case .success(let p):
                period = p
                invalidate()
            case .failure(let e):
                context.status("Period: \(e.message)", .error)
                askPeriod(typed: text)
            }
        }))
    }

    /// `typed`: what was typed before, when a refusal asks again.
    func askPipeline(typed: String? = nil) {
        guard let all = context.read("the pipelines", { try repos.pipelineRepository.pipelines() }) else { return }
        context.present(.prompt(Prompt("Pipelines, separated by commas (empty: every pipeline):",
                                       initial: typed ?? pipelines.map(\.name).joined(separator: ", "), suggestions: all.map(\.name),
                                       resume: .action(view: .reports, action: .filterPipeline)) { [unowned self] text in
            var chosen: [Pipeline] = []
            for name in Self.names(text) {
                guard let p = NameMatch.named(name, in: all, \.name).first else {
                    context.status("No pipeline \"\(name)\"; pipelines: \(all.map(\.name).joined(separator: ", "))", .error)
                    askPipeline(typed: text)
                    return
                }
                if !chosen.contains(p) { chosen.append(p) }
            }
            pipelines = chosen
            invalidate()
        }))
    }

    func askOwners(typed: String? = nil) {
        guard mayReportOnEveryone else {
            context.status("Owner: \(Permission.seeEveryonesReports.refusal); these are your own figures", .warning)
            return
        }
        guard let users = context.read("the users", { try repos.allUsers() }) else { return }
        context.present(.prompt(Prompt("Owners: one login or several separated by commas (empty: everyone):",
                                       initial: typed ?? owners.map(\.login).joined(separator: ", "), suggestions: users.map(\.login),
                                       resume: .action(view: .reports, action: .filterOwner)) { [unowned self] text in
            var chosen: [User] = []
            for login in Self.names(text) {
                guard let u = users.first(where: { $0.login.lowercased() == login.lowercased() }) else {
                    context.status("No user \"\(login)\"; known: \(users.map(\.login).joined(separator: ", "))", .error)
                    askOwners(typed: text)
                    return
                }
                if !chosen.contains(where: { $0.id == u.id }) { chosen.append(u) }
            }
            owners = chosen
            invalidate()
        }))
    }

    func askCurrency(typed: String? = nil) {
        context.present(.prompt(Prompt("Currency (ISO code such as EUR; empty: every currency, each apart):",
                                       initial: typed ?? currency?.code ?? "", suggestions: [context.settings.currency],
                                       resume: .action(view: .reports, action: .filterCurrency)) { [unowned self] text in
            let code = text.trimmingCharacters(in: .whitespaces)
            if code.isEmpty {
                currency = nil
            } else if let c = Currency(code) {
                currency = c
            } else {
                context.status("Currency: \"\(code)\" is not an ISO 4217 code; expected e.g. EUR, USD, IRR", .error)
                askCurrency(typed: text)
                return
            }
            invalidate()
        }))
    }

    /// "Sales, Renewals" as its names.
    public static func names(_ text: String) -> [String] {
        ListText.items(text)
    }

    // MARK: drill-down

    func openDrill() {
        guard let row = selectedRow else { return }
        guard let what = row.drill else {
            context.status("Nothing is listed behind this row", .info)
            return
        }
        // The section and the row's words ("Open deals by stage · Sales · Proposal").
        let text = ReportValueText(timeFormat: context.timeFormat)
        let words = row.values.filter { !ReportValueText.isNumeric($0) && $0 != .empty }.map { text.text($0) }
        var section = rows.indices.contains(selected) ? sheet?.sections[rows[selected].section].title : nil
        // The list behind a follow-ups row is its overdue ones, and says so (QA 44).
        if case .counted(.overdueFollowUps)? = row.drill { section = "Overdue follow-ups" }
        let title = ([section].compactMap { $0 } + words).joined(separator: " · ")
        guard let list = context.read("the records behind the figure", { try ReportDrillList.load(what, title: title, repositories: repos) }) else { return }
        list.setViewport(viewportLines)
        drill = list
    }

    func closeDrill() { drill = nil }

    /// What the drill list shows beside a record: the engine's detail, and
    /// for a follow-up first when it was due and how late it is now. The
    /// screen's digits go to the amounts, dates and days only, never into
    /// a name (a stage "Phase 2", a login "rep2": QA 30 #12).
    public func drillDetail(_ row: ReportDrillRow) -> String {
        let format = context.timeFormat
        let parts = row.shownParts(number: format.number)
        guard let due = row.due else { return parts.joined(separator: " · ") }
        let now = context.clock.now
        let days = Int(now.timeIntervalSince(due) / 86_400)
        let late = due >= now ? [] : [days >= 1 ? "\(format.number(String(days))) \(days == 1 ? "day" : "days") late" : "less than a day late"]
        return (["due \(format.due(due, now: now))"] + late + parts).joined(separator: " · ")
    }

    func openDrilled() {
        guard let drill, let row = drill.entries.selectedRow else { return }
        switch drill.what {
        case .deals: context.openDeal(row.id, returnTo: .reports)
        case .contacts: context.openContact(row.id)
        case .followUps:
            guard let contactID = row.contactID else {
                context.status("This follow-up is about no contact", .info)
                return
            }
            // That contact's follow-ups, every status, named by the contact
            // (the row's detail is no filter: QA 29 #11).
            context.showFollowUps(FollowUpFilter(statuses: [.open, .done, .cancelled], contactID: contactID),
                                  about: "customer \(row.contactName ?? "#\(contactID)")", returnTo: .reports)
        case .counted:
            // The list holds what load() resolved: never a question.
            break
        }
    }
}
