import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Persian and Arabic letter forms, joiners and digits fold alike in the
/// index and in the query (SearchFold, schema 8), on real SQLite files.
final class FoldedSearchContract {
    let store: ContractStore
    var db: any CRMRepositories

    init(store: ContractStore) throws {
        self.store = store
        db = try store.open("tester")
        for name in Self.stored { _ = try db.contactRepository.create(Contact(name: name)) }
    }


    // Each name as stored, exactly; searches below type other forms.
    static let stored = [
        "علی کریمی",        // Persian ی and ک
        "يوسف الحسن",       // Arabic ي
        "مصطفى عسكري",      // Arabic ى, ك, ي
        "فاطمة زهراء",      // ة
        "أحمد إبراهيم",     // أ إ
        "آرش ٱلیاس",        // آ ٱ
        "مؤمن رئیسی",       // ؤ ئ
        "مُحَمَّد نـــوری",    // harakat, tatweel
        "Günter Müller",
        "نیک\u{200C}نام رحیمی",   // a zero-width non-joiner inside a word
        "پیشفاکتور سازان",     // the same kind of word typed without one
    ]

    func names(_ text: String) throws -> Set<String> {
        Set(try db.contactRepository.search(text, filter: .init(), limit: 50).map(\.name))
    }

    func queriesFindEveryLetterFormAndNothingElse() throws {
        let table: [(query: String, finds: Set<String>)] = [
            ("علي كريمي", ["علی کریمی"]),          // Arabic ي ك typed, Persian stored
            ("كريمي", ["علی کریمی"]),
            ("کریمی", ["علی کریمی"]),
            ("یوسف", ["يوسف الحسن"]),              // Persian ی typed, Arabic stored
            ("يوسف", ["يوسف الحسن"]),
            ("مصطفی", ["مصطفى عسكري"]),            // ى stored, ی typed
            ("عسکری", ["مصطفى عسكري"]),            // ك ي stored, ک ی typed
            ("فاطمه", ["فاطمة زهراء"]),             // ة stored, ه typed
            ("احمد ابراهیم", ["أحمد إبراهيم"]),      // أ إ stored, ا typed
            ("ارش الیاس", ["آرش ٱلیاس"]),           // آ ٱ stored
            ("آرش", ["آرش ٱلیاس"]),
            ("مومن ریيسی", ["مؤمن رئیسی"]),         // ؤ ئ stored
            ("محمد نوری", ["مُحَمَّد نـــوری"]),       // harakat and tatweel stored
            ("مُحمّد", ["مُحَمَّد نـــوری"]),           // harakat typed
            ("نــور", ["مُحَمَّد نـــوری"]),           // tatweel typed, as a prefix
            ("gunter mul", ["Günter Müller"]),
            // The ZWNJ inside a word, typed or stored, with or without the other.
            ("نیک\u{200C}نام", ["نیک\u{200C}نام رحیمی"]),
            ("نیکنام", ["نیک\u{200C}نام رحیمی"]),
            ("نیک", ["نیک\u{200C}نام رحیمی"]),
            ("نام", ["نیک\u{200C}نام رحیمی"]),   // the piece after the joiner
            ("پیش\u{200C}فاکتور", ["پیشفاکتور سازان"]),
            ("پیش\u{200C}", ["پیشفاکتور سازان"]),
            ("نیک\u{200C}نامی", []),
            ("فاکتور", []),                        // stored without a joiner: one word
            ("کریمی یوسف", []),                    // both words must match one contact
            ("کرم", []),
            ("ـــ", []),                            // only tatweel: no terms
        ]
        for (query, finds) in table {
            XCTAssertEqual(try names(query), finds, query)
        }
    }

