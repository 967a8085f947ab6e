import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm lookup NUMBER [--json] [--db PATH]`
//
// Who is calling: for each contact with a phone number that matches NUMBER
// in any form (+49…, 0049…, 0171… read with phone_region, or a run of its
// digits), the card a support agent wants before picking up: name, company,
// owner, lifecycle, the number that matched, the last interaction and the
// open follow-ups. Exit 1 when none matches, 65 when NUMBER is no phone
// number. Reads the database without changing it, as followups does.
enum LookupCommand {
    /// At most this many contacts; a broader number says how many more there were.
    static let limit = 50

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "lookup")
        var parts: [String] = []
        var dbOption: String?
        var json = false
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--json", let v): json = try reader.flag("--json", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("lookup"))
                return ExitCode.ok
            // Unquoted, "+49 171 9936679" arrives as three arguments.
            case .positional(let text): parts.append(text)
            default: throw reader.unknown(arg)
            }
        }
        let number = parts.joined(separator: " ")
        guard !parts.isEmpty else { throw reader.fail("name the number to look up, e.g. crm lookup +49 171 9936679") }
        if let problem = ContactFinder.phoneProblem(number) { throw Failure(problem, status: ExitCode.dataError) }
        let settings = CommandSettings.load()
        let timeFormat = TimeFormat(settings: settings)
        let (cards, more, trashed): ([CallerCard], Bool, [TrashEntry]) = try Opening.reading(option: dbOption) { db in
            let rows = try ContactFinder.byPhone(number, in: db, limit: limit + 1, region: settings.phoneRegion)
            // None live: a contact in the trash may have it (QA 30 #19).
            let trashed = rows.isEmpty ? try db.trashRepository.contactsInTrash(withPhone: ContactFinder.callerNumber(number), limit: 3) : []
            return (try rows.prefix(limit).compactMap { try CallerCard.load($0, from: db) }, rows.count > limit, trashed)
        }
        if json { Output.json(try JSONText.encode(cards.map(cardJSON))) }
        if cards.isEmpty {
            Output.error("crm: no contact has a phone number matching \(number)")
            for entry in trashed {
                Output.error("crm: \(entry.title) (contact \(entry.id)), in the trash, has it: crm trash restore contact \(entry.id)")
            }
            return ExitCode.failure
        }
        if !json { Output.print(cards.map { cardText($0, timeFormat) }.joined(separator: "\n\n")) }
        if more { Output.error("crm: more than \(limit) contacts match; type more of the number") }
        return ExitCode.ok
    }

    /// The card as text: the name (and company) on the first line, then one
    /// labelled line per fact, a line per open follow-up.
    static func cardText(_ card: CallerCard, _ tf: TimeFormat) -> String {
        let s = card.summary
        var lines = [s.name + (s.companyName.map { " (\($0))" } ?? "")]
        func add(_ label: String, _ value: String) { lines.append("  " + (label + ":").padding(toLength: 12, withPad: " ", startingAt: 0) + value) }
        add("number", s.matchedPhone ?? s.phone ?? "")
        add("owner", s.ownerLogin ?? "nobody")
        add("lifecycle", s.lifecycle.rawValue)
        if let tier = card.valueTier { add("tier", "\(tier.rawValue) (value tier)") }
        if let last = card.lastInteraction {
            let i = last.interaction
            let what = [i.kind.title.lowercased(), i.direction == .none ? nil : i.direction.rawValue].compactMap { $0 }.joined(separator: " ")
            let about = i.subject.isEmpty ? i.firstLine : i.subject
            add("last", "\(tf.long(i.occurredAt)) · \(what)\(about.isEmpty ? "" : " · " + about)")
        } else {
            add("last", "none yet")
        }
        if card.openFollowUps.isEmpty { add("follow-up", "none open") }
        for row in card.openFollowUps { add("follow-up", "\(tf.long(row.followUp.dueAt)) · \(row.followUp.title)") }
        return lines.joined(separator: "\n")
    }

    /// The card as JSON, with ids for everything it names.
    static func cardJSON(_ card: CallerCard) -> [String: Any] {
        let s = card.summary
        let c = card.contact
        var last: Any = NSNull()
        if let entry = card.lastInteraction {
            let i = entry.interaction
            last = [
                "id": i.id, "type": i.kind.rawValue, "direction": i.direction == .none ? NSNull() : i.direction.rawValue as Any,
                "at": iso(i.occurredAt), "subject": i.subject, "first_line": i.firstLine,
                "duration_seconds": i.durationSeconds as Any? ?? NSNull(), "author": entry.authorLogin as Any? ?? NSNull(),
            ] as [String: Any]
        }
        return [
            "id": s.id, "name": s.name, "company_id": s.companyID as Any? ?? NSNull(), "company": s.companyName as Any? ?? NSNull(),
            "owner": s.ownerLogin as Any? ?? NSNull(), "lifecycle": s.lifecycle.rawValue,
            "tier": card.valueTier?.rawValue as Any? ?? NSNull(),
            "matched_phone": s.matchedPhone as Any? ?? NSNull(),
            "phones": c.phones.map { ["number": $0.number, "label": $0.label] },
            "emails": c.emails.map { ["address": $0.address, "label": $0.label] },
            "last_interaction": last,
            "open_follow_ups": card.openFollowUps.map { row -> [String: Any] in
                ["id": row.followUp.id, "title": row.followUp.title, "due": iso(row.followUp.dueAt),
                 "deal_id": row.followUp.dealID as Any? ?? NSNull(), "assignee": row.assigneeLogin as Any? ?? NSNull()]
            },
        ]
    }
}

/// The settings file for a command, its problems said on stderr (the
/// command goes on with the defaults for those lines).
enum CommandSettings {
    static func load() -> Settings {
        let loaded = SettingsFile.load(path: SettingsFile.path())
        for problem in loaded.problems { Output.error("crm: settings \(loaded.path) \(problem)") }
        return loaded.settings
    }
}
