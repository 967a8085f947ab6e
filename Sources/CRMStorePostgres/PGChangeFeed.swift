import CRMRepositories
import Foundation

/// What other sessions changed, for the screen's idle tick
/// (`PostgresDatabase.pollChanges`), by the same contract as SQLite's: the
/// kinds changed since the last call, never this session's own writes.
///
/// Two sources. Notifications: the schema's statement-level triggers send
/// the kind on channel `crm_changes` at commit; a LISTEN connection of the
/// feed's own receives them, and reading them never blocks (nothing arrived:
/// no query at all). Counters: `change_counters` counts every statement per
/// kind (in shards, one per server process modulo 256, summed here);
/// comparing them with the last ones seen, less this session's own
/// increments (counted exactly by the `crm_own_change` triggers and read
/// before each COMMIT), tells what others changed. Notifications are the fast
/// path, counters the truth: they are compared every `checkEvery` polls
/// even while notifications flow (a pooler in transaction mode accepts
/// LISTEN and never delivers), after the listener is lost, and always where
/// LISTEN is unavailable (CockroachDB) or turned off. Correctness never
/// depends on a notification.
public final class PGChangeFeed {
    public enum Mode: Sendable, Equatable {
        /// LISTEN where the server allows it, counters otherwise.
        case listen
        /// Counters only (`CRM_PG_LISTEN=off`).
        case poll

        /// `.poll` when the environment says `CRM_PG_LISTEN=off` (or 0, no).
        public static var fromEnvironment: Mode {
            let value = ProcessInfo.processInfo.environment["CRM_PG_LISTEN"]?.lowercased()
            return ["off", "0", "no", "false"].contains(value ?? "") ? .poll : .listen
        }
    }

    public static let channel = "crm_changes"
    /// Polls between two counter comparisons while notifications are used.
    static let checkEvery = 20
    /// Polls between two attempts to bring a lost listener back.
    static let relistenEvery = 10

    private let connection: PGConnection
    public let mode: Mode
    private var listener: PGConnection?
    /// A listener being connected in steps after a loss (see `relisten`).
    private var pendingListener: PGPendingConnection?
    private var baseline: [String: Int64]
    /// This session's own increments of each counter since `baseline` was read.
    private var own: [String: Int64] = [:]
    /// Those of the transaction now committing, counted once it has committed.
    private var pending: [String: Int64] = [:]
    private var pollsSinceCheck = 0
    private var pollsSinceListenerLost = 0

    init(connection: PGConnection, mode: Mode) throws {
        self.connection = connection
        self.mode = mode
        baseline = try Self.counters(connection)
        if mode == .listen { listener = Self.openListener(connection) }
        // Weak: the connection may outlive the database object that made
        // this feed (someone keeping `db.connection`).
        connection.commitRead = PGConnection.CommitRead(sql: Self.ownChangesSQL) { [weak self] rows in self?.readOwnChanges(rows) }
        connection.afterCommit = { [weak self] in self?.ownChangesCommitted() }
    }

    /// True while notifications arrive on a LISTEN connection.
    public var isListening: Bool { listener != nil }

    public func poll() throws -> ChangeSet {
        if let listener {
            do {
                let notes = try listener.receivedNotifications().filter { $0.channel == Self.channel }
                // A session ended by the server may still hand over its last
                // words; gone is gone, whatever arrived with them.
                guard listener.isOpen else { throw RepositoryError.unavailable(path: listener.target, reason: "listener lost", nil) }
                let mine = connection.backendPID
                var changes = ChangeSet.none
                for note in notes where note.senderPID != mine { changes.formUnion(ChangeSet(kindNamed: note.payload)) }
                pollsSinceCheck += 1
                if pollsSinceCheck >= Self.checkEvery {
                    pollsSinceCheck = 0
                    changes.formUnion(try countersChanged())
                } else if !notes.isEmpty {
                    // What the notifications told is seen: the counters
                    // move on with it (a commit between the two is counted
                    // here and reported again by its own notification: one
                    // reload more, never one less).
                    rebase(try Self.counters(connection))
                }
                return changes
            } catch {
                // The listener's connection is gone: counters until it is back.
                self.listener = nil
                pollsSinceListenerLost = 0
            }
        } else if mode == .listen {
            pollsSinceListenerLost += 1
            if pendingListener != nil || pollsSinceListenerLost >= Self.relistenEvery {
                pollsSinceListenerLost = 0
                relisten()
            }
        }
        // Read after any new LISTEN is in place, so nothing falls between.
        return try countersChanged()
    }

    /// The kinds whose counters moved by more than this session's own writes.
    private func countersChanged() throws -> ChangeSet {
        let now = try Self.counters(connection)
        defer { rebase(now) }
        var changes = ChangeSet.none
        for (kind, value) in now where value != (baseline[kind] ?? -1) + (own[kind] ?? 0) {
            changes.formUnion(ChangeSet(kindNamed: kind))
        }
        return changes
    }

    private func rebase(_ counters: [String: Int64]) {
        baseline = counters
        own = [:]
    }

    /// Inside the committing transaction, in its COMMIT's round trip: its
    /// own increments per kind.
    static let ownChangesSQL =
        "SELECT DISTINCT kind, coalesce(nullif(current_setting('crm.own_' || kind, true), ''), '0')::bigint FROM change_counters"

    private func readOwnChanges(_ rows: PGRows) {
        pending = Dictionary(rows.rows.map { ($0.string(0), $0.int64(1)) }, uniquingKeysWith: { a, _ in a })
    }

    private func ownChangesCommitted() {
        for (kind, n) in pending where n > 0 { own[kind, default: 0] += n }
        pending = [:]
    }

    static func counters(_ c: PGConnection) throws -> [String: Int64] {
        // A kind's count is the sum of its shards (schema 37).
        Dictionary(try c.rows("SELECT kind, sum(counter)::bigint FROM change_counters GROUP BY kind") { ($0.string(0), $0.int64(1)) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// A LISTEN connection of the same role to the same database, or nil
    /// where LISTEN is refused or the server cannot be reached now.
    private static func openListener(_ c: PGConnection) -> PGConnection? {
        guard let listener = try? c.sibling() else { return nil }
        return listening(listener)
    }

    private static func listening(_ listener: PGConnection) -> PGConnection? {
        do { try listener.execute("LISTEN \(channel)") } catch { return nil }
        return listener
    }

    /// Brings the listener back after a loss, in steps of a few
    /// milliseconds, one per poll: the idle tick asks, and a server that
    /// does not answer must not hold the keyboard for connect_timeout.
    private func relisten() {
        do {
            if pendingListener == nil { pendingListener = try PGPendingConnection(connection.conninfo) }
            guard let made = try pendingListener?.step(within: PGConnection.onceBudget) else { return }
            pendingListener = nil
            listener = Self.listening(made)
        } catch {
            pendingListener = nil
        }
    }
}
