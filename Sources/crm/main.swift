import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

// Temporary wiring until the CLI lands: crm --db PATH [--user LOGIN]
let args = Array(CommandLine.arguments.dropFirst())
func value(_ flag: String) -> String? {
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let path = value("--db") ?? "/tmp/crm.db"
let user = value("--user") ?? (ProcessInfo.processInfo.environment["USER"] ?? "me")
do {
    let db = try Database(path: path, login: user)
    let app = AppModel(repositories: db)
    exit(try TerminalApp.run(app, startIn: .contacts, logPath: path + ".log"))
} catch {
    FileHandle.standardError.write(Data("crm: \(error)\n".utf8))
    exit(1)
}
