import CLibPQ
import CRMRepositories
import Foundation

/// A notification received on a LISTEN connection: its channel, payload and
/// the server process that sent it (to tell a session's own writes apart).
public struct PGNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    public let senderPID: Int32
}

// A dropped connection (a server restart, a network cut, an administrator
// ending the session): the same connection object reconnects in place with
// backoff, telling its owner "reconnecting…" meanwhile, so the screen keeps
// what is being typed and no caller has to rebuild anything.
extension PGConnection {
    /// Re-establishes the connection: tries at once, then again after 50 ms,
    /// 100 ms, … up to 2 s apart, until `reconnectTimeout` has passed (then
    /// throws `.unavailable`, having told `onConnectionWait` it gave up).
    /// Each try is made in steps (`stepReset`), so none outlasts the
    /// deadline, whatever connect_timeout says. `patiently`: the whole wait
    /// even when the server was found away (a COMMIT in doubt).
    ///
    /// Once it has given up, the server is known to be away: each later use
    /// tries once and fails at once, until a try succeeds. Otherwise every
    /// query of a screen whose server is down (a save, the reload after
    /// it, the next refresh) would hold the keyboard for another
    /// `reconnectTimeout` each, and the status line would say
    /// "reconnecting…" long after the form said the server cannot be reached.
    public func reconnect(patiently: Bool = false) throws {
        let previous = backendPID
        let silent = foundSilent
        foundSilent = false
        if !patiently && (gaveUpReconnecting || reconnectsOnce || silent) {
            // One step of a few milliseconds: an attempt a server does not
            // answer goes on at the next call instead of holding this one.
            guard stepReset(within: Self.onceBudget) == .ready else {
                // Found away by a use that tries once (the idle tick): the
                // screen says so, and each later use tries once too.
                if !gaveUpReconnecting {
                    gaveUpReconnecting = true
                    onConnectionWait?(.reconnecting)
                }
                // A person's action whose statement was given up ends here:
                // said, so the keys typed meanwhile are not replayed (QA 37 #2).
                // (Not the idle tick's: keys typed meanwhile are a form's text.)
                if silent && !reconnectsOnce { onConnectionWait?(.gaveUp) }
                throw unreachable()
            }
        } else {
            onConnectionWait?(.reconnecting)
            let deadline = Self.seconds() + reconnectTimeout
            var delay: useconds_t = 50_000
            // Why the last finished try failed: the try under way at the
            // deadline has no answer yet, and a refused login must not be
            // said as a server that cannot be reached.
            var failure: String?
            while true {
                let outcome = stepReset(within: deadline - Self.seconds())
                if outcome == .ready { break }
                if outcome == .failed { failure = Self.text(PQerrorMessage(handle)) }
                if outcome == .pending || Self.seconds() >= deadline {
                    gaveUpReconnecting = true
                    onConnectionWait?(.gaveUp)
                    throw unreachable(lastFailure: failure)
                }
                usleep(delay)
                delay = min(delay * 2, 2_000_000)
            }
        }
        gaveUpReconnecting = false
        lastError = nil
        try configureSession()
        warmCatalogs()
        if previous != 0 && previous != backendPID { endLingering(previous) }
        onConnectionWait?(.reconnected)
    }

    /// What one try of the idle tick may spend on a reconnect.
    static let onceBudget = 0.02

    /// Moves a reconnect of this same connection (`PQresetStart`: the same
    /// parameters, a new server session) on for at most `budget` seconds,
    /// starting one unless one is under way. A failed attempt is over (the
    /// next call starts another); a pending one goes on at the next call.
    func stepReset(within budget: Double) -> PGConnectSteps.Outcome {
        if resetSteps == nil {
            guard PQresetStart(handle) == 1 else { return .failed }
            resetSteps = PGConnectSteps(limit: PGConnectSteps.limit(of: handle)) { PQresetPoll($0) }
        }
        let outcome = resetSteps?.step(handle, within: budget) ?? .failed
        if outcome != .pending {
            if outcome == .failed && resetSteps?.timedOut == true { resetTimedOut = true }
            resetSteps = nil
        }
        return outcome
    }

    /// Runs `body`, trying a lost connection once instead of for
    /// `reconnectTimeout`: for what the screen's idle tick asks on its own.
    /// Nobody waits for it, and a tick blocked in the backoff froze the
    /// keyboard for 30 s, then replayed every key typed meanwhile (QA 33 #4).
    /// While the server is away each tick tries once, and the keys work.
    public func reconnectingOnce<T>(_ body: () throws -> T) rethrows -> T {
        let saved = reconnectsOnce
        reconnectsOnce = true
        defer { reconnectsOnce = saved }
        return try body()
    }

