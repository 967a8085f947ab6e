import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// One fresh database on one engine for the import contract, seen only
/// through `CRMRepositories`.
struct ImportDatabase {
    /// Signs `login` in (created on first use), on the same clock.
    let open: (_ login: String) throws -> any CRMRepositories
    /// Runs `body` on a session that may not write (SQLite: `Database.reading`;
    /// PostgreSQL: a session whose transactions are read-only).
    let reading: (_ login: String, _ body: (any CRMRepositories) throws -> Void) throws -> Void
    /// How many entries the contacts' search index holds (contact_fts, contact_search).
    let searchEntries: () throws -> Int
    /// The name groups that list a pair (step 46's contact_name_pairs) as
    /// stored, and as its view decides them from the rows now.
    let namePairs: () throws -> (stored: [String], recounted: [String])
    let clock: ManualClock
}

/// The import checks, written once over the repository protocols; the
/// SQLite and PostgreSQL test classes run each on their engine, and the
/// transcripts some checks return (outcomes, counts, every row the import
/// wrote) must be line for line the same on both.
struct ImportContract {
    let fresh: () throws -> ImportDatabase

    static let origins = ["email 1": "E-mail 1 - Value", "name": "Name", "phone 1": "Phone 1 - Value"]

    static func row(_ line: Int, _ name: String, company: String = "", emails: [String] = [], phones: [String] = [],
                    tags: [String] = [], title: String = "", owner: String? = nil, lifecycle: Lifecycle? = nil) -> ImportRow {
        .contact(ImportContact(line: line, name: name, title: title, company: company, emails: emails.map { EmailAddress($0) },
                               phones: phones.map { PhoneNumber($0) }, tags: tags, lifecycle: lifecycle, ownerLogin: owner,
                               origins: origins))
    }

    @discardableResult
    static func run(_ r: any CRMRepositories, _ rows: [ImportRow], _ options: ImportOptions) throws -> (ImportSummary, [ImportOutcome]) {
        var source: any ImportSource = ImportRows(rows)
        var outcomes: [ImportOutcome] = []
        let summary = try r.importRepository.importContacts(from: &source, options: options, progress: nil) { outcomes.append($0) }
        return (summary, outcomes)
    }

    static func count(_ r: any CRMRepositories, _ table: String) throws -> Int {
        try r.exportRepository.snapshotCount(try XCTUnwrap(SnapshotTable.all.first { $0.name == table }))
    }

    /// The tables an import writes, every row (trash included), as text.
    static let written = ["users", "import_batches", "tags", "companies", "contacts", "contact_emails", "contact_phones",
                          "contact_tags", "import_merges", "contact_lifecycle_history", "audit_log"]

    static func rows(_ r: any CRMRepositories) throws -> [String] {
        var out: [String] = []
        for name in written {
            let table = try XCTUnwrap(SnapshotTable.all.first { $0.name == name })
            var after: [SnapshotValue]?
            while true {
                let page = try r.exportRepository.snapshotRows(table, after: after, limit: 500)
                for row in page {
                    out.append(name + " " + row.values.map { value -> String in
                        switch value {
                        case .null: "∅"
                        case .integer(let n): String(n)
                        case .real(let d): String(d)
                        case .text(let t): "'\(t)'"
                        }
                    }.joined(separator: "|"))
                }
                guard page.count == 500, let last = page.last else { break }
                after = table.key.map { key in last.values[table.columns.firstIndex(of: key)!] }
            }
        }
        return out
    }

    static func describe(_ outcome: ImportOutcome) -> String {
        switch outcome {
        case .created(let line, let name): "\(line) created \(name)"
        case .createdDespite(let line, let name, let d): "\(line) created \(name) despite \(d) \(d.contactID)"
        case .merged(let line, let name, let d): "\(line) merged \(name) into \(d)"
        case .skipped(let line, let name, let d): "\(line) skipped \(name) for \(d)"
        case .rejected(let r): "rejected \(r)"
        }
    }

    static func describe(_ s: ImportSummary) -> String {
        "read \(s.rowsRead) created \(s.created) (despite \(s.createdDespiteDuplicate)) merged \(s.merged) skipped \(s.skipped) "
            + "rejected \(s.rejected) companies \(s.companiesCreated) batch \(s.batchID == nil ? "none" : "recorded") committed \(s.committed)"
    }

    // MARK: the checks

    func checkImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        let existing = try db.companyRepository.create(Company(name: "Müller GmbH"))
        let (summary, outcomes) = try Self.run(db, [
            Self.row(2, "Günter Müller", company: "muller gmbh", emails: ["g@mueller.de"], phones: ["+49 30 1234567"], tags: ["vip"]),
            Self.row(3, "Ada Lovelace", company: "Analytical Engines", emails: ["ada@example.com"]),
            Self.row(4, "Li Wei", company: "ANALYTICAL ENGINES"),
        ], ImportOptions(label: "google.csv", format: "csv", tag: "import-1"))
        XCTAssertEqual(summary.rowsRead, 3)
        XCTAssertEqual(summary.created, 3)
        XCTAssertEqual(summary.companiesCreated, 1)
        XCTAssertTrue(summary.committed)
        XCTAssertEqual(outcomes.map(\.line), [2, 3, 4])
        let batch = try XCTUnwrap(summary.batchID)

