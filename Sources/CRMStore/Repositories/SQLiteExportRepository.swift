import CRMCore
import CRMRepositories
import Foundation

/// Whole tables for `crm export`, keyset-paged by id: each page is one range
/// of the primary key, and a contact page's emails, phones and tags come in
/// three more queries over the same range, so memory stays that of one page
/// however many rows there are. Live rows only (the trash is not exported);
/// the lossless copy is `SnapshotStore`.
public final class SQLiteExportRepository: ExportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func consistentRead<T>(_ body: () throws -> T) throws -> T {
        // Nested in a write (a test, a future caller), the outer transaction
        // already gives one view.
        guard c.isAutocommit else { return try body() }
        try c.execute("BEGIN DEFERRED")
        do {
            let result = try body()
            try c.execute("COMMIT")
            return result
        } catch {
            try? c.execute("ROLLBACK")
            throw error
        }
    }

    public func contactFieldCounts() throws -> ContactFieldCounts {
        // Grouped by contact over the (contact_id, position) indexes; the live
        // check is one lookup per contact that has any.
        let emails = try c.scalar("""
            SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM contact_emails e
            WHERE (SELECT deleted_at FROM contacts WHERE id = e.contact_id) IS NULL GROUP BY contact_id)
            """) ?? 0
        let phones = try c.scalar("""
            SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM contact_phones p
            WHERE (SELECT deleted_at FROM contacts WHERE id = p.contact_id) IS NULL GROUP BY contact_id)
            """) ?? 0
        return ContactFieldCounts(emails: Int(emails), phones: Int(phones))
    }

    public func contacts(after id: Int64?, limit: Int) throws -> [ExportContact] {
        var rows = try c.rows("""
            SELECT c.id, c.name, c.title, c.company_id, c.owner_id, c.lifecycle, c.source, c.notes, c.created_at,
                   c.updated_at, c.version, co.name, u.login, \(db.hasContactUIDs ? "c.uid" : "NULL")
            FROM contacts c LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id
            WHERE c.id > ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT ?
            """, [id ?? 0, limit]) { row in
                ExportContact(
                    contact: Contact(id: row.int64(0), name: row.string(1), title: row.string(2), companyID: row.optionalInt64(3),
                                     ownerID: row.optionalInt64(4), lifecycle: Lifecycle(rawValue: row.string(5)) ?? .lead,
                                     source: row.string(6), notes: row.string(7), createdAt: row.date(8),
                                     updatedAt: row.date(9), version: row.int64(10), uid: row.optionalString(13)),
                    companyName: row.optionalString(11), ownerLogin: row.optionalString(12))
            }
        guard let first = rows.first?.contact.id, let last = rows.last?.contact.id else { return [] }
        var index: [Int64: Int] = [:]
        for (i, row) in rows.enumerated() { index[row.contact.id] = i }
        let range: [SQLBindable] = [first, last]
        for (owner, email) in try c.rows("""
            SELECT contact_id, email, label FROM contact_emails WHERE contact_id BETWEEN ? AND ? ORDER BY contact_id, position, id
            """, range, { ($0.int64(0), EmailAddress($0.string(1), label: $0.string(2))) }) {
            if let i = index[owner] { rows[i].contact.emails.append(email) }
        }
        for (owner, phone) in try c.rows("""
            SELECT contact_id, number, label FROM contact_phones WHERE contact_id BETWEEN ? AND ? ORDER BY contact_id, position, id
            """, range, { ($0.int64(0), PhoneNumber($0.string(1), label: $0.string(2))) }) {
            if let i = index[owner] { rows[i].contact.phones.append(phone) }
        }
        for (owner, tag) in try c.rows("""
            SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
            WHERE ct.contact_id BETWEEN ? AND ? ORDER BY ct.contact_id, t.name
            """, range, { ($0.int64(0), $0.string(1)) }) {
            if let i = index[owner] { rows[i].contact.tags.append(tag) }
        }
        return rows
    }

    public func companies(after id: Int64?, limit: Int) throws -> [ExportCompany] {
        try c.rows("""
            SELECT co.id, co.name, co.domain, co.phone, co.address, co.notes, co.owner_id, co.created_at, co.updated_at,
                   co.deleted_at, co.version, u.login
            FROM companies co LEFT JOIN users u ON u.id = co.owner_id
            WHERE co.id > ? AND co.deleted_at IS NULL ORDER BY co.id LIMIT ?
            """, [id ?? 0, limit]) { ExportCompany(company: SQLiteCompanyRepository.company($0), ownerLogin: $0.optionalString(11)) }
    }

    public func deals(after id: Int64?, limit: Int) throws -> [ExportDeal] {
        try c.rows("""
            SELECT \(SQLiteDealRepository.columns), p.name, s.name, s.probability, u.login, ct.name, co.name
            FROM deals d JOIN pipelines p ON p.id = d.pipeline_id JOIN stages s ON s.id = d.stage_id
            LEFT JOIN users u ON u.id = d.owner_id LEFT JOIN contacts ct ON ct.id = d.contact_id
            LEFT JOIN companies co ON co.id = d.company_id
            WHERE d.id > ? AND d.deleted_at IS NULL ORDER BY d.id LIMIT ?
            """, [id ?? 0, limit]) {
                ExportDeal(deal: SQLiteDealRepository.deal($0), pipelineName: $0.string(19), stageName: $0.string(20),
                           probability: $0.int(21), ownerLogin: $0.optionalString(22), contactName: $0.optionalString(23),
                           companyName: $0.optionalString(24))
            }
    }

    public func interactions(after id: Int64?, limit: Int) throws -> [ExportInteraction] {
        try c.rows("""
            SELECT \(SQLiteInteractionRepository.columns), u.login, ct.name, co.name, d.title
            FROM interactions i LEFT JOIN users u ON u.id = i.author_id LEFT JOIN contacts ct ON ct.id = i.contact_id
            LEFT JOIN companies co ON co.id = i.company_id LEFT JOIN deals d ON d.id = i.deal_id
            WHERE i.id > ? AND i.deleted_at IS NULL ORDER BY i.id LIMIT ?
            """, [id ?? 0, limit]) {
                ExportInteraction(interaction: SQLiteInteractionRepository.interaction($0), authorLogin: $0.optionalString(15),
                                  contactName: $0.optionalString(16), companyName: $0.optionalString(17),
                                  dealTitle: $0.optionalString(18))
            }
    }

    public func followUps(after id: Int64?, limit: Int) throws -> [ExportFollowUp] {
        try c.rows("""
            SELECT \(SQLiteFollowUpRepository(db: db).columns), a.login, b.login, ct.name, d.title, f.updated_at
            FROM follow_ups f LEFT JOIN users a ON a.id = f.assignee_id LEFT JOIN users b ON b.id = f.created_by
            LEFT JOIN contacts ct ON ct.id = f.contact_id LEFT JOIN deals d ON d.id = f.deal_id
            WHERE f.id > ? AND f.deleted_at IS NULL ORDER BY f.id LIMIT ?
            """, [id ?? 0, limit]) {
                ExportFollowUp(followUp: SQLiteFollowUpRepository.followUp($0), assigneeLogin: $0.optionalString(13),
                               createdByLogin: $0.optionalString(14), contactName: $0.optionalString(15),
                               dealTitle: $0.optionalString(16), updatedAt: $0.date(17))
            }
    }

    public var snapshotSchemaVersion: Int { db.schemaVersion }

    public func snapshotRows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow] {
        try SnapshotStore(db: db).rows(table, after: key, limit: limit)
    }

    public func snapshotCount(_ table: SnapshotTable) throws -> Int {
        // The table name comes from SnapshotTable.all, our own list.
        Int(try c.scalar("SELECT count(*) FROM \(table.name)") ?? 0)
    }

    public func loadSnapshot(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult {
        try SnapshotStore(db: db).load(schemaVersion: schemaVersion, next)
    }
}
