import CRMCore
import CRMRepositories
import Foundation

/// Reads for scripts: whole records a page at a time, and deals by id.
public final class SQLiteListingRepository: ListingRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// Ids per query: far below SQLite's limit of bound values.
    static let chunk = 500

    /// "?, ?, ?" for `count` values.
    private static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// `rows` keyed by id, put back in the order of `ids` (a listing's order).
    private static func ordered<T: Identifiable>(_ rows: [T], as ids: [Int64]) -> [T] where T.ID == Int64 {
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    public func contacts(ids: [Int64]) throws -> [Contact] {
        var all: [Contact] = []
        for start in stride(from: 0, to: ids.count, by: Self.chunk) {
            let part = Array(ids[start..<min(start + Self.chunk, ids.count)])
            let values: [SQLBindable] = part
            let marks = Self.marks(part.count)
            var contacts = Dictionary(uniqueKeysWithValues: try c.rows(
                "SELECT \(db.contactColumns) FROM contacts WHERE id IN (\(marks))", values,
                SQLiteContactRepository.contact).map { ($0.id, $0) })
            try c.rows("SELECT contact_id, email, label FROM contact_emails WHERE contact_id IN (\(marks)) ORDER BY contact_id, position, id",
                       values) { (id: $0.int64(0), email: EmailAddress($0.string(1), label: $0.string(2))) }
                .forEach { contacts[$0.id]?.emails.append($0.email) }
            try c.rows("SELECT contact_id, number, label FROM contact_phones WHERE contact_id IN (\(marks)) ORDER BY contact_id, position, id",
                       values) { (id: $0.int64(0), phone: PhoneNumber($0.string(1), label: $0.string(2))) }
                .forEach { contacts[$0.id]?.phones.append($0.phone) }
            try c.rows("""
                SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                WHERE ct.contact_id IN (\(marks)) ORDER BY ct.contact_id, t.name
                """, values) { (id: $0.int64(0), tag: $0.string(1)) }
                .forEach { contacts[$0.id]?.tags.append($0.tag) }
            all += Self.ordered(Array(contacts.values), as: part)
        }
        return all
    }

    public func emailAddresses(contactIDs ids: [Int64]) throws -> [Int64: [String]] {
        var emails: [Int64: [String]] = [:]
        for start in stride(from: 0, to: ids.count, by: Self.chunk) {
            let part = Array(ids[start..<min(start + Self.chunk, ids.count)])
            try c.rows("SELECT contact_id, email FROM contact_emails WHERE contact_id IN (\(Self.marks(part.count))) ORDER BY contact_id, position, id",
                       part) { (id: $0.int64(0), email: $0.string(1)) }
                .forEach { emails[$0.id, default: []].append($0.email) }
        }
        return emails
    }

    public func companies(ids: [Int64]) throws -> [Company] {
        var all: [Company] = []
        for start in stride(from: 0, to: ids.count, by: Self.chunk) {
            let part = Array(ids[start..<min(start + Self.chunk, ids.count)])
            let rows = try c.rows("SELECT \(SQLiteCompanyRepository.columns) FROM companies WHERE id IN (\(Self.marks(part.count)))",
                                  part, SQLiteCompanyRepository.company)
            all += Self.ordered(rows, as: part)
        }
        return all
    }

    public func deals(_ filter: DealListFilter, afterID: Int64?, limit: Int) throws -> [DealCard] {
        var conds = ["d.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        if let pipeline = filter.pipelineID { conds.append("d.pipeline_id = ?"); values.append(pipeline) }
        if !filter.stageIDs.isEmpty {
            conds.append("d.stage_id IN (\(Self.marks(filter.stageIDs.count)))")
            values += filter.stageIDs.sorted()
        }
        if let status = filter.status { conds.append("d.status = ?"); values.append(status.rawValue) }
        if let owner = filter.ownerID { conds.append("d.owner_id = ?"); values.append(owner) }
        if let afterID { conds.append("d.id > ?"); values.append(afterID) }
        values.append(limit)
        return try c.rows("\(SQLiteDealRepository.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.id LIMIT ?",
                          values, SQLiteDealRepository.card)
    }

    public func openFollowUps(companyID: Int64) throws -> [FollowUpRow] {
        try c.rows("""
            \(SQLiteFollowUpRepository(db: db).rowSQL)
            WHERE f.status = 'open' AND f.deleted_at IS NULL
              AND (f.contact_id IN (SELECT id FROM contacts WHERE company_id = ? AND deleted_at IS NULL)
                   OR f.deal_id IN (SELECT id FROM deals WHERE company_id = ? AND deleted_at IS NULL))
            ORDER BY f.due_at, f.id
            """, [companyID, companyID], SQLiteFollowUpRepository.row)
    }
}
