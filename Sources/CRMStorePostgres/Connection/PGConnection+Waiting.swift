import CLibPQ
import CRMRepositories
import Foundation

// A statement that waits for a lock a colleague holds (a row they are
// saving, or one a forgotten psql transaction keeps): as on SQLite, the
// screen says "waiting for another save…" while it waits, and the wait has
// an end (`lockTimeoutMs`: the server's lock_timeout, then
// `RepositoryError.busy` and nothing changed).
//
// libpq's PQexec calls block inside libpq with no way to tell anyone, so
// every statement is sent (PQsend…) and its answer awaited here, on the
// connection's socket. After 300 ms without an answer the server is asked,
// on a second connection of the same role, whether this session waits for
// another's lock (`pg_blocking_pids`): a statement that is merely slow (a
// bulk change of thousands of rows) says nothing.
extension PGConnection {
    /// How long before a statement still unanswered is checked for a lock wait.
    static let lockCheckAfterMs: Int32 = 300

    /// What PQexec returns (the first error, else the last result; a COPY's
    /// first), from a statement `send` has sent, awaiting each result.
    func exchange(_ send: () -> Int32) -> OpaquePointer? {
        guard send() == 1 else { return nil }
        var kept: OpaquePointer?
        while let result = nextResult() {
            let status = PQresultStatus(result)
            if let previous = kept {
                if PQresultStatus(previous) == PGRES_FATAL_ERROR {
                    PQclear(result)
                    continue
                }
                PQclear(previous)
            }
            kept = result
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH { break }
        }
        return kept
    }

    /// PQgetResult once an answer is there to read (see `awaitAnswer`).
    func nextResult() -> OpaquePointer? {
        awaitAnswer()
        return PQgetResult(handle)
    }

    /// Blocks until PQgetResult would not block. Tells `onConnectionWait`
    /// `.waiting` once if the wait turns out to be for another session's
    /// lock, and `.resumed` when the answer comes.
    func awaitAnswer() {
        guard PQisBusy(handle) == 1 else { return }
        var announced = false
        defer { if announced { onConnectionWait?(.resumed) } }
        var fd = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard fd.fd >= 0 else { return }
        while PQisBusy(handle) == 1 {
            // Only a screen listens; a command's statements just wait.
            let timeout: Int32 = announced || onConnectionWait == nil ? -1 : Self.lockCheckAfterMs
            let ready = poll(&fd, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                if waitsForAnotherSession() {
                    announced = true
                    onConnectionWait?(.waiting)
                }
                continue
            }
            // Input (or the connection's end): read it; PQgetResult reports a failure.
            guard PQconsumeInput(handle) == 1 else { return }
        }
    }

    /// Whether this session's backend waits for a lock another session
    /// holds, asked on a second connection opened on first need (false when
    /// it cannot be asked: then the wait is only not announced).
    private func waitsForAnotherSession() -> Bool {
        let pid = backendPID
        guard pid != 0 else { return false }
        do {
            if lockWatcher == nil { lockWatcher = try sibling() }
            return try lockWatcher?.scalar("SELECT cardinality(pg_blocking_pids($1::int)) > 0", [Int64(pid)]) == "t"
        } catch {
            lockWatcher = nil
            return false
        }
    }

    /// The session's lock_timeout, as a statement (`configureSession`).
    var lockTimeoutSetting: String { "SET lock_timeout = '\(max(0, lockTimeoutMs))ms'" }
}
