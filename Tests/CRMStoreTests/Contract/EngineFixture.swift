import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// One user's session on one engine, seen only through the repository
/// protocols, so a check written once runs on SQLite and on PostgreSQL.
struct EngineSession {
    let login: String
    let userID: Int64
    let pipelines: any PipelineRepository
    let deals: any DealRepository
    let interactions: any InteractionRepository
    let followUps: any FollowUpRepository
    let agenda: any AgendaRepository
    let externalLog: any ExternalLogRepository
    let audit: (_ entity: String, _ id: Int64) throws -> [AuditEntry]
    /// A company or contact row, as each engine's tests may write one (the
    /// contact repositories are not this contract's business).
    let addCompany: (_ name: String) throws -> Int64
    let addContact: (_ name: String, _ companyID: Int64?) throws -> Int64
    let addEmail: (_ contactID: Int64, _ address: String) throws -> Void
    /// The server process of this session (PostgreSQL), nil on SQLite.
    let backendPID: () throws -> Int64?
    /// One unit of work on this session's engine.
    let transaction: (_ body: () throws -> Void) throws -> Void
    /// The whole seam of this session, as the screens and commands hold it.
    let repositories: any CRMRepositories
}

/// A fresh database on one engine; `open` signs a user in on it (the first
/// one is its admin), every session on the same database and clock.
final class EngineFixture {
    let name: String
    /// The PostgreSQL database's connection string (nil on SQLite).
    private(set) var conninfo: String?
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01 00:00 UTC
    let open: (_ login: String) throws -> EngineSession
    private var keep: [AnyObject] = []

    private init(name: String, open: @escaping (EngineFixture, String) throws -> EngineSession) {
        self.name = name
        var me: EngineFixture?
        self.open = { login in try open(me!, login) }
        me = self
    }

    func retain(_ object: AnyObject) { keep.append(object) }

    static func sqlite() -> EngineFixture {
        let folder = TempFolder()
        let fixture = EngineFixture(name: "SQLite") { fixture, login in
            let db = try Database(path: folder.path("crm.db"), login: login, clock: fixture.clock)
            fixture.retain(db)
            return EngineSession(
                login: login, userID: db.currentUser.id, pipelines: db.pipelines, deals: db.deals,
                interactions: db.interactions, followUps: db.followUps, agenda: db.agenda,
                externalLog: db.externalLogRepository,
                audit: { try db.audit.entries(entity: $0, id: $1) },
                addCompany: { try db.companies.create(Company(name: $0)).id },
                addContact: { try db.contacts.create(Contact(name: $0, companyID: $1)).id },
                addEmail: { id, address in
                    try db.connection.run("INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, '', 0)", [id, address])
                },
                backendPID: { nil },
                transaction: { body in try db.transaction { try body() } },
                repositories: db)
        }
        fixture.retain(folder)
        return fixture
    }

    static func postgres() throws -> EngineFixture {
        let server = try TestPostgresServer.require()
        let info = server.conninfo(database: try server.makeMigratedDatabase())
        let fixture = EngineFixture(name: "PostgreSQL") { fixture, login in
            // Later users are let in as on SQLite (created on first use).
            let setup = try PostgresDatabase(conninfo: info)
            try setup.connection.run("""
                INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1') ON CONFLICT (key) DO NOTHING
                """)
            let db = try PostgresDatabase(conninfo: info, login: login, clock: fixture.clock)
            fixture.retain(db)
            let now = { fixture.clock.now }
            return EngineSession(
                login: login, userID: db.currentUser.id, pipelines: PGPipelineRepository(db: db), deals: PGDealRepository(db: db),
                interactions: PGInteractionRepository(db: db), followUps: PGFollowUpRepository(db: db),
                agenda: PGAgendaRepository(db: db), externalLog: PGExternalLogRepository(db: db),
                audit: { try db.audit.entries(entity: $0, id: $1) },
                addCompany: { name in
                    try XCTUnwrap(db.connection.integer("""
                        INSERT INTO companies(name, created_at, updated_at, sort_key, name_key) VALUES (?, ?, ?, ?, ?) RETURNING id
                        """, [name, now(), now(), NameSortKey.of(name), name.lowercased()]))
                },
                addContact: { name, companyID in
                    try XCTUnwrap(db.connection.integer("""
                        INSERT INTO contacts(name, company_id, created_at, updated_at, sort_key, name_key) VALUES (?, ?, ?, ?, ?, ?) RETURNING id
                        """, [name, companyID, now(), now(), NameSortKey.of(name), name.lowercased()]))
                },
                addEmail: { id, address in
                    try db.connection.run("INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, '', 0)", [id, address])
                },
                backendPID: { try db.connection.integer("SELECT pg_backend_pid()") },
                transaction: { body in try db.transaction { try body() } },
                repositories: db)
        }
        fixture.conninfo = info
        return fixture
    }
}
