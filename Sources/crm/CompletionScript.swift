/// `crm completion bash|zsh|fish`: completion scripts made from the help
/// table, so a subcommand or option added there is completed too.
enum CompletionScript {
    static let shells = ["bash", "zsh", "fish"]

    static func script(for shell: String) -> String? {
        switch shell {
        case "bash": bash()
        case "zsh": zsh()
        case "fish": fish()
        default: nil
        }
    }

    /// The words a positional argument of `command` may be.
    static func positionalWords(_ command: CommandHelp) -> [String] {
        command.name == "help" ? Help.topics : command.positionalWords
    }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    // MARK: bash

    static func bash() -> String {
        let names = Help.topics.joined(separator: " ")
        var lines = [
            "# bash completion for crm (crm completion bash); generated from crm help.",
            "_crm() {",
            "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" i",
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            "        case \"${COMP_WORDS[i]}\" in",
            "            \(Help.topics.joined(separator: "|"))) cmd=\"${COMP_WORDS[i]}\"; break ;;",
            "        esac",
            "    done",
            "    case \"$cmd $prev\" in",
        ]
        func valueCases(_ command: String, _ options: [OptionHelp]) {
            for option in options where option.value != nil {
                let pattern = option.names.map { "\"\(command) \($0)\"" }.joined(separator: "|")
                if !option.choices.isEmpty {
                    lines.append("        \(pattern)) COMPREPLY=($(compgen -W \(quoted(option.choices.joined(separator: " "))) -- \"$cur\")); return ;;")
                } else if option.takesFile {
                    lines.append("        \(pattern)) COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null; return ;;")
                } else {
                    lines.append("        \(pattern)) COMPREPLY=(); return ;;")
                }
            }
        }
        valueCases("", Help.rootOptions)
        for command in Help.commands { valueCases(command.name, command.options) }
        lines += ["    esac", "    local words", "    case \"$cmd\" in"]
        lines.append("        \"\") words=\(quoted((Help.topics + Help.rootOptions.flatMap(\.names)).joined(separator: " "))) ;;")
        for command in Help.commands {
            let words = command.optionNames + positionalWords(command)
            lines.append("        \(command.name)) words=\(quoted(words.joined(separator: " "))) ;;")
        }
        lines += [
            "    esac",
            "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))",
            "}",
            "complete -o default -F _crm crm",
            "# subcommands: \(names)",
        ]
        return lines.joined(separator: "\n")
    }

    // MARK: zsh

    /// `_arguments` spec of one option: `'(--db)--db[the database]:PATH:_files'`.
    static func zshSpec(_ option: OptionHelp) -> [String] {
        let summary = zshEscape(String(option.text.prefix { $0 != "." && $0 != ";" && $0 != "(" }).trimmingCharacters(in: .whitespaces))
        return option.names.map { name in
            var spec = "\(name)[\(summary)]"
            if let value = option.value {
                let action = !option.choices.isEmpty ? "(\(option.choices.joined(separator: " ")))" : option.takesFile ? "_files" : " "
                spec += ":\(value):\(action)"
            }
            return quoted(spec)
        }
    }

    static func zshEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")").replacingOccurrences(of: ":", with: " ")
    }

    static func zsh() -> String {
        var lines = [
            "#compdef crm",
            "# zsh completion for crm (crm completion zsh); generated from crm help.",
            "_crm() {",
            "    local -a commands",
            "    commands=(",
        ]
        lines += Help.commands.map { "        \(quoted("\($0.name):\(zshEscape($0.summary))"))" }
        lines += ["    )", "    if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then", "        _describe 'command' commands", "        return", "    fi",
                  "    case $words[2] in"]
        for command in Help.commands {
            var specs = command.options.flatMap(zshSpec) + ["'--help[this command'\\''s help]'"]
            let words = positionalWords(command)
            if !words.isEmpty {
                specs.append(quoted("1:\(command.required.first ?? "word"):(\(words.joined(separator: " ")))"))
            } else if let word = command.required.first(where: { !$0.hasPrefix("-") && $0.uppercased() == $0 }), !command.required.contains("--\(word.lowercased())") {
                // A positional argument such as PATH or NUMBER.
                specs.append(quoted("1:\(word):\(["PATH", "FILE"].contains(word) ? "_files" : " ")"))
            }
            lines.append("        \(command.name)) shift words; (( CURRENT-- )); _arguments " + specs.joined(separator: " ") + " ;;")
        }
        lines.append("        *) _arguments " + Help.rootOptions.flatMap(zshSpec).joined(separator: " ") + " ;;")
        lines += ["    esac", "}", "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then", "    _crm \"$@\"", "else",
                  "    compdef _crm crm", "fi"]
        return lines.joined(separator: "\n")
    }

    // MARK: fish

    static func fish() -> String {
        var lines = ["# fish completion for crm (crm completion fish); generated from crm help.", "complete -c crm -f"]
        let none = "not __fish_seen_subcommand_from \(Help.topics.joined(separator: " "))"
        func option(_ o: OptionHelp, condition: String) -> String {
            var parts = ["complete -c crm -n \(quoted(condition))"]
            for name in o.names {
                parts.append(name.hasPrefix("--") ? "-l \(name.dropFirst(2))" : "-s \(name.dropFirst())")
            }
            if o.value != nil { parts.append(o.takesFile ? "-r -F" : "-r") }
            if !o.choices.isEmpty { parts.append("-a \(quoted(o.choices.joined(separator: " ")))") }
            parts.append("-d \(quoted(String(o.text.prefix { $0 != "." && $0 != ";" && $0 != "(" }).trimmingCharacters(in: .whitespaces)))")
            return parts.joined(separator: " ")
        }
        for command in Help.commands {
            lines.append("complete -c crm -n \(quoted(none)) -a \(command.name) -d \(quoted(command.summary))")
        }
        for o in Help.rootOptions { lines.append(option(o, condition: none)) }
        for command in Help.commands {
            let seen = "__fish_seen_subcommand_from \(command.name)"
            for o in command.options { lines.append(option(o, condition: seen)) }
            let words = positionalWords(command)
            if !words.isEmpty { lines.append("complete -c crm -n \(quoted(seen)) -a \(quoted(words.joined(separator: " ")))") }
        }
        return lines.joined(separator: "\n")
    }
}
