import CRMBench
import CRMDemo
import CRMExchange
import CRMRepositories
import CRMStore
import CRMTerminal
import Foundation

/// The command line: picks the subcommand, runs it, and turns every error
/// into one clear message and a sysexits status.
enum CLI {
    static let version = "0.1.0"

    static let subcommands: [String: @Sendable ([String]) throws -> Int32] = [
        "demo": DemoCommand.run,
        "check": CheckCommand.run,
        "bench": BenchCommand.run,
        "help": HelpCommand.run,
        "followups": AgendaCommand.followUps,
        "agenda": AgendaCommand.agenda,
        "lookup": LookupCommand.run,
        "export": ExportCommand.run,
        "import": ImportCommand.run,
        "duplicates": DuplicatesCommand.run,
        "merge": MergeCommand.run,
        "backup": BackupCommand.run,
        "migrate": MigrateCommand.run,
        "restore": RestoreCommand.run,
        "completion": CompletionCommand.run,
        "log": LogCommand.run,
        "log-email": LogEmailCommand.run,
        "contacts": ContactsCommand.run,
        "companies": CompaniesCommand.run,
        "deals": DealsCommand.run,
        "timeline": TimelineCommand.run,
        "show": ShowCommand.run,
        "query": QueryCommand.run,
        "audit": AuditCommand.run,
        "trash": TrashCommand.run,
        "user": UserCommand.run,
        "report": ReportCommand.run,
    ]

    static func run(_ args: [String]) -> Int32 {
        do {
            return try dispatch(args)
        } catch let error as UsageError {
            Output.error("crm: \(error.message)")
            Output.error("")
            Output.error(Help.usage(error.command))
            Output.error("Run 'crm help\(error.command.map { " \($0)" } ?? "")' for more.")
            return ExitCode.usage
        } catch let failure as Failure {
            Output.error("crm: \(failure.message)")
            return failure.status
        } catch {
            let failure = Failure(error)
            Output.error("crm: \(failure.message)")
            return failure.status
        }
    }

    /// `crm SUBCOMMAND ...`, or `crm [OPTIONS]` to open the CRM. Options given
    /// before a subcommand (`crm --db x check`) are handed to it.
    static func dispatch(_ args: [String]) throws -> Int32 {
        var leading: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            if let command = subcommands[arg] { return try command(leading + args[(i + 1)...]) }
            if arg == "--" || !arg.hasPrefix("-") { break }
            leading.append(arg)
            // Keep an option's separate value with it ("--db check.db" is not the check command).
            if ["--db", "--user", "--contacts", "--seed", "--runs", "--call"].contains(arg), i + 1 < args.count {
                leading.append(args[i + 1])
                i += 1
            }
            i += 1
        }
        return try RootCommand.run(args)
    }
}

/// Everything the command prints goes through here. Text that came from a
/// database, a file name or an argument may hold control characters: each
/// line passes the screen's own sanitiser, so a stored escape sequence shows
/// as a visible symbol and never retitles the terminal or sets its clipboard.
enum Output {
    /// Results, to stdout.
    static func print(_ text: String) {
        write(sanitized(text) + "\n")
    }

    /// One line of tab-separated fields (for scripts, as mutt's query_command
    /// reads them): each field sanitised, so a tab inside one cannot split it.
    static func fields(_ fields: [String]) {
        write(fields.map(sanitized).joined(separator: "\t") + "\n")
    }

    /// Errors and progress, to stderr.
    static func error(_ text: String) {
        // A closed or full stderr (`2>&-`) is no reason to crash: the exit
        // status still tells what happened.
        try? FileHandle.standardError.write(contentsOf: Data((sanitized(text) + "\n").utf8))
    }

    /// JSON as `JSONText.encode` made it: every control character is escaped
    /// there, so it is printed as it is.
    static func json(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` as it is to stdout (callers sanitise); when it cannot (a full disk behind `>`, a closed
    /// descriptor) the command stops with EX_IOERR and a sentence, rather
    /// than trapping or carrying on as if the output had arrived. (A closed
    /// pipe ends the process by SIGPIPE first, as for any Unix tool.)
    static func write(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            Output.error("crm: cannot write the output: \(error.localizedDescription)")
            exit(ExitCode.ioError)
        }
    }

    /// Text with its line breaks (LF or CRLF) for a terminal: each line
    /// sanitised, every break written as LF.
    static func sanitizedLines(_ text: String) -> String {
        TextSanitizer.lines(text).joined(separator: "\n")
    }

    /// Each line through `TextSanitizer.singleLine`; the line breaks stay.
    static func sanitized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TextSanitizer.singleLine(String($0)) }.joined(separator: "\n")
    }
}

/// JSON for scripts. JSONSerialization escapes C0 controls only; a C1 control
/// (U+0080–U+009F, e.g. U+009B, a one-byte CSI to some terminals), DEL, a bidi
/// control or a line/paragraph separator in a string would reach whatever
/// shows the JSON raw. They can only stand inside strings, so each becomes a
/// \uXXXX escape there, which every JSON reader turns back into the same text.
enum JSONText {
    static func encode(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        // Foundation writes an empty array or object as "[", an empty line, "]".
        // A raw line break never stands inside a JSON string, so this touches
        // only the structure.
        let text = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: #"\[\n\s*\n\s*\]"#, with: "[]", options: .regularExpression)
            .replacingOccurrences(of: #"\{\n\s*\n\s*\}"#, with: "{}", options: .regularExpression)
        return escapeControls(text)
    }

    static func mustEscape(_ s: Unicode.Scalar) -> Bool { JSONLine.mustEscape(s) }

    /// `json` with every scalar `mustEscape` names outside the structure's own
    /// whitespace (newlines and indentation) written as \uXXXX.
    static func escapeControls(_ json: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for s in json.unicodeScalars {
            if inString && mustEscape(s) {
                out += String(format: "\\u%04X", s.value)
                continue
            }
            out.unicodeScalars.append(s)
            if escaped { escaped = false } else if s == "\\" && inString { escaped = true } else if s == "\"" { inString.toggle() }
        }
        return out
    }
}
