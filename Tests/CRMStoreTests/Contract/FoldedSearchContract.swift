import CRMCore
import CRMRepositories
@testable import CRMStore
import CRMStorePostgres
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

    /// ß and ẞ are "ss" where search compares (schema 77), typed or stored,
    /// on both engines: in names, companies, the timeline and the board.
    func sharpSIsSearchedAsSS() throws {
        let company = try db.companyRepository.create(Company(name: "Hauptstraße Bau"))
        _ = try db.contactRepository.create(Contact(name: "Clara Weiß"))
        _ = try db.contactRepository.create(Contact(name: "Jörg Strauss"))
        _ = try db.contactRepository.create(Contact(name: "MARTIN GROẞ", companyID: company.id))
        XCTAssertEqual(try names("weiss"), ["Clara Weiß"])
        XCTAssertEqual(try names("Weiß"), ["Clara Weiß"])
        XCTAssertEqual(try names("weis"), ["Clara Weiß"])        // a prefix of "weiss"
        XCTAssertEqual(try names("clara weiss"), ["Clara Weiß"])
        XCTAssertEqual(try names("strauß"), ["Jörg Strauss"])
        XCTAssertEqual(try names("groß"), ["MARTIN GROẞ"])
        XCTAssertEqual(try names("gross"), ["MARTIN GROẞ"])
        XCTAssertEqual(try names("hauptstrasse"), ["MARTIN GROẞ"])   // by the company's name
        XCTAssertEqual(try names("weiz"), [])
        XCTAssertEqual(try db.companyRepository.search("hauptstrasse", limit: 5).map(\.name), ["Hauptstraße Bau"])
        XCTAssertEqual(try db.companyRepository.search("HAUPTSTRAẞE", limit: 5).map(\.name), ["Hauptstraße Bau"])
        let contact = try db.contactRepository.create(Contact(name: "Nina"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .meeting, body: "Termin in der Bahnhofstraße"))
        func bodies(_ text: String) throws -> [String] {
            try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 50).map(\.interaction.body)
        }
        XCTAssertEqual(try bodies("bahnhofstrasse"), ["Termin in der Bahnhofstraße"])
        XCTAssertEqual(try bodies("bahnhofstraß"), ["Termin in der Bahnhofstraße"])
        let p = try db.pipelineRepository.createPipeline("Bau", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: p.id).first)
        _ = try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Straßenbau Los 3",
                                              value: Money(minorUnits: 100, currency: .eur)))
        func titles(_ text: String) throws -> [String] {
            try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: text), after: nil, limit: 10).map(\.deal.title)
        }
        XCTAssertEqual(try titles("strassenbau"), ["Straßenbau Los 3"])
        XCTAssertEqual(try titles("straßen"), ["Straßenbau Los 3"])
    }

    /// Cyrillic ё is е, Greek without tonos or dialytika and with σ for a
    /// final ς, the ligatures their letters (schema 77), on both engines.
    func lettersOfOtherScriptsFoldAlike() throws {
        _ = try db.contactRepository.create(Contact(name: "Пётр Ковалёв"))
        _ = try db.contactRepository.create(Contact(name: "Σοφία Δημητρίου"))
        let odysseas = try db.contactRepository.create(Contact(name: "Οδυσσέας Παπαδόπουλος", notes: "ﬁnance ﬂow"))
        for query in ["петр", "пётр", "Петр Ковалев", "ковалёв", "ПЁТР"] { XCTAssertEqual(try names(query), ["Пётр Ковалёв"], query) }
        for query in ["δημητριου", "Δημητρίου", "σοφια δημ", "ΣΟΦΙΑ"] { XCTAssertEqual(try names(query), ["Σοφία Δημητρίου"], query) }
        for query in ["παπαδοπουλος", "Παπαδόπουλοσ", "οδυσσεας", "finance", "ﬁnance", "flow"] {
            XCTAssertEqual(try names(query), ["Οδυσσέας Παπαδόπουλος"], query)
        }
        XCTAssertEqual(try names("петрович"), [])
        // й is a letter of its own (FTS5 takes accents off Latin letters only).
        _ = try db.contactRepository.create(Contact(name: "Сергей Йошкин"))
        XCTAssertEqual(try names("сергей"), ["Сергей Йошкин"])
        XCTAssertEqual(try names("йошк"), ["Сергей Йошкин"])
        XCTAssertEqual(try names("сергеи"), [])
        XCTAssertEqual(try names("иошкин"), [])
        _ = try db.interactionRepository.log(Interaction(contactID: odysseas.id, kind: .note, body: "Συνάντηση για τη ﬁnance, Ёлка"))
        func bodies(_ text: String) throws -> [String] {
            try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 50).map(\.interaction.body)
        }
        for query in ["συναντηση", "finance", "елка", "ёлка"] { XCTAssertEqual(try bodies(query), ["Συνάντηση για τη ﬁnance, Ёлка"], query) }
    }

    /// A decomposed accent (u and U+0308, as macOS and some pastes write
    /// "ü") is inside its word, typed or stored, on both engines; another
    /// mark still ends a word, as FTS5 has it.
    func decomposedAccentsStayInTheirWord() throws {
        let nfd = "Anna Mu\u{0308}ller"
        XCTAssertNotEqual(Array(nfd.unicodeScalars), Array("Anna Müller".unicodeScalars))
        let anna = try db.contactRepository.create(Contact(name: nfd, notes: "Cafe\u{0301} Zu\u{0308}rich"))
        for query in ["müller", "muller", "Mu\u{0308}ller"] { XCTAssertEqual(try names(query), [nfd, "Günter Müller"], query) }
        for query in ["anna mül", "anna mu\u{0308}", "zürich", "cafe\u{0301}", "café"] { XCTAssertEqual(try names(query), [nfd], query) }
        XCTAssertEqual(try names("ller"), [], "not a word of its own")
        _ = try db.interactionRepository.log(Interaction(contactID: anna.id, kind: .note, body: "Termin in Du\u{0308}sseldorf"))
        XCTAssertEqual(try db.interactionRepository.timeline(.all(TimelineFilter(text: "düsseldorf")), before: nil, limit: 5)
            .map(\.interaction.body), ["Termin in Du\u{0308}sseldorf"])
    }

    /// A letter written as its base and a combining mark (и and U+0306, か
    /// and U+3099, three Hangul jamo) is found by the letter typed whole and
    /// the other way round, on both engines, in names, notes and the
    /// timeline (schema 79).
    func lettersWithACombiningMarkAreTheLetter() throws {
        let sergei = "Сергеи\u{0306} И\u{0306}ошкин"
        let sato = "さとう か\u{3099}く"
        let han = "\u{1112}\u{1161}\u{11AB} 민수"
        let s = try db.contactRepository.create(Contact(name: sergei, notes: "Киі\u{0308}в"))
        _ = try db.contactRepository.create(Contact(name: sato))
        _ = try db.contactRepository.create(Contact(name: han))
        _ = try db.contactRepository.create(Contact(name: "Сергеи Иошкин"))
        for query in ["сергей", "Йошк", "сергеи\u{0306}", "київ"] { XCTAssertEqual(try names(query), [sergei], query) }
        XCTAssertEqual(try names("иошкин"), ["Сергеи Иошкин"], "и is not й")
        for query in ["がく", "か\u{3099}く", "さとう がく"] { XCTAssertEqual(try names(query), [sato], query) }
        for query in ["한", "\u{1112}\u{1161}\u{11AB}", "한 민수"] { XCTAssertEqual(try names(query), [han], query) }
        _ = try db.interactionRepository.log(Interaction(contactID: s.id, kind: .note, body: "Встреча в Кии\u{0306}ве"))
        XCTAssertEqual(try db.interactionRepository.timeline(.all(TimelineFilter(text: "кийве")), before: nil, limit: 5)
            .map(\.interaction.body), ["Встреча в Кии\u{0306}ве"])
    }

    /// A file indexed before schema 79 (и and U+0306 as и) is indexed again
    /// where it holds such a mark, and only there.
    func migrationFromSchema78ComposesLettersAgain() throws {
        let old = TempFolder()
        let path = old.path("v78.db")
        let nfd = "Сергеи\u{0306} И\u{0306}ошкин"
        do {
            let c = try Connection(path: path)
            try Migrator.migrate(c, upTo: 78)
            try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["Заи\u{0306}цев и партнёры"])
            try c.run("INSERT INTO contacts(name, sort_key, company_id, created_at, updated_at) VALUES (?, ?, 1, 0, 0)",
                      [nfd, NameSortKey.of(nfd)])
            try c.run("INSERT INTO contacts(name, sort_key, created_at, updated_at) VALUES (?, ?, 0, 0)",
                      ["Сергеи Иошкин", NameSortKey.of("Сергеи Иошкин")])
            try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, body, created_at) VALUES (2, 'note', 0, ?, 0)",
                      ["Встреча в Кии\u{0306}ве"])
            try c.run("INSERT INTO pipelines(name, position, created_at) VALUES ('Продажи', 0, 0)")
            try c.run("INSERT INTO stages(pipeline_id, name, position, probability) VALUES ((SELECT max(id) FROM pipelines), 'Lead', 0, 10)")
            try c.run("""
                INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, contact_id, company_id,
                                  stage_entered_at, created_at, updated_at)
                VALUES ((SELECT max(id) FROM pipelines), (SELECT max(id) FROM stages), 'Сервис', 100, 'EUR', 1, NULL, 0, 0, 0)
                """)
            // What a crm before this step wrote: the breve dropped by FTS5.
            try c.execute("""
                UPDATE contact_fts SET name = 'Сергеи Иошкин', company = 'Заицев и партнёры' WHERE rowid = 1;
                UPDATE company_fts SET name = 'Заицев и партнёры' WHERE rowid = 1;
                UPDATE deal_card_fts SET contact_name = 'Сергеи Иошкин' WHERE rowid = 1;
                UPDATE interaction_fts SET body = 'Встреча в Киив';
                UPDATE contact_name_words SET word = 'сергеи' WHERE contact_id = 1 AND word = 'сергей';
                UPDATE contact_name_words SET word = 'иошкин' WHERE contact_id = 1 AND word = 'йошкин';
                """)
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", ["\"иошкин\"*"]), 2, "as an older crm left it")
        }
        let migrated = try Database(path: path, login: "tester")
        XCTAssertEqual(migrated.schemaVersion, Database.supportedSchemaVersion)
        db = migrated
        XCTAssertEqual(try names("йошкин"), [nfd])
        XCTAssertEqual(try names("иошкин"), ["Сергеи Иошкин"])
        XCTAssertEqual(try names("зайцев"), [nfd])
        XCTAssertEqual(try migrated.companies.search("зайцев", limit: 5).map(\.name), ["Заи\u{0306}цев и партнёры"])
        XCTAssertEqual(try migrated.interactions.timeline(.all(TimelineFilter(text: "кийве")), before: nil, limit: 5)
            .map(\.interaction.body), ["Встреча в Кии\u{0306}ве"])
        let stageID = try XCTUnwrap(try migrated.connection.scalar("SELECT max(id) FROM stages"))
        XCTAssertEqual(try migrated.deals.cards(stageID: stageID, filter: DealFilter(text: "сергей йошкин"), after: nil, limit: 5)
            .map(\.deal.title), ["Сервис"])
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM contact_name_words WHERE word = 'йошкин'"), 1)
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM contact_name_words WHERE word = 'иошкин'"), 1)
        XCTAssertEqual(try migrated.integrityCheck(), ["ok"])
    }

    /// A file indexed before schema 77 (ß kept as a letter) is indexed again
    /// where it holds one, and only there.
    func migrationFromSchema76IndexesSharpSAgain() throws {
        let old = TempFolder()
        let path = old.path("v76.db")
        do {
            let c = try Connection(path: path)
            try Migrator.migrate(c, upTo: 76)
            try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["Hauptstraße Bau"])
            try c.run("INSERT INTO contacts(name, sort_key, company_id, created_at, updated_at) VALUES (?, ?, 1, 0, 0)",
                      ["Clara Weiß", NameSortKey.of("Clara Weiß")])
            try c.run("INSERT INTO contacts(name, sort_key, created_at, updated_at) VALUES (?, ?, 0, 0)",
                      ["Otto Weiss", NameSortKey.of("Otto Weiss")])
            try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, body, created_at) VALUES (1, 'note', 0, ?, 0)",
                      ["Treffen Bahnhofstraße"])
            try c.run("INSERT INTO contacts(id, name, sort_key, created_at, updated_at) VALUES (3, ?, ?, 0, 0)",
                      ["Пётр Δημητρίου", NameSortKey.of("Пётр Δημητρίου")])
            try c.run("INSERT INTO pipelines(name, position, created_at) VALUES ('Bau', 0, 0)")
            try c.run("INSERT INTO stages(pipeline_id, name, position, probability) VALUES ((SELECT max(id) FROM pipelines), 'Lead', 0, 10)")
            try c.run("""
                INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, contact_id, company_id,
                                  stage_entered_at, created_at, updated_at)
                VALUES ((SELECT max(id) FROM pipelines), (SELECT max(id) FROM stages), 'Straßenbau', 100, 'EUR', 1, 1, 0, 0, 0)
                """)
            // What a crm before this step wrote: ß as it was typed.
            try c.execute("""
                UPDATE contact_fts SET name = 'Clara Weiß', company = 'Hauptstraße Bau' WHERE rowid = 1;
                UPDATE company_fts SET name = 'Hauptstraße Bau' WHERE rowid = 1;
                UPDATE deal_fts SET title = 'Straßenbau' WHERE rowid = 1;
                UPDATE deal_card_fts SET title = 'Straßenbau', company_name = 'Hauptstraße Bau', contact_name = 'Clara Weiß',
                       contact_company = 'Hauptstraße Bau' WHERE rowid = 1;
                UPDATE interaction_fts SET body = 'Treffen Bahnhofstraße';
                UPDATE contact_name_words SET word = 'weiß' WHERE contact_id = 1 AND word = 'weiss';
                UPDATE contact_fts SET name = 'Пётр Δημητρίου' WHERE rowid = 3;
                UPDATE contact_name_words SET word = 'пётр' WHERE contact_id = 3 AND word = 'петр';
                UPDATE contact_name_words SET word = 'δημητρίου' WHERE contact_id = 3 AND word = 'δημητριου';
                """)
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", ["\"weiss\"*"]), 1, "only Otto")
        }
        let migrated = try Database(path: path, login: "tester")
        XCTAssertEqual(migrated.schemaVersion, Database.supportedSchemaVersion)
        db = migrated
        XCTAssertEqual(try names("weiss"), ["Clara Weiß", "Otto Weiss"])
        XCTAssertEqual(try names("weiß"), ["Clara Weiß", "Otto Weiss"])
        XCTAssertEqual(try names("clara weis"), ["Clara Weiß"])
        XCTAssertEqual(try names("петр δημητριου"), ["Пётр Δημητρίου"])
        XCTAssertEqual(try names("δημ"), ["Пётр Δημητρίου"])
        XCTAssertEqual(try names("hauptstrasse"), ["Clara Weiß"])
        XCTAssertEqual(try migrated.companies.search("hauptstrasse", limit: 5).map(\.name), ["Hauptstraße Bau"])
        XCTAssertEqual(try migrated.interactions.timeline(.all(TimelineFilter(text: "bahnhofstrasse")), before: nil, limit: 5)
            .map(\.interaction.body), ["Treffen Bahnhofstraße"])
        let stageID = try XCTUnwrap(try migrated.connection.scalar("SELECT max(id) FROM stages"))
        XCTAssertEqual(try migrated.deals.cards(stageID: stageID, filter: DealFilter(), after: nil, limit: 5)
            .map(\.deal.title), ["Straßenbau"])
        XCTAssertEqual(try migrated.deals.cards(stageID: stageID, filter: DealFilter(text: "strassenbau"), after: nil, limit: 5)
            .map(\.deal.title), ["Straßenbau"])
        XCTAssertEqual(try migrated.deals.cards(stageID: stageID, filter: DealFilter(text: "clara weiss"), after: nil, limit: 5)
            .map(\.deal.title), ["Straßenbau"])
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM contact_name_words WHERE instr(word, 'ß') > 0 OR instr(word, 'ё') > 0 OR instr(word, 'ί') > 0"), 0)
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM contact_name_words WHERE word = 'weiss'"), 2)
        XCTAssertEqual(try migrated.connection.scalar("SELECT count(*) FROM deal_fts WHERE deal_fts MATCH 'strassenbau'"), 1)
        XCTAssertEqual(try migrated.integrityCheck(), ["ok"])
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
    func testSharpSIsSearchedAsSS() throws { try contract().sharpSIsSearchedAsSS() }
    func testLettersOfOtherScriptsFoldAlike() throws { try contract().lettersOfOtherScriptsFoldAlike() }
    func testDecomposedAccentsStayInTheirWord() throws { try contract().decomposedAccentsStayInTheirWord() }
    func testMigrationFromSchema76IndexesSharpSAgain() throws { try contract().migrationFromSchema76IndexesSharpSAgain() }
    func testLettersWithACombiningMarkAreTheLetter() throws { try contract().lettersWithACombiningMarkAreTheLetter() }
    func testMigrationFromSchema78ComposesLettersAgain() throws { try contract().migrationFromSchema78ComposesLettersAgain() }
}

