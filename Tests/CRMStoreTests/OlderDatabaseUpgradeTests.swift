import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The whole of "find anyone" on a copy of a database made before it (schema
/// 7, the last without folded letters, phone forms, CJK words or sort keys):
/// the copy is upgraded when opened, the original is left as it was, and
/// every kind of search and the name order work on the old rows.
final class OlderDatabaseUpgradeTests: XCTestCase {
    func testACopyOfASchema7FileIsUpgradedAndFindsEveryone() throws {
        let folder = TempFolder()
        let original = folder.path("crm-2025.db")
        do {
            try Database.prepareFile(at: original)
            let c = try Connection(path: original)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 7)
            let rows: [(String, String, [String])] = [
                ("Schröder", "", ["0171 9936679"]),
                ("Schäfer", "", ["030 5550000"]),
                ("علي كريمي", "ارسال پیش\u{200C}فاکتور", ["0912 345 6789"]),
                ("李秀英", "客户希望下周安排演示。", []),
                ("Zoe Zander", "", ["+43 171 9936679"]),
            ]
            for (n, (name, notes, phones)) in rows.enumerated() {
                try c.run("INSERT INTO contacts(id, name, notes, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
                          [Int64(n + 1), name, notes])
                for number in phones {
                    try c.run("INSERT INTO contact_phones(contact_id, number, digits) VALUES (?, ?, ?)",
                              [Int64(n + 1), number, PhoneNumber.digits(number)])
                }
            }
            try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, body, created_at) VALUES (3, 'note', 0, ?, 0)",
                      ["پیش\u{200C}فاکتور شماره ۱۴۰۲"])
        }
        let copy = folder.path("crm-copy.db")
        try FileManager.default.copyItem(atPath: original, toPath: copy)

        let db = try Database(path: copy, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        func names(_ text: String) throws -> [String] {
            try db.contacts.search(text, filter: ContactFilter(), limit: 20).map(\.name)
        }
        // query: must find, must not find
        let table: [(String, [String], [String])] = [
            ("+49 171 9936679", ["Schröder"], ["Zoe Zander"]),
            ("00491719936679", ["Schröder"], ["Zoe Zander"]),
            ("9936679", ["Schröder", "Zoe Zander"], []),
            ("030 5550000", ["Schäfer"], []),
            ("علی کریمی", ["علي كريمي"], []),
            ("كريمي", ["علي كريمي"], []),
            ("پیشفاکتور", ["علي كريمي"], []),
            ("秀英", ["李秀英"], []),
            ("演示", ["李秀英"], []),
            ("英秀", [], ["李秀英"]),
        ]
        for (query, must, mustNot) in table {
            let found = try names(query)
            XCTAssertEqual(found.filter(must.contains), must, query)
            XCTAssertTrue(Set(found).isDisjoint(with: mustNot), "\(query) found \(found)")
        }
        let all = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(all.map(\.name), ["Schäfer", "Schröder", "Zoe Zander", "علي كريمي", "李秀英"])
        XCTAssertEqual(try db.interactions.timeline(.all(TimelineFilter(text: "پیش\u{200C}فاکتور")), before: nil, limit: 5).count, 1)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])

        // The original is untouched.
        let old = try Connection(path: original)
        XCTAssertEqual(try old.scalar("PRAGMA user_version"), 7)
    }
}
