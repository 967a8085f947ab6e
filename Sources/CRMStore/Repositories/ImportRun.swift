import CRMCore
import CRMRepositories
import Foundation

/// One import from its first row to its last: the decisions for each row
/// (reject, create, merge, skip) and, unless it is a dry run, the writes,
/// inside the transaction `SQLiteImportRepository` holds.
struct ImportRun {
    let db: Database
    let options: ImportOptions
    var c: Connection { db.connection }
    private(set) var summary = ImportSummary()
    /// Nil in a dry run: nothing is written.
    private var loader: BulkLoader?
    private var batchID: Int64?
    /// The largest contact id before the import: contacts above it are the
    /// batch's own (the write lock is held from the first row to COMMIT).
    private var contactWatermark: Int64 = 0
    private let now: Date
    /// The owner of created contacts when the row names none.
    private let defaultOwnerID: Int64?
    /// Owners named by rows, by login (nil: no such user).
    private var owners: [String: User?] = [:]
    /// Companies found or created, by folded name; cleared when large, so
    /// its memory stays bounded (a miss only costs an index lookup).
    private var companies: [String: Int64] = [:]
    private static let companyCacheLimit = 20_000
    /// Dry run only: whether `DryRunKeys`' temporary table is made, which
    /// holds the companies it would create (folded names) and the emails and
    /// phones of the rows it would take, with the line that had them first: a
    /// real import finds an earlier row of the file in the database, a dry
    /// run writes nothing there and looks here instead.
    private var dryRunKeysReady = false
    /// Whether the listing indexes are dropped until the end of the load.
    private var indexesDeferred = false
    /// The duplicate keys in the database, made when the indexes are
    /// deferred (the import is then as large as what was there, so reading
    /// the keys once costs no more than the rows so far): a row none of
    /// whose keys is in it is not looked up (`ImportKeyFilter`).
    private var keyFilter: ImportKeyFilter?
    /// Off only in tests that compare an import with and without the filter.
    var usesKeyFilter = true
    /// Whether the time spent reading the file and looking duplicates up is
    /// measured (`SQLiteImportRepository.onPhase`), and what it came to.
    var timesPhases = false
    private(set) var readingMs = 0.0
    private(set) var lookupMs = 0.0
    /// Rows whose duplicates were looked up (the others: ruled out by `keyFilter`).
    private(set) var lookups = 0
    /// Rows before an import may defer indexes: a small one into any
    /// database updates them as it goes.
    static let deferIndexesAfter = 5_000
    /// The same into a file with no contacts yet (the first import of a
    /// team): every row is as large as what was there, and each of the
    /// first 5,000 rows would update some thirty listing indexes.
    static let deferIndexesIntoEmptyAfter = 1_000
    static let deferredTables = ["contacts", "contact_emails", "contact_phones", "contact_tags"]
    /// What the import itself reads while it runs: the duplicate lookups
    /// (email, phone, name at a company) and a merged contact's emails and phones.
    static let lookupIndexes: Set<String> = [
        "contacts_by_name_key", "contact_emails_by_email", "contact_emails_by_contact",
        "contact_phones_by_match", "contact_phones_by_contact",
    ]

    init(db: Database, options: ImportOptions) throws {
        self.db = db
        self.options = options
        now = db.clock.now
        if let login = options.ownerLogin {
            defaultOwnerID = try ImportRowCheck.owner(login) { try db.users.all() }.id
        } else {
            defaultOwnerID = db.currentUser.storedID
        }
    }

    var isDryRun: Bool { loader == nil }

    // MARK: the batch

    /// Records the batch and where the contacts table ends; a real import only.
    mutating func begin(_ loader: BulkLoader) throws {
        self.loader = loader
        try c.run("INSERT INTO import_batches(label, format, user_id, created_at) VALUES (?, ?, ?, ?)",
                  [options.label, options.format, db.currentUser.storedID, now])
        batchID = c.lastInsertRowID
        contactWatermark = try c.scalar("SELECT coalesce(max(id), 0) FROM contacts") ?? 0
    }

