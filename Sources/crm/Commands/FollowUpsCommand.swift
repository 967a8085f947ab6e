import CRMCore
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

private enum AgendaUsage: Error {
    case bad(String)
    case help
}

private func parseAgendaOptions(_ args: [String], allowDue: Bool) throws -> AgendaOptions {
    var o = AgendaOptions()
    var i = 0
    func value(_ name: String, _ inline: String?) throws -> String {
        if let inline { return inline }
        i += 1
        guard i < args.count, !args[i].hasPrefix("--") else { throw AgendaUsage.bad("\(name) needs a value") }
        return args[i]
    }
    while i < args.count {
        let arg = args[i]
        let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts[0]
        let inline = parts.count == 2 ? parts[1] : nil
        switch name {
        case "--due" where allowDue:
            let v = try value(name, inline)
            switch v {
            case "overdue": o.due = .overdue
            case "today": o.due = .today
            case "week": o.due = .upcoming
            default: throw AgendaUsage.bad("--due is \"\(v)\"; expected overdue, today or week")
            }
        case "--user": o.user = try value(name, inline)
        case "--db": o.db = try value(name, inline)
        case "--json": o.json = true
        case "--help", "-h": throw AgendaUsage.help
        default: throw AgendaUsage.bad("unknown argument \(arg)")
        }
        i += 1
    }
    return o
}

/// Builds the Today lists headless: an AppModel without a terminal.
private func buildAgenda(_ o: AgendaOptions) throws -> (TodayViewModel, AppModel, [String]) {
    let path = Paths.database(option: o.db).path
    guard FileManager.default.fileExists(atPath: path) else {
        throw Failure("no database at \(path); create one with 'crm demo --db PATH' or by opening crm", status: ExitCode.noInput)
    }
    let db = try Database(path: path)
    if let login = o.user {
        // Looked up, never created: a typo must not add a user.
        guard try db.users.find(login: login) != nil else {
            throw AgendaUsage.bad("no user \"\(login)\"; users: \(try db.users.all().map(\.login).joined(separator: ", "))")
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

private func runAgendaCommand(_ args: [String], allowDue: Bool, sections defaultSections: [TodayViewModel.Section]) -> Int32 {
    do {
        let o = try parseAgendaOptions(args, allowDue: allowDue)
        let (today, app, warnings) = try buildAgenda(o)
        for w in warnings { FileHandle.standardError.write(Data((w + "\n").utf8)) }
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
        return 0
    } catch AgendaUsage.help {
        print(Help.text(allowDue ? "followups" : "agenda"))
        return 0
    } catch AgendaUsage.bad(let message) {
        FileHandle.standardError.write(Data("crm: \(message)\n".utf8))
        FileHandle.standardError.write(Data((Help.usage(allowDue ? "followups" : "agenda") + "\n").utf8))
        return 64
    } catch {
        let failure = Failure(error)
        Output.error("crm: \(failure.message)")
        return failure.status
    }
}

/// `crm followups ...`; returns the exit status.
func runFollowUps(arguments: [String]) -> Int32 {
    runAgendaCommand(arguments, allowDue: true, sections: [.overdue, .today, .upcoming])
}

/// `crm agenda ...`; returns the exit status.
func runAgenda(arguments: [String]) -> Int32 {
    runAgendaCommand(arguments, allowDue: false, sections: [.overdue, .today, .upcoming, .attention])
}
