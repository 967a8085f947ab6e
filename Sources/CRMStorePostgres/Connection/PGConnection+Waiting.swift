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
// bulk change of thousands of rows) says nothing. A server that answers
// neither (stopped, or its host gone silent) is given up after a while, so
// the reconnect can take over.
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

    /// How long one check may spend connecting its second connection.
    static let probeConnectBudget = 1.0

    /// Blocks until PQgetResult would not block. Tells `onConnectionWait`
    /// `.waiting` once if the wait turns out to be for another session's
    /// lock, `.noAnswer` if the server answers nobody, and `.resumed` when
    /// the answer comes. A statement past `answerDeadline`, or silent past
    /// the silence limit while the server answers nobody, is given up: the
    /// socket is shut and PQgetResult reports the connection lost.
    func awaitAnswer() {
        guard PQisBusy(handle) == 1 else { return }
        var announced: WriteWait?
        defer { if announced != nil { onConnectionWait?(.resumed) } }
        var fd = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard fd.fd >= 0 else { return }
        let watched = onConnectionWait != nil
        var lastHeard = Self.seconds()
        while PQisBusy(handle) == 1 {
            // Only a screen listens; a command's statements just wait (a
            // lock wait has its end in lock_timeout). A screen goes on
            // asking during a lock wait too: the server may stop answering
            // in the middle of one (QA 37 #3).
            let timeout: Int32 = answerDeadline == nil && !watched ? -1 : Self.lockCheckAfterMs
            let ready = poll(&fd, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                let silence = Self.seconds() - lastHeard
                if let answerDeadline, silence >= answerDeadline { return abandon(&announced) }
                guard watched else { continue }
                switch serverState() {
                case .waitsForLock:
                    if announced != .waiting {
                        announced = .waiting
                        onConnectionWait?(.waiting)
                    }
                case .working:
                    // Answering again, or only slow: "not answering" is taken back.
                    if announced == .noAnswer {
                        announced = nil
                        onConnectionWait?(.resumed)
                    }
                case .noAnswer:
                    if silence >= (reconnectsOnce ? tickSilenceLimit : actionSilenceLimit) {
                        foundSilent = true
                        return abandon(&announced)
                    }
                    // Not for the idle tick's own question: nobody waits for
                    // it, and its second of silence ends in "reconnecting…".
                    if announced != .noAnswer && !reconnectsOnce {
                        announced = .noAnswer
                        onConnectionWait?(.noAnswer)
                    }
                }
                continue
            }
            lastHeard = Self.seconds()
            // Input (or the connection's end): read it; PQgetResult reports a failure.
            guard PQconsumeInput(handle) == 1 else { return }
        }
    }

    /// Gives up the statement awaited: the socket is shut, so libpq finds
    /// the connection lost (and the server, when it runs again, ends the
    /// session and rolls back whatever it held open). Nothing is told
    /// "resumed": the reconnect that follows says what happens next.
    private func abandon(_ announced: inout WriteWait?) {
        announced = nil
        gaveUpWaiting = true
        cutSocket()
        _ = PQconsumeInput(handle)
    }

    enum ServerState { case waitsForLock, working, noAnswer }

    /// What a second connection of the same role learns of this session's
    /// backend: it waits for a lock another session holds, it works (or
    /// the question could not be put, though the server answered), or the
    /// server answers nobody (no connection made, or no answer to it, within
    /// about a second).
    private func serverState() -> ServerState {
        let pid = backendPID
        guard pid != 0 else { return .working }
        do {
            if lockWatcher == nil {
                if pendingLockWatcher == nil { pendingLockWatcher = try PGPendingConnection(conninfo) }
                guard let made = try pendingLockWatcher?.step(within: Self.probeConnectBudget) else { return .noAnswer }
                pendingLockWatcher = nil
                lockWatcher = made
            }
            return try lockWatcher?.scalar("SELECT cardinality(pg_blocking_pids($1::int)) > 0", [Int64(pid)]) == "t" ? .waitsForLock : .working
        } catch {
            // Not made within connect_timeout, or made and then silent (its
            // question given up): the server answers nobody. Lost another
            // way (ended by an administrator, a restart), it tells nothing
            // of the server (QA 37 #5): made again at the next check.
            let silent = pendingLockWatcher?.timedOut == true || lockWatcher?.gaveUpWaiting == true
            lockWatcher = nil
            pendingLockWatcher = nil
            return silent ? .noAnswer : .working
        }
    }

    static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The session's lock_timeout, as a statement (`configureSession`).
    var lockTimeoutSetting: String { "SET lock_timeout = '\(max(0, lockTimeoutMs))ms'" }
}
