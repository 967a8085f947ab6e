import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteCompanyRepository: CompanyRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func create(_ company: Company) throws -> Company {
        try ValidationFailure.check(company.validate())
        return try c.transaction {
            let now = db.clock.now
            try c.run("""
                INSERT INTO companies(name, sort_key, name_key, domain, phone, address, notes, owner_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [company.name, NameSortKey.of(company.name), DuplicateKey.name(company.name), company.domain, company.phone, company.address, company.notes,
                      company.ownerID ?? db.currentUser.storedID, now, now])
            let id = c.lastInsertRowID
            try db.audit.record("company", id, "create", changes: ["name": ("", company.name)])
            return try get(id)!
        }
    }

    public func get(_ id: Int64) throws -> Company? {
        try c.first("SELECT \(Self.columns) FROM companies WHERE id = ?", [id], Self.company)
    }

    static let columns = "id, name, domain, phone, address, notes, owner_id, created_at, updated_at, deleted_at, version"

    static func company(_ row: Row) -> Company {
        Company(id: row.int64(0), name: row.string(1), domain: row.string(2), phone: row.string(3),
                address: row.string(4), notes: row.string(5), ownerID: row.optionalInt64(6), createdAt: row.date(7),
                updatedAt: row.date(8), deletedAt: row.optionalDate(9), version: row.int64(10))
    }

    public func find(name: String) throws -> Company? {
        if let exact = try c.first("""
            SELECT \(Self.columns)
            FROM companies WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY id LIMIT 1
            """, [name], Self.company) { return exact }
        // Else named as the import and the duplicate check compare names:
        // accents, Arabic/Persian letter forms, joiners and spacing folded.
        let key = DuplicateKey.name(name)
        guard !key.isEmpty else { return nil }
        return try c.first("""
            SELECT \(Self.columns)
            FROM companies WHERE name_key = ? AND deleted_at IS NULL ORDER BY id LIMIT 1
            """, [key], Self.company)
    }

    public func update(_ company: Company) throws -> Company {
        try ValidationFailure.check(company.validate())
        return try c.transaction {
            guard let old = try get(company.id), old.deletedAt == nil, old.version == company.version else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: company.id, expected: company.version)
            }
            let changes = FieldChanges.company(old, company)
            if changes.isEmpty { return old }
            try UserRefusal.checkReassigning(from: old.ownerID, to: company.ownerID, by: db.currentUser, what: old.name)
            try c.run("""
                UPDATE companies SET name = ?, sort_key = ?, name_key = ?, domain = ?, phone = ?, address = ?, notes = ?, owner_id = ?,
                       updated_at = ?, version = version + 1 WHERE id = ? AND version = ?
                """, [company.name, NameSortKey.of(company.name), DuplicateKey.name(company.name), company.domain, company.phone,
                      company.address, company.notes, company.ownerID, db.clock.now, company.id, company.version])
            try db.audit.record("company", company.id, "update", values: changes.values)
            return try get(company.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try db.trash.trash(.company, id)
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see SQLiteTrashRepository).
        _ = try db.trash.restore(.company, id)
    }

    static let summarySQL = """
        SELECT co.id, co.name, co.domain,
               (SELECT count(*) FROM contacts c WHERE c.company_id = co.id AND c.deleted_at IS NULL),
               u.login, co.version
        FROM companies co LEFT JOIN users u ON u.id = co.owner_id
        """

    static func summary(_ row: Row) -> CompanySummary {
        CompanySummary(id: row.int64(0), name: row.string(1), domain: row.string(2), contactCount: row.int(3),
                       ownerLogin: row.optionalString(4), version: row.int64(5))
    }

    /// The name order (`NameSortKey`, as the contact list): the indexed
    /// `sort_key`, or on a file read at a schema older than 11 the name
    /// without ASCII case, as then.
    private var nameKey: String { db.hasSortKey ? "co.sort_key" : "co.name COLLATE NOCASE" }

    /// What the sort column holds for a cursor's name.
    private func keyValue(_ name: String) -> String { db.hasSortKey ? NameSortKey.of(name) : name }

    public func list(after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary] {
        if let cursor {
            return try c.rows("""
                \(Self.summarySQL) WHERE co.deleted_at IS NULL AND (\(nameKey), co.id) > (?, ?)
                ORDER BY \(nameKey), co.id LIMIT ?
                """, [keyValue(cursor.name), cursor.id, limit], Self.summary)
        }
        return try c.rows("""
            \(Self.summarySQL) WHERE co.deleted_at IS NULL ORDER BY \(nameKey), co.id LIMIT ?
            """, [limit], Self.summary)
    }

    public func search(_ text: String, after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary] {
        let query = SearchQuery(text)
        guard query.scope != .everything else { return try list(after: cursor, limit: limit) }
        guard let match = query.ftsMatch else { return [] }
        var conds = ["co.deleted_at IS NULL", "co.id IN (SELECT rowid FROM company_fts WHERE company_fts MATCH ?)"]
        var values: [SQLBindable] = [match]
        if let cursor {
            conds.append("(\(nameKey), co.id) > (?, ?)")
            values += [keyValue(cursor.name), cursor.id]
        }
        return try c.rows("""
            \(Self.summarySQL) WHERE \(conds.joined(separator: " AND "))
            ORDER BY \(nameKey), co.id LIMIT ?
            """, values + [limit], Self.summary)
    }
}
