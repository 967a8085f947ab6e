import CRMCore
import CRMRepositories
import Foundation

/// One import on PostgreSQL from its first row to its last, as SQLite's
/// ImportRun: the same decisions for each row (reject, create, merge, skip,
/// from `ImportRowCheck` and the same duplicate finder), and, unless it is a
/// dry run, the writes, inside the transaction `PGImportRepository` holds.
/// Created contacts wait in `PGImportBuffer` and go in a few hundred at a
/// time; everything else (companies, merges) is written as it is decided.
struct PGImportRun {
    let db: PostgresDatabase
    let options: ImportOptions
    var c: PGConnection { db.connection }
    private(set) var summary = ImportSummary()
    /// Nil in a dry run: nothing is written.
    private var batchID: Int64?
    private let now: Date
    private let defaultOwnerID: Int64?
    private var owners: [String: User?] = [:]
    /// Companies found or created, by folded name: id and stored name.
    /// Cleared when large, so its memory stays bounded.
    private var companies: [String: (id: Int64, name: String)] = [:]
    private var foldedNames: [String: String] = [:]
    private static let cacheLimit = 20_000
    /// Tags by name as the rows spell them: id and stored name.
    private var tags: [String: (id: Int64, name: String)] = [:]
    private var pending = PGImportBuffer()
    /// Outcomes decided but not told yet: while contacts are pending, an
    /// outcome may name one by its provisional id; they are told, in order,
    /// once those have their real ids (`resolved`).
    private var untold: [ImportOutcome] = []
    private var resolved: [Int64: Int64] = [:]
    private static let untoldLimit = 2_000
    /// Dry run only: what the rows before would have put in the database.
    private var dryRunKeys: PGDryRunKeys?

    init(db: PostgresDatabase, options: ImportOptions) throws {
        self.db = db
        self.options = options
        now = db.clock.now
        let users = PGUserRepository(db: db)
        if let login = options.ownerLogin {
            defaultOwnerID = try ImportRowCheck.owner(login) { try users.all() }.id
        } else {
            defaultOwnerID = db.currentUser.storedID
        }
    }

    var isDryRun: Bool { batchID == nil }

    // MARK: the batch

    /// Records the batch; a real import only.
    mutating func begin() throws {
        batchID = try c.integer("""
            INSERT INTO import_batches(label, format, user_id, created_at) VALUES (?, ?, ?::bigint, ?::bigint) RETURNING id
            """, [options.label, options.format, db.currentUser.storedID, now])
        // The name groups that list a pair are decided once, before COMMIT
        // (`decideNamePairs`), not under a lock per group at every row
        // (PGSchemaV50ImportNamePairs); for this transaction only.
        try c.run("SELECT set_config('crm.name_pairs_later', 'on', true)")
    }

    /// Decides again, under step 46's lock per group, every name group of
    /// the contacts this batch created or merged into whose name key is
    /// shared at that company: the only groups that can list a pair (one
    /// the import left with a single member had none before; it only adds).
    /// In byte order, so two imports take the locks in the same order.
    private func decideNamePairs(batchID: Int64) throws {
        try c.run("SELECT set_config('crm.name_pairs_later', 'off', true)")
        try c.run("""
            SELECT crm_name_pairs_decide(g.name_key, g.company_id) FROM (
                SELECT DISTINCT t.name_key COLLATE "C" AS name_key, t.company_id FROM contacts t
                JOIN contact_name_key_counts k ON k.name_key = t.name_key AND k.company_id = t.company_id AND k.n > 1
                WHERE (t.batch_id = ?::bigint OR t.id IN (SELECT m.contact_id FROM import_merges m WHERE m.batch_id = ?::bigint))
                  AND t.name_key <> ''
                ORDER BY 1, 2) g
            """, [batchID, batchID])
    }