    /// Text that folds to nothing has no terms: the screens say so, as for "--".
    func tatweelOrJoinersAloneAreNoTerms() throws {
        for text in ["ـــ", "\u{200C}", "ـ\u{200D}ـ", "\u{064E}"] {
            XCTAssertFalse(SearchText.hasTerms(text), text)
            XCTAssertEqual(try names(text), [], text)
            XCTAssertEqual(try db.contactRepository.count(filter: ContactFilter(text: text)), 0, text)
        }
        XCTAssertTrue(SearchText.hasTerms("ـیـ"))
    }

    func displayTextIsExactlyAsStored() throws {
        let found = try db.contactRepository.search("محمد", filter: .init(), limit: 5)
        XCTAssertEqual(found.map(\.name), ["مُحَمَّد نـــوری"])
        let contact = try XCTUnwrap(try db.contactRepository.get(found[0].id))
        XCTAssertEqual(contact.name.unicodeScalars.map(\.value), "مُحَمَّد نـــوری".unicodeScalars.map(\.value))
    }

    func companyEmailTagAndNotesFold() throws {
        let company = try db.companyRepository.create(Company(name: "شركة كيان", notes: "مشتري ۱۲"))
        _ = try db.contactRepository.create(Contact(name: "Sara", companyID: company.id, tags: ["عميل"],
                                           notes: "دفتر مركزي 4711"))
        XCTAssertEqual(try names("کیان"), ["Sara"])
        XCTAssertEqual(try names("مرکزی"), ["Sara"])
        XCTAssertEqual(try names("عمیل"), ["Sara"])
        XCTAssertEqual(try names("۴۷۱۱"), ["Sara"])            // Persian digits typed, ASCII stored
        XCTAssertEqual(try db.companyRepository.search("شرکه", limit: 5).map(\.name), ["شركة كيان"])
        XCTAssertEqual(try db.companyRepository.search("12", limit: 5).map(\.name), ["شركة كيان"])  // ۱۲ stored
        // A renamed company is folded in its contacts' entries too.
        var renamed = try XCTUnwrap(try db.companyRepository.get(company.id))
        renamed.name = "مؤسسة نور"
        _ = try db.companyRepository.update(renamed)
        XCTAssertEqual(try names("موسسه"), ["Sara"])
        XCTAssertEqual(try names("کیان"), [])
    }