    /// The sentence of a server that could not be reached (libpq's words in the diagnostic).
    private func unreachable(lastFailure: String? = nil) -> RepositoryError {
        var message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        if let lastFailure, !lastFailure.isEmpty, Self.connectionState(lastFailure) != "08001" {
            message = lastFailure
        } else if resetSteps != nil {
            message = "no answer from the server yet"
        } else if resetTimedOut || message.isEmpty {
            message = "the server did not answer within \(Int(PGConnectSteps.limit(of: handle))) s"
        }
        resetTimedOut = false
        // A server that answered and refused the login (a password now
        // asked for, a deactivated user's role) says so, not "cannot be
        // reached" (QA 45 PG #3: the screen said that for good).
        let state = Self.connectionState(message)
        return PGError(kind: .connection, sqlState: state == "08001" ? "08006" : state, message: message).repositoryError(target: target)
    }

    /// After a network cut the server may not yet know the old session is
    /// gone: it still holds its open transaction (and its commit token's
    /// row). Ending it now (a session may end its own role's sessions) lets
    /// the retry's token decide at once instead of waiting for TCP to notice.
    private func endLingering(_ pid: Int32) {
        _ = try? query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE pid = $1::integer AND usename = session_user AND state LIKE 'idle in transaction%'
            """, [Int(pid)])
    }

    /// Whether `sql` may be sent again after a reconnect without changing
    /// anything twice: a read, or the BEGIN that opens a transaction.
    static func isSafeToRepeat(_ sql: String) -> Bool {
        let head = sql.drop { $0.isWhitespace || $0 == "(" }.prefix(7).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("SHOW") || head == "BEGIN"
    }
}

/// One outermost transaction's commit token and what its attempts did with
/// it (see `PGSchemaV30Sessions`). An attempt that wrote inserts the token
/// just before its COMMIT. When a COMMIT got no answer, the next attempt
/// inserts the token first: a conflict means the unanswered attempt
/// committed (its value is returned, nothing runs again); success means it
/// did not, and the attempt goes on to do the work.
struct CommitLedger<T> {
    let token: String?
    /// The value of the attempt whose COMMIT was sent and not answered.
    private var sentValue: T?
    /// Whether this attempt has inserted the token already.
    private var recorded = false

    init(token: String?) { self.token = token }

    var outcomeUnknown: Bool { sentValue != nil }
    var canResolve: Bool { token != nil }

    mutating func newAttempt() { recorded = false }
    mutating func committing(_ value: T) { sentValue = value }

    /// Right after BEGIN, when an earlier COMMIT is in doubt: the earlier
    /// attempt's value when it committed, else nil (and the token is now
    /// this attempt's). The earlier attempt may still be in the server's
    /// hands: the insert then waits for its outcome, at most 15 s.
    mutating func resolve(on c: PGConnection) throws -> T? {
        guard let token else { return nil }
        try c.execute("SET LOCAL lock_timeout = '15s'")
        let inserted = try insert(token, c)
        try c.execute("SET LOCAL lock_timeout = '\(max(0, c.lockTimeoutMs))ms'")
        if inserted {
            sentValue = nil
            recorded = true
            return nil
        }
        return sentValue
    }

    /// The token for the COMMIT's round trip to insert (when the attempt
    /// wrote), unless this attempt inserted it already while resolving.
    var unrecordedToken: String? { recorded ? nil : token }

    /// After the COMMIT's round trip: the token went in with it if it wrote.
    mutating func recordedWith(wrote: Bool) {
        if wrote && token != nil { recorded = true }
    }

    private func insert(_ token: String, _ c: PGConnection) throws -> Bool {
        try c.execute("INSERT INTO crm_commits(token, committed_at) VALUES ($1, $2::bigint) ON CONFLICT (token) DO NOTHING",
                      [token, Int64(Date().timeIntervalSince1970)]) == 1
    }

    func unknownOutcome(target: String, _ error: Error) -> RepositoryError {
        let d = (error as? RepositoryError)?.diagnostic ?? Diagnostic(engine: "PostgreSQL", code: 8, message: "\(error)", statement: "COMMIT")
        return .unavailable(path: target, reason: "the connection to the PostgreSQL server was lost while saving, so whether the change was saved is unknown: look before doing it again", d)
    }
}