    /// The last contacts, the batch's counts and its one audit entry.
    mutating func finish(onOutcome: (ImportOutcome) -> Void) throws {
        guard let batchID else { return }
        try flush(onOutcome: onOutcome)
        try decideNamePairs(batchID: batchID)
        summary.batchID = batchID
        summary.committed = true
        try c.run("""
            UPDATE import_batches SET rows_read = ?::bigint, created_count = ?::bigint, merged_count = ?::bigint,
                   skipped_count = ?::bigint, rejected_count = ?::bigint, companies_created = ?::bigint WHERE id = ?::bigint
            """, [summary.rowsRead, summary.created, summary.merged, summary.skipped, summary.rejected,
                  summary.companiesCreated, batchID])
        try db.audit.record("import", batchID, "import",
                            changes: ImportRowCheck.auditChanges(batchID: batchID, options: options, summary: summary,
                                                                 login: db.currentUser.login, at: now))
    }

    // MARK: rows

    mutating func readAll(_ source: inout any ImportSource, progress: ((ImportProgress) -> Void)?,
                          onOutcome: (ImportOutcome) -> Void) throws {
        if isDryRun { dryRunKeys = try PGDryRunKeys(c) }
        while let row = try source.next() {
            summary.rowsRead += 1
            let outcome: ImportOutcome
            switch row {
            case .rejected(let rejection): outcome = .rejected(rejection)
            case .contact(let record): outcome = try take(record)
            }
            ImportRowCheck.count(outcome, into: &summary)
            untold.append(outcome)
            if pending.isEmpty { tell(onOutcome) }
            if summary.rowsRead % ImportProgress.every == 0 { progress?(ImportProgress(rowsRead: summary.rowsRead)) }
            if pending.isFull || untold.count >= Self.untoldLimit { try flush(onOutcome: onOutcome) }
        }
        // A refused import still reports every row.
        if summary.rejected > 0 && !options.skipInvalid { try flush(onOutcome: onOutcome) }
    }

    /// Writes the pending contacts and tells the outcomes waiting for their ids.
    mutating func flush(onOutcome: (ImportOutcome) -> Void) throws {
        if let batchID { resolved.merge(try pending.flush(c, batchID: batchID, now: now)) { $1 } }
        tell(onOutcome)
    }

    private mutating func tell(_ onOutcome: (ImportOutcome) -> Void) {
        for outcome in untold { onOutcome(resolve(outcome)) }
        untold.removeAll(keepingCapacity: true)
        resolved.removeAll(keepingCapacity: true)
    }

    /// `outcome` with a provisional contact id replaced by the real one.
    private func resolve(_ outcome: ImportOutcome) -> ImportOutcome {
        func real(_ d: ImportDuplicate) -> ImportDuplicate {
            var d = d
            d.contactID = resolved[d.contactID] ?? d.contactID
            return d
        }
        switch outcome {
        case .createdDespite(let line, let name, let d): return .createdDespite(line: line, name: name, duplicate: real(d))
        case .merged(let line, let name, let d): return .merged(line: line, name: name, into: real(d))
        case .skipped(let line, let name, let d): return .skipped(line: line, name: name, duplicate: real(d))
        case .created, .rejected: return outcome
        }
    }

