import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm timeline [--contact ID] [--company ID] [--deal ID] [--since DATE]
//               [--type T] [--limit N] [--json|--jsonl|--csv] [--db PATH]`
//
// Interactions newest first, as the Timeline view lists them, read a page
// at a time along (occurred_at, id).
enum TimelineCommand {
    static let types = InteractionKind.allCases.map(\.rawValue).joined(separator: ", ")

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "timeline")
        var options = ListingOptions()
        var filter = TimelineFilter()
        var since: String?
        while let arg = reader.next() {
            if try options.take(arg, &reader) { continue }
            switch arg {
            case .option("--contact", let v): filter.contactID = try reader.id("--contact", inline: v, of: "contact")
            case .option("--company", let v): filter.companyID = try reader.id("--company", inline: v, of: "company")
            case .option("--deal", let v): filter.dealID = try reader.id("--deal", inline: v, of: "deal")
            case .option("--since", let v): since = try reader.value("--since", inline: v, expected: "a date, e.g. 2026-11-01, yesterday or -7d")
            case .option("--type", let v):
                let text = try reader.value("--type", inline: v, expected: types)
                for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                    guard let kind = InteractionKind(rawValue: word) else {
                        throw reader.fail("--type is \"\(text)\"; expected one or more of \(types), separated by commas")
                    }
                    filter.kinds.insert(kind)
                }
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("timeline"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        if let since {
            filter.from = try reader.date("--since", since, settings: SettingsFile.load(path: SettingsFile.path()).settings)
        }
        let session = try ListingSession(dbOption: options.db)
        if let id = filter.contactID { try session.mustExist("contact", id) { try $0.contactRepository.get(id).map { $0.deletedAt == nil } ?? false } }
        if let id = filter.companyID { try session.mustExist("company", id) { try $0.companyRepository.get(id).map { $0.deletedAt == nil } ?? false } }
        if let id = filter.dealID { try session.mustExist("deal", id) { try $0.dealRepository.get(id).map { $0.deletedAt == nil } ?? false } }
        let records = try session.records()
        let time = TimeFormat(settings: session.settings.settings)
        let writer = ListingWriter(format: options.format, schema: .timeline, columns: table)
        writer.begin()
        var cursor: TimelineCursor?
        var written = 0
        while let size = options.nextPage(after: written) {
            let entries = try session.read { try $0.interactionRepository.timeline(.all(filter), before: cursor, limit: size) }
            for entry in entries {
                writer.add(records.interaction(entry), cells: cells(entry, time))
            }
            written += entries.count
            guard entries.count == size, let last = entries.last else { break }
            cursor = last.cursor
        }
        writer.end()
        return ExitCode.ok
    }

    static let table = [
        TableColumn(header: "ID", cap: 9, right: true), TableColumn(header: "WHEN", cap: 16), TableColumn(header: "TYPE", cap: 7),
        TableColumn(header: "", cap: 1), TableColumn(header: "CONTACT", cap: 24), TableColumn(header: "COMPANY", cap: 24),
        TableColumn(header: "WHAT", cap: 50), TableColumn(header: "BY", cap: 10),
    ]

    /// The subject, else the first line of the body.
    static func what(_ i: Interaction) -> String {
        i.subject.isEmpty ? i.firstLine : i.subject
    }

    static func cells(_ entry: TimelineEntry, _ time: TimeFormat) -> [String] {
        let i = entry.interaction
        return [String(i.id), time.full(i.occurredAt), i.kind.rawValue, i.direction.arrow, entry.contactName ?? "",
                entry.companyName ?? "", what(i), entry.authorLogin ?? ""]
    }
}
