import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm user` and `--user` on the real binary: unknown logins, roles on the
/// CLI, a handover with its list, and its undo.
final class UserCommandE2ETests: XCTestCase {
    var run: CRMRun!
    var db: String { run.folder.appendingPathComponent("team.db").path }

    override func setUpWithError() throws { run = try CRMRun.temporary("users") }
    override func tearDown() { run.remove() }

    /// The team: tester (the first user, so the admin), sara and omid (reps).
    func team() throws {
        // The first add starts the file, and says whose it is.
        let first = try run.crm("user", "add", "sara", "--name", "Sara Lindqvist", "--db", db)
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertEqual(first.out, "created the new database \(db); you (tester) are its admin\nadded sara (Sara Lindqvist) as a rep\n")
        let second = try run.crm("user", "add", "omid", "--db", db)
        XCTAssertEqual(second.status, 0)
        XCTAssertEqual(second.out, "added omid (omid) as a rep\n")
    }

    func testUnknownUserExits67WithTheSuggestionOnEveryDoor() throws {
        try team()
        // An import signs in as every command does (QA 43 #2: it created the login).
        let csv = run.path("people.csv")
        try "Name,E-mail\nAda Lovelace,ada@example.com\n".write(toFile: csv, atomically: true, encoding: .utf8)
        for args in [["followups", "--user", "Sara"], ["agenda", "--user", "Sara"], ["user", "list", "--user", "Sara"],
                     ["log", "--contact", "1", "--type", "note", "--body", "x", "--user", "Sara"],
                     ["merge", "contact", "1", "2", "--user", "Sara"], ["user", "add", "x", "--user", "Sara"],
                     ["import", csv, "--user", "Sara"], ["import", csv, "--dry-run", "--user", "Sara"]] {
            let r = try run.crm(args + ["--db", db])
            XCTAssertEqual(r.status, 67, "crm \(args.joined(separator: " ")): \(r.err)")
            XCTAssertEqual(r.firstErrorLine, "crm: no user 'Sara'; did you mean 'sara'? An admin adds users with `crm user add`",
                           args.joined(separator: " "))
        }
        let list = try run.crm("user", "list", "--json", "--db", db)
        let users = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: [[String: Any]]])?["users"])
        XCTAssertEqual(users.map { $0["login"] as? String }, ["omid", "sara", "tester"], "no second Sara")
        XCTAssertEqual(users.map { $0["role"] as? String }, ["rep", "rep", "admin"])
    }

    /// QA 41 #3: on a database that creates logins on first use, a mistyped
    /// `crm user` (64) or one a stranger may not do (77) created the caller
    /// first. Neither writes anything now.
    func testAMistypedOrRefusedUserCommandWritesNothing() throws {
        try team()
        XCTAssertEqual(try run.crm("user", "new-logins", "on", "--db", db).status, 0)
        let before = try run.crm("user", "list", "--db", db).out
        let bare = try run.crm("user", "new-logins", "--user", "tester", "--db", db)
        XCTAssertEqual(bare.status, 64, bare.err)
        let stranger = try run.crm("user", "add", "zed", "--user", "root", "--db", db)
        XCTAssertEqual(stranger.status, 77, stranger.err)
        XCTAssertEqual(stranger.firstErrorLine, "crm: you (root) are not a user of this database, and only an admin manages users: "
                       + "an admin adds you with crm user add root, or name yourself with --user LOGIN; nothing was changed")
        let handover = try run.crm("user", "handover", "omid", "--user", "root", "--db", db)
        XCTAssertEqual(handover.status, 64, "no plan: a usage error before anything is opened\n\(handover.err)")
        XCTAssertEqual(try run.crm("user", "list", "--db", db).out, before, "no root, no zed")
    }

    func testRolesOnTheCLI() throws {
        try team()
        let byRep = try run.crm("user", "add", "jan", "--user", "sara", "--db", db)
        XCTAssertEqual(byRep.status, 77)
        XCTAssertEqual(byRep.firstErrorLine, "crm: only an admin manages users; you are sara, a rep")
        let handByRep = try run.crm("user", "handover", "omid", "--reassign-to", "sara", "--user", "sara", "--db", db)
        XCTAssertEqual(handByRep.status, 77, handByRep.err)
        XCTAssertTrue(handByRep.err.contains("only a manager or an admin reassigns others' records"), handByRep.err)
        let demote = try run.crm("user", "set-role", "tester", "rep", "--db", db)
        XCTAssertEqual(demote.status, 65)
        XCTAssertTrue(demote.err.contains("you are the last active admin"), demote.err)
        XCTAssertEqual(try run.crm("user", "set-role", "sara", "manager", "--db", db).status, 0)
        XCTAssertEqual(try run.crm("user", "handover", "omid", "--reassign-to", "sara", "--user", "sara", "--db", db).status, 0)
        let last = try run.crm("user", "deactivate", "tester", "--db", db)
        XCTAssertEqual(last.status, 65, last.err)
        // The refusal alone: what tester holds read as if it were about to move (QA 41 #11).
        XCTAssertFalse(last.err.contains("owns"), last.err)
        XCTAssertEqual(try run.crm("user", "set-role", "sara", "boss", "--db", db).status, 64)
        // A login that cannot be one is bad data (65), never "a bug in crm" (70).
        for args in [["user", "add", "Bad Login!"], ["user", "rename", "omid", "o mid"]] {
            let r = try run.crm(args + ["--db", db])
            XCTAssertEqual(r.status, 65, "\(args): \(r.err)")
            XCTAssertEqual(r.firstErrorLine, "crm: login: must not contain spaces", "\(args)")
        }
        // QA 27 #2, #3: a login that looks like another (case, a zero-width
        // space, an escape) or that PostgreSQL would cut (over 63 bytes).
        for (args, error) in [
            (["user", "add", "Sara"], "crm: there is already a user 'sara'"),
            (["user", "rename", "omid", "SARA"], "crm: there is already a user 'sara'; choose another login"),
            (["user", "add", "sara\u{200B}"], "crm: login: must not contain control or invisible characters (such as a zero-width space)"),
            (["user", "add", "ev\u{1B}[31mil"], "crm: login: must not contain control or invisible characters (such as a zero-width space)"),
            (["user", "add", String(repeating: "ب", count: 32)], "crm: login: is too long: 64 bytes, at most 63 (a Persian or Arabic letter takes 2)"),
            // QA 33 #8: the names PostgreSQL's groups and its own roles have.
            (["user", "add", "crm_admin"], "crm: login: \"crm_admin\" is the name of crm's admin group on PostgreSQL; choose another login"),
            (["user", "rename", "omid", "CRM_Rep"], "crm: login: \"CRM_Rep\" is the name of crm's rep group on PostgreSQL; choose another login"),
            (["user", "add", "pg_read_all_data"],
             "crm: login: \"pg_read_all_data\" begins with pg_, which PostgreSQL keeps for its own roles; choose another login"),
        ] {
            let r = try run.crm(args + ["--db", db])
            XCTAssertEqual(r.status, 65, "\(args): \(r.err)")
            XCTAssertEqual(r.firstErrorLine, error, "\(args)")
        }
    }

    func testRefusalsTellNothingAndEmptyActionsRecordNothing() throws {
        try team()
        let byRep = try run.crm("user", "deactivate", "omid", "--reassign-to", "sara", "--user", "sara", "--db", db)
        XCTAssertEqual(byRep.status, 77)
        XCTAssertFalse(byRep.err.contains("owns"), "a refused rep is not told what omid holds: \(byRep.err)")
        let active = try run.crm("user", "reactivate", "omid", "--db", db)
        XCTAssertEqual(active.status, 0, active.err)
        XCTAssertEqual(active.out, "omid is already active; nothing changed\n")
        let empty = try run.crm("user", "handover", "omid", "--reassign-to", "sara", "--db", db)
        XCTAssertEqual(empty.status, 0, empty.err)
        XCTAssertEqual(empty.out, "nothing to hand over: omid owns no contacts, companies, open deals or open follow-ups, so no handover was made\n")
        XCTAssertEqual(try run.crm("user", "handovers", "--db", db).out, "No hand-overs yet.\n", "no empty handover listed")
    }

    func testDeactivateWithHandoverListsWhatMovedAndUndoes() throws {
        try team()
        do {
            let store = try Database(path: db, login: "tester")
            let omid = try XCTUnwrap(store.users.find(login: "omid"))
            for name in ["Ada", "Grace", "Linus"] { _ = try store.contacts.create(Contact(name: name, ownerID: omid.id)) }
            let pipeline = try store.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
            let stage = try store.pipelines.stages(pipelineID: pipeline.id)[0]
            var deal = try store.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Big", value: Money(minorUnits: 5, currency: Currency("EUR")!)))
            deal.ownerID = omid.id
            _ = try store.deals.update(deal)
            _ = try store.followUps.create(FollowUp(contactID: 1, assigneeID: omid.id, title: "Call", dueAt: Date(), createdAt: Date()))
        }
        // To an unknown or deactivated heir: refused, nothing moved, no list file.
        let list = run.folder.appendingPathComponent("handover.csv").path
        let unknown = try run.crm("user", "deactivate", "omid", "--reassign-to", "Sarah", "--list-out", list, "--db", db)
        XCTAssertEqual(unknown.status, 67, unknown.err)
        XCTAssertTrue(unknown.err.contains("did you mean 'sara'?"), unknown.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: list), "no half-made list")
        let dry = try run.crm("user", "deactivate", "omid", "--reassign-to", "sara", "--dry-run", "--db", db)
        XCTAssertEqual(dry.firstErrorLine, "crm: omid owns 3 contacts, 1 open deal, 1 open follow-up")
        XCTAssertEqual(dry.out, "dry run: nothing moved; deactivating omid would hand omid's records to sara\n")
        let split = try run.crm("user", "handover", "omid", "--contacts-to", "sara", "--deals-to", "tester", "--dry-run", "--db", db)
        XCTAssertEqual(split.out, "dry run: nothing moved; the hand-over would move omid's records contacts and companies to sara, "
                       + "open deals to tester\n")

        let done = try run.crm("user", "deactivate", "omid", "--contacts-to", "sara", "--deals-to", "tester", "--followups-to", "sara",
                               "--list-out", list, "--db", db)
        XCTAssertEqual(done.status, 0, done.err)
        XCTAssertTrue(done.out.contains("handover 1: 3 contacts to sara, 1 open deal to tester, 1 open follow-up to sara"), done.out)
        let csv = try String(contentsOfFile: list, encoding: .utf8)
        XCTAssertEqual(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty },
                       ["kind,id,name,from,to", "contact,1,Ada,omid,sara", "contact,2,Grace,omid,sara", "contact,3,Linus,omid,sara",
                        "deal,1,Big,omid,tester", "followup,1,Call,omid,sara"])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: list)[.posixPermissions] as? Int, 0o600)
        // Omid cannot open the CRM any more; nobody can hand work to him.
        let omid = try run.crm("log", "--contact", "1", "--type", "note", "--body", "still here?", "--user", "omid", "--db", db)
        XCTAssertEqual(omid.status, 77, omid.err)
        XCTAssertTrue(omid.err.contains("is deactivated"), omid.err)
        // His list can still be read (a filter, not a sign-in): nothing is left on it.
        let omidsList = try run.crm("followups", "--user", "omid", "--db", db)
        XCTAssertEqual(omidsList.status, 0, omidsList.err)
        let toOmid = try run.crm("user", "handover", "sara", "--reassign-to", "omid", "--db", db)
        XCTAssertEqual(toOmid.status, 77, toOmid.err)
        XCTAssertTrue(toOmid.err.contains("omid is deactivated"), toOmid.err)
        // The audit log holds the handover as one action on the user, and
        // each moved record's trail says so too.
        let reader = try Database(path: db, mode: .read)
        XCTAssertEqual(try reader.connection.scalar("SELECT count(*) FROM audit_log WHERE action = 'handover' AND entity = 'user'"), 1)
        XCTAssertEqual(try reader.connection.scalar("SELECT count(*) FROM audit_log WHERE action = 'handover' AND entity != 'user'"), 5)

        // Listed with its time in the settings' calendar and time zone, as every listing (QA 29 #20).
        let config = run.folder.appendingPathComponent("config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "calendar = persian\ntime_zone = Asia/Tehran\n".write(to: config.appendingPathComponent("settings"), atomically: true, encoding: .utf8)
        let listed = try run.crm("user", "handovers", "--db", db)
        XCTAssertEqual(listed.status, 0, listed.err)
        let fields = listed.out.split(separator: "\n").first.map { $0.components(separatedBy: "\t") } ?? []
        XCTAssertEqual(fields.count, 5, listed.out)
        XCTAssertEqual(fields.first, "1")
        XCTAssertTrue(fields.count > 1 && (fields[1].contains("1405") || fields[1].contains("1404")) && !fields[1].contains("Z"), listed.out)

        // A hand-over's undo has no dry run: refused, nothing moved (QA 29 #1).
        let dryUndo = try run.crm("user", "handover", "--undo", "1", "--dry-run", "--db", db)
        XCTAssertEqual(dryUndo.status, 64, dryUndo.out)
        XCTAssertTrue(dryUndo.err.contains("--dry-run goes with a hand-over, not with --undo"), dryUndo.err)
        XCTAssertEqual(try Database(path: db, mode: .read).users.holdings(of: "omid"), HandoverCounts(), "nothing moved back")
        for args in [["add", "zoe"], ["set-role", "sara", "rep"], ["rename", "sara", "sarah"], ["new-logins", "off"]] {
            let refused = try run.crm(["user"] + args + ["--dry-run", "--db", db])
            XCTAssertEqual(refused.status, 64, "\(args): \(refused.out)")
            XCTAssertTrue(refused.err.contains("--dry-run goes with deactivate and handover"), refused.err)
        }
        XCTAssertNil(try Database(path: db, mode: .read).users.find(login: "zoe"), "nothing added")
        let undo = try run.crm("user", "handover", "--undo", "1", "--db", db)
        XCTAssertEqual(undo.status, 0, undo.err)
        XCTAssertTrue(undo.out.contains("5 records back"), undo.out)
        let back = try Database(path: db, mode: .read)
        XCTAssertEqual(try back.users.holdings(of: "omid"), HandoverCounts(contacts: 3, openDeals: 1, openFollowUps: 1))
        XCTAssertEqual(try back.users.find(login: "omid")?.isActive, true)
        XCTAssertEqual(try run.crm("user", "handover", "--undo", "1", "--db", db).status, 65)

        // --json: stdout is the JSON alone, the sentences go to stderr (QA 43 #4).
        let folder = run.folder.appendingPathComponent("lists").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let intoFolder = try run.crm("user", "handover", "omid", "--reassign-to", "sara", "--list-out", folder, "--db", db)
        XCTAssertEqual(intoFolder.status, 73)
        XCTAssertTrue(intoFolder.err.contains("\(folder): it is a folder"), intoFolder.err)
        let json = try run.crm("user", "handover", "omid", "--reassign-to", "sara", "--json", "--db", db)
        XCTAssertEqual(json.status, 0, json.err)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertEqual(object?["from"] as? String, "omid", json.out)
        XCTAssertTrue(json.err.contains("crm: handover 2: 3 contacts to sara"), json.err)
    }
}
