import Foundation
import Synchronization

/// Ctrl-C (SIGINT), SIGTERM or SIGHUP during a long command that can stop
/// cleanly (an import): the first only sets a flag the command checks
/// between rows, so its transaction rolls back and it says so; a second one
/// ends the process at once (the database still rolls the transaction back).
enum InterruptFlag {
    private static let received = Atomic<Int32>(0)

    /// The signal received since `install`, nil for none.
    static var signal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    static func install() {
        received.store(0, ordering: .relaxed)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            Foundation.signal(sig) { sig in
                if InterruptFlag.received.load(ordering: .relaxed) != 0 {
                    Foundation.signal(sig, SIG_DFL)
                    raise(sig)
                }
                InterruptFlag.received.store(sig, ordering: .relaxed)
            }
        }
    }

    /// Back to the default: a signal now ends the process.
    static func remove() {
        for sig in [SIGINT, SIGTERM, SIGHUP] { Foundation.signal(sig, SIG_DFL) }
    }

    /// The exit status a shell gives a process ended by `sig` (130 for SIGINT).
    static func status(_ sig: Int32) -> Int32 { 128 + sig }
}
