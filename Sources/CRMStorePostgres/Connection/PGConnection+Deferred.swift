import CLibPQ
import CRMRepositories
import Foundation

// Round trips a transaction costs beyond its own statements. A screen's
// action on PostgreSQL is mostly waiting for answers, so the statements that
// only open or end a level are never sent alone:
// - BEGIN and SAVEPOINT are held back (`deferred`) and go in one pipeline
//   with the next statement; a level whose body sent nothing costs nothing;
// - RELEASE SAVEPOINT is held back the same way (it cannot fail while the
//   connection is up, and nothing can see the difference before the next
//   statement);
// - the outermost COMMIT of a transaction that may have written goes in one
//   pipeline with what must happen just before it: the check whether it
//   wrote, the change feed's read of its own changes, and its commit token.
// A read-only transaction thus costs its statements and one COMMIT; a
// write, its statements and one round trip for the commit.
extension PGConnection {
    /// Work that needs the next level's statements in their own round trip
    /// (a prepared statement, a COPY) sends what is held back first.
    func flushDeferred() throws {
        guard !deferred.isEmpty else { return }
        let text = deferred.joined(separator: "; ")
        deferred = []
        _ = try counted(text) { try neutral { try consume(exchange { PQsendQuery(handle, text) }, sql: text) } }
    }

    /// Records that `sql` is being sent inside the outermost transaction:
    /// anything but a read or a setting (`SET TRANSACTION … READ ONLY`,
    /// `SET LOCAL lock_timeout`) may write. A transaction that only read
    /// sends no commit token (an INSERT, refused in a READ ONLY transaction
    /// and on a standby even when it would insert nothing).
    func noteSent(_ sql: String) {
        guard transactionDepth > 0 && !mayHaveWritten && !Self.isSafeToRepeat(sql) else { return }
        let head = sql.drop { $0.isWhitespace }.prefix(4).uppercased()
        if head != "SET " { mayHaveWritten = true }
    }

    /// A nested transaction: a savepoint, held back until a statement needs it.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        let name = "sp\(transactionDepth)"
        let open = "SAVEPOINT \(name)"
        deferred.append(open)
        transactionDepth += 1
        do {
            let value = try body()
            transactionDepth -= 1
            // Nothing was sent inside: the savepoint never reached the server.
            if deferred.last == open { deferred.removeLast() } else { deferred.append("RELEASE SAVEPOINT \(name)") }
            return value
        } catch {
            transactionDepth -= 1
            if deferred.last == open {
                deferred.removeLast()
            } else {
                _ = try? script("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            }
            throw error
        }
    }

    /// The engine's read just before COMMIT of a transaction that wrote (the
    /// change feed's own increments), sent in the COMMIT's round trip.
    struct CommitRead {
        let sql: String
        let read: (PGRows) -> Void
    }

    /// COMMITs the outermost transaction in one round trip; true when it
    /// wrote (as the server tells: `txid_current_if_assigned`).
    func commit<T>(_ ledger: inout CommitLedger<T>, _ value: T) throws -> Bool {
        guard mayHaveWritten else {
            try execute("COMMIT")
            return false
        }
        var statements = [Pipelined("SELECT txid_current_if_assigned() IS NOT NULL")]
        if let commitRead { statements.append(Pipelined(commitRead.sql)) }
        if let token = ledger.unrecordedToken {
            // Only a transaction that wrote records it; a token already there is
            // not ours (a new UUID each time): the insert fails, nothing commits.
            statements.append(Pipelined("""
                INSERT INTO crm_commits(token, committed_at) SELECT $1, $2::bigint WHERE txid_current_if_assigned() IS NOT NULL
                """, [token, Int64(Date().timeIntervalSince1970)]))
        }
        statements.append(Pipelined("COMMIT"))
        // From here until the answer, whether it committed is in doubt.
        ledger.committing(value)
        if cutBeforeNextCommit {
            cutBeforeNextCommit = false
            cutSocket()
        }
        let results = try sendPipeline(statements)
        let wrote = results[0].first?.bool(0) ?? true
        ledger.recordedWith(wrote: wrote)
        if wrote, let commitRead { commitRead.read(results[1]) }
        return wrote
    }
}
