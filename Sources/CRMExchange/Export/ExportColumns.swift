import CRMCore
import CRMRepositories
import Foundation

// The stable columns of each export kind: the CSV header and the keys of a
// JSON line. Names never change once shipped (scripts and spreadsheets
// depend on them); a new column goes at the end. Contacts use
// `ContactCSVColumns`, which the CSV importer recognises.

public enum ContactColumns {
    public static func header(_ counts: ContactFieldCounts) -> [String] {
        ContactCSVColumns.header(emails: counts.emails, phones: counts.phones)
    }

    /// One row; the numbered pairs padded with empty cells up to `counts`.
    public static func row(_ row: ExportContact, _ counts: ContactFieldCounts) -> [ExportField] {
        let c = row.contact
        var fields: [ExportField] = [
            .integer(c.id), .text(c.name), .text(c.title), .text(row.companyName ?? ""), .text(c.lifecycle.rawValue),
            .text(row.ownerLogin ?? ""), .text(c.source), .text(c.tags.joined(separator: ContactCSVColumns.tagSeparator)),
            .text(c.notes), .time(c.createdAt), .time(c.updatedAt),
        ]
        for i in 0..<counts.emails {
            let e = i < c.emails.count ? c.emails[i] : nil
            fields += [.text(e?.address ?? ""), .text(e?.label ?? "")]
        }
        for i in 0..<counts.phones {
            let p = i < c.phones.count ? c.phones[i] : nil
            fields += [.text(p?.number ?? ""), .text(p?.label ?? "")]
        }
        return fields
    }
}

public enum CompanyColumns {
    public static let header = ["id", "name", "domain", "phone", "address", "notes", "owner", "created_at", "updated_at"]

    public static func row(_ row: ExportCompany) -> [ExportField] {
        let c = row.company
        return [.integer(c.id), .text(c.name), .text(c.domain), .text(c.phone), .text(c.address), .text(c.notes),
                .text(row.ownerLogin ?? ""), .time(c.createdAt), .time(c.updatedAt)]
    }
}

public enum DealColumns {
    public static let header = [
        "id", "title", "pipeline", "stage", "status", "value", "currency", "probability", "expected_close", "owner",
        "contact_id", "contact", "company_id", "company", "lost_reason", "stage_entered_at", "closed_at",
        "created_at", "updated_at",
    ]

    public static func row(_ row: ExportDeal) -> [ExportField] {
        let d = row.deal
        return [.integer(d.id), .text(d.title), .text(row.pipelineName), .text(row.stageName), .text(d.status.rawValue),
                .amount(d.value), .text(d.value.currency.code), .integer(Int64(row.probability)), .time(d.expectedClose),
                .text(row.ownerLogin ?? ""), .optional(d.contactID), .text(row.contactName ?? ""), .optional(d.companyID),
                .text(row.companyName ?? ""), .text(d.lostReason), .time(d.stageEnteredAt), .time(d.closedAt),
                .time(d.createdAt), .time(d.updatedAt)]
    }
}

public enum InteractionColumns {
    public static let header = [
        "id", "kind", "direction", "occurred_at", "duration_s", "subject", "body", "outcome", "contact_id", "contact",
        "company_id", "company", "deal_id", "deal", "author", "created_at",
    ]

    public static func row(_ row: ExportInteraction) -> [ExportField] {
        let i = row.interaction
        return [.integer(i.id), .text(i.kind.rawValue), .text(i.direction.rawValue), .time(i.occurredAt),
                i.durationSeconds.map { .integer(Int64($0)) } ?? .null, .text(i.subject), .text(i.body), .text(i.outcome),
                .optional(i.contactID), .text(row.contactName ?? ""), .optional(i.companyID), .text(row.companyName ?? ""),
                .optional(i.dealID), .text(row.dealTitle ?? ""), .text(row.authorLogin ?? ""), .time(i.createdAt)]
    }
}

public enum FollowUpColumns {
    public static let header = [
        "id", "title", "note", "due_at", "status", "done_at", "assignee", "contact_id", "contact", "deal_id", "deal",
        "created_by", "created_at", "updated_at",
    ]

    public static func row(_ row: ExportFollowUp) -> [ExportField] {
        let f = row.followUp
        return [.integer(f.id), .text(f.title), .text(f.note), .time(f.dueAt), .text(f.status.rawValue), .time(f.doneAt),
                .text(row.assigneeLogin ?? ""), .optional(f.contactID), .text(row.contactName ?? ""), .optional(f.dealID),
                .text(row.dealTitle ?? ""), .text(row.createdByLogin ?? ""), .time(f.createdAt), .time(row.updatedAt)]
    }
}