    func timelineNoteWithZeroWidthNonJoiner() throws {
        let contact = try db.contactRepository.create(Contact(name: "Nima"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, body: "پیش\u{200C}فاکتور شماره 1402 ارسال شد"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, body: "پیشفاکتور دوم"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, body: "فاكتور نهايي"))
        func bodies(_ text: String) throws -> Set<String> {
            Set(try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 50).map(\.interaction.body))
        }
        let withZWNJ = "پیش\u{200C}فاکتور شماره 1402 ارسال شد"
        XCTAssertEqual(try bodies("پیش\u{200C}فاکتور"), [withZWNJ, "پیشفاکتور دوم"])
        XCTAssertEqual(try bodies("پیشفاکتور"), [withZWNJ, "پیشفاکتور دوم"])
        XCTAssertEqual(try bodies("پیش"), [withZWNJ, "پیشفاکتور دوم"])
        // The piece after the joiner is still a word of its own; a word
        // typed without the joiner has no such piece.
        XCTAssertEqual(try bodies("فاکتور"), [withZWNJ, "فاكتور نهايي"])
        XCTAssertEqual(try bodies("۱۴۰۲"), [withZWNJ])
        XCTAssertEqual(try bodies("٠١٤٠٢"), [])
        XCTAssertEqual(try bodies("فاکتور نهایی"), ["فاكتور نهايي"])
    }

    func dealBoardSearchFolds() throws {
        let p = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: p.id).first)
        _ = try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: "قرارداد كاشي",
                                     value: Money(minorUnits: 100, currency: .eur)))
        _ = try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Other",
                                     value: Money(minorUnits: 100, currency: .eur)))
        func titles(_ text: String) throws -> [String] {
            try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: text), after: nil, limit: 10).map(\.deal.title)
        }
        XCTAssertEqual(try titles("کاشی"), ["قرارداد كاشي"])
        XCTAssertEqual(try titles("كاشي"), ["قرارداد كاشي"])
        XCTAssertEqual(try titles("کاشیها"), [])
    }

    /// A file made at schema 7 (raw text in the index) is re-indexed by step 8.
    func migrationFromSchema7ReindexesOldRows() throws {
        let old = TempFolder()
        let path = old.path("v7.db")
        do {
            let c = try Connection(path: path)
            try Migrator.migrate(c, upTo: 7)
            try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["شركة كيان"])
            try c.run("INSERT INTO contacts(name, company_id, notes, created_at, updated_at) VALUES (?, 1, ?, 0, 0)",
                      ["علي كريمي", "پیش\u{200C}فاکتور"])
            try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, body, created_at) VALUES (1, 'note', 0, ?, 0)",
                      ["فاكتور ۱۴۰۲"])
            // At schema 7 the Persian spelling does not find the Arabic one.
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", ["\"کریمی\"*"]), 0)
        }
        let migrated = try Database(path: path, login: "tester")
        XCTAssertEqual(migrated.schemaVersion, Database.supportedSchemaVersion)
        db = migrated
        XCTAssertEqual(try names("علی کریمی"), ["علي كريمي"])
        XCTAssertEqual(try names("کیان"), ["علي كريمي"])
        XCTAssertEqual(try names("پیش‌فاکتور"), ["علي كريمي"])
        XCTAssertEqual(try migrated.companies.search("کیان", limit: 5).map(\.name), ["شركة كيان"])
        XCTAssertEqual(try migrated.interactions.timeline(.all(TimelineFilter(text: "فاکتور 1402")), before: nil, limit: 5)
            .map(\.interaction.body), ["فاكتور ۱۴۰۲"])
        XCTAssertEqual(try migrated.integrityCheck(), ["ok"])
        // New rows after the migration are folded by the new triggers.
        _ = try migrated.contacts.create(Contact(name: "يوسف"))
        XCTAssertEqual(try names("یوسف"), ["يوسف"])
    }
}

final class SQLiteFoldedSearchTests: XCTestCase {
    func contract() throws -> FoldedSearchContract { try FoldedSearchContract(store: .sqlite()) }

    func testQueriesFindEveryLetterFormAndNothingElse() throws { try contract().queriesFindEveryLetterFormAndNothingElse() }
    func testTatweelOrJoinersAloneAreNoTerms() throws { try contract().tatweelOrJoinersAloneAreNoTerms() }
    func testDisplayTextIsExactlyAsStored() throws { try contract().displayTextIsExactlyAsStored() }
    func testCompanyEmailTagAndNotesFold() throws { try contract().companyEmailTagAndNotesFold() }
    func testTimelineNoteWithZeroWidthNonJoiner() throws { try contract().timelineNoteWithZeroWidthNonJoiner() }
    func testDealBoardSearchFolds() throws { try contract().dealBoardSearchFolds() }
    func testMigrationFromSchema7ReindexesOldRows() throws { try contract().migrationFromSchema7ReindexesOldRows() }
}

final class PGFoldedSearchTests: XCTestCase {
    func contract() throws -> FoldedSearchContract { try FoldedSearchContract(store: try .postgres()) }

    func testQueriesFindEveryLetterFormAndNothingElse() throws { try contract().queriesFindEveryLetterFormAndNothingElse() }
    func testTatweelOrJoinersAloneAreNoTerms() throws { try contract().tatweelOrJoinersAloneAreNoTerms() }
    func testDisplayTextIsExactlyAsStored() throws { try contract().displayTextIsExactlyAsStored() }
    func testCompanyEmailTagAndNotesFold() throws { try contract().companyEmailTagAndNotesFold() }
    func testTimelineNoteWithZeroWidthNonJoiner() throws { try contract().timelineNoteWithZeroWidthNonJoiner() }
    func testDealBoardSearchFolds() throws { try contract().dealBoardSearchFolds() }
}

