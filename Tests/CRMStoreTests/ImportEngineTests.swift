import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The import engine on real database files: one batch in one transaction,
/// rejected rows refusing the lot, the dry run writing nothing, the
/// duplicate policies, and undo of a whole batch.
final class ImportEngineTests: XCTestCase {
    func row(_ line: Int, _ name: String, company: String = "", emails: [String] = [], phones: [String] = [],
             tags: [String] = [], title: String = "") -> ImportRow {
        .contact(ImportContact(line: line, name: name, title: title, company: company, emails: emails.map { EmailAddress($0) },
                               phones: phones.map { PhoneNumber($0) }, tags: tags,
                               origins: ["email 1": "E-mail 1 - Value", "name": "Name", "phone 1": "Phone 1 - Value"]))
    }

    @discardableResult
    func runImport(_ db: Database, _ rows: [ImportRow], _ options: ImportOptions) throws -> (ImportSummary, [ImportOutcome]) {
        var source: any ImportSource = ImportRows(rows)
        var outcomes: [ImportOutcome] = []
        let summary = try db.importRepository.importContacts(from: &source, options: options, progress: nil) { outcomes.append($0) }
        return (summary, outcomes)
    }

    func count(_ db: Database, _ table: String) throws -> Int64 {
        try db.connection.scalar("SELECT count(*) FROM \(table)") ?? -1
    }

    func testImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let existing = try db.companies.create(Company(name: "Müller GmbH"))
        let (summary, outcomes) = try runImport(db, [
            row(2, "Günter Müller", company: "muller gmbh", emails: ["g@mueller.de"], phones: ["+49 30 1234567"], tags: ["vip"]),
            row(3, "Ada Lovelace", company: "Analytical Engines", emails: ["ada@example.com"]),
            row(4, "Li Wei", company: "ANALYTICAL ENGINES"),
        ], ImportOptions(label: "google.csv", format: "csv", tag: "import-1"))
        XCTAssertEqual(summary.rowsRead, 3)
        XCTAssertEqual(summary.created, 3)
        XCTAssertEqual(summary.companiesCreated, 1)
        XCTAssertTrue(summary.committed)
        XCTAssertEqual(outcomes.map(\.line), [2, 3, 4])
        let batch = try XCTUnwrap(summary.batchID)

        let guenter = try XCTUnwrap(try db.contacts.search("Günter", filter: ContactFilter(), limit: 5).first)
        XCTAssertEqual(guenter.companyID, existing.id, "found case- and accent-folded")
        let full = try XCTUnwrap(try db.contacts.get(guenter.id))
        XCTAssertEqual(full.tags, ["import-1", "vip"])
        XCTAssertEqual(full.ownerID, db.currentUser.id)
        XCTAssertEqual(try db.connection.text("SELECT e164 FROM contact_phones WHERE contact_id = ?", [guenter.id]), "49301234567")
        // The search index is complete: by email, phone digits and tag.
        XCTAssertEqual(try db.contacts.search("ada@example", filter: ContactFilter(), limit: 5).map(\.name), ["Ada Lovelace"])
        XCTAssertEqual(try db.contacts.search("1234567", filter: ContactFilter(), limit: 5).map(\.name), ["Günter Müller"])
        XCTAssertEqual(try db.contacts.search("vip", filter: ContactFilter(), limit: 5).map(\.name), ["Günter Müller"])
        let companies = try db.companies.search("Analytical", limit: 5)
        XCTAssertEqual(companies.count, 1, "one company for both spellings")