final class PGFoldedSearchTests: XCTestCase {
    func contract() throws -> FoldedSearchContract { try FoldedSearchContract(store: try .postgres()) }

    func testQueriesFindEveryLetterFormAndNothingElse() throws { try contract().queriesFindEveryLetterFormAndNothingElse() }
    func testTatweelOrJoinersAloneAreNoTerms() throws { try contract().tatweelOrJoinersAloneAreNoTerms() }
    func testDisplayTextIsExactlyAsStored() throws { try contract().displayTextIsExactlyAsStored() }
    func testCompanyEmailTagAndNotesFold() throws { try contract().companyEmailTagAndNotesFold() }
    func testTimelineNoteWithZeroWidthNonJoiner() throws { try contract().timelineNoteWithZeroWidthNonJoiner() }
    func testDealBoardSearchFolds() throws { try contract().dealBoardSearchFolds() }
    func testSharpSIsSearchedAsSS() throws { try contract().sharpSIsSearchedAsSS() }
    func testLettersOfOtherScriptsFoldAlike() throws { try contract().lettersOfOtherScriptsFoldAlike() }
    func testDecomposedAccentsStayInTheirWord() throws { try contract().decomposedAccentsStayInTheirWord() }
    func testLettersWithACombiningMarkAreTheLetter() throws { try contract().lettersWithACombiningMarkAreTheLetter() }
}