        let contacts = db.contactRepository
        let guenter = try XCTUnwrap(try contacts.search("Günter", filter: ContactFilter(), limit: 5).first)
        XCTAssertEqual(guenter.companyID, existing.id, "found case- and accent-folded")
        let full = try XCTUnwrap(try contacts.get(guenter.id))
        XCTAssertEqual(full.tags, ["import-1", "vip"])
        XCTAssertEqual(full.ownerID, db.currentUser.id)
        XCTAssertEqual(full.phones.map(\.number), ["+49 30 1234567"])
        // The search index is complete: by email, phone digits and tag.
        XCTAssertEqual(try contacts.search("ada@example", filter: ContactFilter(), limit: 5).map(\.name), ["Ada Lovelace"])
        XCTAssertEqual(try contacts.search("1234567", filter: ContactFilter(), limit: 5).map(\.name), ["Günter Müller"])
        XCTAssertEqual(try contacts.search("vip", filter: ContactFilter(), limit: 5).map(\.name), ["Günter Müller"])
        XCTAssertEqual(try contacts.search("Analytical", filter: ContactFilter(), limit: 5).map(\.name), ["Ada Lovelace", "Li Wei"],
                       "the company's name is in its contacts' search entries")
        XCTAssertEqual(try db.companyRepository.search("Analytical", limit: 5).count, 1, "one company for both spellings")
        XCTAssertEqual(try fixture.searchEntries(), 3)

