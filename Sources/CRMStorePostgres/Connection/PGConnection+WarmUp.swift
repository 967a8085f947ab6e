import Foundation

// A new server session knows nothing of a table until a statement names it:
// the first plan that reads contacts loads the descriptions of the table and
// of its 22 indexes from the catalogs (and the first timeline read, those of
// interactions, deals and companies too). At 100,000 contacts that made the
// first plan of a contact's timeline take 9-15 ms where it takes 1-2 ms
// afterwards, paid by whichever key first read the tables: opening the first
// customer, the first look at the board. Planning one statement per table,
// never run (EXPLAIN), loads them all when the session opens, in one round
// trip, before the first screen is drawn; and again after a reconnect (a new
// server session).
extension PGConnection {
    /// The statements that load `tables`' catalog entries (our own names).
    static func warmUp(tables: [String]) -> String {
        tables.map { "EXPLAIN SELECT 1 FROM \($0)" }.joined(separator: "; ")
    }

    /// Runs `catalogWarmUp`, outside any transaction. What it loads only
    /// saves time later, so a failure (a role that may not read a table, a
    /// table a newer schema renamed) is of no consequence: each statement
    /// that needs the table loads it, as without the warm-up.
    func warmCatalogs() {
        guard let catalogWarmUp, transactionDepth == 0, isOpen else { return }
        _ = try? script(catalogWarmUp)
        lastError = nil
    }
}
