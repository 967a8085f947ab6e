/// `crm completion bash|zsh|fish`: prints the completion script for a shell.
enum CompletionCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "completion")
        var shells: [String] = []
        while let arg = reader.next() {
            switch arg {
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("completion"))
                return ExitCode.ok
            case .positional(let shell): shells.append(shell)
            default: throw reader.unknown(arg)
            }
        }
        let expected = "expected one of \(CompletionScript.shells.joined(separator: ", "))"
        guard let shell = shells.first else { throw reader.fail("name the shell: \(expected)") }
        guard shells.count == 1, let script = CompletionScript.script(for: shell) else {
            throw reader.fail("no completion for \"\(shells.joined(separator: " "))\"; \(expected)")
        }
        Output.print(script)
        return ExitCode.ok
    }
}
