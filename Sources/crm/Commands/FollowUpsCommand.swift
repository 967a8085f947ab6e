import CRMCore
import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]`
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
        case .option("--user", let v): o.user = try reader.value("--user", inline: v, expected: "a login")
        case .option("--db", let v): o.db = try reader.value("--db", inline: v, expected: "the path of a database file")
        case .option("--json", let v): o.json = try reader.flag("--json", inline: v)
        case .option("--help", _), .option("-h", _):
            Output.print(Help.text(command))
            return nil
        default: throw reader.unknown(arg)
        }
    }
    return o
}

/// Builds the Today lists headless: an AppModel without a terminal, on the
/// database opened read-only (nothing is created, migrated or written; an
/// unknown --user is refused, never created).
private func buildAgenda(_ o: AgendaOptions, command: String, db: Database,
                         settings: SettingsFile.Loaded) throws -> (TodayViewModel, AppModel) {
    if let login = o.user {
        // Read-only: an unknown login is refused (exit 67), never created.
        guard try db.users.find(login: login) != nil else {
            throw Failure(UserRefusal.unknown(login, known: try db.users.all().filter(\.isActive).map(\.login)))
        }
        try db.act(as: login)
    }
    let app = AppModel(repositories: db, timeFormat: TimeFormat(settings: settings.settings), settings: settings.settings)
    var diagnostics: [String] = []
    app.log = { diagnostics.append($0) }
    let today = TodayViewModel(context: app, rowsPerSection: 10_000)
    if o.user == nil { today.showEveryone = true }
    today.reload()
    // The view model reports a failed read in its status line; here it ends the command.
    if let message = app.statusMessage, message.kind == .error || message.kind == .warning {
        for d in diagnostics { DiagnosticLog.write("\(db.path): \(d)") }
        if db.schemaVersion < Database.supportedSchemaVersion {
            throw Failure("\(db.path) has schema version \(db.schemaVersion), which this crm cannot read without upgrading it; "
                          + "open it once with 'crm --db \(db.path)'", status: ExitCode.dataError)
        }
        throw Failure("cannot read \(db.path): \(message.text)", status: ExitCode.ioError)
    }
    return (today, app)
}

/// ISO 8601, or null for a stored date no calendar can spell (written by
/// hand): a script gets no made-up date.
func iso(_ date: Date) -> Any {
    guard DateLimits.shown.contains(date) else { return NSNull() }
    let f = ISO8601DateFormatter()
    return f.string(from: date)
}

private func followUpJSON(_ row: FollowUpRow, _ tf: TimeFormat) -> [String: Any] {
    let f = row.followUp
    return [
        "id": f.id, "title": f.title, "note": f.note, "due": iso(f.dueAt), "due_local": tf.long(f.dueAt),
        "contact_id": f.contactID as Any? ?? NSNull(), "contact": row.contactName as Any? ?? NSNull(),
        "company": row.companyName as Any? ?? NSNull(), "deal": row.dealTitle as Any? ?? NSNull(),
        "assignee": row.assigneeLogin as Any? ?? NSNull(),
        "last_interaction": row.lastInteractionAt.map(iso) as Any? ?? NSNull(),
    ]
}

private func attentionJSON(_ row: AttentionRow, _ tf: TimeFormat) -> [String: Any] {
    [
        "contact_id": row.contactID, "contact": row.name, "company": row.companyName as Any? ?? NSNull(),
        "lifecycle": row.lifecycle.rawValue, "cadence": row.rule.description, "cadence_days": row.rule.days,
        "due": iso(row.dueAt), "last_interaction": row.lastInteractionAt.map(iso) as Any? ?? NSNull(),
    ]
}

private let sectionKeys: [TodayViewModel.Section: String] = [
    .overdue: "overdue", .today: "today", .upcoming: "week", .attention: "needs_attention",
]

private func jsonSection(_ today: TodayViewModel, _ section: TodayViewModel.Section, _ tf: TimeFormat) -> [[String: Any]] {
    today.items(in: section).map {
        switch $0 {
        case .followUp(let row): followUpJSON(row, tf)
        case .attention(let row): attentionJSON(row, tf)
        }
    }
}

private func textSection(_ today: TodayViewModel, _ section: TodayViewModel.Section, _ app: AppModel) -> [String] {
    let tf = app.timeFormat
    let now = app.clock.now
    var lines = ["\(section.title) (\(today.counts[section] ?? 0))"]
    for item in today.items(in: section) {
        switch item {
        case .followUp(let row):
            let who = [row.contactName ?? row.dealTitle, row.companyName].compactMap { $0 }.joined(separator: ", ")
            lines.append("  \(tf.long(row.followUp.dueAt))  \(row.followUp.title)\(who.isEmpty ? "" : " — \(who)")"
                         + (row.assigneeLogin.map { " [\($0)]" } ?? ""))
        case .attention(let row):
            let last = row.lastInteractionAt.map { tf.relative($0, now: now) } ?? "never"
            lines.append("  \(row.name)\(row.companyName.map { ", \($0)" } ?? "") — \(row.rule.description), last contact \(last)")
        }
    }
    return lines
}

/// Prints the lists; errors go up to `CLI.run`, which says them and picks
/// the exit status (64 usage, 65 not a crm database, 66 no database, ...).
private func runAgendaCommand(_ args: [String], command: String, sections defaultSections: [TodayViewModel.Section]) throws -> Int32 {
    guard let o = try parseAgendaOptions(args, command: command, allowDue: command == "followups") else { return ExitCode.ok }
    let path = Paths.database(option: o.db).path
    try Opening.mustExist(path, hint: "create one with 'crm demo --db PATH' or by opening crm")
    let settings = SettingsFile.load(path: SettingsFile.path())
    for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }
    let sections = o.due.map { [$0] } ?? defaultSections
    // Made in full before anything is printed: a read that saw the file
    // change under it is done again (Database.reading).
    let output: String
    do {
        output = try Database.reading(path) { db in
            let (today, app) = try buildAgenda(o, command: command, db: db, settings: settings)
            if o.json {
                if let one = o.due { return try JSONText.encode(jsonSection(today, one, app.timeFormat)) }
                var object: [String: Any] = [:]
                for s in sections { object[sectionKeys[s]!] = jsonSection(today, s, app.timeFormat) }
                return try JSONText.encode(object)
            }
            return sections.map { textSection(today, $0, app).joined(separator: "\n") }.joined(separator: "\n\n")
        }
    } catch let error as UsageError {
        throw error
    } catch let error as Failure {
        throw error
    } catch {
        throw Failure(error, path: path)
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
