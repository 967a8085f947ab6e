import CLibPQ
import Foundation

/// A connection attempt libpq makes without blocking (`PQconnectStartParams`
/// then `PQconnectPoll`, or `PQresetStart` then `PQresetPoll`), moved on a
/// bounded time at a go.
///
/// Why: libpq's blocking connect waits for the server as long as
/// connect_timeout (10 s). A screen's idle tick that reconnected that way
/// froze the keyboard for 10 s at every try while the server was stopped or
/// its host black-holed; stepped, each tick spends a few milliseconds on the
/// attempt and the attempt carries on at the next tick. libpq ignores
/// connect_timeout in this mode, so the attempt keeps its own limit.
struct PGConnectSteps {
    enum Outcome: Equatable {
        /// Connected: the handle's status is CONNECTION_OK.
        case ready
        /// Refused or failed (PQerrorMessage says why), or no answer
        /// within the limit (`timedOut`).
        case failed
        /// Still under way when the time given ran out.
        case pending
    }

    /// How libpq asked to be called next; an attempt starts as writing.
    private var status = PGRES_POLLING_WRITING
    private let started = PGConnection.seconds()
    /// The whole attempt's limit, in seconds.
    let limit: Double
    /// Whether the attempt failed by running out of `limit`.
    private(set) var timedOut = false
    /// PQconnectPoll or PQresetPoll, as the attempt was started.
    private let advance: (OpaquePointer) -> PostgresPollingStatusType

    init(limit: Double, advance: @escaping (OpaquePointer) -> PostgresPollingStatusType) {
        self.limit = limit
        self.advance = advance
    }

    /// The limit for an attempt on `handle`: its connect_timeout (whole
    /// seconds, at least 2 as libpq reads it), 10 s where it has none.
    static func limit(of handle: OpaquePointer) -> Double {
        guard let value = PGConnection.option("connect_timeout", of: handle).flatMap({ Int($0) }), value > 0 else { return 10 }
        return Double(max(2, value))
    }

    /// Moves the attempt on for at most `budget` seconds (waiting on the
    /// socket as libpq asks, never in a busy loop).
    mutating func step(_ handle: OpaquePointer, within budget: Double) -> Outcome {
        let end = PGConnection.seconds() + max(0, budget)
        while true {
            switch status {
            case PGRES_POLLING_OK: return .ready
            case PGRES_POLLING_FAILED: return .failed
            default: break
            }
            let now = PGConnection.seconds()
            let left = started + limit - now
            if left <= 0 {
                timedOut = true
                return .failed
            }
            let wait = min(end - now, left)
            if wait <= 0 { return .pending }
            var fd = pollfd(fd: PQsocket(handle), events: Int16(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
            guard fd.fd >= 0 else { return .failed }
            let ready = poll(&fd, 1, Int32(max(1, (wait * 1000).rounded(.up))))
            if ready < 0 && errno != EINTR { return .failed }
            if ready > 0 { status = advance(handle) }
        }
    }

}
