import Foundation

/// One subcommand as `crm help`, the man page, the shell completions and the
/// bad-input tests all see it. `Help.commands` holds one per subcommand; the
/// text `crm help NAME` prints is rendered from it, so the man page
/// (generated from the same values) cannot say something else.
struct CommandHelp: Sendable {
    /// The subcommand as typed: `demo`.
    let name: String
    /// What follows `crm NAME` in the usage line: `--db PATH [--append]`.
    let synopsis: String
    /// One line for the list of subcommands.
    let summary: String
    /// Paragraphs separated by blank lines, wrapped by hand at 84 columns.
    /// A line that starts with two spaces is shown as it is (an example).
    let description: String
    let options: [OptionHelp]
    /// What must be given (`--db`, `PATH`), for the completions. (The
    /// bad-input tests read what is required from the usage line: every word
    /// of the synopsis outside brackets.) Empty: the command runs with no
    /// arguments at all.
    let required: [String]
    /// Words that may stand where a positional argument goes (completion).
    let positionalWords: [String]
    /// An "Exit status:" paragraph of its own, when it differs from crm's.
    let exitStatus: String?

    init(_ name: String, synopsis: String, summary: String, description: String, options: [OptionHelp],
         required: [String] = [], positionalWords: [String] = [], exitStatus: String? = nil) {
        self.name = name
        self.synopsis = synopsis
        self.summary = summary
        self.description = description
        self.options = options
        self.required = required
        self.positionalWords = positionalWords
        self.exitStatus = exitStatus
    }

    var usage: String { "usage: crm \(name) \(synopsis)" }

    /// Every spelling of every option, `--help` included.
    var optionNames: [String] { options.flatMap(\.names) + ["--help"] }

    /// What `crm help NAME` and `crm NAME --help` print.
    var text: String {
        var parts = [usage, description]
        if !options.isEmpty { parts.append("Options:\n" + HelpLayout.list(options.map { ($0.label, $0.text) })) }
        if let exitStatus { parts.append(HelpLayout.wrap("Exit status: " + exitStatus, width: HelpLayout.width).joined(separator: "\n")) }
        return parts.joined(separator: "\n\n")
    }
}

/// One option: its spellings, the placeholder of its value (nil: a flag),
/// what it does, and for completion the words its value may be.
struct OptionHelp: Sendable {
    let names: [String]
    let value: String?
    /// One paragraph; wrapped when printed.
    let text: String
    /// The values it accepts, when they are a fixed set (completion offers them).
    let choices: [String]

    /// `spelling`: the names, separated by ", " (`"-h, --help"`).
    init(_ spelling: String, value: String? = nil, _ text: String, choices: [String] = []) {
        self.names = spelling.components(separatedBy: ", ")
        self.value = value
        self.text = text
        self.choices = choices
    }

    /// `--db PATH`, `-h, --help`.
    var label: String { names.joined(separator: ", ") + (value.map { " \($0)" } ?? "") }

    /// Its value is a file name (completion offers files).
    var takesFile: Bool { ["PATH", "FILE"].contains(value ?? "") }
}

/// A name and what it means: an environment variable, a file, an exit
/// status, a key.
struct HelpItem: Sendable {
    let name: String
    let text: String
    init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }
}

/// Lays out `crm help`: a two-column list whose second column is wrapped.
enum HelpLayout {
    static let width = 84
    static let column = 18

    /// `  name            text wrapped at width, continued under itself`; a
    /// name too long for the column puts its text on the next line.
    static func list(_ items: [(String, String)], column: Int = column) -> String {
        items.map { name, text in
            let lines = wrap(text, width: width - column)
            let head = "  " + name
            let indent = String(repeating: " ", count: column)
            if head.count + 2 > column {
                return ([head] + lines.map { indent + $0 }).joined(separator: "\n")
            }
            let first = head.padding(toLength: column, withPad: " ", startingAt: 0) + (lines.first ?? "")
            return ([first] + lines.dropFirst().map { indent + $0 }).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Greedy word wrap (help text is ASCII but for a few symbols, so
    /// counting Characters is counting columns here).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
