import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Words inside CJK text (schema 10: bigrams and single characters in the
/// index, a query's CJK run as the phrase of its bigrams), on real SQLite files.
final class CJKSearchContract {
    let store: ContractStore
    var db: any CRMRepositories

    init(store: ContractStore) throws {
        self.store = store
        db = try store.open("tester")
        _ = try db.contactRepository.create(Contact(name: "李秀英"))
        _ = try db.contactRepository.create(Contact(name: "杨小明", title: "Engineer"))
        _ = try db.contactRepository.create(Contact(name: "王小红", notes: "客户希望下周安排演示。"))
        _ = try db.contactRepository.create(Contact(name: "佐藤ひろし"))
        _ = try db.contactRepository.create(Contact(name: "김민수"))
        _ = try db.contactRepository.create(Contact(name: "陈 大文", notes: "北京。上海"))
        _ = try db.contactRepository.create(Contact(name: "Acme中国"))
        _ = try db.contactRepository.create(Contact(name: "Günter Müller"))
    }


    func names(_ text: String) throws -> Set<String> {
        Set(try db.contactRepository.search(text, filter: .init(), limit: 50).map(\.name))
    }

    func contactQueriesFindInsideCJKRunsAndNothingElse() throws {
        let table: [(query: String, finds: Set<String>)] = [
            ("秀英", ["李秀英"]),                  // the end of a run
            ("李秀英", ["李秀英"]),
            ("李", ["李秀英"]),                    // one character
            ("秀", ["李秀英"]),
            ("英秀", []),                          // order matters
            ("李英", []),                          // not adjacent
            ("小明", ["杨小明"]),
            ("明", ["杨小明"]),
            ("小", ["杨小明", "王小红"]),
            ("演示", ["王小红"]),                  // the contact's own notes
            ("希望下周", ["王小红"]),
            ("演安", []),
            ("ひろし", ["佐藤ひろし"]),            // Japanese kana after kanji
            ("ろし", ["佐藤ひろし"]),
            ("藤ひ", ["佐藤ひろし"]),
            ("し", ["佐藤ひろし"]),
            ("민수", ["김민수"]),                  // Korean hangul
            ("수", ["김민수"]),
            ("수민", []),
            ("大文", ["陈 大文"]),
            ("陈大", []),                          // across a space: two runs
            ("上海", ["陈 大文"]),
            ("京上", []),                          // across 。: two runs
            ("小明 eng", ["杨小明"]),              // mixed: CJK and a Latin prefix
            ("eng 小明", ["杨小明"]),
            ("小明 sales", []),
            ("秀英 小明", []),                     // every word in one contact
            ("中国", ["Acme中国"]),
            ("acme", ["Acme中国"]),
            ("acme中", ["Acme中国"]),
            ("gunter mul", ["Günter Müller"]),     // Latin keeps prefix matching
            ("mul", ["Günter Müller"]),
        ]
        for (query, finds) in table {
            XCTAssertEqual(try names(query), finds, query)
        }
    }

    func timelineCompanyAndBoardFindInsideCJKRuns() throws {
        let contact = try XCTUnwrap(try db.contactRepository.search("杨小明", filter: .init(), limit: 1).first)
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, body: "客户希望下周安排演示。"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, body: "电话没人接"))
        func bodies(_ text: String) throws -> Set<String> {
            Set(try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 50).map(\.interaction.body))
        }
        XCTAssertEqual(try bodies("演示"), ["客户希望下周安排演示。"])
        XCTAssertEqual(try bodies("下周"), ["客户希望下周安排演示。"])
        XCTAssertEqual(try bodies("客户希"), ["客户希望下周安排演示。"])
        XCTAssertEqual(try bodies("人"), ["电话没人接"])
        XCTAssertEqual(try bodies("演安"), [])
        XCTAssertEqual(try bodies("示电"), [])

        _ = try db.companyRepository.create(Company(name: "北京科技有限公司"))
        _ = try db.companyRepository.create(Company(name: "株式会社サクラ"))
        XCTAssertEqual(try db.companyRepository.search("科技", limit: 5).map(\.name), ["北京科技有限公司"])
        XCTAssertEqual(try db.companyRepository.search("有限公司", limit: 5).map(\.name), ["北京科技有限公司"])
        XCTAssertEqual(try db.companyRepository.search("サクラ", limit: 5).map(\.name), ["株式会社サクラ"])
        XCTAssertEqual(try db.companyRepository.search("公司サ", limit: 5).map(\.name), [])

        let p = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: p.id).first)
        _ = try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: "年度合同续约",
                                     value: Money(minorUnits: 100, currency: .eur)))
        _ = try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: "연간 계약 갱신",
                                     value: Money(minorUnits: 100, currency: .eur)))
        func titles(_ text: String) throws -> [String] {
            try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: text), after: nil, limit: 10).map(\.deal.title)
        }
        XCTAssertEqual(try titles("合同"), ["年度合同续约"])
        XCTAssertEqual(try titles("续约"), ["年度合同续约"])
        XCTAssertEqual(try titles("약"), ["연간 계약 갱신"])
        XCTAssertEqual(try titles("同续约年"), [])
    }

    func queryAndIndexText() throws {
        XCTAssertEqual(SearchQuery("客户希").ftsMatch, "\"客户 户希\"")
        XCTAssertEqual(SearchQuery("李").ftsMatch, "\"李\"")
        XCTAssertEqual(SearchQuery("小明 eng").ftsMatch, "\"小明\" AND \"eng\"*")
        XCTAssertEqual(SearchFold.indexed("李秀英"), "李秀英 李秀 秀英 李 秀 英")
        // Text without CJK indexes what it did before: nothing more.
        XCTAssertEqual(SearchFold.indexed("Günter Müller"), "Günter Müller")
        XCTAssertEqual(try XCTUnwrap(db as? Database).connection.rows("SELECT crm_fold(?)", ["Günter Müller 4711"]) { $0.optionalString(0) }, ["Günter Müller 4711"])
        // The text shown is the text stored.
        XCTAssertEqual(try db.contactRepository.search("秀英", filter: .init(), limit: 1).map(\.name), ["李秀英"])
    }

    /// A file at schema 9 (CJK runs indexed whole) is re-indexed by step 10.
    func migrationFromSchema9ReindexesOldRows() throws {
        let old = TempFolder()
        let path = old.path("v9.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 9)
            try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["北京科技有限公司"])
            try c.run("INSERT INTO contacts(name, company_id, notes, created_at, updated_at) VALUES (?, 1, ?, 0, 0)",
                      ["李秀英", "客户希望下周安排演示。"])
            try c.run("INSERT INTO contacts(name, created_at, updated_at) VALUES (?, 0, 0)", ["Günter Müller"])
            try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, body, created_at) VALUES (1, 'note', 0, ?, 0)",
                      ["客户希望下周安排演示。"])
            // What a schema-9 crm indexed: the folded text alone.
            try c.execute("""
                DELETE FROM contact_fts WHERE rowid = 1;
                INSERT INTO contact_fts(rowid, name, company, emails, extra) VALUES (1, '李秀英', '北京科技有限公司', '', '   客户希望下周安排演示。 ');
                DELETE FROM company_fts WHERE rowid = 1;
                INSERT INTO company_fts(rowid, name, domain, notes) VALUES (1, '北京科技有限公司', '', '');
                DELETE FROM interaction_fts WHERE rowid = 1;
                INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (1, '', '客户希望下周安排演示。', '');
                """)
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", ["\"秀英\""]), 0)
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?", ["\"演示\""]), 0)
        }
        let migrated = try Database(path: path, login: "tester")
        XCTAssertEqual(migrated.schemaVersion, Database.supportedSchemaVersion)
        db = migrated
        XCTAssertEqual(try names("秀英"), ["李秀英"])
        XCTAssertEqual(try names("演示"), ["李秀英"])
        XCTAssertEqual(try names("科技"), ["李秀英"])
        XCTAssertEqual(try names("mul"), ["Günter Müller"])
        XCTAssertEqual(try migrated.companies.search("有限", limit: 5).map(\.name), ["北京科技有限公司"])
        XCTAssertEqual(try migrated.interactions.timeline(.all(TimelineFilter(text: "演示")), before: nil, limit: 5)
            .map(\.interaction.body), ["客户希望下周安排演示。"])
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM contact_fts"), 2)
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM interaction_fts"), 1)
        XCTAssertEqual(try migrated.integrityCheck(), ["ok"])
        _ = try migrated.contacts.create(Contact(name: "杨小明"))
        XCTAssertEqual(try names("小明"), ["杨小明"])
    }
}

final class SQLiteCJKSearchTests: XCTestCase {
    func contract() throws -> CJKSearchContract { try CJKSearchContract(store: .sqlite()) }

    func testContactQueriesFindInsideCJKRunsAndNothingElse() throws { try contract().contactQueriesFindInsideCJKRunsAndNothingElse() }
    func testTimelineCompanyAndBoardFindInsideCJKRuns() throws { try contract().timelineCompanyAndBoardFindInsideCJKRuns() }
    func testQueryAndIndexText() throws { try contract().queryAndIndexText() }
    func testMigrationFromSchema9ReindexesOldRows() throws { try contract().migrationFromSchema9ReindexesOldRows() }
}

final class PGCJKSearchTests: XCTestCase {
    func contract() throws -> CJKSearchContract { try CJKSearchContract(store: try .postgres()) }

    func testContactQueriesFindInsideCJKRunsAndNothingElse() throws { try contract().contactQueriesFindInsideCJKRunsAndNothingElse() }
    func testTimelineCompanyAndBoardFindInsideCJKRuns() throws { try contract().timelineCompanyAndBoardFindInsideCJKRuns() }
}