        let listed = try db.importRepository.importBatches(limit: 10)
        XCTAssertEqual(listed.map(\.id), [batch])
        XCTAssertEqual(listed.first?.sentence, "sara imported 3 contacts from google.csv")
        let audit = try db.audit.entries(entity: "import", id: batch)
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit.first?.changes["summary"]?.new, .text("sara imported 3 contacts from google.csv"))
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM audit_log WHERE entity = 'contact'"), 0,
                       "one audit entry for the whole batch")
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
    }

    func testRejectedRowRefusesTheWholeImportAndSaysWhere() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let before = try count(db, "contacts")
        var outcomes: [ImportOutcome] = []
        XCTAssertThrowsError(try {
            var source: any ImportSource = ImportRows([
                row(2, "Ada", emails: ["ada@example.com"]),
                row(42, "Bob", emails: ["bob@"]),
                .rejected(ImportRejection(line: 43, column: "Birthday", message: "'32.13.' is not a date")),
            ])
            _ = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "x.csv"), progress: nil) {
                outcomes.append($0)
            }
        }()) { error in
            let refused = error as? ImportRefused
            XCTAssertEqual(refused?.summary.rejected, 2)
            XCTAssertEqual(refused?.summary.rowsRead, 3)
        }
        guard case .rejected(let bob)? = outcomes.first(where: { $0.line == 42 }) else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(bob.column, "E-mail 1 - Value")
        XCTAssertTrue(bob.description.hasPrefix("line 42, column E-mail 1 - Value: \"bob@\" is not an email address"), bob.description)
        XCTAssertEqual(try count(db, "contacts"), before)
        XCTAssertEqual(try count(db, "import_batches"), 0)
        XCTAssertEqual(try count(db, "contact_fts"), 0)

        let (summary, _) = try runImport(db, [row(2, "Ada"), row(3, "", emails: ["x@example.com"])],
                                         ImportOptions(label: "x.csv", skipInvalid: true))
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertEqual(try count(db, "contacts"), before + 1)
    }

    /// The import writes its rows with the CHECK constraints off (its values
    /// meet them by construction); they hold again once it is over, whether
    /// it committed or was refused, on the same connection.
    func testContactsChecksHoldAgainAfterAnImportCommittedOrRefused() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        func checksHold(_ when: String) throws {
            XCTAssertEqual(try db.connection.scalar("PRAGMA ignore_check_constraints"), 0, when)
            let id = try XCTUnwrap(try db.connection.scalar("SELECT max(id) FROM contacts"))
            XCTAssertThrowsError(try db.connection.run("UPDATE contacts SET lifecycle = 'bogus' WHERE id = ?", [id]), when)
            XCTAssertThrowsError(try db.connection.run("UPDATE contacts SET value_tier = 'Z' WHERE id = ?", [id]), when)
        }
        let customer = ImportRow.contact(ImportContact(line: 3, name: "Li Wei", lifecycle: .customer))
        let (summary, _) = try runImport(db, [row(2, "Ada Lovelace", emails: ["ada@example.com"]), customer],
                                         ImportOptions(label: "a.csv"))
        XCTAssertEqual(summary.created, 2)
        XCTAssertEqual(try db.connection.rows("SELECT lifecycle FROM contacts ORDER BY id") { $0.string(0) }, ["lead", "customer"])
        try checksHold("after a committed import")

        XCTAssertThrowsError(try runImport(db, [row(2, "Bob", emails: ["bob@"])], ImportOptions(label: "b.csv")))
        XCTAssertEqual(try count(db, "contacts"), 2)
        try checksHold("after a refused import")
    }

    func testDryRunOnAReadOnlyDatabaseWritesNothingAndCountsAddUp() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path, login: "sara")
            _ = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let (summary, outcomes) = try Database.reading(path, login: "sara") { db in
            try runImport(db, [
                row(2, "Ada L.", emails: ["ADA@example.com"]),
                row(3, "Bob", company: "New Co", emails: ["bob@example.com"]),
                row(4, "Bobby", emails: ["bob@example.com"]),
                row(5, "Eve", emails: ["eve@"]),
            ], ImportOptions(label: "f.csv", onDuplicate: .skip, dryRun: true))
        }
        XCTAssertEqual(summary.rowsRead, 4)
        XCTAssertEqual(summary.created + summary.merged + summary.skipped + summary.rejected, summary.rowsRead)
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.skipped, 2)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertEqual(summary.companiesCreated, 1)
        XCTAssertFalse(summary.committed)
        guard case .skipped(_, _, let dup)? = outcomes.first(where: { $0.line == 2 }) else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(dup.name, "Ada Lovelace")
        XCTAssertTrue(dup.reasons.joined().contains("same email"), "\(dup.reasons)")
        guard case .skipped(_, _, let inFile)? = outcomes.first(where: { $0.line == 4 }) else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(inFile.fileLine, 3)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    func testEachDuplicatePolicy() throws {
        for policy in DuplicatePolicy.allCases {
            let (db, folder) = try makeDatabase()
            _ = folder
            let ada = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")],
                                                     tags: ["old"], notes: "met at the fair"))
            let (summary, outcomes) = try runImport(db, [
                row(2, "Ada Lovelace", company: "Engines Ltd", emails: ["ada@example.com", "ada@home.org"],
                    phones: ["+44 20 7946 0000"], tags: ["new"], title: "Countess"),
            ], ImportOptions(label: "f.csv", onDuplicate: policy))
            XCTAssertEqual(summary.rowsRead, 1, "\(policy)")
            let now = try XCTUnwrap(try db.contacts.get(ada.id))
            switch policy {
            case .skip:
                XCTAssertEqual(summary.skipped, 1)
                XCTAssertEqual(now, ada)
                XCTAssertEqual(try count(db, "contacts"), 1)
            case .create:
                XCTAssertEqual(summary.created, 1)
                XCTAssertEqual(summary.createdDespiteDuplicate, 1)
                guard case .createdDespite(_, _, let dup)? = outcomes.first else { return XCTFail("\(outcomes)") }
                XCTAssertEqual(dup.contactID, ada.id)
                XCTAssertEqual(try count(db, "contacts"), 2)
                XCTAssertEqual(now, ada)
            case .merge:
                XCTAssertEqual(summary.merged, 1)
                XCTAssertEqual(try count(db, "contacts"), 1)
                XCTAssertEqual(now.title, "Countess", "an empty field is filled")
                XCTAssertEqual(now.notes, "met at the fair", "a set value is never overwritten")
                XCTAssertEqual(now.emails.map(\.address), ["ada@example.com", "ada@home.org"])
                XCTAssertEqual(now.phones.map(\.number), ["+44 20 7946 0000"])
                XCTAssertEqual(now.tags, ["new", "old"])
                XCTAssertNotNil(now.companyID)
                XCTAssertEqual(now.version, ada.version + 1)
                XCTAssertEqual(try db.contacts.search("home.org", filter: ContactFilter(), limit: 5).map(\.id), [ada.id])
                XCTAssertEqual(try db.contacts.search("Countess", filter: ContactFilter(), limit: 5).map(\.id), [ada.id])
                // Undo puts it back as it was.
                _ = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
                let back = try XCTUnwrap(try db.contacts.get(ada.id))
                XCTAssertEqual(back.title, "")
                XCTAssertEqual(back.companyID, nil)
                XCTAssertEqual(back.emails, ada.emails)
                XCTAssertEqual(back.phones, [PhoneNumber]())
                XCTAssertEqual(back.tags, ["old"])
                XCTAssertEqual(try count(db, "companies"), 0)
                XCTAssertEqual(try db.contacts.search("home.org", filter: ContactFilter(), limit: 5).count, 0)
            }
            XCTAssertEqual(try db.integrityCheck(), ["ok"])
        }
    }

    func testRepeatsInsideTheFileAreDuplicatesToo() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let (summary, _) = try runImport(db, [
            row(2, "Bob", emails: ["bob@example.com"]),
            row(3, "Bobby", emails: ["BOB@example.com"], phones: ["030 1234567"]),
        ], ImportOptions(label: "f.csv", onDuplicate: .merge))
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.merged, 1)
        let bob = try XCTUnwrap(try db.contacts.search("Bob", filter: ContactFilter(), limit: 5).first)
        XCTAssertEqual(try db.contacts.get(bob.id)?.phones.map(\.number), ["030 1234567"])
        XCTAssertEqual(try db.contacts.get(bob.id)?.version, 1, "still the batch's own row")
        XCTAssertEqual(try count(db, "import_merges"), 0)
        XCTAssertEqual(try db.contacts.search("1234567", filter: ContactFilter(), limit: 5).map(\.id), [bob.id])
    }

    func testUndoOfAWholeBatch() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let kept = try db.contacts.create(Contact(name: "Kept Person"))
        let counts = try ["contacts", "companies", "contact_emails", "contact_phones", "contact_tags", "contact_fts", "phone_fts"]
            .map { try count(db, $0) }
        let rows = (0..<200).map { row($0 + 2, "Person \($0)", company: "Co \($0 % 7)", emails: ["p\($0)@example.com"],
                                       phones: ["+49 30 \(1_000_000 + $0)"], tags: ["t\($0 % 3)"]) }
        let (summary, _) = try runImport(db, rows, ImportOptions(label: "big.csv", tag: "batch"))
        XCTAssertEqual(summary.created, 200)
        XCTAssertEqual(summary.companiesCreated, 7)
        let result = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        XCTAssertEqual(result.contactsRemoved, 200)
        XCTAssertEqual(result.companiesRemoved, 7)
        let after = try ["contacts", "companies", "contact_emails", "contact_phones", "contact_tags", "contact_fts", "phone_fts"]
            .map { try count(db, $0) }
        XCTAssertEqual(after, counts)
        XCTAssertNotNil(try db.contacts.get(kept.id))
        XCTAssertEqual(try db.contacts.search("Person", filter: ContactFilter(), limit: 5).map(\.name), ["Kept Person"])
        let batch = try XCTUnwrap(try db.importRepository.importBatch(try XCTUnwrap(summary.batchID)))
        XCTAssertNotNil(batch.undoneAt)
        XCTAssertEqual(batch.undoneBy, "sara")
        XCTAssertThrowsError(try db.importRepository.undoImport(batch.id, force: false)) { error in
            XCTAssertTrue("\(error)".contains("undone already, by sara"), "\(error)")
        }
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        XCTAssertEqual(try db.audit.entries(entity: "import", id: batch.id).map(\.action), ["undo", "import"])
    }

    func testUndoIsRefusedWithWhoAndWhatWhenAContactWasEditedSinceUnlessForced() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let sara = try Database(path: path, login: "sara")
        let (summary, _) = try runImport(sara, [row(2, "Ada"), row(3, "Bob"), row(4, "Cy")], ImportOptions(label: "f.csv"))
        let batch = try XCTUnwrap(summary.batchID)
        let omid = try Database(path: path, login: "omid")
        var bob = try XCTUnwrap(try omid.contacts.search("Bob", filter: ContactFilter(), limit: 1).first.flatMap { try omid.contacts.get($0.id) })
        bob.title = "CEO"
        _ = try omid.contacts.update(bob)
        let cy = try XCTUnwrap(try omid.contacts.search("Cy", filter: ContactFilter(), limit: 1).first)
        _ = try omid.interactions.log(Interaction(contactID: cy.id, kind: .call, occurredAt: Date(), authorID: omid.currentUser.id))

        XCTAssertThrowsError(try sara.importRepository.undoImport(batch, force: false)) { error in
            let refusal = error as? ImportUndoRefusal
            XCTAssertEqual(refusal?.changes.count, 2, "\(error)")
            XCTAssertTrue(refusal?.changes.contains { $0.hasPrefix("Bob (#\(bob.id)): changed by omid at ") && $0.hasSuffix("(title)") } == true,
                          "\(refusal?.changes ?? [])")
            XCTAssertTrue(refusal?.changes.contains { $0.hasPrefix("Cy (#\(cy.id)): a call added by omid at ") && $0.hasSuffix(" since the import") } == true, "\(refusal?.changes ?? [])")
        }
        XCTAssertEqual(try count(sara, "contacts"), 3, "nothing changed")

        let result = try sara.importRepository.undoImport(batch, force: true)
        XCTAssertEqual(result.contactsRemoved, 2)
        XCTAssertEqual(result.contactsTrashed, 1, "Cy has an interaction: to the trash, not gone")
        XCTAssertNotNil(try sara.contacts.get(cy.id)?.deletedAt)
        XCTAssertEqual(try sara.integrityCheck(), ["ok"])
    }

    func testUnknownOwnerIsRefusedWithASuggestionBeforeAnythingIsRead() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        _ = try db.users.findOrCreate(login: "omid")
        XCTAssertThrowsError(try runImport(db, [row(2, "Ada")], ImportOptions(label: "f.csv", ownerLogin: "omd"))) { error in
            let unknown = error as? ImportUnknownOwner
            XCTAssertEqual(unknown?.known.first, "omid")
            XCTAssertTrue("\(error)".contains("did you mean omid?"), "\(error)")
        }
        XCTAssertEqual(try count(db, "contacts"), 0)
        XCTAssertEqual(try count(db, "import_batches"), 0)
        let (summary, _) = try runImport(db, [row(2, "Ada")], ImportOptions(label: "f.csv", ownerLogin: "omid"))
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(try db.contacts.search("Ada", filter: ContactFilter(), limit: 1).first?.ownerLogin, "omid")
    }
}