    /// The batch's counts and its one audit entry.
    mutating func finish() throws {
        guard let batchID else { return }
        summary.batchID = batchID
        summary.committed = true
        try c.run("""
            UPDATE import_batches SET rows_read = ?, created_count = ?, merged_count = ?, skipped_count = ?,
                   rejected_count = ?, companies_created = ? WHERE id = ?
            """, [summary.rowsRead, summary.created, summary.merged, summary.skipped, summary.rejected,
                  summary.companiesCreated, batchID])
        try db.audit.record("import", batchID, "import",
                            changes: ImportRowCheck.auditChanges(batchID: batchID, options: options, summary: summary,
                                                                 login: db.currentUser.login, at: now))
    }

    // MARK: rows

    mutating func readAll(_ source: inout any ImportSource, progress: ((ImportProgress) -> Void)?,
                          onOutcome: (ImportOutcome) -> Void) throws {
        if isDryRun {
            try DryRunKeys.create(c)
            dryRunKeysReady = true
        }
        defer { if dryRunKeysReady { DryRunKeys.drop(c) } }
        while true {
            let reading = phaseClock()
            guard let row = try source.next() else { break }
            readingMs += Self.ms(since: reading)
            summary.rowsRead += 1
            let outcome: ImportOutcome
            switch row {
            case .rejected(let rejection): outcome = .rejected(rejection)
            case .contact(let record): outcome = try take(record)
            }
            ImportRowCheck.count(outcome, into: &summary)
            onOutcome(outcome)
            if summary.rowsRead % ImportProgress.every == 0 { progress?(ImportProgress(rowsRead: summary.rowsRead)) }
            if !indexesDeferred, let loader, summary.rowsRead >= deferIndexesAt {
                // As large as what was there: the listing indexes are built
                // once at the end instead of updated row by row.
                try loader.deferIndexes(of: Self.deferredTables, keeping: Self.lookupIndexes)
                indexesDeferred = true
                if usesKeyFilter { keyFilter = try ImportKeyFilter.made(from: c) }
            }
        }
    }

    /// The row after which the listing indexes are dropped until the end.
    private var deferIndexesAt: Int {
        contactWatermark == 0 ? Self.deferIndexesIntoEmptyAfter : max(Self.deferIndexesAfter, Int(contactWatermark))
    }

    private mutating func take(_ record: ImportContact) throws -> ImportOutcome {
        let contact: Contact
        switch try prepare(record) {
        case .failure(let rejection): return .rejected(rejection)
        case .success(let ready): contact = ready
        }
        let companyName = Self.trimmed(record.company)
        let existingCompany = try findCompany(companyName)
        let keys = ContactKeys(contact, region: db.phoneRegion)
        let mayMatch = keyFilter?.mayMatch(contact, keys: keys, companyID: existingCompany, companyName: companyName) ?? true
        var duplicate: ImportDuplicate?
        if mayMatch {
            lookups += 1
            let looking = phaseClock()
            duplicate = try duplicates(of: contact, keys: keys, companyID: existingCompany, companyName: companyName).first
            lookupMs += Self.ms(since: looking)
        }
        let fileKeys = isDryRun ? ImportRowCheck.fileKeys(contact, keys: keys, companyName: companyName) : []
        if duplicate == nil, isDryRun { duplicate = try fileDuplicate(fileKeys) }
        // What a real import would have in the database for the next rows:
        // this row's emails, phones and name at its company, unless it is skipped.
        if isDryRun, duplicate == nil || options.onDuplicate != .skip { try remember(fileKeys, line: record.line) }
        let name = contact.name
        guard let duplicate else {
            try create(contact, keys: keys, companyName: companyName, companyID: existingCompany)
            return .created(line: record.line, name: name)
        }
        switch options.onDuplicate {
        case .skip:
            return .skipped(line: record.line, name: name, duplicate: duplicate)
        case .merge:
            var into = duplicate
            let existing = duplicate.fileLine == nil ? try db.contacts.get(duplicate.contactID) : nil
            if let existing {
                into.notTaken = ImportRowCheck.notTaken(existing: existing, existingCompany: duplicate.companyName,
                                                        row: contact, rowCompany: companyName)
            }
            if !isDryRun {
                if let existing { try merge(contact, companyName: companyName, into: existing) }
            } else if !companyName.isEmpty, existingCompany == nil {
                try noteCompanyToCreate(companyName)
            }
            return .merged(line: record.line, name: name, into: into)
        case .create:
            try create(contact, keys: keys, companyName: companyName, companyID: existingCompany)
            return .createdDespite(line: record.line, name: name, duplicate: duplicate)
        }
    }

