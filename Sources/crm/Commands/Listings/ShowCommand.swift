import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm show contact|company|deal ID [--json] [--db PATH]`
//
// The card a support agent wants printed: the record with its emails and
// phones (with labels), tags, owner, lifecycle, company, deals, open
// follow-ups and the last 10 interactions. JSON: the same, in the fields of
// the listings (`crm help show`). An id that is not there: exit 1.
enum ShowCommand {
    static let lastInteractions = 10
    /// A company's contacts on its card (its contact_count says how many in all).
    static let companyContacts = 100
    static let kinds = ["contact", "company", "deal"]

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "show")
        var positional: [String] = []
        var json = false
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--json", let v): json = try reader.flag("--json", inline: v)
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("show"))
                return ExitCode.ok
            case .positional(let text): positional.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard let kind = positional.first else { throw reader.fail("name what to show: contact, company or deal, and its id") }
        guard kinds.contains(kind) else { throw reader.fail("cannot show \"\(kind)\"; expected contact, company or deal") }
        guard positional.count >= 2 else { throw reader.fail("name the id of the \(kind) to show, e.g. crm show \(kind) 42") }
        guard positional.count == 2 else { throw reader.fail("unexpected argument \"\(positional[2])\"; show takes one id") }
        let id = try ArgumentReader.id(positional[1], option: "the \(kind) id", of: kind, fail: reader.fail)
        let session = try ListingSession(dbOption: dbOption)
        let records = try session.records()
        let time = TimeFormat(settings: session.settings.settings)
        let card: Card? = try session.read { db in
            switch kind {
            case "contact": try contactCard(id, db, records, time)
            case "company": try companyCard(id, db, records, time)
            default: try dealCard(id, db, records, time)
            }
        }
        guard let card else {
            throw Failure(try session.read { try $0.trashRepository.absence(TrashKind(rawValue: kind)!, id) }, status: ExitCode.failure)
        }
        if json { Output.json(try JSONText.encode(card.json)) } else { Output.print(card.text.joined(separator: "\n")) }
        return ExitCode.ok
    }

    /// A card as JSON and as lines of text.
    struct Card {
        var json: [String: Any]
        var text: [String]
    }

    // MARK: the parts every card has

    static func dealLines(_ cards: [DealCard], _ time: TimeFormat) -> [String] {
        section("Deals", cards.count) + cards.map { c in
            "  #\(c.deal.id)  \(c.deal.title) — \(c.stageName), \(c.deal.status.rawValue), \(c.deal.value.shown())"
                + (c.deal.expectedClose.map { ", closes \(time.day($0))" } ?? "")
        }
    }

    static func followUpLines(_ rows: [FollowUpRow], _ time: TimeFormat) -> [String] {
        section("Open follow-ups", rows.count) + rows.map { r in
            let about = [r.contactName, r.dealTitle].compactMap { $0 }.joined(separator: ", ")
            return "  #\(r.followUp.id)  \(time.long(r.followUp.dueAt))  \(r.followUp.title)"
                + (about.isEmpty ? "" : " — \(about)") + (r.assigneeLogin.map { " [\($0)]" } ?? "")
        }
    }

    static func interactionLines(_ entries: [TimelineEntry], _ time: TimeFormat) -> [String] {
        section("Last interactions", entries.count) + entries.map { e in
            let i = e.interaction
            let length = i.durationSeconds.map { " (\(TimeFormat.loggedDuration($0)))" } ?? ""
            return "  \(time.full(i.occurredAt))  \(i.kind.title) \(i.direction.arrow)\(length)  \(TimelineCommand.what(i))"
                + (e.authorLogin.map { " [\($0)]" } ?? "")
        }
    }

    static func section(_ title: String, _ count: Int) -> [String] {
        ["", count == 0 ? "\(title): none" : "\(title) (\(count))"]
    }

    static func field(_ label: String, _ value: String?) -> [String] {
        guard let value, !value.isEmpty else { return [] }
        return [label.padding(toLength: 13, withPad: " ", startingAt: 0) + value]
    }

    static func labelled(_ items: [(String, String)]) -> String {
        items.map { $0.1.isEmpty ? $0.0 : "\($0.0) (\($0.1))" }.joined(separator: ", ")
    }

    static func notes(_ text: String) -> [String] {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        return ["", "Notes"] + text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }

    // MARK: the three cards

    static func contactCard(_ id: Int64, _ db: any CRMRepositories, _ r: ListingRecords, _ time: TimeFormat) throws -> Card? {
        guard let contact = try db.contactRepository.get(id), contact.deletedAt == nil else { return nil }
        let summary = try db.contactRepository.summary(id)
        let deals = try db.dealRepository.deals(contactID: id)
        let followUps = try db.followUpRepository.open(contactID: id)
        let entries = try db.interactionRepository.timeline(.contact(id), before: nil, limit: lastInteractions)
        let (pipelines, stages) = try pipelinesAndStages(db)
        let json: [String: Any] = [
            "contact": r.contact(contact, summary: summary).jsonObject,
            "deals": deals.map { r.deal($0, pipelines: pipelines, stages: stages).jsonObject },
            "follow_ups": followUps.map { r.followUp($0).jsonObject },
            "interactions": entries.map { r.interaction($0).jsonObject },
        ]
        var text = ["\(contact.name)  (contact \(id))"]
        text += field("Title", contact.title)
        text += field("Company", summary?.companyName.map { "\($0) (company \(contact.companyID ?? 0))" })
        text += field("Lifecycle", contact.lifecycle.title)
        text += field("Owner", contact.ownerID.flatMap { r.users[$0] })
        text += field("Emails", labelled(contact.emails.map { ($0.address, $0.label) }))
        text += field("Phones", labelled(contact.phones.map { ($0.number, $0.label) }))
        text += field("Tags", contact.tags.joined(separator: ", "))
        text += field("Source", contact.source)
        text += field("Last contact", summary?.lastInteractionAt.map(time.long))
        text += dealLines(deals, time) + followUpLines(followUps, time) + interactionLines(entries, time) + notes(contact.notes)
        return Card(json: json, text: text)
    }

    static func companyCard(_ id: Int64, _ db: any CRMRepositories, _ r: ListingRecords, _ time: TimeFormat) throws -> Card? {
        guard let company = try db.companyRepository.get(id), company.deletedAt == nil else { return nil }
        let filter = ContactFilter(companyID: id)
        let count = try db.contactRepository.count(filter: filter)
        let rows = try db.contactRepository.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: companyContacts)
        let contacts = try db.listingRepository.contacts(ids: rows.map(\.id))
        let summaries = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let deals = try db.dealRepository.deals(companyID: id)
        let followUps = try db.listingRepository.openFollowUps(companyID: id)
        let entries = try db.interactionRepository.timeline(.company(id), before: nil, limit: lastInteractions)
        let (pipelines, stages) = try pipelinesAndStages(db)
        let json: [String: Any] = [
            "company": r.company(company, contactCount: count).jsonObject,
            "contacts": contacts.map { r.contact($0, summary: summaries[$0.id]).jsonObject },
            "deals": deals.map { r.deal($0, pipelines: pipelines, stages: stages).jsonObject },
            "follow_ups": followUps.map { r.followUp($0).jsonObject },
            "interactions": entries.map { r.interaction($0).jsonObject },
        ]
        var text = ["\(company.name)  (company \(id))"]
        text += field("Domain", company.domain)
        text += field("Phone", company.phone)
        text += field("Address", company.address.replacingOccurrences(of: "\n", with: ", "))
        text += field("Owner", company.ownerID.flatMap { r.users[$0] })
        text += section("Contacts", count)
        for c in contacts {
            let reach = [c.primaryEmail, c.primaryPhone].compactMap { $0 }.joined(separator: ", ")
            text.append("  #\(c.id)  \(c.name)\(c.title.isEmpty ? "" : ", \(c.title)")\(reach.isEmpty ? "" : " — \(reach)")")
        }
        if count > contacts.count { text.append("  … \(count - contacts.count) more: crm contacts --company \"\(company.name)\"") }
        text += dealLines(deals, time) + followUpLines(followUps, time) + interactionLines(entries, time) + notes(company.notes)
        return Card(json: json, text: text)
    }

    static func dealCard(_ id: Int64, _ db: any CRMRepositories, _ r: ListingRecords, _ time: TimeFormat) throws -> Card? {
        guard let card = try db.dealRepository.card(id), card.deal.deletedAt == nil else { return nil }
        let d = card.deal
        let history = try db.dealRepository.historyEntries(dealID: id)
        let followUps = try db.followUpRepository.open(dealID: id)
        let entries = try db.interactionRepository.timeline(.deal(id), before: nil, limit: lastInteractions)
        let contact = try d.contactID.flatMap { try db.listingRepository.contacts(ids: [$0]).first }
        let (pipelines, stages) = try pipelinesAndStages(db)
        let json: [String: Any] = [
            "deal": r.deal(card, pipelines: pipelines, stages: stages).jsonObject,
            "contact": contact.map { r.contact($0, summary: nil).jsonObject } as Any? ?? NSNull(),
            "stage_history": history.map { h -> [String: Any] in
                ["from_stage_id": h.change.fromStageID as Any? ?? NSNull(), "from_stage": h.fromStageName as Any? ?? NSNull(),
                 "to_stage_id": h.change.toStageID, "to_stage": h.toStageName, "changed_at": r.time.iso(h.change.changedAt).json,
                 "changed_by": h.changedByLogin as Any? ?? NSNull(), "changed_by_id": h.change.changedBy as Any? ?? NSNull()]
            },
            "follow_ups": followUps.map { r.followUp($0).jsonObject },
            "interactions": entries.map { r.interaction($0).jsonObject },
        ]
        var text = ["\(d.title)  (deal \(id))"]
        text += field("Value", d.value.shown())
        text += field("Pipeline", pipelines[d.pipelineID]?.name)
        text += field("Stage", "\(card.stageName) (\(stages[d.stageID]?.probability ?? 0) %), since \(time.long(d.stageEnteredAt))")
        text += field("Status", d.status.rawValue + (d.status == .lost && !d.lostReason.isEmpty ? ": \(d.lostReason)" : ""))
        text += field("Closes", d.expectedClose.map(time.day))
        text += field("Owner", card.ownerLogin)
        if let contact {
            text += field("Contact", "\(contact.name) (contact \(contact.id))")
            text += field("Emails", labelled(contact.emails.map { ($0.address, $0.label) }))
            text += field("Phones", labelled(contact.phones.map { ($0.number, $0.label) }))
        }
        text += field("Company", card.companyName.map { "\($0) (company \(d.companyID ?? 0))" })
        text += section("Stage history", history.count) + history.map { h in
            "  \(time.full(h.change.changedAt))  \(h.fromStageName.map { "\($0) → " } ?? "")\(h.toStageName)"
                + (h.changedByLogin.map { " [\($0)]" } ?? "")
        }
        text += followUpLines(followUps, time) + interactionLines(entries, time)
        return Card(json: json, text: text)
    }

    static func pipelinesAndStages(_ db: any CRMRepositories) throws -> ([Int64: Pipeline], [Int64: Stage]) {
        let pipelines = try db.pipelineRepository.pipelines()
        let stages = try pipelines.flatMap { try db.pipelineRepository.stages(pipelineID: $0.id) }
        return (Dictionary(pipelines.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                Dictionary(stages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
    }
}
