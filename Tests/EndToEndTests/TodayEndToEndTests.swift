import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The morning review in the real binary, in a real terminal (tmux), on a
/// real database seeded with overdue and due follow-ups: complete three (one
/// with an outcome and a next follow-up), snooze one to tomorrow, undo the
/// snooze; then every affected row is checked in the database, and
/// `crm followups --due today --json` must list what the screen's Today
/// section shows.
final class TodayEndToEndTests: XCTestCase {
    func testMorningReviewInTmux() throws {
        let t = try TmuxSession(width: 110, height: 30)
        defer { t.close() }
        let dbPath = t.path("crm.db")
        let now = Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let endOfDay = utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: now))!
        if endOfDay.timeIntervalSince(now) < 600 { throw XCTSkip("too close to midnight UTC for a stable Today section") }

        // Seed: three overdue, one due later today, one next week.
        let ids: [String: Int64]
        do {
            let db = try Database(path: dbPath, login: "ana")
            let ana = db.currentUser.id
            func person(_ name: String, _ company: String) throws -> Contact {
                let co = try db.companies.create(Company(name: company))
                return try db.contacts.create(Contact(name: name, companyID: co.id, ownerID: ana, lifecycle: .customer))
            }
            let ada = try person("Ada Lovelace", "Analytical Engines")
            let bob = try person("Bob Müller", "Müller GmbH")
            let chen = try person("陈伟", "Shenzhen Parts")
            let eve = try person("Eve Adams", "Adams & Co")
            func due(_ title: String, _ c: Contact, _ at: Date) throws -> Int64 {
                try db.followUps.create(FollowUp(contactID: c.id, assigneeID: ana, title: title, dueAt: at)).id
            }
            ids = [
                "quote": try due("Send the quote", ada, now.addingTimeInterval(-2 * 86_400)),
                "renewal": try due("Call about renewal", bob, now.addingTimeInterval(-86_400)),
                "delivery": try due("Confirm delivery", chen, now.addingTimeInterval(-3 * 3600)),
                "demo": try due("Demo of the module", eve, now.addingTimeInterval(endOfDay.timeIntervalSince(now) / 2)),
                "invoice": try due("Check the invoice", ada, now.addingTimeInterval(3 * 86_400)),
            ]
        }
        let demoDue = Date(timeIntervalSince1970: floor(now.addingTimeInterval(endOfDay.timeIntervalSince(now) / 2).timeIntervalSince1970))

        try t.startCRM("--db \(dbPath) --user ana")
        try t.waitFor(text: "Overdue 3 ")
        try t.waitFor(text: "▸   Ada Lovelace")

        // 1. Done with an outcome and the next follow-up (+7d accepted with Enter).
        try t.keys("x")
        try t.waitFor(text: "Outcome with Ada Lovelace")
        try t.type("Will sign on Monday")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up \"Send the quote\"")
        try t.waitFor(text: "→ ")
        try t.keys("Enter")
        try t.waitFor(text: "Overdue 2 ")
        try t.waitFor(text: "▸   Bob Müller")

        // 2 and 3. Done, no outcome, no next follow-up.
        try t.keys("x")
        try t.waitFor(text: "Outcome with Bob Müller")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up")
        try t.keys("Escape")
        // Wait for the prompt to close: a key sent at once after Esc would
        // arrive as Alt-key.
        try t.waitFor("the prompt to close") { !$0.contains("Next follow-up") }
        try t.waitFor(text: "▸   陈伟")
        try t.keys("x")
        try t.waitFor(text: "Outcome with 陈伟")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up")
        try t.keys("Escape")
        try t.waitFor("the prompt to close") { !$0.contains("Next follow-up") }
        try t.waitFor(text: "Overdue 0 ")
        try t.waitFor(text: "▸   Eve Adams")

        // 4. Snooze the one due today to tomorrow morning, 5. undo that.
        try t.keys("s")
        try t.waitFor(text: "Snooze")
        try t.type("2")  // the key alone snoozes
        try t.waitFor(text: "Today 0 ")
        try t.keys("u")
        try t.waitFor(text: "Today 1 ")
        try t.waitFor(text: "Undone: snoozed Demo of the module")
        // The undo goes back to the Today section (the snooze had emptied
        // it), which lists it once.
        let screen = try t.waitFor(text: "Today 1/1")
        XCTAssertEqual(screen.components(separatedBy: "\n").filter { $0.hasPrefix("│") && $0.contains("Demo of the module") }.count, 1, screen)

        try t.keys("q")
        try t.waitFor("the shell prompt") { !$0.contains("Overdue") && $0.contains("#") || $0.contains("$ ") }

        // The database, row by row.
        let db = try Database(path: dbPath)
        let quote = try XCTUnwrap(db.followUps.get(ids["quote"]!))
        XCTAssertEqual(quote.status, .done)
        XCTAssertNotNil(quote.doneAt)
        for key in ["renewal", "delivery"] {
            XCTAssertEqual(try db.followUps.get(ids[key]!)?.status, .done, key)
        }
        let demo = try XCTUnwrap(db.followUps.get(ids["demo"]!))
        XCTAssertEqual(demo.status, .open)
        XCTAssertEqual(demo.dueAt, demoDue)  // the snooze was undone
        XCTAssertEqual(demo.version, 3)      // created, snoozed, put back
        XCTAssertEqual(try db.followUps.get(ids["invoice"]!)?.status, .open)

        let adaID = quote.contactID!
        let logged = try db.interactions.timeline(.contact(adaID), before: nil, limit: 10)
        XCTAssertEqual(logged.count, 1)
        XCTAssertEqual(logged.first?.interaction.outcome, "Will sign on Monday")
        XCTAssertEqual(logged.first?.interaction.subject, "Send the quote")
        let next = try db.followUps.open(contactID: adaID).map(\.followUp)
        XCTAssertEqual(next.map(\.title), ["Check the invoice", "Send the quote"])
        let nextDay = utc.date(byAdding: .day, value: 7, to: utc.startOfDay(for: now))!
        XCTAssertEqual(next[1].dueAt, utc.date(bySettingHour: 9, minute: 0, second: 0, of: nextDay))
        for key in ["renewal", "delivery"] {
            let contact = try db.followUps.get(ids[key]!)!.contactID!
            XCTAssertEqual(try db.interactions.timeline(.contact(contact), before: nil, limit: 5).count, 0, key)
        }

        // The CLI agrees with the screen.
        let (status, output) = try t.run(["followups", "--due", "today", "--json", "--db", dbPath])
        XCTAssertEqual(status, 0, output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], output)
        XCTAssertEqual(json.map { $0["title"] as? String }, ["Demo of the module"])
        XCTAssertEqual(json.first?["id"] as? Int, Int(ids["demo"]!))
        XCTAssertEqual(json.first?["contact"] as? String, "Eve Adams")
    }
}