/// PostgreSQL step 77: the documents a crm before it built for decomposed
/// text (a word cut at the accent) are built again.
final class PGDecomposedTextUpgradeTests: XCTestCase {
    func testTheStepBuildsAgainTheDocumentsOfDecomposedText() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara").repositories
        let nfd = "Anna Mu\u{0308}ller"
        let anna = try sara.contactRepository.create(Contact(name: nfd))
        let plain = try sara.contactRepository.create(Contact(name: "Otto Muller"))
        _ = try sara.interactionRepository.log(Interaction(contactID: anna.id, kind: .note, body: "Du\u{0308}sseldorf"))
        let c = try PGConnection(try XCTUnwrap(fixture.conninfo))
        let sergei = try sara.contactRepository.create(Contact(name: "Сергей"))
        // What an older crm stored: the accent cut the word in two, and й
        // lost its breve.
        try c.run("UPDATE contact_search SET words = ?::tsvector WHERE contact_id = ?", ["'anna':1A 'mu':2A 'ller':3A", anna.id])
        try c.run("UPDATE contact_search SET words = ?::tsvector WHERE contact_id = ?", ["'сергеи':1A", sergei.id])
        try c.run("UPDATE interactions SET search_words = ?::tsvector WHERE contact_id = ?", ["'du':1 'sseldorf':2", anna.id])
        func names(_ db: any CRMRepositories, _ text: String) throws -> Set<String> {
            Set(try db.contactRepository.search(text, filter: .init(), limit: 10).map(\.name))
        }
        XCTAssertEqual(try names(sara, "muller"), ["Otto Muller"], "as an older crm left it")
        try c.run("DELETE FROM crm_schema WHERE version >= 77")
        let upgraded = try PostgresDatabase(conninfo: try XCTUnwrap(fixture.conninfo), login: "sara")
        XCTAssertEqual(try c.integer("SELECT max(version) FROM crm_schema"), Int64(PostgresDatabase.supportedSchemaVersion))
        XCTAssertEqual(try names(upgraded, "muller"), [nfd, "Otto Muller"])
        XCTAssertEqual(try names(upgraded, "anna mü"), [nfd])
        XCTAssertEqual(try names(upgraded, "сергей"), ["Сергей"])
        XCTAssertEqual(try names(upgraded, "сергеи"), [])
        XCTAssertEqual(try upgraded.interactionRepository.timeline(.all(TimelineFilter(text: "düsseldorf")), before: nil, limit: 5)
            .map(\.interaction.body), ["Du\u{0308}sseldorf"])
        XCTAssertEqual(try c.integer("SELECT count(*) FROM contact_search WHERE contact_id = \(plain.id)"), 1)
    }
}