    private mutating func take(_ record: ImportContact) throws -> ImportOutcome {
        let contact: Contact
        switch try prepare(record) {
        case .failure(let rejection): return .rejected(rejection)
        case .success(let ready): contact = ready
        }
        let companyName = ImportRowCheck.trimmed(record.company)
        let existingCompany = try findCompany(companyName)
        let keys = ContactKeys(contact, region: db.phoneRegion)
        var duplicate = try duplicate(of: contact, keys: keys, companyID: existingCompany?.id, companyName: companyName)
        if let dryRunKeys {
            let fileKeys = ImportRowCheck.fileKeys(contact, keys: keys, companyName: companyName)
            if duplicate == nil { duplicate = try dryRunKeys.fileDuplicate(fileKeys) }
            if duplicate == nil || options.onDuplicate != .skip { try dryRunKeys.remember(fileKeys, line: record.line) }
        }
        let name = contact.name
        guard let duplicate else {
            try create(contact, keys: keys, companyName: companyName, company: existingCompany)
            return .created(line: record.line, name: name)
        }
        switch options.onDuplicate {
        case .skip:
            return .skipped(line: record.line, name: name, duplicate: duplicate)
        case .merge:
            var into = duplicate
            // A contact of the database (not one of this batch's still waiting
            // to be written): what the merge leaves out is said.
            let existing = duplicate.fileLine == nil && !PGImportBuffer.isProvisional(duplicate.contactID)
                ? try PGContactRepository(db: db).get(duplicate.contactID) : nil
            if let existing {
                into.notTaken = ImportRowCheck.notTaken(existing: existing, existingCompany: duplicate.companyName,
                                                        row: contact, rowCompany: companyName)
            }
            if !isDryRun { try merge(contact, companyName: companyName, into: duplicate.contactID, read: existing) }
            else if !companyName.isEmpty, existingCompany == nil { try noteCompanyToCreate(companyName) }
            return .merged(line: record.line, name: name, into: into)
        case .create:
            try create(contact, keys: keys, companyName: companyName, company: existingCompany)
            return .createdDespite(line: record.line, name: name, duplicate: duplicate)
        }
    }

    private mutating func prepare(_ record: ImportContact) throws -> Result<Contact, ImportRejection> {
        var owners = self.owners
        defer { self.owners = owners }
        return try ImportRowCheck.contact(record, options: options, defaultOwnerID: defaultOwnerID, now: now) { [db] login in
            if owners[login] == nil { owners[login] = .some(try PGUserRepository(db: db).find(login: login)) }
            return owners[login] ?? nil
        }
    }

    // MARK: companies

    private mutating func foldedName(_ name: String) -> String {
        if let key = foldedNames[name] { return key }
        if foldedNames.count >= Self.cacheLimit { foldedNames.removeAll(keepingCapacity: true) }
        let key = ImportRowCheck.companyKey(name)
        foldedNames[name] = key
        return key
    }

    /// The live company whose name folds to the same letters (the oldest
    /// first), by a range of the companies' sort-key index, as on SQLite.
    private mutating func findCompany(_ name: String) throws -> (id: Int64, name: String)? {
        guard !name.isEmpty else { return nil }
        let key = foldedName(name)
        if let found = companies[key] { return found }
        let found = try c.first("""
            SELECT id, name FROM companies WHERE sort_key >= ? AND sort_key < ? AND deleted_at IS NULL ORDER BY id LIMIT 1
            """, [key + "\u{1}", key + "\u{2}"]) { (id: $0.int64(0), name: $0.string(1)) }
        if let found { cache(key, found) }
        return found
    }

    private mutating func cache(_ key: String, _ company: (id: Int64, name: String)) {
        if companies.count >= Self.cacheLimit { companies.removeAll(keepingCapacity: true) }
        companies[key] = company
    }

    private mutating func noteCompanyToCreate(_ name: String) throws {
        if try dryRunKeys?.insert("c:" + foldedName(name), line: 0) == true { summary.companiesCreated += 1 }
    }

    /// The company named `name`, created (as the batch's) when missing.
    private mutating func company(_ name: String, found: (id: Int64, name: String)?) throws -> (id: Int64, name: String)? {
        if let found { return found }
        guard !name.isEmpty else { return nil }
        guard let batchID else {
            try noteCompanyToCreate(name)
            return nil
        }
        guard let id = try c.integer("""
            INSERT INTO companies(name, sort_key, name_key, owner_id, created_at, updated_at, batch_id)
            VALUES (?, ?, ?, ?::bigint, ?::bigint, ?::bigint, ?::bigint) RETURNING id
            """, [name, NameSortKey.of(name), DuplicateKey.name(name), defaultOwnerID, now, now, batchID]) else {
            throw RepositoryError.failed(Diagnostic(engine: "PostgreSQL", code: 0, message: "INSERT … RETURNING id gave no row"))
        }
        try PGSearchDocument.refreshCompanies(c, ids: [id])
        summary.companiesCreated += 1
        cache(foldedName(name), (id, name))
        return (id, name)
    }

