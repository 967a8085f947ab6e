import Foundation

/// The subcommands and their options as the real binary prints them in
/// `crm --help` and `crm help CMD`: tests iterate this, so a command added
/// to the help table later is covered without touching the tests.
struct CommandTable {
    struct Command {
        var name: String
        var usage: String
        /// Options that take a value (`--db PATH`) and flags.
        var valueOptions: [String]
        var flags: [String]
        /// Words of the usage line outside brackets: what must be given.
        var required: [String]
    }

    var commands: [Command]

    static func read(_ run: CRMRun) throws -> CommandTable {
        let main = try run.crm("--help").out
        guard let start = main.range(of: "\nSubcommands:\n") else { throw CRMRun.Failure("no Subcommands: in crm --help") }
        let names = main[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        return CommandTable(commands: try names.map { name in
            let text = try run.crm("help", name).out
            let usage = text.split(separator: "\n").first.map(String.init) ?? ""
            var valueOptions: [String] = [], flags: [String] = []
            for line in text.split(separator: "\n") where line.hasPrefix("  -") {
                // "  --db PATH       text", "  -h, --help ..."
                let label = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
                let words = label.components(separatedBy: ", ").last?.split(separator: " ") ?? []
                guard let option = words.first.map(String.init) else { continue }
                if words.count > 1 { valueOptions.append(option) } else { flags.append(option) }
            }
            return Command(name: name, usage: usage, valueOptions: valueOptions, flags: flags, required: requiredWords(usage, name: name))
        })
    }

    /// `usage: crm demo --db PATH [--contacts N]` → ["--db", "PATH"].
    static func requiredWords(_ usage: String, name: String) -> [String] {
        var depth = 0, words: [String] = [], word = ""
        for c in usage.dropFirst("usage: crm \(name)".count) {
            switch c {
            case "[": depth += 1
            case "]": depth -= 1
            case " ":
                if !word.isEmpty && depth == 0 { words.append(word) }
                word = ""
            default: if depth == 0 { word.append(c) }
            }
        }
        if !word.isEmpty && depth == 0 { words.append(word) }
        // "< MAIL" is the shell's redirection of stdin, not an argument.
        if let redirect = words.firstIndex(of: "<") { words.removeSubrange(redirect..<min(redirect + 2, words.count)) }
        return words
    }
}

extension CRMRun {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
