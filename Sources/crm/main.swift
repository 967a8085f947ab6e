import Foundation

// Dispatch only: everything happens in CLI.run, which returns the exit status.
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
