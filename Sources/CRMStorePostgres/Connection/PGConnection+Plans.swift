import CLibPQ
import Foundation

// Statements prepared once per server session. A screen sends the same few
// dozen statements again and again (a page of follow-ups, a count, a
// contact's pane); unprepared, the server parses and plans each one every
// time, and planning a five-table join at 100,000 contacts costs about as
// much as running it. Prepared (by text, on first use, in the same round
// trip as that first execution), later executions skip parsing, and once
// PostgreSQL has seen a statement's custom plans (5 executions) it reuses a
// generic plan when that is no dearer, skipping planning too.
extension PGConnection {
    /// False when the environment says `CRM_PG_PREPARE=off` (or 0, no,
    /// false): behind PgBouncer in transaction mode a statement prepared on
    /// one server connection is not on the next one.
    public static var preparesFromEnvironment: Bool {
        let value = ProcessInfo.processInfo.environment["CRM_PG_PREPARE"]?.lowercased()
        return !["off", "0", "no", "false"].contains(value ?? "")
    }

    /// Statements kept prepared per session at most; past it they are all
    /// let go and prepared again as used (texts are our own, so a few
    /// hundred at most, but a list of `?` per value makes new ones).
    static let maxPrepared = 1_000

    /// Put first in a statement whose best plan depends on its values: a
    /// search's page, which walks the name index for "a" (80,000 documents
    /// found) and asks the GIN index for "zyx" (three). Prepared, after five
    /// runs PostgreSQL may keep a generic plan that cannot tell them apart:
    /// it guesses a full-text match finds 0.5% of the rows, and then sorts
    /// every one of the 20,000 documents "call" finds (60 ms) where the
    /// walk reads 500 (0.8 ms). Such a statement is sent unprepared
    /// (`PQexecParams`, still bound), so each run is planned with its values.
    public static let plannedWithValues = "/* planned with its values */ "

    /// `LIMIT n` with the number written into the statement's text instead
    /// of bound, for a page whose best plan does not depend on its values (a
    /// column of the board, a page of follow-ups, a contact's timeline).
    /// With the limit bound, PostgreSQL costs a generic plan as if it read a
    /// tenth of the rows, never finds it as cheap as the custom ones, and
    /// plans the statement again on every run: 1.5–5 ms for a page of deal
    /// cards or follow-ups at 100,000 contacts, more than running it. With
    /// the number in the text it keeps one generic plan after five runs.
    /// The number is ours (a page size, never a value from outside), and a
    /// screen uses a handful of sizes: a handful of prepared statements.
    /// A search's page keeps its limit bound and is `plannedWithValues`.
    /// For a statement with other values (see the next one).
    public static func limit(_ count: Int) -> String { "LIMIT \(max(count, 0))" }

    /// `limit(count)` when the statement has `values`; with none, the limit
    /// is bound (added to `values`): a statement without values is sent
    /// unprepared (`plan(for:)`), parsed and planned on every run, where
    /// prepared it is at least parsed once.
    public static func limit(_ count: Int, _ values: inout [any PGBindable]) -> String {
        guard values.isEmpty else { return limit(count) }
        values.append(count)
        return "LIMIT ?"
    }

    /// The prepared statement to execute `sql` with, nil when it is sent
    /// unprepared (no parameters: a schema script, BEGIN, COMMIT…; or
    /// `plannedWithValues`). `isNew`: it must be prepared first (under `name`).
    func plan(for sql: String, _ params: [any PGBindable]) -> (name: String, isNew: Bool)? {
        guard preparesStatements, !params.isEmpty, !sql.hasPrefix(Self.plannedWithValues) else { return nil }
        if preparedOn != backendPID {
            preparedNames.removeAll()
            preparedOn = backendPID
        }
        if let known = preparedNames[sql] { return (known, false) }
        return (newPlanName(), true)
    }

    /// Before statements are planned: past `maxPrepared`, every prepared
    /// statement is let go (DEALLOCATE is not transactional; it rides with
    /// the next statement, before any PREPARE of it).
    func trimPlans() {
        guard preparedNames.count >= Self.maxPrepared else { return }
        preparedNames.removeAll()
        deferred.append("DEALLOCATE ALL")
    }

    func newPlanName() -> String {
        preparedSerial += 1
        return "crm_p\(preparedSerial)"
    }

    /// A statement whose prepared form the server no longer knows (a pooler
    /// or an administrator discarded it: 26000), or whose result's columns
    /// changed under it (a table altered by a newer binary's migration:
    /// 0A000), is prepared again on its next use.
    func forgetPlanAfter(_ error: PGError?, sql: String) {
        guard let state = error?.sqlState, state == "26000" || state == "0A000" else { return }
        preparedNames[sql] = nil
    }
}
