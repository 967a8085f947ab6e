import CRMCore
import CRMRepositories
import Foundation

/// The contacts an import has decided to create but not written yet, and
/// their writes: a few hundred rows at a time go in as one multi-row INSERT
/// per table (each column one array parameter, `unnest`). Until the flush a
/// pending contact has a provisional id (above any real one, in file order);
/// the flush takes exactly as many ids from the contacts' sequence, in the
/// same order, and says which became which, so the ids are those a row-by-row
/// insert gives (no gaps left in the sequence). Until then, the duplicate
/// lookups of later rows see these rows here (`emails`, `phones`, `names`),
/// so a real import finds a file's own repeats exactly as if each row had
/// been written at once. Bounded (`limit`): the memory stays flat.
struct PGImportBuffer {
    struct Pending {
        let id: Int64
        let contact: Contact
        let keys: ContactKeys
        let companyID: Int64?
        /// The company's name as stored (found folded, or created as written).
        let companyName: String
        /// The tags as stored (an existing tag keeps its spelling).
        let tags: [(id: Int64, name: String)]
    }

    static let limit = 500
    /// Provisional ids count up from here (no real id comes near it).
    static let provisionalBase: Int64 = 1 << 60
    private(set) var rows: [Pending] = []
    private var provisional: Int64 = 0

    var isFull: Bool { rows.count >= Self.limit }
    var isEmpty: Bool { rows.isEmpty }

    static func isProvisional(_ id: Int64) -> Bool { id >= provisionalBase }

    /// The next provisional contact id.
    mutating func takeID() -> Int64 {
        provisional += 1
        return Self.provisionalBase + provisional
    }

    /// The pending rows' keys, so a lookup costs what a dictionary's does
    /// however many rows wait: (contact id, the value as written), id order.
    private var byEmail: [String: [(Int64, String)]] = [:]
    private var byPhone: [String: [(Int64, String)]] = [:]
    private var byName: [NameAtCompany: [(Int64, String)]] = [:]
    private var byID: [Int64: Int] = [:]

    private struct NameAtCompany: Hashable {
        let nameKey: String
        let companyID: Int64
    }

    mutating func append(_ pending: Pending) {
        byID[pending.id] = rows.count
        rows.append(pending)
        for email in pending.contact.emails {
            byEmail[DuplicatePairWalk.nocase(email.address), default: []].append((pending.id, email.address))
        }
        for (phone, key) in zip(pending.contact.phones, pending.keys.phones) {
            byPhone[key.matchKey, default: []].append((pending.id, phone.number))
        }
        if let company = pending.companyID {
            byName[NameAtCompany(nameKey: pending.keys.nameKey, companyID: company), default: []].append((pending.id, pending.companyName))
        }
    }

    // MARK: what the duplicate lookup sees of them

    /// Pending contacts with this email (ASCII case ignored, as the
    /// database compares).
    func emails(matching address: String) -> [(Int64, String)] { byEmail[DuplicatePairWalk.nocase(address)] ?? [] }

    func phones(matching key: String) -> [(Int64, String)] { byPhone[key] ?? [] }

    func names(matching nameKey: String, companyID: Int64) -> [(Int64, String)] {
        byName[NameAtCompany(nameKey: nameKey, companyID: companyID)] ?? []
    }

    func pending(_ id: Int64) -> Pending? { byID[id].map { rows[$0] } }

    // MARK: the writes