    // MARK: writes

    private mutating func create(_ contact: Contact, keys: ContactKeys, companyName: String,
                                 company found: (id: Int64, name: String)?) throws {
        let company = try company(companyName, found: found)
        guard !isDryRun else { return }
        var contact = contact
        contact.companyID = company?.id
        let tags = try contact.tags.map { try tag($0) }
        pending.append(.init(id: pending.takeID(), contact: contact, keys: keys, companyID: company?.id,
                             companyName: company?.name ?? "", tags: tags))
    }

    /// A tag by name (one per name without case), created when missing.
    private mutating func tag(_ typed: String) throws -> (id: Int64, name: String) {
        // Its accents composed, as the repositories keep a tag (TagName).
        let name = TagName.stored(typed)
        if let known = tags[name] { return known }
        let select = "SELECT id, name FROM tags WHERE lower(name) = lower(?)"
        var found = try c.first(select, [name]) { (id: $0.int64(0), name: $0.string(1)) }
        if found == nil {
            // Only when missing: an INSERT that meets the name takes an id
            // from the sequence all the same, and tags' ids are SQLite's.
            try c.run("INSERT INTO tags(name) VALUES (?) ON CONFLICT (lower(name)) DO NOTHING", [name])
            found = try c.first(select, [name]) { (id: $0.int64(0), name: $0.string(1)) }
        }
        guard let found else {
            throw RepositoryError.failed(Diagnostic(engine: "PostgreSQL", code: 0, message: "tag \(name) not found after its insert"))
        }
        if tags.count >= Self.cacheLimit { tags.removeAll(keepingCapacity: true) }
        tags[name] = found
        return found
    }

