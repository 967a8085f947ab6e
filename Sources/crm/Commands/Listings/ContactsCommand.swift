import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm contacts [--search TEXT] [--tag T] [--owner LOGIN] [--lifecycle STAGE] [--tier A|B|C]
//               [--company NAME] [--sort name|last|created] [--limit N]
//               [--json|--jsonl|--csv] [--db PATH]`
//
// Every contact the filters let through (all of them without --limit), in
// the contact list's own order, found by the contact list's own search,
// read a page at a time.
enum ContactsCommand {
    static let sorts: [String: ContactSort] = ["name": .name, "last": .lastInteraction, "created": .created]

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "contacts")
        var options = ListingOptions()
        var search = "", tag: String?, owner: String?, lifecycle: Lifecycle?, company: String?, tier: ValueTier?
        var sort = ContactSort.name
        while let arg = reader.next() {
            if try options.take(arg, &reader) { continue }
            switch arg {
            case .option("--search", let v): search = try reader.value("--search", inline: v, expected: "the text to search for")
            case .option("--tag", let v): tag = try reader.value("--tag", inline: v, expected: "a tag")
            case .option("--owner", let v): owner = try reader.value("--owner", inline: v, expected: "a user's login")
            case .option("--company", let v): company = try reader.value("--company", inline: v, expected: "a company's name")
            case .option("--lifecycle", let v):
                let text = try reader.value("--lifecycle", inline: v, expected: "lead, prospect, customer or former")
                guard let stage = Lifecycle.parse(text) else {
                    throw reader.fail("--lifecycle is \"\(text)\"; expected lead, prospect, customer or former")
                }
                lifecycle = stage
            case .option("--tier", let v):
                let text = try reader.value("--tier", inline: v, expected: "a value tier: A, B or C")
                guard let t = ValueTier.parse(text) else { throw reader.fail("--tier is \"\(text)\"; expected A, B or C") }
                tier = t
            case .option("--sort", let v):
                let text = try reader.value("--sort", inline: v, expected: "name, last or created")
                guard let s = sorts[text] else { throw reader.fail("--sort is \"\(text)\"; expected name, last or created") }
                sort = s
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("contacts"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let session = try ListingSession(dbOption: options.db)
        var filter = ContactFilter(tag: tag, lifecycle: lifecycle, tier: tier, text: search)
        if let owner { filter.ownerID = try session.ownerID(owner) }
        if let company {
            guard let found = try session.read({ try $0.companyRepository.find(name: company) }) else {
                throw Failure("--company: there is no company named \"\(company)\"", status: ExitCode.failure)
            }
            filter.companyID = found.id
        }
        let records = try session.records()
        let time = TimeFormat(settings: session.settings.settings)
        let writer = ListingWriter(format: options.format, schema: .contacts, columns: table)
        writer.begin()
        var cursor: ContactCursor?
        var written = 0
        while let size = options.nextPage(after: written) {
            let (rows, contacts) = try session.read { db in
                let rows = try db.contactRepository.list(sort: sort, filter: filter, cursor: cursor, direction: .forward, limit: size)
                return (rows, try db.listingRepository.contacts(ids: rows.map(\.id)))
            }
            let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for contact in contacts {
                let summary = byID[contact.id]
                writer.add(records.contact(contact, summary: summary), cells: cells(contact, summary, records, time))
            }
            written += rows.count
            guard rows.count == size, let last = rows.last else { break }
            cursor = last.cursor(for: sort)
        }
        writer.end()
        return ExitCode.ok
    }

    static let table = [
        TableColumn(header: "ID", cap: 9, right: true), TableColumn(header: "NAME", cap: 30), TableColumn(header: "COMPANY", cap: 26),
        TableColumn(header: "EMAIL", cap: 32), TableColumn(header: "PHONE", cap: 20), TableColumn(header: "OWNER", cap: 12),
        TableColumn(header: "LIFECYCLE", cap: 9), TableColumn(header: "LAST CONTACT", cap: 16),
    ]

    static func cells(_ c: Contact, _ s: ContactSummary?, _ r: ListingRecords, _ time: TimeFormat) -> [String] {
        [String(c.id), c.name, s?.companyName ?? "", c.primaryEmail ?? "", s?.shownPhone ?? c.primaryPhone ?? "",
         r.users[c.ownerID ?? 0] ?? "", c.lifecycle.rawValue, s?.lastInteractionAt.map(time.full) ?? ""]
    }
}
