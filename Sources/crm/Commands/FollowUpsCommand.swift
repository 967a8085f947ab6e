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
            print(Help.text(command))
            return nil
        default: throw reader.unknown(arg)
        }
    }
    return o
}

/// Builds the Today lists headless: an AppModel without a terminal.
private func buildAgenda(_ o: AgendaOptions, command: String) throws -> (TodayViewModel, AppModel, [String]) {
    let path = Paths.database(option: o.db).path
    guard FileManager.default.fileExists(atPath: path) else {
        throw Failure("no database at \(path); create one with 'crm demo --db PATH' or by opening crm", status: ExitCode.noInput)
    }
    let db = try Database(path: path)
    if let login = o.user {
        // Looked up, never created: a typo must not add a user.
        guard try db.users.find(login: login) != nil else {
            throw UsageError(message: "no user \"\(login)\"; users: \(try db.users.all().map(\.login).joined(separator: ", "))",
                             command: command)
        }
        try db.act(as: login)
    }
    let loaded = SettingsFile.load(path: SettingsFile.path())
    let app = AppModel(repositories: db, timeFormat: TimeFormat(settings: loaded.settings), settings: loaded.settings)
    let today = TodayViewModel(context: app, rowsPerSection: 10_000)
    if o.user == nil { today.showEveryone = true }
    today.reload()
    return (today, app, loaded.problems.map { "crm: settings \(loaded.path) \($0)" })
}

private func iso(_ date: Date) -> String {
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

private func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

/// Prints the lists; errors go up to `CLI.run`, which says them and picks
/// the exit status (64 usage, 66 no database, ...).
private func runAgendaCommand(_ args: [String], command: String, sections defaultSections: [TodayViewModel.Section]) throws -> Int32 {
    guard let o = try parseAgendaOptions(args, command: command, allowDue: command == "followups") else { return ExitCode.ok }
    let (today, app, warnings) = try buildAgenda(o, command: command)
    for w in warnings { Output.error(w) }
    let sections = o.due.map { [$0] } ?? defaultSections
    if o.json {
        if let one = o.due {
            try printJSON(jsonSection(today, one, app.timeFormat))
        } else {
            var object: [String: Any] = [:]
            for s in sections { object[sectionKeys[s]!] = jsonSection(today, s, app.timeFormat) }
            try printJSON(object)
        }
    } else {
        print(sections.map { textSection(today, $0, app).joined(separator: "\n") }.joined(separator: "\n\n"))
    }
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
