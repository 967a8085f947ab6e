import CRMCore
import CRMRepositories
import Foundation

/// Records in the fields of `ListingSchema`, from the rows the repositories
/// read. `users`: login by user id, to name owners, authors and assignees.
public struct ListingRecords {
    public let time: ListingTime
    public let users: [Int64: String]

    public init(time: ListingTime, users: [Int64: String]) {
        self.time = time
        self.users = users
    }

    private func login(_ id: Int64?) -> ListingValue { .text(id.flatMap { users[$0] }) }

    /// `summary`: the list row (company name, last interaction); `contact`:
    /// the whole record with emails, phones and tags.
    public func contact(_ contact: Contact, summary: ContactSummary?) -> ListingRecord {
        ListingRecord([
            ListingField("id", .integer(contact.id)),
            ListingField("name", .text(contact.name)),
            ListingField("title", .text(contact.title)),
            ListingField("company_id", .integer(contact.companyID)),
            ListingField("company", .text(summary?.companyName)),
            ListingField("emails", .list(contact.emails.map {
                .object([ListingField("address", .text($0.address)), ListingField("label", .text($0.label))])
            })),
            ListingField("phones", .list(contact.phones.map {
                .object([ListingField("number", .text($0.number)), ListingField("label", .text($0.label))])
            })),
            ListingField("tags", .list(contact.tags.map { .text($0) })),
            ListingField("owner", login(contact.ownerID)),
            ListingField("owner_id", .integer(contact.ownerID)),
            ListingField("lifecycle", .text(contact.lifecycle.rawValue)),
            ListingField("source", .text(contact.source)),
            ListingField("notes", .text(contact.notes)),
            ListingField("last_interaction", time.iso(summary?.lastInteractionAt)),
            ListingField("created_at", time.iso(contact.createdAt)),
            ListingField("updated_at", time.iso(contact.updatedAt)),
            ListingField("version", .integer(contact.version)),
        ])
    }

    public func company(_ company: Company, contactCount: Int) -> ListingRecord {
        ListingRecord([
            ListingField("id", .integer(company.id)),
            ListingField("name", .text(company.name)),
            ListingField("domain", .text(company.domain)),
            ListingField("phone", .text(company.phone)),
            ListingField("address", .text(company.address)),
            ListingField("notes", .text(company.notes)),
            ListingField("owner", login(company.ownerID)),
            ListingField("owner_id", .integer(company.ownerID)),
            ListingField("contact_count", .integer(Int64(contactCount))),
            ListingField("created_at", time.iso(company.createdAt)),
            ListingField("updated_at", time.iso(company.updatedAt)),
            ListingField("version", .integer(company.version)),
        ])
    }

    /// `pipelines`/`stages`: by id, to name them and give the probability.
    public func deal(_ card: DealCard, pipelines: [Int64: Pipeline], stages: [Int64: Stage]) -> ListingRecord {
        let d = card.deal
        return ListingRecord([
            ListingField("id", .integer(d.id)),
            ListingField("title", .text(d.title)),
            ListingField("pipeline_id", .integer(d.pipelineID)),
            ListingField("pipeline", .text(pipelines[d.pipelineID]?.name)),
            ListingField("stage_id", .integer(d.stageID)),
            ListingField("stage", .text(card.stageName)),
            ListingField("probability", .integer(stages[d.stageID]?.probability)),
            ListingField("status", .text(d.status.rawValue)),
            ListingField("value", ListingTime.decimal(d.value)),
            ListingField("currency", .text(d.value.currency.code)),
            ListingField("value_minor", ListingTime.minorUnits(d.value)),
            ListingField("expected_close", time.iso(d.expectedClose)),
            ListingField("contact_id", .integer(d.contactID)),
            ListingField("contact", .text(card.contactName)),
            ListingField("company_id", .integer(d.companyID)),
            ListingField("company", .text(card.companyName)),
            ListingField("owner", login(d.ownerID)),
            ListingField("owner_id", .integer(d.ownerID)),
            ListingField("lost_reason", .text(d.lostReason)),
            ListingField("stage_entered_at", time.iso(d.stageEnteredAt)),
            ListingField("last_interaction", time.iso(card.lastInteractionAt)),
            ListingField("created_at", time.iso(d.createdAt)),
            ListingField("updated_at", time.iso(d.updatedAt)),
            ListingField("closed_at", time.iso(d.closedAt)),
            ListingField("version", .integer(d.version)),
        ])
    }

    public func interaction(_ entry: TimelineEntry) -> ListingRecord {
        let i = entry.interaction
        return ListingRecord([
            ListingField("id", .integer(i.id)),
            ListingField("type", .text(i.kind.rawValue)),
            ListingField("direction", i.direction == .none ? .null : .text(i.direction.rawValue)),
            ListingField("occurred_at", time.iso(i.occurredAt)),
            ListingField("duration_seconds", .integer(i.durationSeconds)),
            ListingField("subject", .text(i.subject)),
            ListingField("body", .text(i.body)),
            ListingField("outcome", .text(i.outcome)),
            ListingField("contact_id", .integer(i.contactID)),
            ListingField("contact", .text(entry.contactName)),
            ListingField("company_id", .integer(i.companyID)),
            ListingField("company", .text(entry.companyName)),
            ListingField("deal_id", .integer(i.dealID)),
            ListingField("deal", .text(entry.dealTitle)),
            ListingField("author", .text(entry.authorLogin)),
            ListingField("author_id", .integer(i.authorID)),
            ListingField("created_at", time.iso(i.createdAt)),
        ])
    }

    public func followUp(_ row: FollowUpRow) -> ListingRecord {
        let f = row.followUp
        return ListingRecord([
            ListingField("id", .integer(f.id)),
            ListingField("title", .text(f.title)),
            ListingField("note", .text(f.note)),
            ListingField("due", time.iso(f.dueAt)),
            ListingField("assignee", .text(row.assigneeLogin)),
            ListingField("assignee_id", .integer(f.assigneeID)),
            ListingField("contact_id", .integer(f.contactID)),
            ListingField("contact", .text(row.contactName)),
            ListingField("deal_id", .integer(f.dealID)),
            ListingField("deal", .text(row.dealTitle)),
        ])
    }
}
