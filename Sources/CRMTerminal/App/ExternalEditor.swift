import Foundation

/// Runs `$VISUAL` or `$EDITOR` on a text, through a private temporary file.
enum ExternalEditor {
    static var command: String? {
        let env = ProcessInfo.processInfo.environment
        return [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    /// The edited text, or nil when there is no editor, it failed, or the file vanished.
    static func edit(_ text: String) -> String? {
        guard let command else { return nil }
        let path = NSTemporaryDirectory() + "crm-note-\(getpid())-\(UUID().uuidString).txt"
        // 0600: a note about a customer is nobody else's business.
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The file name goes in as "$1", never spliced into the command line.
        process.arguments = ["-c", command + " \"$1\"", "crm-editor", path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return nil
        }
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
