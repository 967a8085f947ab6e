import CRMCore
import CRMRepositories
import Foundation

/// Companies on PostgreSQL, as SQLiteCompanyRepository: the same keys,
/// versions, audit records, trash links, name order and search.
public final class PGCompanyRepository: CompanyRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    public func create(_ company: Company) throws -> Company {
        try ValidationFailure.check(company.validate())
        return try c.transaction {
            let now = db.clock.now
            guard let id = try c.integer("""
                INSERT INTO companies(name, sort_key, name_key, domain, phone, address, notes, owner_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::bigint, ?::bigint, ?::bigint) RETURNING id
                """, [company.name, NameSortKey.of(company.name), DuplicateKey.name(company.name), company.domain, company.phone,
                      company.address, company.notes, company.ownerID ?? db.currentUser.storedID, now, now]) else {
                throw RepositoryError.failed(Diagnostic(engine: "PostgreSQL", code: 0, message: "INSERT … RETURNING id gave no row"))
            }
            try PGSearchDocument.refreshCompanies(c, ids: [id])
            try db.audit.record("company", id, "create", changes: ["name": ("", company.name)])
            return try get(id)!
        }
    }

    public func get(_ id: Int64) throws -> Company? {
        try c.first("SELECT \(Self.columns) FROM companies WHERE id = ?::bigint", [id], Self.company)
    }

    static let columns = "id, name, domain, phone, address, notes, owner_id, created_at, updated_at, deleted_at, version"

    static func company(_ row: PGRow) -> Company {
        Company(id: row.int64(0), name: row.string(1), domain: row.string(2), phone: row.string(3),
                address: row.string(4), notes: row.string(5), ownerID: row.optionalInt64(6), createdAt: row.date(7),
                updatedAt: row.date(8), deletedAt: row.optionalDate(9), version: row.int64(10))
    }

    /// The live company of that name, ASCII case ignored (SQLite's NOCASE).
    public func find(name: String) throws -> Company? {
        if let exact = try c.first("""
            SELECT \(Self.columns) FROM companies
            WHERE translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
                  = translate(?, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
              AND deleted_at IS NULL ORDER BY id LIMIT 1
            """, [name], Self.company) { return exact }
        // Else named as the import and the duplicate check compare names.
        let key = DuplicateKey.name(name)
        guard !key.isEmpty else { return nil }
        return try c.first("""
            SELECT \(Self.columns) FROM companies WHERE name_key = ? AND deleted_at IS NULL ORDER BY id LIMIT 1
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
            let updated = try c.run("""
                UPDATE companies SET name = ?, sort_key = ?, name_key = ?, domain = ?, phone = ?, address = ?, notes = ?, owner_id = ?::bigint,
                       updated_at = ?::bigint, version = version + 1 WHERE id = ?::bigint AND version = ?::bigint
                """, [company.name, NameSortKey.of(company.name), DuplicateKey.name(company.name), company.domain, company.phone,
                      company.address, company.notes, company.ownerID, db.clock.now, company.id, company.version])
            guard updated == 1 else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: company.id, expected: company.version)
            }
            try PGSearchDocument.refreshCompanies(c, ids: [company.id])
            if old.name != company.name {
                // Its contacts are found by the company's name (SQLite's companies_fts_update trigger).
                let contacts = try c.rows("SELECT id FROM contacts WHERE company_id = ?::bigint", [company.id]) { $0.int64(0) }
                try PGSearchDocument.refreshContacts(c, ids: contacts)
            }
            try db.audit.record("company", company.id, "update", values: changes.values)
            return try get(company.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try PGTrash(db: db).trash(.company, id)
    }

    public func restore(_ id: Int64) throws {
        _ = try PGTrash(db: db).restore(.company, id)
    }

    static let summarySQL = """
        SELECT co.id, co.name, co.domain,
               (SELECT count(*) FROM contacts c WHERE c.company_id = co.id AND c.deleted_at IS NULL),
               u.login, co.version
        FROM companies co LEFT JOIN users u ON u.id = co.owner_id
        """

    static func summary(_ row: PGRow) -> CompanySummary {
        CompanySummary(id: row.int64(0), name: row.string(1), domain: row.string(2), contactCount: row.int(3),
                       ownerLogin: row.optionalString(4), version: row.int64(5))
    }

    /// In name order (`NameSortKey`, as the contact list); a cursor's name
    /// is compared by its sort key.
    public func list(after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary] {
        try page(conditions: [], values: [], after: cursor, limit: limit)
    }

    public func search(_ text: String, after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary] {
        let query = SearchQuery(text)
        guard query.scope != .everything else { return try list(after: cursor, limit: limit) }
        guard let words = PGSearchDocument.query(query) else { return [] }
        return try page(conditions: ["co.id IN (SELECT company_id FROM company_search WHERE words @@ ?::tsquery)"], values: [words],
                        after: cursor, limit: limit)
    }

    private func page(conditions: [String], values: [any PGBindable], after cursor: (name: String, id: Int64)?,
                      limit: Int) throws -> [CompanySummary] {
        var conds = ["co.deleted_at IS NULL"] + conditions
        var values = values
        if let cursor {
            conds.append("(co.sort_key, co.id) > (?, ?::bigint)")
            values += [NameSortKey.of(cursor.name), cursor.id]
        }
        return try c.rows("""
            \(Self.summarySQL) WHERE \(conds.joined(separator: " AND "))
            ORDER BY co.sort_key, co.id LIMIT ?::bigint
            """, values + [limit], Self.summary)
    }
}
