import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation

// `crm companies [--search TEXT] [--limit N] [--json|--jsonl|--csv] [--db PATH]`
//
// Companies in name order, found by the company list's own search (name,
// domain, notes by word prefix), read a page at a time.
enum CompaniesCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "companies")
        var options = ListingOptions()
        var search = ""
        while let arg = reader.next() {
            if try options.take(arg, &reader) { continue }
            switch arg {
            case .option("--search", let v): search = try reader.value("--search", inline: v, expected: "the text to search for")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("companies"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let session = try ListingSession(dbOption: options.db)
        let records = try session.records()
        let writer = ListingWriter(format: options.format, schema: .companies, columns: table)
        writer.begin()
        var cursor: (name: String, id: Int64)?
        var written = 0
        while let size = options.nextPage(after: written) {
            let (rows, companies) = try session.read { db in
                let rows = try db.companyRepository.search(search, after: cursor, limit: size)
                return (rows, try db.listingRepository.companies(ids: rows.map(\.id)))
            }
            let counts = Dictionary(rows.map { ($0.id, $0.contactCount) }, uniquingKeysWith: { a, _ in a })
            for company in companies {
                let count = counts[company.id] ?? 0
                writer.add(records.company(company, contactCount: count),
                               cells: [String(company.id), company.name, company.domain, company.phone, String(count),
                                       records.users[company.ownerID ?? 0] ?? ""])
            }
            written += rows.count
            guard rows.count == size, let last = rows.last else { break }
            cursor = (last.name, last.id)
        }
        writer.end()
        return ExitCode.ok
    }

    static let table = [
        TableColumn(header: "ID", cap: 9, right: true), TableColumn(header: "NAME", cap: 34), TableColumn(header: "DOMAIN", cap: 28),
        TableColumn(header: "PHONE", cap: 20), TableColumn(header: "CONTACTS", cap: 8, right: true), TableColumn(header: "OWNER", cap: 12),
    ]
}
