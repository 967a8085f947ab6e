import CRMCore
import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]`
// `crm followups [--from DATE] [--to DATE] [--status open|done|cancelled | --all] [--user LOGIN] [--json]`
// `crm agenda [--user LOGIN] [--json] [--db PATH]`
//
// The morning review for scripts, cron and status lines. The lists come from
// the same TodayViewModel the screen draws, so they are the screen's lists:
//   overdue   open follow-ups due before now
//   today     due from now to the end of the day
//   week      due in the 7 days after today (the screen's "Upcoming")
// Without --due, all three. `agenda` adds Needs attention (contacts past
// their cadence). Without --user, everyone's; with it, that user's
// follow-ups and contacts. Dates use the settings file's zone and calendar.
// Exit status 0, also when the lists are empty.

private struct AgendaOptions {
    var due: TodayViewModel.Section?
    /// The follow-ups list instead of the Today sections (`crm followups`
    /// with --from, --to, --status or --all): the texts as typed.
    var from: String?
    var to: String?
    var status: FollowUpStatus?
    var all = false
    var isList: Bool { from != nil || to != nil || status != nil || all }
    var user: String?
    var json = false
    var db: String?
}

/// `--due` values and the Today section each names.
private let dueSections: [String: TodayViewModel.Section] = ["overdue": .overdue, "today": .today, "week": .upcoming]

/// Reads the options of `crm followups` (`allowDue`) or `crm agenda` with the
/// same reader, messages and exit codes as every other subcommand. Nil: help
/// was asked for and printed.
private func parseAgendaOptions(_ args: [String], command: String, allowDue: Bool) throws -> AgendaOptions? {
    var reader = ArgumentReader(args, command: command)
    var o = AgendaOptions()
    while let arg = reader.next() {
        switch arg {
        case .option("--due", let v) where allowDue:
            let text = try reader.value("--due", inline: v, expected: "overdue, today or week")
            guard let due = dueSections[text] else { throw reader.fail("--due is \"\(text)\"; expected overdue, today or week") }
            o.due = due
        case .option("--from", let v) where allowDue: o.from = try reader.value("--from", inline: v, expected: "a date (as for due dates)")
        case .option("--to", let v) where allowDue: o.to = try reader.value("--to", inline: v, expected: "a date (as for due dates)")
        case .option("--status", let v) where allowDue:
            let text = try reader.value("--status", inline: v, expected: "open, done or cancelled")
            guard let status = FollowUpStatus(rawValue: text) else { throw reader.fail("--status is \"\(text)\"; expected open, done or cancelled") }
            o.status = status
        case .option("--all", let v) where allowDue: o.all = try reader.flag("--all", inline: v)
        case .option("--user", let v): o.user = try reader.value("--user", inline: v, expected: "a login")
        case .option("--db", let v): o.db = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
        case .option("--json", let v): o.json = try reader.flag("--json", inline: v)
        case .option("--help", _), .option("-h", _):
            Output.print(Help.text(command))
            return nil
        default: throw reader.unknown(arg)
        }
    }
    if o.due != nil && o.isList {
        throw reader.fail("--due names a Today section; it cannot be combined with --from, --to, --status or --all")
    }
    if o.all && o.status != nil { throw reader.fail("--all lists every status; leave out --status, or --all") }
    return o
}

/// Builds the Today lists headless: an AppModel without a terminal, on the
/// database opened read-only (nothing is created, migrated or written; an
/// unknown --user is refused, never created).
private func buildAgenda(_ o: AgendaOptions, command: String, db: any CRMRepositories,
                         settings: SettingsFile.Loaded) throws -> (TodayViewModel, AppModel) {
    var whose: User?
    if let login = o.user {
        // Read-only: an unknown login is refused (exit 67), never created.
        guard let user = try db.userRepository.find(login: login) else {
            throw Failure(UserRefusal.unknown(login, known: try db.userRepository.all().filter(\.isActive).map(\.login)))
        }
        whose = user
    }
    let app = AppModel(repositories: db, timeFormat: TimeFormat(settings: settings.settings), settings: settings.settings)
    var diagnostics: [String] = []
    app.log = { diagnostics.append($0) }
    let today = TodayViewModel(context: app, rowsPerSection: 10_000, countLimit: nil)
    if let whose { today.show(onlyOf: whose) } else { today.showEveryone = true }
    today.reload()
    // The view model reports a failed read in its status line; here it ends the command.
    if let message = app.statusMessage, message.kind == .error || message.kind == .warning {
        let name = Opening.targetName(option: o.db)
        for d in diagnostics { DiagnosticLog.write("\(name): \(d)") }
        if let file = db as? Database, file.schemaVersion < Database.supportedSchemaVersion {
            throw Failure("\(file.path) has schema version \(file.schemaVersion), which this crm cannot read without upgrading it; "
                          + "open it once with 'crm --db \(file.path)'", status: ExitCode.dataError)
        }
        throw Failure("cannot read \(name): \(message.text)", status: ExitCode.ioError)
    }
    return (today, app)
}

/// ISO 8601, or null for a stored date no calendar can spell (written by
/// hand): a script gets no made-up date.
func iso(_ date: Date) -> Any {
    guard DateLimits.shown.contains(date) else { return NSNull() }
    // The formatter's text by arithmetic: one formatter per date made the
    // JSON of 10,000 rows 12 times slower than the text (QA 29 #8).
    return date.isoUTCText
}

/// The contacts the lists name, with their emails and phones, by id.
private typealias ContactsByID = [Int64: Contact]

/// "contact_emails" and "contact_phones" of a row: each with its label, as
/// `crm contacts --json` writes them; empty arrays without a contact.
private func reachJSON(_ contact: Contact?) -> [String: Any] {
    [
        "contact_emails": (contact?.emails ?? []).map { ["address": $0.address, "label": $0.label] },
        "contact_phones": (contact?.phones ?? []).map { ["number": $0.number, "label": $0.label] },
    ]
}

private func followUpJSON(_ row: FollowUpRow, _ tf: TimeFormat, _ contacts: ContactsByID) -> [String: Any] {
    let f = row.followUp
    var object: [String: Any] = [
        "status": f.status.rawValue, "cancel_reason": f.cancelReason, "deal_id": f.dealID as Any? ?? NSNull(),
        "done_at": f.doneAt.map(iso) as Any? ?? NSNull(),
    ]
    object.merge(followUpBaseJSON(row, tf, contacts)) { a, _ in a }
    return object
}

private func followUpBaseJSON(_ row: FollowUpRow, _ tf: TimeFormat, _ contacts: ContactsByID) -> [String: Any] {
    let f = row.followUp
    return [
        "id": f.id, "title": f.title, "note": f.note, "due": iso(f.dueAt), "due_local": tf.long(f.dueAt),
        "contact_id": f.contactID as Any? ?? NSNull(), "contact": row.contactName as Any? ?? NSNull(),
        "company": row.companyName as Any? ?? NSNull(), "deal": row.dealTitle as Any? ?? NSNull(),
        "deal_id": f.dealID as Any? ?? NSNull(),
        "assignee": row.assigneeLogin as Any? ?? NSNull(),
        "last_interaction": row.lastInteractionAt.map(iso) as Any? ?? NSNull(),
    ].merging(reachJSON(f.contactID.flatMap { contacts[$0] })) { a, _ in a }
}

private func attentionJSON(_ row: AttentionRow, _ tf: TimeFormat, _ contacts: ContactsByID) -> [String: Any] {
    [
        "contact_id": row.contactID, "contact": row.name, "company": row.companyName as Any? ?? NSNull(),
        "lifecycle": row.lifecycle.rawValue, "cadence": row.rule.description, "cadence_days": row.rule.days,
        "due": iso(row.dueAt), "last_interaction": row.lastInteractionAt.map(iso) as Any? ?? NSNull(),
    ].merging(reachJSON(contacts[row.contactID])) { a, _ in a }
}

/// Every contact the sections name, read in pages of ids.
private func contactsOf(_ today: TodayViewModel, _ sections: [TodayViewModel.Section], _ db: any CRMRepositories) throws -> ContactsByID {
    var ids: [Int64] = []
    for section in sections {
        for item in today.items(in: section) {
            switch item {
            case .followUp(let row): if let id = row.followUp.contactID { ids.append(id) }
            case .attention(let row): ids.append(row.contactID)
            }
        }
    }
    let unique = Array(Set(ids))
    return Dictionary(try db.listingRepository.contacts(ids: unique).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
}

/// How to reach a row's contact, for the text lists: the first phone, else the first email.
private func reach(_ contact: Contact?) -> String? {
    contact.flatMap { $0.primaryPhone ?? $0.primaryEmail }
}

private let sectionKeys: [TodayViewModel.Section: String] = [
    .overdue: "overdue", .today: "today", .upcoming: "week", .attention: "needs_attention",
]

private func jsonSection(_ today: TodayViewModel, _ section: TodayViewModel.Section, _ tf: TimeFormat,
                         _ contacts: ContactsByID) -> [[String: Any]] {
    today.items(in: section).map {
        switch $0 {
        case .followUp(let row): followUpJSON(row, tf, contacts)
        case .attention(let row): attentionJSON(row, tf, contacts)
        }
    }
}

private func textSection(_ today: TodayViewModel, _ section: TodayViewModel.Section, _ app: AppModel,
                         _ contacts: ContactsByID) -> [String] {
    let tf = app.timeFormat
    let now = app.clock.now
    var lines = ["\(section.title) (\(today.counts[section] ?? 0))"]
    for item in today.items(in: section) {
        switch item {
        case .followUp(let row):
            let who = [row.contactName ?? row.dealTitle, row.companyName, reach(row.followUp.contactID.flatMap { contacts[$0] })]
                .compactMap { $0 }.joined(separator: ", ")
            lines.append("  \(tf.long(row.followUp.dueAt))  \(row.followUp.title)\(who.isEmpty ? "" : " — \(who)")"
                         + (today.assigneeFilter == nil ? row.assigneeLogin.map { " [\($0)]" } ?? "" : ""))
        case .attention(let row):
            let last = row.lastInteractionAt.map { tf.relative($0, now: now) } ?? "never"
            lines.append("  \(row.name)\(row.companyName.map { ", \($0)" } ?? "")\(reach(contacts[row.contactID]).map { ", \($0)" } ?? "")"
                         + " — \(row.rule.description), last contact \(last)")
        }
    }
    return lines
}

/// Prints the lists; errors go up to `CLI.run`, which says them and picks
/// the exit status (64 usage, 65 not a crm database, 66 no database, ...).
private func runAgendaCommand(_ args: [String], command: String, sections defaultSections: [TodayViewModel.Section]) throws -> Int32 {
    guard let o = try parseAgendaOptions(args, command: command, allowDue: command == "followups") else { return ExitCode.ok }
    let settings = SettingsFile.load(path: SettingsFile.path())
    for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }
    let sections = o.due.map { [$0] } ?? defaultSections
    // Made in full before anything is printed: a read that saw the file
    // change under it is done again (Database.reading).
    // --user picks whose lists (the agenda as that user's Today shows it);
    // nobody is signed in as them, so it works on a PostgreSQL connection
    // of any role whose grants let it read those rows.
    let output = try Opening.reading(option: o.db, acting: .program) { db in
        if o.isList { return try listFollowUps(o, command: command, db: db, settings: settings) }
        let (today, app) = try buildAgenda(o, command: command, db: db, settings: settings)
        let contacts = try contactsOf(today, sections, db)
        if o.json {
            if let one = o.due { return try JSONText.encode(jsonSection(today, one, app.timeFormat, contacts)) }
            var object: [String: Any] = [:]
            for s in sections { object[sectionKeys[s]!] = jsonSection(today, s, app.timeFormat, contacts) }
            return try JSONText.encode(object)
        }
        return sections.map { textSection(today, $0, app, contacts).joined(separator: "\n") }.joined(separator: "\n\n")
    }
    if o.json { Output.json(output) } else { Output.print(output) }
    return ExitCode.ok
}

/// `crm followups` and `crm agenda`.
enum AgendaCommand {
    static func followUps(_ args: [String]) throws -> Int32 {
        try runAgendaCommand(args, command: "followups", sections: [.overdue, .today, .upcoming])
    }

    static func agenda(_ args: [String]) throws -> Int32 {
        try runAgendaCommand(args, command: "agenda", sections: [.overdue, .today, .upcoming, .attention])
    }
}

/// `crm followups --from/--to/--status/--all`: the follow-ups list, sorted by
/// due, read page by page (keyset) so a long list never sits in one query.
/// The dates are read as due dates are, in the settings' zone and calendar;
/// a day without a time runs from its start (--from) to its end (--to).
private func listFollowUps(_ o: AgendaOptions, command: String, db: any CRMRepositories, settings: SettingsFile.Loaded) throws -> String {
    let tf = TimeFormat(settings: settings.settings)
    let now = Date()
    var filter = FollowUpFilter(statuses: o.all ? Set(FollowUpStatus.allCases) : [o.status ?? .open])
    switch FollowUpListModel.range(from: o.from, to: o.to, timeFormat: tf, now: now) {
    case .failure(.from(let error)): throw UsageError(message: "--from: \(error.message)", command: command)
    case .failure(.to(let error)): throw UsageError(message: "--to: \(error.message)", command: command)
    case .failure(.endsBeforeStart):
        throw UsageError(message: "--to \"\(o.to ?? "")\" is before --from \"\(o.from ?? "")\": the range ends before it starts", command: command)
    case .success(let range): (filter.from, filter.to) = range
    }
    if let login = o.user {
        guard let user = try db.userRepository.find(login: login) else {
            let logins = try db.userRepository.all().map(\.login)
            throw UsageError(message: "no user \"\(login)\"; users: \(logins.isEmpty ? "none yet" : logins.joined(separator: ", "))",
                             command: command)
        }
        filter.assigneeID = user.id
    }
    let repo = db.followUpRepository
    var rows: [FollowUpRow] = []
    var cursor: FollowUpCursor?
    while true {
        let page = try repo.list(filter, after: cursor, limit: 1_000)
        rows += page
        guard page.count == 1_000, let last = page.last else { break }
        cursor = FollowUpCursor(last)
    }
    if o.json {
        let ids = Array(Set(rows.compactMap(\.followUp.contactID)))
        let contacts = Dictionary(try db.listingRepository.contacts(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try JSONText.encode(rows.map { followUpJSON($0, tf, contacts) })
    }
    return rows.map { row in
        let f = row.followUp
        let who = [row.contactName ?? row.dealTitle, row.companyName].compactMap { $0 }.joined(separator: ", ")
        let reason = f.status == .cancelled && !f.cancelReason.isEmpty ? " (\(f.cancelReason))" : ""
        return "\(tf.long(f.dueAt))  \(f.status.rawValue)\(reason)  \(f.title)\(who.isEmpty ? "" : " — \(who)")"
            + (row.assigneeLogin.map { " [\($0)]" } ?? "")
    }.joined(separator: "\n")
}