    /// Writes every pending contact with its emails, phones, tags and
    /// search document: five statements however many rows.
    /// Returns each provisional id with the real one it became.
    @discardableResult
    mutating func flush(_ c: PGConnection, batchID: Int64, now: Date) throws -> [Int64: Int64] {
        guard !rows.isEmpty else { return [:] }
        defer {
            rows.removeAll(keepingCapacity: true)
            byEmail.removeAll(keepingCapacity: true)
            byPhone.removeAll(keepingCapacity: true)
            byName.removeAll(keepingCapacity: true)
            byID.removeAll(keepingCapacity: true)
        }
        let ids = try c.rows("SELECT nextval(pg_get_serial_sequence('contacts', 'id')) FROM generate_series(1, ?::bigint)",
                             [rows.count]) { $0.int64(0) }.sorted()
        var real: [Int64: Int64] = [:]
        for (row, id) in zip(rows, ids) { real[row.id] = id }
        rows = rows.map { Pending(id: real[$0.id] ?? $0.id, contact: $0.contact, keys: $0.keys, companyID: $0.companyID,
                                  companyName: $0.companyName, tags: $0.tags) }
        try c.run("""
            INSERT INTO contacts(id, name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes,
                                 created_at, updated_at, batch_id, uid)
            SELECT u.id, u.name, u.sort_key, u.name_key, u.title, u.company_id, u.owner_id, u.lifecycle, u.source, u.notes,
                   ?::bigint, ?::bigint, ?::bigint, u.uid
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                        ?::text[])
                 AS u(id, name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes, uid)
            """, [now, now, batchID,
                  PGArrayLiteral.integers(rows.map(\.id)), PGArrayLiteral.texts(rows.map(\.contact.name)),
                  PGArrayLiteral.texts(rows.map(\.keys.sortKey)), PGArrayLiteral.texts(rows.map(\.keys.nameKey)),
                  PGArrayLiteral.texts(rows.map(\.contact.title)), PGArrayLiteral.integers(rows.map(\.companyID)),
                  PGArrayLiteral.integers(rows.map(\.contact.ownerID)), PGArrayLiteral.texts(rows.map(\.contact.lifecycle.rawValue)),
                  PGArrayLiteral.texts(rows.map(\.contact.source)), PGArrayLiteral.texts(rows.map(\.contact.notes)),
                  PGArrayLiteral.texts(rows.map(\.contact.uid))])
        var emails: (ids: [Int64?], values: [String?], labels: [String?], positions: [Int64?]) = ([], [], [], [])
        var phones: (ids: [Int64?], numbers: [String?], digits: [String?], e164: [String?], labels: [String?], positions: [Int64?])
            = ([], [], [], [], [], [])
        var tags: (ids: [Int64?], tags: [Int64?]) = ([], [])
        for row in rows {
            for (i, email) in row.contact.emails.enumerated() {
                emails.ids.append(row.id); emails.values.append(email.address); emails.labels.append(email.label)
                emails.positions.append(Int64(i))
            }
            for (i, (phone, key)) in zip(row.contact.phones, row.keys.phones).enumerated() {
                phones.ids.append(row.id); phones.numbers.append(phone.number); phones.digits.append(key.digits)
                phones.e164.append(key.e164); phones.labels.append(phone.label); phones.positions.append(Int64(i))
            }
            for tag in row.tags { tags.ids.append(row.id); tags.tags.append(tag.id) }
        }
        if !emails.ids.isEmpty {
            try c.run("""
                INSERT INTO contact_emails(contact_id, email, label, position)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[])
                """, [PGArrayLiteral.integers(emails.ids), PGArrayLiteral.texts(emails.values), PGArrayLiteral.texts(emails.labels),
                      PGArrayLiteral.integers(emails.positions)])
        }
        if !phones.ids.isEmpty {
            try c.run("""
                INSERT INTO contact_phones(contact_id, number, digits, e164, label, position)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                """, [PGArrayLiteral.integers(phones.ids), PGArrayLiteral.texts(phones.numbers), PGArrayLiteral.texts(phones.digits),
                      PGArrayLiteral.texts(phones.e164), PGArrayLiteral.texts(phones.labels), PGArrayLiteral.integers(phones.positions)])
        }
        if !tags.ids.isEmpty {
            try c.run("""
                INSERT INTO contact_tags(contact_id, tag_id) SELECT * FROM unnest(?::bigint[], ?::bigint[]) ON CONFLICT DO NOTHING
                """, [PGArrayLiteral.integers(tags.ids), PGArrayLiteral.integers(tags.tags)])
        }
        try c.run("""
            INSERT INTO contact_search(contact_id, words) SELECT u.id, u.words::tsvector FROM unnest(?::bigint[], ?::text[]) AS u(id, words)
            """, [PGArrayLiteral.integers(rows.map(\.id)), PGArrayLiteral.texts(rows.map(Self.searchDocument))])
        return real
    }

    /// The search document `PGSearchDocument.refreshContacts` would write
    /// for the row once stored, computed from what is in hand: name, the
    /// company's stored name, the emails in order, then title, source,
    /// notes and the stored tag names in byte order.
    static func searchDocument(_ row: Pending) -> String {
        let tags = row.tags.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " ")
        let contact = row.contact
        return PGSearchDocument.vector([contact.name, row.companyName, contact.emails.map(\.address).joined(separator: " "),
                                        contact.title + " " + contact.source + " " + contact.notes + " " + tags])
    }
}
