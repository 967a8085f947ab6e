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
    private var owners: [String: Int64?] = [:]
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
    /// Rows before an import may defer indexes: a small one into any
    /// database updates them as it goes.
    static let deferIndexesAfter = 5_000
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
            guard let user = try db.users.find(login: login) else { throw try Self.unknownOwner(login, db) }
            defaultOwnerID = user.id
        } else {
            defaultOwnerID = db.currentUser.id == 0 ? nil : db.currentUser.id
        }
    }

    var isDryRun: Bool { loader == nil }

    static func unknownOwner(_ login: String, _ db: Database) throws -> ImportUnknownOwner {
        let logins = try db.users.all().map(\.login)
        let near = logins.map { ($0, Self.distance($0.lowercased(), login.lowercased())) }
            .filter { $0.1 <= max(2, login.count / 3) }.sorted { $0.1 < $1.1 }.map(\.0)
        return ImportUnknownOwner(login: login, known: near + logins.filter { !near.contains($0) })
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    // MARK: the batch

    /// Records the batch and where the contacts table ends; a real import only.
    mutating func begin(_ loader: BulkLoader) throws {
        self.loader = loader
        try c.run("INSERT INTO import_batches(label, format, user_id, created_at) VALUES (?, ?, ?, ?)",
                  [options.label, options.format, db.currentUser.id == 0 ? nil : db.currentUser.id, now])
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
        let sentence = ImportBatch(id: batchID, label: options.label, format: options.format, userLogin: db.currentUser.login,
                                   at: now, rowsRead: summary.rowsRead, created: summary.created, merged: summary.merged,
                                   skipped: summary.skipped, rejected: summary.rejected,
                                   companiesCreated: summary.companiesCreated, undoneAt: nil, undoneBy: nil).sentence
        try db.audit.record("import", batchID, "import", changes: [
            "summary": ("", sentence), "file": ("", options.label), "rows": ("", "\(summary.rowsRead)"),
            "created": ("", "\(summary.created)"), "merged": ("", "\(summary.merged)"),
            "skipped": ("", "\(summary.skipped)"), "rejected": ("", "\(summary.rejected)"),
            "companies": ("", "\(summary.companiesCreated)"),
        ])
    }

    // MARK: rows

    mutating func readAll(_ source: inout any ImportSource, progress: ((ImportProgress) -> Void)?,
                          onOutcome: (ImportOutcome) -> Void) throws {
        if isDryRun {
            try DryRunKeys.create(c)
            dryRunKeysReady = true
        }
        defer { if dryRunKeysReady { DryRunKeys.drop(c) } }
        while let row = try source.next() {
            summary.rowsRead += 1
            let outcome: ImportOutcome
            switch row {
            case .rejected(let rejection): outcome = .rejected(rejection)
            case .contact(let record): outcome = try take(record)
            }
            switch outcome {
            case .created: summary.created += 1
            case .createdDespite:
                summary.created += 1
                summary.createdDespiteDuplicate += 1
            case .merged: summary.merged += 1
            case .skipped: summary.skipped += 1
            case .rejected: summary.rejected += 1
            }
            onOutcome(outcome)
            if summary.rowsRead % ImportProgress.every == 0 { progress?(ImportProgress(rowsRead: summary.rowsRead)) }
            if !indexesDeferred, let loader, summary.rowsRead >= max(Self.deferIndexesAfter, Int(contactWatermark)) {
                // As large as what was there: the listing indexes are built
                // once at the end instead of updated row by row.
                try loader.deferIndexes(of: Self.deferredTables, keeping: Self.lookupIndexes)
                indexesDeferred = true
            }
        }
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
        var duplicate = try duplicates(of: contact, keys: keys, companyID: existingCompany, companyName: companyName).first
        if duplicate == nil, isDryRun { duplicate = try fileDuplicate(contact) }
        // What a real import would have in the database for the next rows:
        // this row's emails and phones, unless it is skipped.
        if isDryRun, duplicate == nil || options.onDuplicate != .skip { try remember(contact, line: record.line) }
        let name = contact.name
        guard let duplicate else {
            try create(contact, keys: keys, companyName: companyName, companyID: existingCompany)
            return .created(line: record.line, name: name)
        }
        switch options.onDuplicate {
        case .skip:
            return .skipped(line: record.line, name: name, duplicate: duplicate)
        case .merge:
            if !isDryRun { try merge(contact, companyName: companyName, into: duplicate.contactID) }
            else if !companyName.isEmpty, existingCompany == nil { try noteCompanyToCreate(companyName) }
            return .merged(line: record.line, name: name, into: duplicate)
        case .create:
            try create(contact, keys: keys, companyName: companyName, companyID: existingCompany)
            return .createdDespite(line: record.line, name: name, duplicate: duplicate)
        }
    }

    /// The row as a contact, checked as the contact form checks one; a
    /// problem is reported at the row's line and the column it came from.
    private mutating func prepare(_ record: ImportContact) throws -> Result<Contact, ImportRejection> {
        var emails: [EmailAddress] = []
        for email in record.emails where !emails.contains(where: { $0.address.lowercased() == email.address.lowercased() }) {
            emails.append(email)
        }
        var phones: [PhoneNumber] = []
        for phone in record.phones where !phones.contains(where: { PhoneNumber.digits($0.number) == PhoneNumber.digits(phone.number) }) {
            phones.append(phone)
        }
        var tags: [String] = []
        for tag in record.tags + [options.tag].compactMap({ $0 }) {
            let t = tag.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty, !tags.contains(where: { $0.lowercased() == t.lowercased() }) { tags.append(t) }
        }
        var owner = defaultOwnerID
        if options.ownerLogin == nil, let login = record.ownerLogin, !login.isEmpty {
            if owners[login] == nil { owners[login] = .some(try db.users.find(login: login)?.id) }
            guard let id = owners[login] ?? nil else {
                return .failure(ImportRejection(line: record.line, column: record.origins["owner"],
                                                message: "no user \"\(login)\" owns contacts here; create that user or import with --owner LOGIN"))
            }
            owner = id
        }
        let contact = Contact(name: Self.trimmed(record.name), title: Self.trimmed(record.title),
                              emails: emails, phones: phones, tags: tags, ownerID: owner,
                              lifecycle: record.lifecycle ?? .lead, source: record.source, notes: record.notes,
                              createdAt: now, updatedAt: now, version: 1)
        var errors = contact.validate()
        if record.company.utf8.count > 200, record.company.count > 200 {
            errors.append(FieldError("company", "is too long: \(record.company.count) characters, at most 200"))
        }
        guard let error = errors.first else { return .success(contact) }
        let column = record.origins[error.field] ?? record.origins[error.field + " 1"] ?? error.field
        let message = error.message.hasPrefix("is ") ? "\(error.field) \(error.message)" : error.message
        return .failure(ImportRejection(line: record.line, column: column,
                                        message: errors.count > 1 ? "\(message) (and \(errors.count - 1) more problems in this row)" : message))
    }

    /// `text` without surrounding white space. The readers trim already:
    /// Foundation's trimming (a tenth of a row's cost) runs only when needed.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: companies

    /// The primary letters of a name (case and accents folded), as the
    /// companies' sort key begins: a range of its index finds the company.
    static func folded(_ name: String) -> String {
        let key = NameSortKey.of(name)
        return String(key.prefix { $0 != "\u{1}" })
    }

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
    }

    /// Fills the existing contact's empty fields and adds the row's new
    /// emails, phones and tags; never overwrites a value that is set. What
    /// it had before is kept in `import_merges` for the undo.
    private mutating func merge(_ new: Contact, companyName: String, into id: Int64) throws {
        guard let loader, let batchID, let old = try db.contacts.get(id) else { return }
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
            try c.run("INSERT INTO contact_phones(contact_id, number, digits, e164, label, position) VALUES (?, ?, ?, ?, ?, ?)",
                      [id, phone.number, PhoneNumber.digits(phone.number),
                       PhoneNumber.storedE164(phone.number, region: db.phoneRegion), phone.label, old.phones.count + addedPhones.count])
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
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    // MARK: duplicates within the file (dry run)

    /// A row's email and phone keys, in the order a duplicate names them.
    private func keys(_ contact: Contact) -> [String] {
        contact.emails.map { "e:" + $0.address.lowercased() } + contact.phones.map { "p:" + PhoneNumber.digits($0.number) }
    }

    private func fileDuplicate(_ contact: Contact) throws -> ImportDuplicate? {
        for (i, key) in keys(contact).enumerated() {
            if let line = try DryRunKeys.line(c, key) {
                return ImportDuplicate(contactID: 0, name: "", companyName: nil,
                                       reasons: [i < contact.emails.count ? "same email" : "same phone"], fileLine: line)
            }
        }
        return nil
    }

    private func remember(_ contact: Contact, line: Int) throws {
        for key in keys(contact) { _ = try DryRunKeys.insert(c, key, line: line) }
    }
}
