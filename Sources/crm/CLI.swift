import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
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
            if ["--db", "--user", "--contacts", "--seed", "--runs"].contains(arg), i + 1 < args.count {
                leading.append(args[i + 1])
                i += 1
            }
            i += 1
        }
        return try RootCommand.run(args)
    }
}

/// Messages for people: results to stdout, errors and progress to stderr.
enum Output {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
