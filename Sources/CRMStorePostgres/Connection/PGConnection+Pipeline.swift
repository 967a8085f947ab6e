import CLibPQ
import CRMRepositories
import Foundation

/// Several reads in ONE round trip (libpq's pipeline mode): every statement
/// is sent, then one sync, then the results are read in order. A pane that
/// needs five independent reads (a contact, its deals, its follow-ups, its
/// timeline…) pays one network wait and not five; each statement is still
/// bound and still planned on its own, with the same results as `query`.
extension PGConnection {
    /// One statement of a pipeline: its text (`$1` placeholders) and values.
    public struct Pipelined {
        public let sql: String
        public let params: [any PGBindable]
        public init(_ sql: String, _ params: [any PGBindable] = []) {
            self.sql = sql
            self.params = params
        }

        /// With `?` placeholders, numbered as `rows` numbers them.
        public static func numbered(_ sql: String, _ params: [any PGBindable] = []) -> Pipelined {
            Pipelined(PGConnection.numbered(sql), params)
        }
    }

    /// The rows of each statement, in order. Reads only: outside a
    /// transaction the statements run in one implicit transaction (one
    /// snapshot); a connection found lost is re-established and the reads
    /// sent again, as `query` does. The first statement that fails throws
    /// its error (the ones after it were not run).
    public func pipeline(_ statements: [Pipelined]) throws -> [PGRows] {
        guard statements.count > 1 else { return try statements.map { try query($0.sql, $0.params) } }
        guard reconnectsAutomatically && transactionDepth == 0 else { return try sendPipeline(statements) }
        if !isOpen { try reconnect() }
        do { return try sendPipeline(statements) } catch where lastError?.isConnectionLost == true {
            try reconnect()
            return try sendPipeline(statements)
        }
    }

    /// Sends `statements` after whatever is held back (`deferred`), in one
    /// round trip, and returns the rows of `statements` only.
    func sendPipeline(_ given: [Pipelined]) throws -> [PGRows] {
        trimPlans()
        let held = deferred.map { Pipelined($0) }
        deferred = []
        for statement in given { noteSent(statement.sql) }
        return Array(try sendAll(held + given).dropFirst(held.count))
    }

    private func sendAll(_ statements: [Pipelined]) throws -> [PGRows] {
        try counted("PIPELINE of \(statements.count): " + statements.map(\.sql).joined(separator: " ;; ")) {
            guard PQenterPipelineMode(handle) == 1 else {
                throw lostOr(statement: statements[0].sql)
            }
            defer { PQexitPipelineMode(handle) }
            var sent = 0
            // The statements prepared in this pipeline (their PREPARE's
            // result comes first), by position.
            var preparing: [Int: String] = [:]
            for (i, statement) in statements.enumerated() {
                let texts = statement.params.map { $0.pgText }
                let plan = plan(for: statement.sql, statement.params)
                if let plan, plan.isNew {
                    guard PQsendPrepare(handle, plan.name, statement.sql, Int32(texts.count), nil) == 1 else { break }
                    preparing[i] = plan.name
                }
                let ok = withCStrings(texts) { pointers in
                    if let plan { return PQsendQueryPrepared(handle, plan.name, Int32(pointers.count), pointers, nil, nil, 0) }
                    return PQsendQueryParams(handle, statement.sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
                }
                guard ok == 1 else { break }
                sent += 1
            }
            _ = PQpipelineSync(handle)
            var results: [PGRows] = []
            var failure: Error?
            // Every result of every statement sent is read (and cleared),
            // up to the sync, even after a failure: the connection must be
            // out of pipeline mode and idle before its next statement.
            for i in 0..<sent {
                if let name = preparing[i] {
                    // The PREPARE's own result: kept for next time once it succeeded.
                    while let result = nextResult() {
                        let status = PQresultStatus(result)
                        if failure == nil && status != PGRES_PIPELINE_ABORTED {
                            do {
                                _ = try neutral { try consume(result, sql: statements[i].sql) }
                                preparedNames[statements[i].sql] = name
                            } catch { failure = error }
                        } else {
                            PQclear(result)
                        }
                    }
                }
                var rows: PGRows?
                while let result = nextResult() {
                    if failure != nil || rows != nil || PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                        PQclear(result)
                        continue
                    }
                    do { rows = try neutral { try consume(result, sql: statements[i].sql) } } catch { failure = error }
                }
                if let rows, failure == nil { results.append(rows) }
            }
            // The sync's own result, then nothing.
            while let result = nextResult() {
                let status = PQresultStatus(result)
                PQclear(result)
                if status == PGRES_PIPELINE_SYNC { break }
            }
            if let failure { throw failure }
            guard sent == statements.count, results.count == statements.count else {
                throw lostOr(statement: statements[min(sent, statements.count - 1)].sql)
            }
            return results
        }
    }

    /// libpq refused to send (the connection is gone, or not idle).
    private func lostOr(statement sql: String) -> Error {
        let lost = !isOpen
        let error = PGError(kind: lost ? .connection : .statement, sqlState: lost ? "08006" : "",
                            message: String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines),
                            statement: sql)
        lastError = error
        return error.repositoryError(target: target)
    }
}