/// PostgreSQL step 79: documents an older crm built for a letter written
/// with a combining mark (и and U+0306 as и) are built again, and the
/// duplicate name keys of such names worked out again.
final class PGComposedLettersUpgradeTests: XCTestCase {
    func testTheStepBuildsAgainTheDocumentsOfLettersWithACombiningMark() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara").repositories
        let nfd = "Сергеи\u{0306} И\u{0306}ошкин"
        let sergei = try sara.contactRepository.create(Contact(name: nfd))
        let plain = try sara.contactRepository.create(Contact(name: "Сергеи Иошкин"))
        _ = try sara.interactionRepository.log(Interaction(contactID: sergei.id, kind: .note, body: "Кии\u{0306}в"))
        let c = try PGConnection(try XCTUnwrap(fixture.conninfo))
        // What an older crm stored: й lost its breve.
        try c.run("UPDATE contact_search SET words = ?::tsvector WHERE contact_id = ?", ["'сергеи':1A 'иошкин':2A", sergei.id])
        try c.run("UPDATE interactions SET search_words = ?::tsvector WHERE contact_id = ?", ["'киив':1", sergei.id])
        try c.run("UPDATE contacts SET name_key = 'stale' WHERE id = ?", [sergei.id])
        func names(_ db: any CRMRepositories, _ text: String) throws -> Set<String> {
            Set(try db.contactRepository.search(text, filter: .init(), limit: 10).map(\.name))
        }
        XCTAssertEqual(try names(sara, "йошкин"), [], "as an older crm left it")
        try c.run("DELETE FROM crm_schema WHERE version >= 79")
        let upgraded = try PostgresDatabase(conninfo: try XCTUnwrap(fixture.conninfo), login: "sara")
        XCTAssertEqual(try c.integer("SELECT max(version) FROM crm_schema"), Int64(PostgresDatabase.supportedSchemaVersion))
        XCTAssertEqual(try names(upgraded, "йошкин"), [nfd])
        XCTAssertEqual(try names(upgraded, "иошкин"), ["Сергеи Иошкин"])
        XCTAssertEqual(try upgraded.interactionRepository.timeline(.all(TimelineFilter(text: "кийв")), before: nil, limit: 5)
            .map(\.interaction.body), ["Кии\u{0306}в"])
        XCTAssertEqual(try c.scalar("SELECT name_key FROM contacts WHERE id = $1", [sergei.id]), DuplicateKey.name(nfd))
        XCTAssertEqual(try c.integer("SELECT count(*) FROM contact_search WHERE contact_id = \(plain.id)"), 1)
    }
}