    /// Fills the existing contact's empty fields and adds the row's new
    /// emails, phones and tags; never overwrites a value that is set. What
    /// it had before is kept in `import_merges` for the undo. `read`: the
    /// contact as already read for this row (a flush of the batch's
    /// waiting rows writes only new contacts, so it is still current).
    private mutating func merge(_ new: Contact, companyName: String, into id: Int64, read: Contact?) throws {
        guard let batchID else { return }
        // The contact may be one of this batch's still waiting to be written.
        var id = id
        if PGImportBuffer.isProvisional(id) || !pending.isEmpty {
            resolved.merge(try pending.flush(c, batchID: batchID, now: now)) { $1 }
            id = resolved[id] ?? id
        }
        guard let old = try read ?? PGContactRepository(db: db).get(id) else { return }
        var sets: [String] = []
        var values: [any PGBindable] = []
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
        if old.companyID == nil, let company = try company(companyName, found: try findCompany(companyName)) {
            sets.append("company_id = ?::bigint")
            values.append(company.id)
            before["company_id"] = [NSNull(), company.id]
        }
        if old.ownerID == nil, let owner = new.ownerID {
            sets.append("owner_id = ?::bigint")
            values.append(owner)
            before["owner_id"] = [NSNull(), owner]
        }
        var addedEmails: [Int64] = []
        let known = Set(old.emails.map { $0.address.lowercased() })
        for email in new.emails where !known.contains(email.address.lowercased()) {
            if let added = try c.integer("""
                INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?::bigint, ?, ?, ?::bigint) RETURNING id
                """, [id, email.address, email.label, old.emails.count + addedEmails.count]) { addedEmails.append(added) }
        }
        var addedPhones: [Int64] = []
        let knownDigits = Set(old.phones.map { PhoneNumber.digits($0.number) })
        for phone in new.phones where !knownDigits.contains(PhoneNumber.digits(phone.number)) {
            if let added = try c.integer("""
                INSERT INTO contact_phones(contact_id, number, digits, e164, label, position)
                VALUES (?::bigint, ?, ?, ?, ?, ?::bigint) RETURNING id
                """, [id, phone.number, PhoneNumber.digits(phone.number), PhoneNumber.storedE164(phone.number, region: db.phoneRegion),
                      phone.label, old.phones.count + addedPhones.count]) { addedPhones.append(added) }
        }
        var addedTags: [Int64] = []
        let knownTags = Set(old.tags.map { $0.lowercased() })
        for name in new.tags where !knownTags.contains(name.lowercased()) {
            let tag = try tag(name)
            if try c.run("INSERT INTO contact_tags(contact_id, tag_id) VALUES (?::bigint, ?::bigint) ON CONFLICT DO NOTHING",
                         [id, tag.id]) > 0 { addedTags.append(tag.id) }
        }
        guard !sets.isEmpty || !addedEmails.isEmpty || !addedPhones.isEmpty || !addedTags.isEmpty else { return }
        // A contact this batch created is still the batch's own: no new
        // version, no merge record (the undo removes it whole). Told by its
        // batch, not by its id: others may create contacts meanwhile.
        let ownRow = try c.integer("SELECT batch_id FROM contacts WHERE id = ?::bigint", [id]) == batchID
        try c.run("UPDATE contacts SET \((sets + ["updated_at = ?::bigint", "version = version + ?::bigint"]).joined(separator: ", ")) WHERE id = ?::bigint",
                  values + [now, ownRow ? 0 : 1, id])
        try PGSearchDocument.refreshContacts(c, ids: [id])
        guard !ownRow else { return }
        try c.run("""
            INSERT INTO import_merges(batch_id, contact_id, before, added_emails, added_phones, added_tags, version_after)
            VALUES (?::bigint, ?::bigint, ?, ?, ?, ?, ?::bigint)
            """, [batchID, id, try ImportRowCheck.json(before), try ImportRowCheck.json(addedEmails), try ImportRowCheck.json(addedPhones),
                  try ImportRowCheck.json(addedTags), old.version + 1])
        // The contact's own trail names the import and what it changed, so a
        // colleague's edit made stale by it says so (QA 29 #10: "changed by someone").
        if let merged = try PGContactRepository(db: db).get(id) {
            try db.audit.record("contact", id, "import", values: FieldChanges.contact(old, merged).values)
        }
    }

    // MARK: duplicates

    /// The strongest existing contact the row looks like, as the contact
    /// form's finder names it (`PGDuplicates.possibleDuplicates`, limit 1):
    /// the database's candidates in one round trip, joined by the rows of
    /// this batch still waiting to be written.
    private func duplicate(of contact: Contact, keys: ContactKeys, companyID: Int64?, companyName: String) throws -> ImportDuplicate? {
        let probe = DuplicateProbe(name: contact.name, companyID: companyID, companyName: companyName.isEmpty ? nil : companyName,
                                   emails: contact.emails.map(\.address), phones: contact.phones.map(\.number))
        let overlay = PGDuplicates.Overlay(
            emails: { pending.emails(matching: $0) }, phones: { pending.phones(matching: $0) },
            names: { pending.names(matching: $0, companyID: $1) },
            record: { id in pending.pending(id).map { ($0.contact.name, $0.companyID == nil ? nil : $0.companyName) } })
        return try PGDuplicates(db: db).possibleDuplicates(of: probe, limit: 1, nameKey: keys.nameKey, phoneKeys: keys.phoneLookupKeys,
                                                           overlay: isDryRun ? nil : overlay).first.map {
            ImportDuplicate(contactID: $0.id, name: $0.name, companyName: $0.companyName, reasons: $0.reasons.map(\.detail))
        }
    }
}
