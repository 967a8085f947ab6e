/// `crm help [SUBCOMMAND]`
enum HelpCommand {
    static func run(_ args: [String]) throws -> Int32 {
        guard let topic = args.first else {
            Output.print(Help.text(nil))
            return ExitCode.ok
        }
        guard args.count == 1, Help.topics.contains(topic) else {
            throw UsageError(message: "no help for \"\(args.joined(separator: " "))\"; topics: \(Help.topics.joined(separator: ", "))",
                             command: nil)
        }
        Output.print(Help.text(topic))
        return ExitCode.ok
    }
}
