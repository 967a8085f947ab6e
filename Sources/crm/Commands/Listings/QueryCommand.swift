import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMTerminal
import Foundation

// `crm query TEXT [--aerc] [--db PATH]`
//
// mutt/neomutt's query_command: a first line for the status bar, then
// "email<TAB>name<TAB>company" per address, best matches first; exit 1 with
// the first line still printed when nothing matches (mutt shows it as the
// error). `--aerc` (address-book-cmd): the same lines without the first.
enum QueryCommand {
    /// Contacts read at most: a mail client's menu, not an export. A query
    /// that finds more says so in its first line.
    static let maxContacts = 100

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "query")
        var parts: [String] = []
        var aerc = false
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--aerc", let v): aerc = try reader.flag("--aerc", inline: v)
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("query"))
                return ExitCode.ok
            case .positional(let text): parts.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard !parts.isEmpty else { throw reader.fail("name what to look for: part of a name, an email address or a company") }
        let text = parts.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        // A mail client may ask before anything is typed (Tab in an empty
        // field): that is no usage error, only nothing to find.
        guard !text.isEmpty else {
            if !aerc { Output.print("crm: type part of a name, an email address or a company") }
            return ExitCode.failure
        }
        let (found, more) = try Opening.reading(option: dbOption) { try read(text, $0) }
        let lines = AddressQuery.lines(query: text, found: found)
        // One write for all of it. Each field stays on its line: a tab or a
        // line break in stored text is shown as a space or ⏎, never splitting it.
        var out = ""
        if !aerc {
            let count = lines.isEmpty ? "no matches" : "\(lines.count) \(lines.count == 1 ? "match" : "matches")"
            out += TextSanitizer.singleLine("crm: \(count) for \"\(text)\"\(more ? " among the first \(maxContacts) contacts found; type more" : "")") + "\n"
        }
        for line in lines {
            out += [line.email, line.name, line.company].map(TextSanitizer.singleLine).joined(separator: "\t") + "\n"
        }
        Output.write(out)
        return lines.isEmpty ? ExitCode.failure : ExitCode.ok
    }

    /// The contacts the contact list's search finds, in its order, with
    /// their emails; whether there were more than `maxContacts`.
    static func read(_ text: String, _ db: any CRMRepositories) throws -> ([AddressQuery.Found], Bool) {
        var found: [AddressQuery.Found] = []
        var cursor: ContactCursor?
        let filter = ContactFilter(text: text)
        while found.count < maxContacts {
            let size = min(ListingOptions.pageSize, maxContacts + 1 - found.count)
            let rows = try db.contactRepository.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: size)
            let emails = try db.listingRepository.emailAddresses(contactIDs: rows.map(\.id))
            found += rows.map { AddressQuery.Found(name: $0.name, company: $0.companyName, emails: emails[$0.id] ?? []) }
            guard rows.count == size, let last = rows.last else { break }
            cursor = last.cursor(for: .name)
        }
        let more = found.count > maxContacts
        return (Array(found.prefix(maxContacts)), more)
    }
}
