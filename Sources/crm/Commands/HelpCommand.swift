import Foundation

/// `crm help [SUBCOMMAND] [--roff]`
enum HelpCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "help")
        var topics: [String] = []
        var roff = false
        while let arg = reader.next() {
            switch arg {
            case .option("--roff", let v): roff = try reader.flag("--roff", inline: v)
            case .option("--help", _), .option("-h", _): topics.append("help")
            case .positional(let topic): topics.append(topic)
            default: throw reader.unknown(arg)
            }
        }
        if roff {
            try requireHelpForEverySubcommand()
            guard topics.isEmpty else { throw reader.fail("--roff prints the whole manual; leave out \"\(topics[0])\"") }
            // Printed as it is: roff escapes every byte that is not ASCII.
            Output.write(ManPage.render(keys: try KeyReference.sections()))
            return ExitCode.ok
        }
        guard let topic = topics.first else {
            Output.print(Help.text(nil))
            return ExitCode.ok
        }
        guard topics.count == 1, Help.topics.contains(topic) else {
            throw reader.fail("no help for \"\(topics.joined(separator: " "))\"; expected one of: \(Help.topics.joined(separator: ", "))")
        }
        Output.print(Help.text(topic))
        return ExitCode.ok
    }

    /// The manual must describe exactly the subcommands crm has: `make man`
    /// (and the test that compares Resources/crm.1) fails otherwise.
    static func requireHelpForEverySubcommand() throws {
        let registered = Set(CLI.subcommands.keys), described = Set(Help.topics)
        guard registered == described else {
            throw Failure("the help table (Sources/crm/Help.swift) and CLI.subcommands differ: without help: "
                          + "\(registered.subtracting(described).sorted()), help without a subcommand: \(described.subtracting(registered).sorted())",
                          status: ExitCode.software)
        }
    }
}
