import Foundation

// Before any thread starts: one malloc arena (see MallocArenas).
MallocArenas.limitToOne()
// Dispatch only: everything happens in CLI.run, which returns the exit status.
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
