import CRMCore
import CRMRepositories
import CRMStore
import Foundation

// `crm duplicates [--json] [--limit N] [--db PATH]`
//
// The pairs of contacts, then of companies, that look like one, strongest
// reason first (as the Duplicates list in Contacts shows them): the same
// email, the same phone, a similar name at the same company; companies with
// the same web domain or a similar name. Reads the database without
// changing it.
enum DuplicatesCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "duplicates")
        var dbOption: String?
        var json = false
        var limit = 100
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--json", let v): json = try reader.flag("--json", inline: v)
            case .option("--limit", let v): limit = try reader.integer("--limit", inline: v, in: 1...100_000)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("duplicates"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let settings = SettingsFile.load(path: SettingsFile.path())
        for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }
        let found: (contacts: [DuplicatePair], companies: [DuplicatePair]) = try Opening.reading(option: dbOption) { db in
            // An SQLite file read without upgrading it may predate the keys
            // (a PostgreSQL database is always brought up to date on opening).
            if let file = db as? Database, !file.hasDuplicateKeys {
                throw Failure("\(file.path) is at an older schema that has no duplicate keys; open it once with crm to upgrade it",
                              status: ExitCode.dataError)
            }
            // One more than asked: whether there are more to say so.
            return (try db.contactRepository.duplicatePairs(after: nil, limit: limit + 1),
                    try db.companyRepository.duplicatePairs(after: nil, limit: limit + 1))
        }
        if json {
            Output.json(try JSONText.encode([
                "contacts": found.contacts.prefix(limit).map(jsonPair),
                "companies": found.companies.prefix(limit).map(jsonPair),
                "more": ["contacts": found.contacts.count > limit, "companies": found.companies.count > limit],
            ] as [String: Any]))
            return ExitCode.ok
        }
        for (title, pairs) in [("Contacts", found.contacts), ("Companies", found.companies)] {
            let shown = pairs.prefix(limit)
            Output.print(shown.isEmpty ? "\(title): no duplicates found" : "\(title) that look like one, strongest first:")
            for pair in shown {
                Output.print("  \(side(pair.first))  =  \(side(pair.second))   \(pair.reasons.map(\.detail).joined(separator: "; "))")
            }
            if pairs.count > limit { Output.print("  … more; show them with --limit \(min(limit * 10, 100_000))") }
        }
        return ExitCode.ok
    }

    private static func side(_ record: DuplicateRecord) -> String {
        "#\(record.id) \(record.name)" + (record.context.map { " · \($0)" } ?? "")
    }

    private static func jsonPair(_ pair: DuplicatePair) -> [String: Any] {
        func record(_ r: DuplicateRecord) -> [String: Any] {
            ["id": r.id, "name": r.name, "context": r.context ?? NSNull(), "updated_at": r.updatedAt.isoUTCText]
        }
        return [
            "first": record(pair.first), "second": record(pair.second),
            "strength": pair.reasons.first?.label ?? "",
            "reasons": pair.reasons.map(jsonReason),
        ]
    }

    private static func jsonReason(_ reason: DuplicateReason) -> [String: Any] {
        switch reason {
        case .sameEmail(let address): ["reason": "same email", "value": address]
        case .samePhone(let number): ["reason": "same phone", "value": number]
        case .similarName(let company): ["reason": "similar name", "value": company ?? NSNull()]
        case .sameDomain(let domain): ["reason": "same domain", "value": domain]
        }
    }
}
