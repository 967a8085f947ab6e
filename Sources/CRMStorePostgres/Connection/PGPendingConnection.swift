import CLibPQ
import CRMRepositories
import Foundation

/// A second connection to the same database being made in steps (see
/// `PGConnectSteps`), for what a screen opens on its own while people type:
/// the change feed's listener brought back after a loss, the connection that
/// asks whether a statement waits for a lock. A server that does not answer
/// costs each step its few milliseconds, never connect_timeout's 10 s.
final class PGPendingConnection {
    private var handle: OpaquePointer?
    private let conninfo: String
    private var steps: PGConnectSteps

    /// Starts connecting to `conninfo` (already validated: it is a working
    /// connection's); throws when libpq cannot even start.
    init(_ conninfo: String) throws {
        guard let conn = PGConnection.connect(conninfo, with: { PQconnectStartParams($0, $1, $2) }) else {
            throw PGError(kind: .connection, message: "out of memory").repositoryError(target: PGConnection.redacted(conninfo))
        }
        guard PQstatus(conn) != CONNECTION_BAD else { throw PGConnection.refusal(finishing: conn, conninfo) }
        handle = conn
        self.conninfo = conninfo
        steps = PGConnectSteps(limit: PGConnectSteps.limit(of: conn)) { PQconnectPoll($0) }
    }

    deinit { if let handle { PQfinish(handle) } }

    /// Whether the attempt failed for want of an answer within connect_timeout.
    var timedOut: Bool { steps.timedOut }

    /// How long a statement on a connection made here may wait for its answer.
    static let answerDeadline = 1.0

    /// Moves the attempt on for at most `budget` seconds: the connection
    /// once made (its session set up), nil while still under way. Throws
    /// when the server refused it or did not answer within connect_timeout.
    func step(within budget: Double) throws -> PGConnection? {
        guard let conn = handle else { return nil }
        switch steps.step(conn, within: budget) {
        case .pending:
            return nil
        case .failed:
            handle = nil
            if steps.timedOut {
                PQfinish(conn)
                throw PGError(kind: .connection, sqlState: "08001", message: "the server did not answer within \(Int(steps.limit)) s")
                    .repositoryError(target: PGConnection.redacted(conninfo))
            }
            throw PGConnection.refusal(finishing: conn, conninfo)
        case .ready:
            handle = nil
            // Its statements have a deadline too: a server that stops
            // answering later must not hold the screen through this one.
            return try PGConnection(connected: conn, conninfo: conninfo, answerDeadline: Self.answerDeadline)
        }
    }
}
