import CRMRepositories
import CSQLite

/// SQLite's busy handler for one connection: while another connection holds
/// the write lock, naps in short steps and asks again, timing the wait on the
/// monotonic clock. After `noticeAfter` it tells `onWait` once (`.waiting`);
/// after `timeout` it gives up, so the write fails with SQLITE_BUSY (the
/// neutral `RepositoryError.busy`). `settle(_:)`, called by the connection
/// after each C call that can wait, reports how an announced wait ended.
///
/// Registered with `sqlite3_busy_handler` as an unretained pointer: the
/// connection owns this box and closes its handle before letting go of it.
final class BusyWait {
    var timeout: Duration
    let noticeAfter: Duration
    var onWait: ((WriteWait) -> Void)?
    /// When the current wait began; nil when nothing is waiting.
    private var startedAt: ContinuousClock.Instant?
    private var announced = false
    /// True while `onWait` runs: the connection is in the middle of a call,
    /// so a query from the hook would re-enter it (asserted in debug builds).
    private(set) var inHook = false

    init(timeout: Duration, noticeAfter: Duration = .milliseconds(300)) {
        self.timeout = timeout
        self.noticeAfter = noticeAfter
    }

    var isWaiting: Bool { startedAt != nil }

    /// The busy handler's body: true to try again, false to give up.
    /// `attempt` is 0 at the start of each new wait.
    func shouldRetry(attempt: Int32) -> Bool {
        let now = ContinuousClock.now
        if attempt == 0 {
            // A new wait. One whose end was not reported (a C call without a
            // settle) went through, since SQLite is asking about another.
            settle(gaveUp: false)
            startedAt = now
        }
        let start = startedAt ?? now
        startedAt = start
        let waited = now - start
        if waited >= timeout { return false }
        if !announced && waited >= noticeAfter {
            announced = true
            tell(.waiting)
        }
        // Short naps: most waits are over within a few milliseconds (another
        // user's single save); then a coarser step spares the CPU.
        let nap: Duration = waited < .milliseconds(100) ? .milliseconds(10) : .milliseconds(25)
        let left = timeout - waited
        sqlite3_sleep(Int32(Self.milliseconds(min(nap, left))))
        return true
    }

    /// The call that may have waited returned `rc`: ends the current wait.
    func settle(_ rc: Int32) {
        guard startedAt != nil else { return }
        settle(gaveUp: rc & 0xff == SQLITE_BUSY)
    }

    private func settle(gaveUp: Bool) {
        startedAt = nil
        guard announced else { return }
        announced = false
        tell(gaveUp ? .gaveUp : .resumed)
    }

    private func tell(_ wait: WriteWait) {
        inHook = true
        defer { inHook = false }
        onWait?(wait)
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Registers the handler on `db` with this box as its context.
    func install(on db: OpaquePointer) {
        sqlite3_busy_handler(db, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().shouldRetry(attempt: attempt) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
