import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The search part of the PostgreSQL schema: the extensions it needs, the
/// sentence a server without them (or a user who may not create them)
/// gets, and that the search queries use their indexes.
final class PGSearchSchemaTests: XCTestCase {
    func testAUserWhoMayNotCreateTheExtensionsGetsOneSentence() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeDatabase()
        let admin = try PGConnection(server.conninfo(database: name))
        let role = "rep_\(getpid())"
        // CREATEROLE: crm's users are roles (refused before the extensions without it).
        try admin.execute("CREATE ROLE \(role) LOGIN CREATEROLE")
        try admin.execute("ALTER DATABASE \(name) OWNER TO \(role)")
        try admin.execute("GRANT ALL ON SCHEMA public TO \(role)")
        // The owner may create trusted extensions only with CREATE on the database.
        try admin.execute("REVOKE CREATE ON DATABASE \(name) FROM \(role)")
        XCTAssertThrowsError(try PostgresDatabase(conninfo: server.conninfo(database: name, user: role))) { error in
            guard case RepositoryError.unavailable(_, let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, """
                the extensions "unaccent" and "pg_trgm" must be created by the database owner: run CREATE EXTENSION unaccent; \
                CREATE EXTENSION pg_trgm; as the owner of this database (psql), then open it again
                """)
        }
        XCTAssertEqual(try admin.scalar("SELECT to_regclass('contacts') IS NULL"), "t", "nothing of the step stays")
        // Created by whoever may, the step then goes through for the user.
        try admin.execute("CREATE EXTENSION unaccent")
        try admin.execute("CREATE EXTENSION pg_trgm")
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name, user: role))
        XCTAssertEqual(db.schemaVersion, PostgresDatabase.supportedSchemaVersion)
    }

    func testAMissingExtensionIsNamed() {
        let error = PGError(kind: .statement, sqlState: "CRMX1", message: "the PostgreSQL extension \"pg_trgm\" is not installed")
        guard case RepositoryError.unavailable(let path, let reason, _) = error.repositoryError(target: "postgresql:///crm") else {
            return XCTFail()
        }
        XCTAssertEqual(path, "postgresql:///crm")
        XCTAssertEqual(reason, "the PostgreSQL extension \"pg_trgm\" is not installed")
    }

    func testTheSearchDocumentsAreWhatFTS5Indexes() {
        // Persian/Arabic letter forms folded, accents and case gone, CJK bigrams appended, columns apart.
        XCTAssertEqual(PGSearchDocument.vector(["José Müller", "Acme"]), "'jose':1A 'muller':2A 'acme':4")
        XCTAssertEqual(PGSearchDocument.vector(["علي", ""]), "'علی':1A")
        XCTAssertEqual(PGSearchDocument.vector(["李秀英"]), "'李秀英':1A '李秀':2A '秀英':3A '李':4A '秀':5A '英':6A")
        XCTAssertEqual(PGSearchDocument.query(SearchQuery("o'brien 客户希")), "('o' <-> 'brien':*) & ('客户' <-> '户希')")
        XCTAssertEqual(PGSearchDocument.query(SearchQuery("Ann"), nameOnly: true), "'ann':*A")
        XCTAssertNil(PGSearchDocument.query(SearchQuery("--")))
    }

    /// With the planner told to avoid sequential scans where it can, the
    /// search conditions are answered from their indexes (a small table
    /// would otherwise be scanned, which says nothing).
    func testSearchesUseTheirIndexes() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara")
        let contacts = PGContactRepository(db: db)
        for i in 0..<50 {
            _ = try contacts.create(Contact(name: "Person \(i)", phones: [PhoneNumber("+49 30 55\(1000 + i)")]))
        }
        try db.connection.execute("ANALYZE")
        try db.connection.execute("SET enable_seqscan = off")
        func plan(_ sql: String, _ params: [any PGBindable]) throws -> String {
            try db.connection.query("EXPLAIN " + sql, params).map { $0.string(0) }.joined(separator: "\n")
        }
        let words = try plan("SELECT contact_id FROM contact_search WHERE words @@ $1::tsquery", ["'pers':*A"])
        XCTAssertTrue(words.contains("contact_search_by_word"), words)
        let digits = try plan("SELECT id FROM contact_phones p WHERE p.digits LIKE $1", ["%551%"])
        XCTAssertTrue(digits.contains("contact_phones_by_digits_trgm"), digits)
        let names = try plan("SELECT id FROM contacts c WHERE c.deleted_at IS NULL AND c.sort_key >= $1 AND c.sort_key < $2 ORDER BY c.sort_key, c.id LIMIT 10",
                             ["PERSON\u{1}", "PERSON\u{2}"])
        XCTAssertTrue(names.contains("contacts_by_name"), names)
    }
}
