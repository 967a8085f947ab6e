/// A wrong command line: said in one line, followed by the usage of `command`.
struct UsageError: Error {
    let message: String
    /// The subcommand whose usage to show (nil: the top-level usage).
    let command: String?
}

/// One token of a command line, as the commands see it.
enum Argument: Equatable {
    /// `--name` or `--name=value` (the inline value, if any).
    case option(String, inline: String?)
    case positional(String)
}

/// Walks a command line, splitting `--name=value`, and reads option values
/// with messages that say which option wanted what. Hand-written on purpose:
/// the package has no dependencies.
struct ArgumentReader {
    private let args: [String]
    private var index = 0
    private var onlyPositionals = false
    let command: String?

    init(_ args: [String], command: String?) {
        self.args = args
        self.command = command
    }

    var remaining: [String] { Array(args[index...]) }

    mutating func next() -> Argument? {
        guard index < args.count else { return nil }
        let arg = args[index]
        index += 1
        if onlyPositionals { return .positional(arg) }
        if arg == "--" {
            onlyPositionals = true
            return next()
        }
        if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
            return .option(String(arg[..<eq]), inline: String(arg[arg.index(after: eq)...]))
        }
        if arg.hasPrefix("-") && arg.count > 1 { return .option(arg, inline: nil) }
        return .positional(arg)
    }

    func fail(_ message: String) -> UsageError { UsageError(message: message, command: command) }

    /// The value of `option`: inline (`--db=x`) or the next argument (`--db x`).
    mutating func value(_ option: String, inline: String?, expected: String) throws -> String {
        if let inline {
            guard !inline.isEmpty else { throw fail("\(option) needs a value: \(expected)") }
            return inline
        }
        guard index < args.count else { throw fail("\(option) needs a value: \(expected)") }
        let value = args[index]
        // "--db --user x" is almost certainly a forgotten value, not a file named "--user".
        if value.hasPrefix("--") { throw fail("\(option) needs a value: \(expected), but got option \(value)") }
        // `--user "$LOGIN"` with the variable unset: a usage error, not a
        // user nobody has (QA 43: "no user ''", exit 67).
        if value.isEmpty, expected.hasPrefix("a login") { throw fail("\(option) is empty; expected \(expected)") }
        index += 1
        return value
    }

    mutating func integer(_ option: String, inline: String?, in range: ClosedRange<Int>) throws -> Int {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        let text = try value(option, inline: inline, expected: expected)
        guard let n = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(n) else {
            throw fail("\(option) is \"\(text)\"; expected \(expected)")
        }
        return n
    }

    mutating func seed(_ option: String, inline: String?) throws -> UInt64 {
        let expected = "a whole number from 0 to \(UInt64.max)"
        let text = try value(option, inline: inline, expected: expected)
        guard let n = UInt64(text) else { throw fail("\(option) is \"\(text)\"; expected \(expected)") }
        return n
    }

    mutating func flag(_ option: String, inline: String?) throws -> Bool {
        if inline != nil { throw fail("\(option) takes no value") }
        return true
    }

    /// Names what is wrong and, from the help table, what this command takes.
    func unknown(_ argument: Argument) -> UsageError {
        let options = command.flatMap(Help.command)?.optionNames ?? Help.rootOptions.flatMap(\.names)
        let takes = "crm\(command.map { " \($0)" } ?? "") takes \(options.joined(separator: ", "))"
        switch argument {
        case .option(let name, _): return fail("unknown option \(name); \(takes)")
        case .positional(let text): return fail("unexpected argument \"\(text)\"; \(takes)")
        }
    }
}
