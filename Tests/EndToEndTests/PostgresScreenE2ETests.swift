import CRMCore
import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// The real screen on PostgreSQL, in tmux: two people, each connected as
/// their own database role, work on one server database. A deal one moves
/// on the board appears on the other's board without a key press; an edit
/// made on a record the other changed meanwhile is refused with who changed
/// what; while the server is away the screen says "reconnecting…", and both
/// go on where they were when it is back.
final class PostgresScreenE2ETests: XCTestCase {
    func testTwoPeopleOnOneServerDatabaseSeeEachOthersMovesAndStaleEditsAreRefused() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeDatabase()
        let (ann, ben) = ("pgann", "pgben")
        let dealID = try Self.seed(server.conninfo(database: name), people: [ann, ben])

        let term = try TmuxSession(width: 140, height: 40)
        defer { term.close() }
        for login in [ann, ben] {
            // Each connects as their own role: the server says who they are.
            try term.startCRM("--db '\(server.conninfo(database: name, user: login))'", window: login)
            let screen = try term.waitFor(text: "1 Today", window: login, timeout: 15)
            XCTAssertTrue(screen.contains("\(login) · \(name)"), "the status bar names the user and the database: \(screen)")
        }

        // The board: Ann moves the deal one stage right; Ben's board follows.
        for login in [ann, ben] {
            try term.keys("3", window: login)
            try term.waitFor(text: "E2E Deal", window: login, timeout: 10)
        }
        try term.keys("L", window: ann)
        try term.waitFor(text: "E2E Deal: Lead → Qualified", window: ann, timeout: 10)
        try term.waitFor("the move on Ben's board", window: ben, timeout: 10) {
            BoardScreen.header($0, column: "Qualified")?.last == "Σ 10.0k EUR  ≈ 2.5k EUR" && BoardScreen.header($0, column: "Lead")?.last == "Σ 0"
        }

        // The same contact edited by both: Ann saves first, Ben is told who changed what.
        for login in [ann, ben] {
            try term.keys("2", window: login)
            try term.waitFor(text: "Ada Lovelace", window: login, timeout: 10)
            try term.keys("e", window: login)
            try term.waitFor(text: "Edit Ada Lovelace", window: login, timeout: 10)
            try term.keys("Tab", window: login)
            try term.type(" (\(login))", window: login)
        }
        try term.keys("C-s", window: ann)
        try term.waitFor(text: "Saved Ada Lovelace", window: ann, timeout: 10)
        try term.keys("C-s", window: ben)
        try term.waitFor(text: "The contact was changed by \(ann) at ", window: ben, timeout: 10)
        try term.waitFor(text: "(title); your change was not saved", window: ben, timeout: 10)
        // Ben lets his edit go (a key sent right after Escape would read as Alt-key).
        try term.keys("Escape", window: ben)
        try term.waitFor(text: "Discard what you typed?", window: ben, timeout: 10)
        try term.keys("y", window: ben)
        try term.waitFor("the form closed", window: ben, timeout: 10) { !$0.contains("Edit Ada Lovelace") }

        // The server goes away (every session cut): the idle screen says
        // "reconnecting…" by itself and stays usable; a move while it is
        // away is refused at once, never queued (QA 33 #4); when the server
        // is back the move is made once and reaches Ben.
        for login in [ann, ben] { try term.keys("3", window: login) }
        try term.waitFor(text: "E2E Deal", window: ann, timeout: 10)
        try server.crash()
        try term.waitFor(text: "reconnecting…", window: ann, timeout: 10)
        try term.keys("L", window: ann)
        try term.waitFor(text: "cannot be reached", window: ann, timeout: 10)
        // A search typed while it is away shows no other search's rows
        // under its own (QA 45 PG #5): the list says it could not be read.
        try term.keys("2", window: ben)
        try term.keys("/", window: ben)
        try term.type("zzq", window: ben)
        try term.keys("Enter", window: ben)
        try term.waitFor(text: "The list could not be read", window: ben, timeout: 30)
        try term.keys("Escape", window: ben)
        try term.waitFor("the search cleared", window: ben, timeout: 30) { !$0.contains("search \"zzq\"") }
        try term.keys("3", window: ben)
        try term.waitFor("Ben's board", window: ben, timeout: 30) { $0.contains("Proposal") && !$0.contains("Last contact") }
        try server.startAgain()
        try term.keys("L", window: ann)
        try term.waitFor(text: "E2E Deal: Qualified → Proposal", window: ann, timeout: 30)
        try term.waitFor("the second move on Ben's board", window: ben, timeout: 30) {
            BoardScreen.header($0, column: "Proposal")?.last == "Σ 10.0k EUR  ≈ 5.0k EUR"
        }
        for login in [ann, ben] { try term.keys("q", window: login) }
        try term.waitFor("crm to exit", window: ann, timeout: 10) { !$0.contains("Pipeline") }

        // The database tells the same story, written as Ann.
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name))
        let annID = try XCTUnwrap(db.userRepository.find(login: ann)).id
        let history = try db.dealRepository.history(dealID: dealID)
        XCTAssertEqual(history.filter { $0.fromStageID != nil }.map(\.changedBy), [annID, annID])
        let ada = try XCTUnwrap(db.contactRepository.search("ada", filter: .init(), limit: 1).first)
        XCTAssertEqual(try db.contactRepository.get(ada.id)?.title, "Mathematician (\(ann))")
        for screen in term.captured { XCTAssertFalse(screen.contains("SQLSTATE") || screen.contains("FATAL"), screen) }
    }

    /// An admin, the two people as managers (each a database role), a
    /// pipeline with the deal under test in Lead, and a contact to edit.
    static func seed(_ conninfo: String, people: [String]) throws -> Int64 {
        let db = try PostgresDatabase(conninfo: conninfo, login: "pgboss")
        for login in people { _ = try db.userRepository.add(login: login, name: login, role: .manager) }
        let names = ["Lead", "Qualified", "Proposal", "Negotiation"]
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: names.indices.map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: [10, 25, 50, 75][$0])
        })
        let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id)
        let deal = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "E2E Deal",
                                                     value: Money(minorUnits: 10_000_00, currency: .eur)))
        _ = try db.contactRepository.create(Contact(name: "Ada Lovelace", title: "Mathematician"))
        return deal.id
    }
}
