import CRMBench
import Foundation

/// `crm bench --only customers --db postgresql://…`: the Customers report
/// group on the SQLite bench file and on the PostgreSQL database holding its
/// copy, printed side by side, as the keys group compares the two engines.
enum CustomersCompare {
    static func run(path: String, conninfo: String, runs: Int, progress: @escaping (String) -> Void) throws {
        progress("customers report on SQLite")
        let sqlite = try CustomersReportBenchmark(engine: .sqlite(path: path), runs: runs).run(progress: progress)
        progress("customers report on PostgreSQL")
        let postgres = try CustomersReportBenchmark(engine: .postgres(conninfo: conninfo), runs: runs).run(progress: progress)
        Output.print("")
        Output.print("customers: the Customers report page's queries and the whole page, \(runs) runs each, on both engines "
                     + "through the same repository; each sample after the previous one's figures were forgotten")
        Output.print("")
        Output.print(BenchComparison(left: ("SQLite", sqlite), right: ("PostgreSQL", postgres)).render())
    }
}
