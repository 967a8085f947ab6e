import CRMCore
import Foundation

/// The engine-neutral parts of an import, shared by the SQLite and the
/// PostgreSQL engine so that both take the same decisions from the same
/// rows: a row checked as the contact form checks one, the folded key a
/// company is found by, "did you mean" for an unknown owner, and the batch's
/// one audit entry.
public enum ImportRowCheck {
    /// The row as a contact (emails and phones without repeats, the
    /// import's tag added, the owner resolved), or the rejection at the
    /// row's line and the column the bad value came from. `owner(login)`
    /// finds a user the row names (nil: no such user); it is asked only
    /// when the import names no `--owner`.
    public static func contact(_ record: ImportContact, options: ImportOptions, defaultOwnerID: Int64?, now: Date,
                               owner: (String) throws -> User?) throws -> Result<Contact, ImportRejection> {
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
        var ownerID = defaultOwnerID
        if options.ownerLogin == nil, let login = record.ownerLogin, !login.isEmpty {
            guard let user = try owner(login) else {
                return .failure(ImportRejection(line: record.line, column: record.origins["owner"],
                                                message: "no user \"\(login)\" owns contacts here; create that user or import with --owner LOGIN"))
            }
            // A leaver's contacts were handed over; new ones must not go back.
            guard user.isActive else {
                return .failure(ImportRejection(line: record.line, column: record.origins["owner"],
                                                message: "\(user.login) is deactivated; import with --owner LOGIN (an active user) or reactivate them"))
            }
            ownerID = user.id
        }
        let contact = Contact(name: trimmed(record.name), title: trimmed(record.title),
                              emails: emails, phones: phones, tags: tags, ownerID: ownerID,
                              lifecycle: record.lifecycle ?? .lead, source: record.source, notes: record.notes,
                              createdAt: now, updatedAt: now, version: 1, uid: record.uid)
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

    /// What a merge of `row` into `existing` leaves out because the contact
    /// has a different value of its own (a merge fills only empty fields):
    /// `title "Senior Manager" (has "经理")`, `company "Acme" (has "Acme AG")`,
    /// `notes (120 characters; it has its own)`.
    public static func notTaken(existing: Contact, existingCompany: String?, row: Contact, rowCompany: String) -> [String] {
        func short(_ text: String) -> String {
            let line = text.replacingOccurrences(of: "\n", with: " ")
            return line.count > 40 ? String(line.prefix(39)) + "…" : line
        }
        var out: [String] = []
        for (field, have, offered) in [("title", existing.title, row.title), ("source", existing.source, row.source)]
        where !have.isEmpty && !offered.isEmpty && have != offered {
            out.append("\(field) \"\(short(offered))\" (has \"\(short(have))\")")
        }
        if let have = existingCompany, !have.isEmpty, !rowCompany.isEmpty, have.lowercased() != rowCompany.lowercased() {
            out.append("company \"\(short(rowCompany))\" (has \"\(short(have))\")")
        }
        if !existing.notes.isEmpty, !row.notes.isEmpty, existing.notes != row.notes {
            out.append("notes (\(row.notes.count) characters; it has its own)")
        }
        return out
    }

    /// `text` without surrounding white space. The readers trim already:
    /// Foundation's trimming (a tenth of a row's cost) runs only when needed.
    public static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The primary letters of a company name (case and accents folded), as
    /// the companies' sort key begins: the keys from `key + "\u{1}"` up to
    /// `key + "\u{2}"` are that company's spellings.
    public static func companyKey(_ name: String) -> String {
        let key = NameSortKey.of(name)
        return String(key.prefix { $0 != "\u{1}" })
    }

    /// The refusal of an unknown (or deactivated) `--owner`, the nearest
    /// of `logins` (the active users') first.
    public static func unknownOwner(_ login: String, logins: [String], deactivated: Bool = false) -> ImportUnknownOwner {
        let near = logins.map { ($0, distance($0.lowercased(), login.lowercased())) }
            .filter { $0.1 <= max(2, login.count / 3) }.sorted { $0.1 < $1.1 }.map(\.0)
        return ImportUnknownOwner(login: login, known: near + logins.filter { !near.contains($0) }, deactivated: deactivated)
    }

    /// The `--owner` user, refused when unknown or deactivated; `users` are
    /// every user (the refusal names the active ones).
    public static func owner(_ login: String, users: () throws -> [User]) throws -> User {
        let all = try users()
        let active = all.filter(\.isActive).map(\.login)
        guard let user = all.first(where: { $0.login == login }) else { throw unknownOwner(login, logins: active) }
        guard user.isActive else { throw unknownOwner(login, logins: active, deactivated: true) }
        return user
    }

    /// Edit distance, for "did you mean".
    public static func distance(_ a: String, _ b: String) -> Int {
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

    /// The one audit entry of a batch ("sara imported 3 contacts from
    /// google.csv" and each count), as both engines record it.
    public static func auditChanges(batchID: Int64, options: ImportOptions, summary: ImportSummary, login: String,
                                    at now: Date) -> [String: (String, String)] {
        let sentence = ImportBatch(id: batchID, label: options.label, format: options.format, userLogin: login,
                                   at: now, rowsRead: summary.rowsRead, created: summary.created, merged: summary.merged,
                                   skipped: summary.skipped, rejected: summary.rejected,
                                   companiesCreated: summary.companiesCreated, undoneAt: nil, undoneBy: nil).sentence
        return [
            "summary": ("", sentence), "file": ("", options.label), "rows": ("", "\(summary.rowsRead)"),
            "created": ("", "\(summary.created)"), "merged": ("", "\(summary.merged)"),
            "skipped": ("", "\(summary.skipped)"), "rejected": ("", "\(summary.rejected)"),
            "companies": ("", "\(summary.companiesCreated)"),
        ]
    }

    /// The undo's audit entry.
    public static func undoAuditChanges(_ result: ImportUndoResult) -> [String: (String, String)] {
        ["removed": ("", "\(result.contactsRemoved)"), "trashed": ("", "\(result.contactsTrashed)"),
         "merges reverted": ("", "\(result.mergesReverted)"), "companies removed": ("", "\(result.companiesRemoved)")]
    }

    /// Counts `outcome` into `summary`.
    public static func count(_ outcome: ImportOutcome, into summary: inout ImportSummary) {
        switch outcome {
        case .created: summary.created += 1
        case .createdDespite:
            summary.created += 1
            summary.createdDespiteDuplicate += 1
        case .merged: summary.merged += 1
        case .skipped: summary.skipped += 1
        case .rejected: summary.rejected += 1
        }
    }

    /// A row's keys a later row of the same file is compared on in a dry
    /// run, strongest first, each with the reason it names. They are the
    /// keys the duplicate finder compares, which a real import asks (it finds
    /// the rows of the file it already wrote): emails in lower case; phones
    /// by their match key (the international form read in the settings'
    /// phone region, else the digits; none under 6 digits), so "030 5550000"
    /// repeats "+49 30 5550000" in a dry run as in the import; and the
    /// name's key at the company's, the "similar name at the same company".
    public static func fileKeys(_ contact: Contact, keys: ContactKeys, companyName: String) -> [(key: String, reason: String)] {
        var found = contact.emails.map { (key: "e:" + $0.address.lowercased(), reason: "same email") }
        found += keys.phones.compactMap(\.lookupKey).map { (key: "p:" + $0, reason: "same phone") }
        let companyKey = DuplicateKey.name(companyName)
        if !keys.nameKey.isEmpty, !companyKey.isEmpty {
            found.append((key: "n:" + companyKey + "\u{1}" + keys.nameKey, reason: "similar name at " + companyName))
        }
        return found
    }

    /// The duplicate a dry run names for a row whose `keys` (strongest first)
    /// an earlier row of the file had: `line` finds the first line that had a key.
    public static func fileDuplicate(_ keys: [(key: String, reason: String)], line: (String) throws -> Int?) rethrows -> ImportDuplicate? {
        for (key, reason) in keys {
            if let line = try line(key) { return ImportDuplicate(contactID: 0, name: "", companyName: nil, reasons: [reason], fileLine: line) }
        }
        return nil
    }
}

extension ImportUndoRefusal {
    /// The batch was undone before.
    public static func undoneAlready(_ batch: ImportBatch) -> ImportUndoRefusal {
        ImportUndoRefusal { time in
            ("Import #\(batch.id) (\(batch.label)) was undone already, by \(batch.undoneBy ?? "someone") at \(time(batch.undoneAt ?? batch.at))", [])
        }
    }

    /// Undoing a batch removes its contacts and companies for good, past
    /// the trash, so another user's batch is undone only by a role that may
    /// empty the trash (an admin); one's own batch by anyone. Nil: allowed.
    public static func othersBatch(_ batch: ImportBatch, by user: User) -> ImportUndoRefusal? {
        guard batch.userLogin != user.login, !user.role.may(.emptyTrash) else { return nil }
        let text = "Not undone: import #\(batch.id) (\(batch.label)) is \(batch.userLogin ?? "someone else")'s, and an undo "
            + "removes its contacts and companies for good, past the trash: only an admin undoes another user's "
            + "import; you are \(user.login), \(user.role.withArticle). Nothing was changed"
        return ImportUndoRefusal(notPermitted: true) { _ in (text, []) }
    }

    /// Records of the batch were changed since (one line each), and no `force`.
    public static func changedSince(_ batch: ImportBatch, _ changes: [ImportRecordChange]) -> ImportUndoRefusal {
        ImportUndoRefusal { time in
            ("Not undone: \(ImportBatch.count(changes.count, "record")) of import #\(batch.id) (\(batch.label)) "
             + "changed since the import; nothing was changed (`crm import --undo \(batch.id) --force` undoes it anyway)",
             changes.map { $0.line(times: time) })
        }
    }
}

extension ImportRowCheck {
    /// `import_merges`' JSON columns (what a merge wrote, for its undo).
    public static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The ids of an `import_merges` JSON list.
    public static func ids(fromJSON text: String) -> [Int64] {
        ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [NSNumber] ?? []).map(\.int64Value)
    }

    /// column → [before, what the merge wrote], from `import_merges.before`.
    public static func before(fromJSON text: String) -> [String: [Any]] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: [Any]] ?? [:]
    }

    /// The columns a merge may fill (and so an undo may set back): a fixed
    /// list, since the names are put into SQL.
    public static let revertible: Set<String> = ["title", "source", "notes", "company_id", "owner_id"]
}
