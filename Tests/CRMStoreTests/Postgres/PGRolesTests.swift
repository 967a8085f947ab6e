import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The CRM's roles enforced by the database: a rep connecting with any
/// program (here SQL on a bare connection, as psql would send it) cannot
/// change pipelines, users or others' records; the database role is the CRM
/// user and cannot be spoofed. The test server trusts every local role, so
/// peer authentication is stood in for by the role a connection names.
final class PGRolesTests: XCTestCase {
    private struct Team {
        let server: TestPostgresServer
        let name: String
        let program: PostgresDatabase
        let users: PGUserRepository
        let rep: String, manager: String, admin: String
        func conninfo(_ user: String) -> String { server.conninfo(database: name, user: user) }
    }

    /// A database with an admin, a manager and a rep added through
    /// PGUserRepository. Role names are per-database (roles belong to the
    /// whole server, which every test shares).
    private func team() throws -> Team {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let program = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "boss_\(name)", liveRefresh: .poll)
        let users = PGUserRepository(db: program)
        let team = Team(server: server, name: name, program: program, users: users,
                        rep: "rita_\(name)", manager: "max_\(name)", admin: "ada_\(name)")
        _ = try users.add(login: team.rep, name: "Rita", role: .rep)
        _ = try users.add(login: team.manager, name: "Max", role: .manager)
        _ = try users.add(login: team.admin, name: "Ada", role: .admin)
        return team
    }

    private func refused(_ c: PGConnection, _ sql: String, _ params: [any PGBindable] = [], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try c.execute(sql, params), sql, file: file, line: line)
        XCTAssertEqual(c.lastError?.sqlState, "42501", "refused for lack of privilege: \(sql)", file: file, line: line)
    }

    /// A database restored from another server's dump (QA 30 #7) has
    /// neither its users' login roles nor its grants to the CRM's groups
    /// there. The repair, which opening it as the program runs when the
    /// groups are missing, makes both again: the rep works as before and is
    /// refused what a rep is refused. (The groups themselves are the
    /// server's, shared by every test: they stay.)
    func testARestoredDatabaseGetsItsUsersRolesAndGrantsBack() throws {
        let t = try team()
        let c = t.program.connection
        _ = try c.script("DROP ROLE \(t.rep)")
        _ = try c.script("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM crm_rep")
        XCTAssertThrowsError(try PGConnection(t.conninfo(t.rep)), "no such role on this server")
        try PGRolesRepair.run(c)
        let rep = try PGConnection(t.conninfo(t.rep))
        XCTAssertEqual(try rep.execute("INSERT INTO companies(name, created_at, updated_at) VALUES ('Acme', 0, 0)"), 1)
        refused(rep, "INSERT INTO pipelines(name, created_at) VALUES ('Mine', 0)")
        refused(rep, "DELETE FROM audit_log")
        XCTAssertTrue(try PGIdentity.session(c).hasGroups)
        // The repair runs the shipped schema's own statements.
        XCTAssertTrue(PGSchemaV30Roles.sql.hasPrefix(PGRolesRepair.groupsAndGrants))
        XCTAssertTrue(PGRolesRepair.groupsAndGrants.contains("GRANT ALL ON ALL TABLES IN SCHEMA public TO crm_admin"))
    }

    func testARepConnectingDirectlyCannotChangePipelinesUsersOrSettings() throws {
        let t = try team()
        let rep = try PGConnection(t.conninfo(t.rep))
        refused(rep, "INSERT INTO pipelines(name, created_at) VALUES ('Mine', 0)")
        refused(rep, "UPDATE stages SET probability = 100")
        refused(rep, "UPDATE users SET role = 'admin'")
        refused(rep, "INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1')")
        refused(rep, "DELETE FROM audit_log")
        // The daily work is allowed.
        XCTAssertEqual(try rep.execute("INSERT INTO companies(name, created_at, updated_at) VALUES ('Acme', 0, 0)"), 1)
        // An admin's role may change pipelines.
        let admin = try PGConnection(t.conninfo(t.admin))
        XCTAssertEqual(try admin.execute("INSERT INTO pipelines(name, created_at) VALUES ('Sales', 0)"), 1)
    }

    func testOnlyAManagerMovesSomeoneElsesRecordAndOnlyAnAdminDeletesForGood() throws {
        let t = try team()
        let ids = Dictionary(uniqueKeysWithValues: try t.users.all().map { ($0.login, $0.id) })
        let company = try XCTUnwrap(t.program.connection.integer(
            "INSERT INTO companies(name, created_at, updated_at, owner_id) VALUES ('Globex', 0, 0, ?) RETURNING id", [ids[t.manager]!]))
        let rep = try PGConnection(t.conninfo(t.rep))
        refused(rep, "UPDATE companies SET owner_id = $1::bigint WHERE id = $2::bigint", [ids[t.rep]!, company])
        XCTAssertEqual(try rep.execute("UPDATE companies SET name = 'Globex Inc' WHERE id = $1::bigint", [company]), 1)
        let manager = try PGConnection(t.conninfo(t.manager))
        XCTAssertEqual(try manager.execute("UPDATE companies SET owner_id = $1::bigint WHERE id = $2::bigint", [ids[t.rep]!, company]), 1)
        // Now the rep's own: they may hand it on.
        XCTAssertEqual(try rep.execute("UPDATE companies SET owner_id = $1::bigint WHERE id = $2::bigint", [ids[t.manager]!, company]), 1)
        // Deleting for good: the row is not the rep's to delete (no import).
        XCTAssertEqual(try rep.execute("DELETE FROM companies WHERE id = $1::bigint", [company]), 0)
        XCTAssertEqual(try manager.execute("DELETE FROM companies WHERE id = $1::bigint", [company]), 0)
        let admin = try PGConnection(t.conninfo(t.admin))
        XCTAssertEqual(try admin.execute("DELETE FROM companies WHERE id = $1::bigint", [company]), 1)
    }

    /// QA 33 #2: a rep with psql wrote audit entries and notes in a
    /// colleague's name and re-credited a colleague's call. The audit row a
    /// rep's session adds names the rep whatever the statement says; a note
    /// may name only its writer, and who a stored one names is the admin's
    /// to change.
    func testARepWritesTheAuditAndNotesOnlyInTheirOwnName() throws {
        let t = try team()
        let ids = Dictionary(uniqueKeysWithValues: try t.users.all().map { ($0.login, $0.id) })
        let rep = try PGConnection(t.conninfo(t.rep))
        let forged = try XCTUnwrap(rep.integer("""
            INSERT INTO audit_log(at, user_id, entity, entity_id, action, changes)
            VALUES (0, $1::bigint, 'deal', 29, 'update', '{}') RETURNING user_id
            """, [ids[t.manager]!]))
        XCTAssertEqual(forged, ids[t.rep], "recorded as the rep who wrote it")
        refused(rep, "INSERT INTO interactions(kind, occurred_at, body, author_id, created_at) VALUES ('note', 0, 'forged', $1::bigint, 0)",
                [ids[t.manager]!])
        let mine = try XCTUnwrap(rep.integer(
            "INSERT INTO interactions(kind, occurred_at, body, author_id, created_at) VALUES ('note', 0, 'mine', $1::bigint, 0) RETURNING id",
            [ids[t.rep]!]))
        let theirs = try XCTUnwrap(t.program.connection.integer(
            "INSERT INTO interactions(kind, occurred_at, body, author_id, created_at) VALUES ('call', 0, 'theirs', $1::bigint, 0) RETURNING id",
            [ids[t.manager]!]))
        refused(rep, "UPDATE interactions SET author_id = $1::bigint WHERE id = $2::bigint", [ids[t.rep]!, theirs])
        refused(rep, "UPDATE interactions SET author_id = $1::bigint WHERE id = $2::bigint", [ids[t.manager]!, mine])
        XCTAssertEqual(try rep.execute("UPDATE interactions SET body = 'mine, edited' WHERE id = $1::bigint", [mine]), 1)
        refused(rep, "INSERT INTO deal_stage_history(deal_id, to_stage_id, changed_at, changed_by) VALUES (NULL, NULL, 0, $1::bigint)",
                [ids[t.manager]!])
        // An admin may write for anyone (a restore, a correction).
        let admin = try PGConnection(t.conninfo(t.admin))
        XCTAssertEqual(try admin.execute("UPDATE interactions SET author_id = $1::bigint WHERE id = $2::bigint", [ids[t.rep]!, theirs]), 1)
    }

    /// QA 33 #3: any rep deleted any imported contact for good (and could
    /// mark any contact imported first). Only the rep whose import it was,
    /// or an admin, deletes an import's rows; nobody but an admin changes
    /// which import a row came from, or makes an import in another's name.
    func testOnlyTheImportsOwnRepDeletesItsRowsForGood() throws {
        let t = try team()
        let ids = Dictionary(uniqueKeysWithValues: try t.users.all().map { ($0.login, $0.id) })
        let rep = try PGConnection(t.conninfo(t.rep))
        let batch = try XCTUnwrap(rep.integer(
            "INSERT INTO import_batches(label, user_id, created_at) VALUES ('a.csv', $1::bigint, 0) RETURNING id", [ids[t.rep]!]))
        refused(rep, "INSERT INTO import_batches(label, user_id, created_at) VALUES ('b.csv', $1::bigint, 0)", [ids[t.manager]!])
        let imported = try XCTUnwrap(rep.integer(
            "INSERT INTO contacts(name, batch_id, created_at, updated_at) VALUES ('Imported', $1::bigint, 0, 0) RETURNING id", [batch]))
        let typed = try XCTUnwrap(rep.integer("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Typed', 0, 0) RETURNING id"))
        refused(rep, "UPDATE contacts SET batch_id = $1::bigint WHERE id = $2::bigint", [batch, typed])
        let manager = try PGConnection(t.conninfo(t.manager))
        XCTAssertEqual(try manager.execute("DELETE FROM contacts WHERE batch_id IS NOT NULL"), 0, "not the manager's import")
        XCTAssertEqual(try rep.execute("DELETE FROM contacts WHERE id = $1::bigint", [typed]), 0, "not imported")
        XCTAssertEqual(try rep.execute("DELETE FROM contacts WHERE batch_id = $1::bigint", [batch]), 1, "the rep undoes their own import")
        XCTAssertEqual(try t.program.connection.integer("SELECT count(*) FROM contacts WHERE id = $1::bigint", [imported]), 0)
    }

    /// QA 33 #1: a rep with psql added a thousand deals to a stage's total
    /// on the manager's board, and emptied the name words and the report's
    /// stage stays, with no trace. The tables the database keeps from the
    /// others are written by its functions only: no CRM role writes them,
    /// nor runs the recounts that take arguments.
    func testNoRoleWritesTheTablesTheDatabaseKeeps() throws {
        let t = try team()
        for login in [t.rep, t.manager, t.admin] {
            let c = try PGConnection(t.conninfo(login))
            for table in PGSchemaV76DerivedTablesKeptByTheDatabase.tables {
                let column = try XCTUnwrap(c.scalar("""
                    SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1::text
                    ORDER BY ordinal_position LIMIT 1
                    """, [table]), table)
                refused(c, "INSERT INTO \(table) DEFAULT VALUES")
                refused(c, "UPDATE \(table) SET \(column) = \(column)")
                refused(c, "DELETE FROM \(table)")
                if try c.scalar("SELECT relkind::text FROM pg_class WHERE oid = $1::text::regclass", [table]) == "r" {
                    refused(c, "TRUNCATE \(table)")
                }
            }
            refused(c, "SELECT crm_value_tier_rank_sums(0.01, 0.02)")
            refused(c, "SELECT crm_report_recount_all()")
            refused(c, "SELECT crm_report_move_stays_of(1)")
        }
        // Every table a rep may write is one the program writes in a user's
        // session: a new table is one or the other (step 76's list).
        let writable = try t.program.connection.rows("""
            SELECT c.relname::text FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
              AND (has_table_privilege('crm_rep', c.oid, 'INSERT') OR has_table_privilege('crm_rep', c.oid, 'UPDATE')
                   OR has_table_privilege('crm_rep', c.oid, 'DELETE'))
            ORDER BY 1
            """) { $0.string(0) }
        XCTAssertEqual(writable, [
            "audit_log", "companies", "company_search", "contact_emails", "contact_lifecycle_history", "contact_phones", "contact_search",
            "contact_tags", "contacts", "crm_commits", "deal_stage_history", "deals", "follow_ups", "import_batches", "import_merges",
            "interactions", "tags", "trash_links", "value_tier_state",
        ])
        // Every function that writes runs as the database's owner, with a
        // search path no temporary table comes before.
        let invokers = try t.program.connection.rows("""
            SELECT p.oid::regprocedure::text FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'crm\\_%' AND p.provolatile = 'v'
              AND NOT (p.proname = ANY($1::text[]))
              AND NOT (p.prosecdef AND 'search_path=public, pg_temp' = ANY(p.proconfig))
            ORDER BY 1
            """, [PGArrayLiteral.texts(PGSchemaV76DerivedTablesKeptByTheDatabase.checksOnly)]) { $0.string(0) }
        XCTAssertEqual(invokers, [], "functions a later step replaced without SECURITY DEFINER and the search path")
    }

    /// The rep's daily work through the program still keeps those tables:
    /// a contact, a deal moved on the board, a call logged, a follow-up, an
    /// import, and the windows moved when the rep opens the database a day
    /// later; a temporary table of the rep's named like one of them takes
    /// nothing from it.
    func testARepsWorkKeepsTheTablesTheDatabaseKeeps() throws {
        let t = try team()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_780_000_000))
        let pipelines = PGPipelineRepository(db: t.program)
        let p = try pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
                                                               Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50)])
        let stages = try pipelines.stages(pipelineID: p.id)
        let rep = try PostgresDatabase(conninfo: t.conninfo(t.rep), clock: clock, liveRefresh: .poll)
        let c = rep.connection
        try c.run("CREATE TEMP TABLE deal_board_totals (LIKE public.deal_board_totals)")
        let contact = try rep.contactRepository.create(Contact(name: "Zebulon Quartermaine", emails: [EmailAddress("zq@example.com")],
                                                               lifecycle: .customer))
        _ = try rep.contactRepository.create(Contact(name: "Zebulon Quartermaine", emails: [EmailAddress("ZQ@example.com")]))
        let deal = try rep.dealRepository.create(Deal(pipelineID: p.id, stageID: stages[0].id, title: "Fleet",
                                                      value: Money(minorUnits: 5_000, currency: .eur), contactID: contact.id))
        _ = try rep.dealRepository.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        _ = try rep.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, occurredAt: clock.now, body: "Called",
                                                          authorID: rep.currentUser.id, createdAt: clock.now))
        _ = try rep.followUpRepository.create(FollowUp(contactID: contact.id, assigneeID: rep.currentUser.id, title: "Call back",
                                                       dueAt: clock.now.addingTimeInterval(86_400), createdAt: clock.now))
        var source: any ImportSource = ImportRows([.contact(ImportContact(line: 2, name: "Imogen Ashcroft", company: "Ashcroft Ltd"))])
        _ = try rep.importRepository.importContacts(from: &source, options: ImportOptions(label: "a.csv"), progress: nil) { _ in }
        try c.run("DROP TABLE pg_temp.deal_board_totals")

        let program = t.program.connection
        XCTAssertEqual(try program.rows("SELECT stage_id, deals FROM deal_board_totals WHERE deals > 0 ORDER BY 1") { [$0.int64(0), $0.int64(1)] },
                       [[stages[1].id, 1]], "the move reached the real totals, not the temporary table")
        XCTAssertEqual(try program.integer("SELECT n FROM contact_email_key_counts WHERE email = 'zq@example.com'"), 2)
        // The report tables are what counting them again from the rows gives
        // (but for the ids of the rows written anew).
        let reportTables = ["report_stage_stays", "report_interaction_days", "report_follow_up_days", "report_deal_seen"]
        func reportRows() throws -> [[String]] {
            try reportTables.map { table in try program.rows("SELECT (to_jsonb(t) - 'id')::text FROM \(table) t ORDER BY 1") { $0.string(0) } }
        }
        let kept = try reportRows()
        XCTAssertFalse(kept[0].isEmpty, "the move's stays")
        try program.run("SELECT crm_report_recount_all()")
        XCTAssertEqual(try reportRows(), kept)
        XCTAssertEqual(try rep.contactRepository.search("quarterm", filter: ContactFilter(), limit: 5).count, 2)
        XCTAssertEqual(try rep.contactRepository.search("ashcr", filter: ContactFilter(), limit: 5).map(\.name), ["Imogen Ashcroft"])

        // Two days on, the rep's program opens the database: both windows move.
        clock.now = clock.now.addingTimeInterval(2 * 86_400)
        _ = try PostgresDatabase(conninfo: t.conninfo(t.rep), clock: clock, liveRefresh: .poll)
        let day = InteractionYearWindow.dayStart(clock.now.wholeSecondsSince1970)
        XCTAssertEqual(try program.integer("SELECT as_of FROM contact_year_window"), day)
        XCTAssertEqual(try program.integer("SELECT as_of FROM customer_activity_window"), day)
        XCTAssertEqual(try program.integer("SELECT interactions FROM contact_year_interactions WHERE contact_id = $1::bigint", [contact.id]), 1)
        XCTAssertEqual(try program.integer("SELECT recent FROM customer_activity WHERE contact_id = $1::bigint", [contact.id]), 1)
    }

    func testTheDatabaseRoleIsTheCRMUserAndCannotBeSpoofed() throws {
        let t = try team()
        let asRep = try PostgresDatabase(conninfo: t.conninfo(t.rep), liveRefresh: .poll)
        XCTAssertEqual(asRep.currentUser.login, t.rep)
        XCTAssertEqual(asRep.currentUser.role, .rep)
        XCTAssertThrowsError(try PostgresDatabase(conninfo: t.conninfo(t.rep), login: t.admin, liveRefresh: .poll)) { error in
            XCTAssertEqual((error as? UserRefusal)?.kind, .notPermitted, "\(error)")
        }
        // Even an admin is a person, not the program: no acting as a colleague.
        XCTAssertThrowsError(try PostgresDatabase(conninfo: t.conninfo(t.admin), login: t.rep, liveRefresh: .poll))
        // A server role no admin added to the CRM.
        try t.program.connection.script("CREATE ROLE stranger_\(t.name) LOGIN")
        XCTAssertThrowsError(try PostgresDatabase(conninfo: t.conninfo("stranger_\(t.name)"), liveRefresh: .poll)) { error in
            XCTAssertEqual((error as? UserRefusal)?.kind, .unknownUser, "\(error)")
        }
    }

    func testAnAdminsLoginAddsUsersAndRoleChangesAndDeactivationReachTheDatabase() throws {
        let t = try team()
        let admin = try PostgresDatabase(conninfo: t.conninfo(t.admin), liveRefresh: .poll)
        let users = PGUserRepository(db: admin)
        let newRep = "nora_\(t.name)"
        _ = try users.add(login: newRep, name: "Nora", role: .rep)
        let nora = try PGConnection(t.conninfo(newRep))
        refused(nora, "INSERT INTO pipelines(name, created_at) VALUES ('Nora''s', 0)")
        _ = try users.setRole(login: newRep, role: .admin)
        XCTAssertEqual(try PGConnection(t.conninfo(newRep)).execute("INSERT INTO pipelines(name, created_at) VALUES ('Nora''s', 0)"), 1)
        _ = try users.setRole(login: newRep, role: .rep)
        refused(try PGConnection(t.conninfo(newRep)), "INSERT INTO pipelines(name, created_at) VALUES ('Again', 0)")
        _ = try users.deactivate(login: newRep, handover: HandoverPlan())
        XCTAssertThrowsError(try PGConnection(t.conninfo(newRep)), "a deactivated user's role may not log in")
        _ = try users.reactivate(login: newRep)
        XCTAssertNoThrow(try PGConnection(t.conninfo(newRep)))
        // Audited as on SQLite.
        let actions = try admin.audit.entries(entity: "user", id: try XCTUnwrap(users.find(login: newRep)).id).map(\.action)
        XCTAssertEqual(Set(actions), ["create", "update", "deactivate", "reactivate"])
    }
}