    /// Now, when phases are timed (else 0, and `ms(since:)` says 0).
    private func phaseClock() -> UInt64 { timesPhases ? DispatchTime.now().uptimeNanoseconds : 0 }

    private static func ms(since start: UInt64) -> Double {
        start == 0 ? 0 : Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// The row as a contact, checked as the contact form checks one; a
    /// problem is reported at the row's line and the column it came from.
    private mutating func prepare(_ record: ImportContact) throws -> Result<Contact, ImportRejection> {
        var owners = self.owners
        defer { self.owners = owners }
        return try ImportRowCheck.contact(record, options: options, defaultOwnerID: defaultOwnerID, now: now) { [db] login in
            if owners[login] == nil { owners[login] = .some(try db.users.find(login: login)) }
            return owners[login] ?? nil
        }
    }

    static func trimmed(_ text: String) -> String { ImportRowCheck.trimmed(text) }

    // MARK: companies

    static func folded(_ name: String) -> String { ImportRowCheck.companyKey(name) }

    /// The folded key of each company name as the rows spell it: a file
    /// names its few companies again and again, and folding is a sort key's
    /// work. Cleared with `companies`, so it stays as small.
    private var foldedNames: [String: String] = [:]

    private mutating func foldedName(_ name: String) -> String {
        if let key = foldedNames[name] { return key }
        if foldedNames.count >= Self.companyCacheLimit { foldedNames.removeAll(keepingCapacity: true) }
        let key = Self.folded(name)
        foldedNames[name] = key
        return key
    }

    private mutating func findCompany(_ name: String) throws -> Int64? {
        guard !name.isEmpty else { return nil }
        let key = foldedName(name)
        if let id = companies[key] { return id }
        let id = try c.scalar("""
            SELECT id FROM companies WHERE sort_key >= ? AND sort_key < ? AND deleted_at IS NULL ORDER BY id LIMIT 1
            """, [key + "\u{1}", key + "\u{2}"])
        if let id { cache(key, id) }
        return id
    }

    private mutating func cache(_ key: String, _ id: Int64) {
        if companies.count >= Self.companyCacheLimit { companies.removeAll(keepingCapacity: true) }
        companies[key] = id
    }

    private mutating func noteCompanyToCreate(_ name: String) throws {
        if try DryRunKeys.insert(c, "c:" + foldedName(name), line: 0) { summary.companiesCreated += 1 }
    }

    /// The company named `name`, created (as the batch's) when missing.
    private mutating func company(_ name: String, found: Int64?) throws -> Int64? {
        if let found { return found }
        guard !name.isEmpty else { return nil }
        guard let loader, let batchID else {
            try noteCompanyToCreate(name)
            return nil
        }
        let id = try loader.insert(Company(name: name, ownerID: defaultOwnerID, createdAt: now, updatedAt: now, version: 1),
                                   batchID: batchID)
        summary.companiesCreated += 1
        cache(foldedName(name), id)
        return id
    }

    // MARK: writes

    private mutating func create(_ contact: Contact, keys: ContactKeys, companyName: String, companyID: Int64?) throws {
        var contact = contact
        contact.companyID = try company(companyName, found: companyID)
        guard let loader, let batchID else { return }
        _ = try loader.insert(contact, keys: keys, batchID: batchID)
        keyFilter?.insert(contact, keys: keys)
    }

    /// Fills the existing contact's empty fields and adds the row's new
    /// emails, phones and tags; never overwrites a value that is set. What
    /// it had before is kept in `import_merges` for the undo.
    private mutating func merge(_ new: Contact, companyName: String, into old: Contact) throws {
        guard let loader, let batchID else { return }
        let id = old.id
        var sets: [String] = []
        var values: [SQLBindable] = []
        /// column → [the value before, the value the merge wrote].
        var before: [String: Any] = [:]
        func fill(_ column: String, _ old: String, _ new: String) {
            guard old.isEmpty, !new.isEmpty else { return }
            sets.append("\(column) = ?")
            values.append(new)
            before[column] = [old, new]
        }
        fill("title", old.title, new.title)
        fill("source", old.source, new.source)
        fill("notes", old.notes, new.notes)
        if old.companyID == nil, let companyID = try company(companyName, found: try findCompany(companyName)) {
            sets.append("company_id = ?")
            values.append(companyID)
            before["company_id"] = [NSNull(), companyID]
        }
        if old.ownerID == nil, let owner = new.ownerID {
            sets.append("owner_id = ?")
            values.append(owner)
            before["owner_id"] = [NSNull(), owner]
        }
        var addedEmails: [Int64] = []
        let known = Set(old.emails.map { $0.address.lowercased() })
        for email in new.emails where !known.contains(email.address.lowercased()) {
            try c.run("INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, ?, ?)",
                      [id, email.address, email.label, old.emails.count + addedEmails.count])
            addedEmails.append(c.lastInsertRowID)
        }
        var addedPhones: [Int64] = []
        let knownDigits = Set(old.phones.map { PhoneNumber.digits($0.number) })
        for phone in new.phones where !knownDigits.contains(PhoneNumber.digits(phone.number)) {
            // With its match key written here: the key triggers are off
            // during the load, and a later row of the file must find it.
            let e164 = PhoneNumber.storedE164(phone.number, region: db.phoneRegion)
            try c.run("""
                INSERT INTO contact_phones(contact_id, number, digits, e164, match_key, label, position) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [id, phone.number, PhoneNumber.digits(phone.number), e164, DuplicateKey.storedPhone(phone.number, e164: e164),
                      phone.label, old.phones.count + addedPhones.count])
            addedPhones.append(c.lastInsertRowID)
        }
        var addedTags: [Int64] = []
        let knownTags = Set(old.tags.map { $0.lowercased() })
        for tag in new.tags where !knownTags.contains(tag.lowercased()) {
            let tagID = try loader.tagID(tag)
            try c.run("INSERT INTO contact_tags(contact_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [id, tagID])
            if c.changes > 0 { addedTags.append(tagID) }
        }
        guard !sets.isEmpty || !addedEmails.isEmpty || !addedPhones.isEmpty || !addedTags.isEmpty else { return }
        // A contact this batch created is still the batch's own: no new
        // version, no merge record (the undo removes it whole).
        let ownRow = id > contactWatermark
        try c.run("UPDATE contacts SET \((sets + ["updated_at = ?", "version = version + ?"]).joined(separator: ", ")) WHERE id = ?",
                  values + [now, ownRow ? 0 : 1, id])
        // The keys it has now (new addresses and numbers, its name at the
        // company it may have been given), for the next rows' lookups.
        let connection = c
        try keyFilter?.insert(contactID: id, from: connection)
        // The emails' and tags' index triggers are off during the load:
        // the contact's search entry is written again from what it holds
        // now (a row of this batch gets its entry from the backfill).
        try c.run("DELETE FROM contact_fts WHERE rowid = ?", [id])
        guard !ownRow else { return }
        try c.run("""
            INSERT INTO contact_fts(rowid, name, company, emails, extra)
            SELECT id, name, company, emails, extra FROM contact_search_text WHERE id = ?
            """, [id])
        try c.run("""
            INSERT INTO import_merges(batch_id, contact_id, before, added_emails, added_phones, added_tags, version_after)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [batchID, id, try Self.json(before), try Self.json(addedEmails), try Self.json(addedPhones),
                  try Self.json(addedTags), old.version + 1])
        // The contact's own trail names the import and what it changed, so a
        // colleague's edit made stale by it says so (QA 29 #10: "changed by someone").
        if let merged = try db.contacts.get(id) {
            try db.audit.record("contact", id, "import", values: FieldChanges.contact(old, merged).values)
        }
    }

    static func json(_ value: Any) throws -> String { try ImportRowCheck.json(value) }

    // MARK: duplicates within the file (dry run)

    private func fileDuplicate(_ keys: [(key: String, reason: String)]) throws -> ImportDuplicate? {
        try ImportRowCheck.fileDuplicate(keys) { try DryRunKeys.line(c, $0) }
    }

    private func remember(_ keys: [(key: String, reason: String)], line: Int) throws {
        for (key, _) in keys { _ = try DryRunKeys.insert(c, key, line: line) }
    }
}
