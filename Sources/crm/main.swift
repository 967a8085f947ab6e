import CRMCore
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

// Temporary wiring until the CLI lands: crm --db PATH [--user LOGIN]
let args = Array(CommandLine.arguments.dropFirst())
// The morning review for scripts (Commands/FollowUpsCommand.swift).
if args.first == "followups" { exit(runFollowUps(arguments: Array(args.dropFirst()))) }
if args.first == "agenda" { exit(runAgenda(arguments: Array(args.dropFirst()))) }
if args.first == "bench-today" { exit(runAgendaBench(arguments: Array(args.dropFirst()))) }
func value(_ flag: String) -> String? {
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let path = value("--db") ?? "/tmp/crm.db"
let user = value("--user") ?? (ProcessInfo.processInfo.environment["USER"] ?? "me")
do {
    let db = try Database(path: path, login: user)
    let app = AppModel(repositories: db)
    app.loadSettings(path: SettingsFile.path())
    exit(try TerminalApp.run(app, startIn: .today, logPath: path + ".log"))
} catch {
    FileHandle.standardError.write(Data("crm: \(error)\n".utf8))
    exit(1)
}