        let listed = try db.importRepository.importBatches(limit: 10)
        XCTAssertEqual(listed.map(\.id), [batch])
        XCTAssertEqual(listed.first?.sentence, "sara imported 3 contacts from google.csv")
        XCTAssertEqual(listed.first?.format, "csv")
        XCTAssertEqual(try db.importRepository.importBatch(batch), listed.first)
        let audit = try db.auditTrail(entity: "import", id: batch, limit: 10)
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit.first?.changes["summary"]?.new, .text("sara imported 3 contacts from google.csv"))
        XCTAssertEqual(try db.auditPage(AuditFilter(entity: "contact"), after: nil, limit: 10).count, 0, "one audit entry for the whole batch")
        return [Self.describe(summary)] + outcomes.map(Self.describe) + (try Self.rows(db))
    }

    func checkRejectedRowsRefuseTheWholeImportAndSayWhere() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        _ = try db.contactRepository.create(Contact(name: "Already There"))
        let before = try Self.rows(db)
        var outcomes: [ImportOutcome] = []
        // Past the size where contacts wait to be written in groups.
        var rows = (0..<700).map { Self.row($0 + 2, "Person \($0)", emails: ["p\($0)@example.com"]) }
        rows.insert(Self.row(42, "Bob", emails: ["bob@"]), at: 40)
        rows.append(.rejected(ImportRejection(line: 9000, column: "Birthday", message: "'32.13.' is not a date")))
        XCTAssertThrowsError(try {
            var source: any ImportSource = ImportRows(rows)
            _ = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "x.csv"), progress: nil) {
                outcomes.append($0)
            }
        }()) { error in
            let refused = error as? ImportRefused
            XCTAssertEqual(refused?.summary.rejected, 2)
            XCTAssertEqual(refused?.summary.rowsRead, 702)
            XCTAssertEqual(refused?.summary.committed, false)
        }
        XCTAssertEqual(outcomes.count, 702, "every row was reported")
        guard case .rejected(let bob)? = outcomes.first(where: { $0.line == 42 }) else { return ["no rejection: \(outcomes.prefix(50))"] }
        XCTAssertEqual(bob.column, "E-mail 1 - Value")
        XCTAssertTrue(bob.description.hasPrefix("line 42, column E-mail 1 - Value: \"bob@\" is not an email address"), bob.description)
        XCTAssertEqual(try Self.rows(db), before, "nothing written")
        XCTAssertEqual(try fixture.searchEntries(), 1)

        let (summary, skipping) = try Self.run(db, [Self.row(2, "Ada"), Self.row(3, "", emails: ["x@example.com"])],
                                               ImportOptions(label: "x.csv", skipInvalid: true))
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertTrue(summary.committed)
        XCTAssertEqual(try Self.count(db, "contacts"), 2)
        return outcomes.map(Self.describe) + [Self.describe(summary)] + skipping.map(Self.describe)
    }

    /// A stop asked for in the middle (Ctrl-C, SIGTERM: the flag the
    /// interruptible source reads) ends the import at the next row with
    /// everything it wrote rolled back.
    func checkAnInterruptedImportLeavesNothing() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        _ = try db.contactRepository.create(Contact(name: "Already There"))
        let before = try Self.rows(db)
        let rows = (0..<1_500).map { Self.row($0 + 2, "Person \($0)", company: "Firma \($0 % 7)", emails: ["p\($0)@example.com"]) }
        var read = 0
        var source: any ImportSource = InterruptibleImportSource(ImportRows(rows)) { read += 1; return read > 1_200 }
        XCTAssertThrowsError(try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "big.csv"),
                                                                     progress: nil) { _ in }) { error in
            XCTAssertTrue(error is ImportInterrupted, "\(error)")
        }
        XCTAssertEqual(try Self.rows(db), before, "nothing of the 1,200 rows read is left")
        XCTAssertEqual(try db.importRepository.importBatches(limit: 5).count, 0, "no batch recorded")
        XCTAssertEqual(try fixture.searchEntries(), 1)
        return ["\(read)"]
    }

    func checkADryRunWritesNothingEvenOnASessionThatMayNotWrite() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        _ = try db.contactRepository.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        _ = try db.companyRepository.create(Company(name: "Old Co"))
        let before = try Self.rows(db)
        let rows = [
            Self.row(2, "Ada L.", emails: ["ADA@example.com"]),
            Self.row(3, "Bob", company: "New Co", emails: ["bob@example.com"]),
            Self.row(4, "Bobby", company: "NEW CO", emails: ["bob@example.com"]),
            Self.row(5, "Eve", emails: ["eve@"]),
            Self.row(6, "Cy", company: "old co", phones: ["+49 30 5550000"]),
            Self.row(7, "Cyrus", phones: ["+49 (30) 555-0000"]),
        ]
        var transcript: [String] = []
        func check(_ summary: ImportSummary, _ outcomes: [ImportOutcome], _ policy: DuplicatePolicy) {
            XCTAssertEqual(summary.rowsRead, 6)
            XCTAssertEqual(summary.created + summary.merged + summary.skipped + summary.rejected, summary.rowsRead)
            XCTAssertEqual(summary.rejected, 1)
            XCTAssertFalse(summary.committed)
            XCTAssertNil(summary.batchID)
            if policy == .skip {
                XCTAssertEqual(summary.created, 2)
                XCTAssertEqual(summary.skipped, 3)
                XCTAssertEqual(summary.companiesCreated, 1)
            }
            guard case .skipped(_, _, let dup)? = outcomes.first(where: { $0.line == 2 }), policy == .skip else { return }
            XCTAssertEqual(dup.name, "Ada Lovelace")
            XCTAssertEqual(dup.reasons, ["same email ada@example.com"])
            guard case .skipped(_, _, let inFile)? = outcomes.first(where: { $0.line == 4 }) else { return XCTFail("\(outcomes)") }
            XCTAssertEqual(inFile.fileLine, 3)
            guard case .skipped(_, _, let phone)? = outcomes.first(where: { $0.line == 7 }) else { return XCTFail("\(outcomes)") }
            XCTAssertEqual(phone.fileLine, 6)
        }
        for policy in DuplicatePolicy.allCases {
            let (summary, outcomes) = try Self.run(db, rows, ImportOptions(label: "f.csv", onDuplicate: policy, dryRun: true))
            check(summary, outcomes, policy)
            var onReading: (ImportSummary, [ImportOutcome])?
            try fixture.reading("sara") { readOnly in
                onReading = try Self.run(readOnly, rows, ImportOptions(label: "f.csv", onDuplicate: policy, dryRun: true))
            }
            XCTAssertEqual(onReading?.0, summary, "the same on a session that may not write")
            XCTAssertEqual(onReading?.1, outcomes)
            transcript += [Self.describe(summary)] + outcomes.map(Self.describe)
        }
        XCTAssertEqual(try Self.rows(db), before, "nothing written")
        // A real import refuses a session that may not write before it reads a row.
        try fixture.reading("sara") { readOnly in
            XCTAssertThrowsError(try Self.run(readOnly, rows.filter { $0.line != 5 }, ImportOptions(label: "f.csv")))
        }
        XCTAssertEqual(try Self.rows(db), before)
        return transcript
    }

    func checkEachDuplicatePolicy() throws -> [String] {
        var transcript: [String] = []
        for policy in DuplicatePolicy.allCases {
            let fixture = try fresh()
            let db = try fixture.open("sara")
            let ada = try db.contactRepository.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")],
                                                              tags: ["old"], notes: "met at the fair"))
            let (summary, outcomes) = try Self.run(db, [
                Self.row(2, "Ada Lovelace", company: "Engines Ltd", emails: ["ada@example.com", "ada@home.org"],
                         phones: ["+44 20 7946 0000"], tags: ["new"], title: "Countess"),
            ], ImportOptions(label: "f.csv", onDuplicate: policy))
            XCTAssertEqual(summary.rowsRead, 1, "\(policy)")
            let now = try XCTUnwrap(try db.contactRepository.get(ada.id))
            let search = { (text: String) in try db.contactRepository.search(text, filter: ContactFilter(), limit: 5).map(\.id) }
            switch policy {
            case .skip:
                XCTAssertEqual(summary.skipped, 1)
                XCTAssertEqual(now, ada)
                XCTAssertEqual(try Self.count(db, "contacts"), 1)
            case .create:
                XCTAssertEqual(summary.created, 1)
                XCTAssertEqual(summary.createdDespiteDuplicate, 1)
                guard case .createdDespite(_, _, let dup)? = outcomes.first else { return ["\(outcomes)"] }
                XCTAssertEqual(dup.contactID, ada.id)
                XCTAssertEqual(try Self.count(db, "contacts"), 2)
                XCTAssertEqual(now, ada)
            case .merge:
                XCTAssertEqual(summary.merged, 1)
                XCTAssertEqual(try Self.count(db, "contacts"), 1)
                XCTAssertEqual(now.title, "Countess", "an empty field is filled")
                XCTAssertEqual(now.notes, "met at the fair", "a set value is never overwritten")
                XCTAssertEqual(now.emails.map(\.address), ["ada@example.com", "ada@home.org"])
                XCTAssertEqual(now.phones.map(\.number), ["+44 20 7946 0000"])
                XCTAssertEqual(now.tags, ["new", "old"])
                XCTAssertNotNil(now.companyID)
                XCTAssertEqual(now.version, ada.version + 1)
                XCTAssertEqual(try search("home.org"), [ada.id])
                XCTAssertEqual(try search("Countess"), [ada.id])
                XCTAssertEqual(try search("Engines"), [ada.id])
                // An edit typed before the import is refused naming who
                // imported and what changed (QA 29 #10: "someone").
                var stale = ada
                stale.source = "fair"
                XCTAssertThrowsError(try db.contactRepository.update(stale)) { error in
                    guard case RepositoryError.stale(let refusal) = error else { return XCTFail("\(error)") }
                    XCTAssertEqual(refusal.changedBy, "sara")
                    XCTAssertEqual(refusal.changedFields, ["company", "emails", "phones", "tags", "title"])
                }
                XCTAssertEqual(try db.auditPage(AuditFilter(entity: "contact", entityID: ada.id), after: nil, limit: 1).first?.action, "import")
                transcript += try Self.rows(db)
                // Undo puts it back as it was.
                let undo = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
                XCTAssertEqual(undo.mergesReverted, 1)
                XCTAssertEqual(undo.companiesRemoved, 1)
                let back = try XCTUnwrap(try db.contactRepository.get(ada.id))
                XCTAssertEqual(back.title, "")
                XCTAssertEqual(back.companyID, nil)
                XCTAssertEqual(back.emails, ada.emails)
                XCTAssertEqual(back.phones, [PhoneNumber]())
                XCTAssertEqual(back.tags, ["old"])
                XCTAssertEqual(try Self.count(db, "companies"), 0)
                XCTAssertEqual(try search("home.org"), [])
                XCTAssertEqual(try search("Countess"), [])
            }
            transcript += [Self.describe(summary)] + outcomes.map(Self.describe) + (try Self.rows(db))
        }
        return transcript
    }

    func checkRepeatsInsideTheFileAreDuplicatesToo() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        let (summary, outcomes) = try Self.run(db, [
            Self.row(2, "Bob", emails: ["bob@example.com"]),
            Self.row(3, "Bobby", emails: ["BOB@example.com"], phones: ["030 1234567"]),
        ], ImportOptions(label: "f.csv", onDuplicate: .merge))
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.merged, 1)
        let bob = try XCTUnwrap(try db.contactRepository.search("Bob", filter: ContactFilter(), limit: 5).first)
        guard case .merged(_, _, let into)? = outcomes.last else { return ["\(outcomes)"] }
        XCTAssertEqual(into.contactID, bob.id, "the row's own contact, by its real id")
        XCTAssertEqual(try db.contactRepository.get(bob.id)?.phones.map(\.number), ["030 1234567"])
        XCTAssertEqual(try db.contactRepository.get(bob.id)?.version, 1, "still the batch's own row")
        XCTAssertEqual(try Self.count(db, "import_merges"), 0)
        XCTAssertEqual(try db.contactRepository.search("1234567", filter: ContactFilter(), limit: 5).map(\.id), [bob.id])
        return [Self.describe(summary)] + outcomes.map(Self.describe) + (try Self.rows(db))
    }

    /// QA 40 #4: a merge fills only empty fields; what the row had that the
    /// contact has its own of is said, in the dry run and the import alike.
    func checkAMergeSaysWhatItDoesNotTake() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        let acme = try db.companyRepository.create(Company(name: "Acme AG"))
        _ = try db.contactRepository.create(Contact(name: "Wang Xiu Ying 王秀英", title: "经理", companyID: acme.id,
                                                    emails: [EmailAddress("wang.xy@example.cn")]))
        let rows = [Self.row(2, "Wang Xiu Ying", company: "Acme", emails: ["WANG.XY@example.cn"], title: "Senior Manager")]
        let expected = ["title \"Senior Manager\" (has \"经理\")", "company \"Acme\" (has \"Acme AG\")"]
        var transcript: [String] = []
        for dryRun in [true, false] {
            let (_, outcomes) = try Self.run(db, rows, ImportOptions(label: "m.csv", onDuplicate: .merge, dryRun: dryRun))
            guard case .merged(_, _, let into)? = outcomes.first else { return ["\(outcomes)"] }
            XCTAssertEqual(into.notTaken, expected, dryRun ? "dry run" : "import")
            transcript += into.notTaken
        }
        let stored = try XCTUnwrap(try db.contactRepository.search("Wang", filter: ContactFilter(), limit: 1).first)
        XCTAssertEqual(try db.contactRepository.get(stored.id)?.title, "经理", "a value that is set is never overwritten")
        return transcript
    }

    /// A dry run names the same repeats inside the file as the import then
    /// finds (the import finds the rows it already wrote): a number written
    /// nationally after its international form (read as German), the same
    /// email in other case, the same name at the same company; and not two
    /// numbers too short to compare.
    func checkADryRunFindsTheFilesRepeatsAsTheImportDoes() throws -> [String] {
        let rows = [
            Self.row(2, "Anna Berg", phones: ["+49 30 5550000"]),
            Self.row(3, "Anne Berg", phones: ["030 5550000"]),
            Self.row(4, "Carl Kurz", phones: ["12345"]),
            Self.row(5, "Carla Kurz", phones: ["12-345"]),
            Self.row(6, "Dora Lang", company: "Acme GmbH", emails: ["dora@acme.example"]),
            Self.row(7, "Lang, Dora", company: "ACME GmbH", emails: ["d.lang@acme.example"]),
            Self.row(8, "Eva Stern", emails: ["eva@example.com"]),
            Self.row(9, "Eve Stern", emails: ["EVA@example.com"]),
        ]
        func kinds(_ outcomes: [ImportOutcome]) -> [String] {
            outcomes.map { outcome in
                switch outcome {
                case .created(let line, _): "\(line) created"
                case .skipped(let line, _, let d), .merged(let line, _, let d), .createdDespite(let line, _, let d):
                    "\(line) duplicate: " + (d.reasons.first ?? "").split(separator: " ").prefix(2).joined(separator: " ")
                case .rejected(let r): "rejected \(r)"
                }
            }
        }
        let fixture = try fresh()
        let db = try fixture.open("sara")
        let (dry, dryOutcomes) = try Self.run(db, rows, ImportOptions(label: "f.csv", dryRun: true))
        let (real, realOutcomes) = try Self.run(db, rows, ImportOptions(label: "f.csv"))
        XCTAssertEqual(kinds(dryOutcomes), ["2 created", "3 duplicate: same phone", "4 created", "5 created", "6 created",
                                            "7 duplicate: similar name", "8 created", "9 duplicate: same email"])
        XCTAssertEqual(kinds(dryOutcomes), kinds(realOutcomes))
        XCTAssertEqual([dry.created, dry.skipped], [real.created, real.skipped])
        XCTAssertEqual([real.created, real.skipped], [5, 3])
        return kinds(dryOutcomes)
    }

    func checkUndoOfAWholeBatch() throws -> [String] {
        let fixture = try fresh()
        let db = try fixture.open("sara")
        let kept = try db.contactRepository.create(Contact(name: "Kept Person", emails: [EmailAddress("kept@example.com")]))
        let before = try Self.rows(db)
        let entries = try fixture.searchEntries()
        let rows = (0..<1_200).map { Self.row($0 + 2, "Person \($0)", company: "Co \($0 % 7)", emails: ["p\($0)@example.com"],
                                                phones: ["+49 30 \(1_000_000 + $0)"], tags: ["t\($0 % 3)"]) }
        let (summary, _) = try Self.run(db, rows, ImportOptions(label: "big.csv", tag: "batch"))
        XCTAssertEqual(summary.created, 1_200)
        XCTAssertEqual(summary.companiesCreated, 7)
        XCTAssertEqual(try fixture.searchEntries(), entries + 1_200)
        XCTAssertEqual(try db.contactRepository.search("1000777", filter: ContactFilter(), limit: 5).map(\.name), ["Person 777"])
        let result = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        XCTAssertEqual(result.contactsRemoved, 1_200)
        XCTAssertEqual(result.companiesRemoved, 7)
        XCTAssertEqual(try fixture.searchEntries(), entries)
        XCTAssertNotNil(try db.contactRepository.get(kept.id))
        XCTAssertEqual(try db.contactRepository.search("Person", filter: ContactFilter(), limit: 5).map(\.name), ["Kept Person"])
        let batch = try XCTUnwrap(try db.importRepository.importBatch(try XCTUnwrap(summary.batchID)))
        XCTAssertNotNil(batch.undoneAt)
        XCTAssertEqual(batch.undoneBy, "sara")
        XCTAssertThrowsError(try db.importRepository.undoImport(batch.id, force: false)) { error in
            XCTAssertTrue("\(error)".contains("undone already, by sara"), "\(error)")
        }
        XCTAssertEqual(try db.auditTrail(entity: "import", id: batch.id, limit: 10).map(\.action), ["undo", "import"])
        let after = try Self.rows(db)
        // What is left is what was there, plus the batch's bookkeeping, its
        // tags and its two audit entries.
        XCTAssertEqual(after.filter { $0.hasPrefix("contact") || $0.hasPrefix("compan") },
                       before.filter { $0.hasPrefix("contact") || $0.hasPrefix("compan") })
        return [Self.describe(summary), "\(result)"] + after
    }

    func checkUndoIsRefusedWithWhoAndWhatUnlessForced() throws -> [String] {
        let fixture = try fresh()
        let sara = try fixture.open("sara")
        let (summary, _) = try Self.run(sara, [Self.row(2, "Ada"), Self.row(3, "Bob"), Self.row(4, "Cy")], ImportOptions(label: "f.csv"))
        let batch = try XCTUnwrap(summary.batchID)
        fixture.clock.advance(by: 3_600)
        let omid = try fixture.open("omid")
        let bobID = try XCTUnwrap(try omid.contactRepository.search("Bob", filter: ContactFilter(), limit: 1).first?.id)
        var bob = try XCTUnwrap(try omid.contactRepository.get(bobID))
        bob.title = "CEO"
        _ = try omid.contactRepository.update(bob)
        let cy = try XCTUnwrap(try omid.contactRepository.search("Cy", filter: ContactFilter(), limit: 1).first)
        _ = try omid.interactionRepository.log(Interaction(contactID: cy.id, kind: .call, occurredAt: fixture.clock.now,
                                                           authorID: omid.currentUser.id))
        let before = try Self.rows(sara)
        var refusal: ImportUndoRefusal?
        XCTAssertThrowsError(try sara.importRepository.undoImport(batch, force: false)) { refusal = $0 as? ImportUndoRefusal }
        XCTAssertEqual(refusal?.changes.count, 2)
        XCTAssertEqual(refusal?.changes.first, "Bob (#\(bob.id)): changed by omid at 2026-01-01 01:00 UTC (title)")
        // Who added what (QA 40 #5: "interactions, deals or follow-ups were added").
        XCTAssertEqual(refusal?.changes.last, "Cy (#\(cy.id)): a call added by omid at 2026-01-01 01:00 UTC since the import")
        XCTAssertTrue(refusal?.message.hasPrefix("Not undone: 2 records of import #\(batch) (f.csv) changed since the import") == true)
        XCTAssertEqual(try Self.rows(sara), before, "nothing changed")

        let result = try sara.importRepository.undoImport(batch, force: true)
        XCTAssertEqual(result.contactsRemoved, 2)
        XCTAssertEqual(result.contactsTrashed, 1, "Cy has an interaction: to the trash, not gone")
        XCTAssertNotNil(try sara.contactRepository.get(cy.id)?.deletedAt)
        // The trash says who put Cy there (QA 29 #10: "by unknown"), and so does Cy's trail.
        let entry = try sara.trashRepository.entries(kind: .contact, after: nil, limit: 10).first { $0.id == cy.id }
        XCTAssertEqual(entry?.deletedBy, "sara")
        XCTAssertEqual(try sara.auditTrail(entity: "contact", id: cy.id, limit: 1).first?.action, "delete")
        XCTAssertNil(try sara.contactRepository.get(bob.id))
        return [refusal?.message ?? "-"] + (refusal?.changes ?? []) + ["\(result)"] + (try Self.rows(sara))
    }

    /// An undo removes a batch's contacts for good, past the trash: a rep
    /// undoes their own batch, not a colleague's (QA 28 #6); an admin may.
    func checkOnlyAnAdminUndoesAnotherUsersBatch() throws -> [String] {
        let fixture = try fresh()
        let sara = try fixture.open("sara")  // the first user: the admin
        let omid = try fixture.open("omid")
        XCTAssertEqual(omid.currentUser.role, .rep)
        let (saras, _) = try Self.run(sara, [Self.row(2, "Ada"), Self.row(3, "Bob")], ImportOptions(label: "s.csv"))
        let (omids, _) = try Self.run(omid, [Self.row(2, "Cy")], ImportOptions(label: "o.csv"))
        let before = try Self.rows(omid)
        var refusal: ImportUndoRefusal?
        XCTAssertThrowsError(try omid.importRepository.undoImport(try XCTUnwrap(saras.batchID), force: true)) {
            refusal = $0 as? ImportUndoRefusal
        }
        XCTAssertEqual(refusal?.notPermitted, true)
        XCTAssertEqual(refusal?.message, "Not undone: import #\(saras.batchID ?? 0) (s.csv) is sara's, and an undo removes its contacts "
                       + "and companies for good, past the trash: only an admin undoes another user's import; you are omid, a rep. "
                       + "Nothing was changed")
        XCTAssertEqual(try Self.rows(omid), before, "nothing changed")
        XCTAssertEqual(try omid.importRepository.undoImport(try XCTUnwrap(omids.batchID), force: false).contactsRemoved, 1,
                       "a rep undoes their own batch")
        XCTAssertEqual(try sara.importRepository.undoImport(try XCTUnwrap(saras.batchID), force: false).contactsRemoved, 2,
                       "an admin undoes anyone's")
        return [refusal?.message ?? "-"] + (try Self.rows(sara))
    }

    func checkAnUnknownOwnerIsRefusedWithASuggestionBeforeAnythingIsRead() throws -> [String] {
        let fixture = try fresh()
        _ = try fixture.open("omid")
        let db = try fixture.open("sara")
        var read = 0
        XCTAssertThrowsError(try {
            var source: any ImportSource = CountingSource(rows: [Self.row(2, "Ada")], read: { read += 1 })
            _ = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "f.csv", ownerLogin: "omd"),
                                                       progress: nil) { _ in }
        }()) { error in
            let unknown = error as? ImportUnknownOwner
            XCTAssertEqual(unknown?.known.first, "omid")
            XCTAssertTrue("\(error)".contains("did you mean omid?"), "\(error)")
        }
        XCTAssertEqual(read, 0)
        XCTAssertEqual(try Self.count(db, "contacts"), 0)
        XCTAssertEqual(try Self.count(db, "import_batches"), 0)
        let (summary, outcomes) = try Self.run(db, [
            Self.row(2, "Ada", owner: "nobody"), Self.row(3, "Bea", owner: "omid"), Self.row(4, "Cem"),
        ], ImportOptions(label: "f.csv", skipInvalid: true))
        XCTAssertEqual(summary.created, 2)
        guard case .rejected(let nobody)? = outcomes.first else { return ["\(outcomes)"] }
        XCTAssertTrue(nobody.description.contains("no user \"nobody\""), nobody.description)
        XCTAssertEqual(try db.contactRepository.search("Bea", filter: ContactFilter(), limit: 1).first?.ownerLogin, "omid")
        XCTAssertEqual(try db.contactRepository.search("Cem", filter: ContactFilter(), limit: 1).first?.ownerLogin, "sara")
        let (forced, _) = try Self.run(db, [Self.row(2, "Dora", owner: "sara")], ImportOptions(label: "g.csv", ownerLogin: "omid"))
        XCTAssertEqual(forced.created, 1)
        XCTAssertEqual(try db.contactRepository.search("Dora", filter: ContactFilter(), limit: 1).first?.ownerLogin, "omid")
        // A deactivated user (a leaver whose work was handed over) is no
        // owner: refused as --owner, and a row naming them is rejected (QA 27 #9).
        _ = try fixture.open("lena")
        _ = try fixture.open("omid").userRepository.deactivate(login: "lena", handover: HandoverPlan())  // the first user: the admin
        XCTAssertThrowsError(try Self.run(db, [Self.row(2, "Eda")], ImportOptions(label: "h.csv", ownerLogin: "lena"))) { error in
            XCTAssertEqual((error as? ImportUnknownOwner)?.deactivated, true)
            XCTAssertEqual("\(error)", "lena is deactivated; name an active user (users: omid, sara)")
        }
        let (left, leftOutcomes) = try Self.run(db, [Self.row(2, "Eda", owner: "lena"), Self.row(3, "Fay")],
                                               ImportOptions(label: "h.csv", skipInvalid: true))
        XCTAssertEqual(left.created, 1)
        guard case .rejected(let lena)? = leftOutcomes.first else { return ["\(leftOutcomes)"] }
        XCTAssertEqual(lena.message, "lena is deactivated; import with --owner LOGIN (an active user) or reactivate them")
        return [Self.describe(summary)] + outcomes.map(Self.describe) + (try Self.rows(db))
    }

    /// A file that exercises everything at once, past several groups of
    /// pending writes: repeats of earlier rows (email in another case, the
    /// same phone written differently, the same name at the same company),
    /// repeats of contacts there before, companies spelled three ways,
    /// tags in two cases, owners named by rows, customers; with each policy.
    func checkAMixedFileGivesTheSameRowsOnEveryEngine(policy: DuplicatePolicy) throws -> [String] {
        let fixture = try fresh()
        _ = try fixture.open("omid")
        let db = try fixture.open("sara")
        let acme = try db.companyRepository.create(Company(name: "Ärger & Söhne"))
        _ = try db.contactRepository.create(Contact(name: "Zoë Existing", companyID: acme.id, emails: [EmailAddress("zoe@example.com")],
                                                    phones: [PhoneNumber("+49 30 7000000")], tags: ["VIP"]))
        _ = try db.contactRepository.create(Contact(name: "Yusuf Existing", title: "Dr.", phones: [PhoneNumber("030 7000001")]))
        let companies = ["Ärger & Söhne", "ARGER & SOHNE", "arger & söhne", "Firma Eins", "FIRMA EINS", "Neue Firma", ""]
        var rows: [ImportRow] = []
        // More rows than the PostgreSQL import buffer holds (500), so the
        // file is written in more than one flush; one row in 13 is bad.
        let count = 650
        for i in 0..<count {
            let line = i + 2
            switch i % 13 {
            case 3: rows.append(Self.row(line, "Person \(i - 3)", company: companies[(i - 3) % companies.count]))
            case 5: rows.append(Self.row(line, "Dup Mail \(i)", emails: ["P\(i - 5)@Example.com"], phones: ["+49 30 \(3_000_000 + i)"]))
            case 7: rows.append(Self.row(line, "Dup Phone \(i)", phones: ["030 \(2_000_000 + i - 7)"], tags: ["extra"]))
            case 9: rows.append(Self.row(line, "Zoe Again \(i)", emails: ["ZOE@example.com"], title: "Chief \(i)"))
            case 11: rows.append(Self.row(line, "Yusuf Again", company: "Neue Firma", phones: ["+49 30 7000001"], tags: ["vip"]))
            case 12: rows.append(Self.row(line, "Bad \(i)", emails: ["bad\(i)@"]))
            default:
                rows.append(Self.row(line, "Person \(i)", company: companies[i % companies.count], emails: ["p\(i)@example.com"],
                                     phones: ["+49 30 \(2_000_000 + i)"], tags: i % 2 == 0 ? ["vip", "Messe"] : ["Vip"],
                                     owner: i % 4 == 0 ? "omid" : nil, lifecycle: i % 10 == 0 ? .customer : nil))
            }
        }
        let options = ImportOptions(label: "mixed.csv", format: "google csv", tag: "mixed", onDuplicate: policy, skipInvalid: true)
        let (dry, dryOutcomes) = try Self.run(db, rows, ImportOptions(label: "mixed.csv", tag: "mixed", onDuplicate: policy, dryRun: true))
        let (summary, outcomes) = try Self.run(db, rows, options)
        XCTAssertEqual(summary.rowsRead, rows.count)
        XCTAssertEqual(summary.rejected, count / 13)
        XCTAssertEqual(summary.created + summary.merged + summary.skipped + summary.rejected, rows.count)
        XCTAssertEqual(dry.created + dry.merged + dry.skipped + dry.rejected, rows.count)
        XCTAssertEqual(outcomes.map(\.line), rows.map(\.line))
        var transcript = [Self.describe(dry)] + dryOutcomes.map(Self.describe) + [Self.describe(summary)] + outcomes.map(Self.describe)
        transcript += try Self.rows(db)
        transcript += try namePairs(fixture, "after the import")
        transcript += try ["Person 130", "p131@example", "2000132", "Chief", "Söhne", "mixed", "messe"].map { query in
            "search \(query): " + (try db.contactRepository.search(query, filter: ContactFilter(), limit: 8).map { "\($0.id) \($0.name)" }
                .joined(separator: ", "))
        }
        let undo = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        transcript += ["\(undo)"] + (try Self.rows(db))
        transcript += try namePairs(fixture, "after the undo")
        transcript += ["search after undo: " + (try db.contactRepository.search("Person", filter: ContactFilter(), limit: 8).map(\.name)
            .joined(separator: ", "))]
        return transcript
    }
}

extension ImportContract {
    /// The stored name groups that list a pair, checked against a recount
    /// from the rows (a bulk import decides them once at the end).
    func namePairs(_ fixture: ImportDatabase, _ when: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        // In byte order on both engines (PostgreSQL's ORDER BY follows the collation).
        let found = try fixture.namePairs()
        let bytes: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let (stored, recounted) = (found.stored.sorted(by: bytes), found.recounted.sorted(by: bytes))
        XCTAssertEqual(stored, recounted, "name groups that list a pair \(when)", file: file, line: line)
        return ["name pairs \(when): " + stored.joined(separator: ", ")]
    }
}

/// Rows that count how many were asked for.
struct CountingSource: ImportSource {
    var rows: [ImportRow]
    let read: () -> Void
    mutating func next() throws -> ImportRow? {
        guard !rows.isEmpty else { return nil }
        read()
        return rows.removeFirst()
    }
}

extension ImportRow {
    var line: Int {
        switch self {
        case .contact(let c): c.line
        case .rejected(let r): r.line
        }
    }
}
