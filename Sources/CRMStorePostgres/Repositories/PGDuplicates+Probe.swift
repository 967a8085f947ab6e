import CRMCore
import CRMRepositories
import Foundation

extension PGDuplicates {
    /// Contacts not in the database yet that a probe must see as if they
    /// were (an import's rows waiting to be written, PGImportBuffer): each
    /// lookup gives (contact id, the stored value) in id order.
    struct Overlay {
        let emails: (_ address: String) -> [(Int64, String)]
        let phones: (_ matchKey: String) -> [(Int64, String)]
        /// (contact id, the company's name) with this name key at this company.
        let names: (_ nameKey: String, _ companyID: Int64) -> [(Int64, String)]
        /// A pending contact's name and company name.
        let record: (_ id: Int64) -> (String, String?)?
    }

    /// SQLite's DuplicateFinder probe (same email ignoring ASCII case, same
    /// phone match key, the same name key at the same company; at most four
    /// contacts per key, in id order; strongest first) with the probe's keys
    /// computed already, in ONE round trip: an import asks it once a row.
    func possibleDuplicates(of probe: DuplicateProbe, limit: Int, nameKey: String, phoneKeys: Set<String>,
                            overlay: Overlay? = nil) throws -> [DuplicateMatch] {
        // The keys in the order SQLite's finder walks them.
        let emails = Set(probe.emails.map { EmailAddress($0).address }).filter { !$0.isEmpty }
        let phones = phoneKeys.sorted()
        let companyNameKey = probe.companyID == nil ? probe.companyName.map(DuplicateKey.name) ?? "" : ""
        let excluded = probe.excludingContactID ?? 0
        let perKey = max(limit, 1) * 4
        var found: [Int: [Int: [(id: Int64, stored: String)]]] = [:]
        var companies: [Int64] = probe.companyID.map { [$0] } ?? []
        var records: [Int64: (String, String?)] = [:]
        try c.preparedQuery(Self.probeSQL, [PGArrayLiteral.texts(Array(emails)), PGArrayLiteral.texts(phones), probe.companyID, companyNameKey,
                  nameKey, excluded, perKey]).rows.forEach { row in
            let part = Int(row.int64(0)), ord = Int(row.int64(1))
            if part == 3 {
                if probe.companyID == nil { companies.append(Int64(ord)) }
                return
            }
            let id = row.int64(2)
            found[part, default: [:]][ord, default: []].append((id, row.string(3)))
            records[id] = (row.string(4), row.optionalString(5))
        }
        var reasons: [Int64: [DuplicateReason]] = [:]
        var order: [Int64] = []
        /// The database's rows of one key and the overlay's, in id order, at most `perKey`.
        func add(_ rows: [(id: Int64, stored: String)], _ extra: [(Int64, String)], _ reason: (String) -> DuplicateReason) {
            var all = rows
            if !extra.isEmpty {
                // Stable: one contact's own rows keep their order.
                all += extra.filter { $0.0 != excluded }.map { (id: $0.0, stored: $0.1) }
                all = all.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
            }
            for (id, stored) in all.prefix(perKey) {
                if reasons[id] == nil { order.append(id) }
                reasons[id, default: []].append(reason(stored))
            }
        }
        for (i, email) in emails.enumerated() {
            add(found[0]?[i + 1] ?? [], overlay?.emails(email) ?? [], DuplicateReason.sameEmail)
        }
        for (i, key) in phones.enumerated() {
            add(found[1]?[i + 1] ?? [], overlay?.phones(key) ?? [], DuplicateReason.samePhone)
        }
        if !nameKey.isEmpty {
            for company in companies {
                add(found[2]?[Int(company)] ?? [], overlay?.names(nameKey, company) ?? [], { DuplicateReason.similarName(company: $0) })
            }
        }
        var matches: [DuplicateMatch] = []
        for id in order {
            guard let (name, company) = records[id] ?? overlay?.record(id) else { continue }
            matches.append(DuplicateMatch(id: id, name: name, companyName: company, reasons: reasons[id] ?? []))
        }
        // Strongest first; among equals, more reasons, then the older record.
        matches.sort { ($0.strength, $0.reasons.count, -$0.id) > ($1.strength, $1.reasons.count, -$1.id) }
        return Array(matches.prefix(max(limit, 0)))
    }

    /// The probe in one statement: $1 the emails, $2 the phone keys (arrays),
    /// $3 the company id or $4 its name key, $5 the name key, $6 the contact
    /// to leave out, $7 how many per key.
    static let probeSQL = """
        WITH cos AS (
            SELECT $3::bigint AS id WHERE $3::bigint IS NOT NULL AND $5::text <> ''
            UNION ALL
            SELECT id FROM (SELECT id FROM companies WHERE $3::bigint IS NULL AND $5::text <> '' AND $4::text <> ''
                            AND name_key = $4::text AND deleted_at IS NULL ORDER BY id LIMIT 20) f),
        m AS (
            SELECT 0 AS part, e.i AS ord, x.contact_id, x.stored, x.row_id
            FROM unnest($1::text[]) WITH ORDINALITY AS e(k, i) CROSS JOIN LATERAL (
                SELECT ce.contact_id, ce.email AS stored, ce.id AS row_id FROM contact_emails ce JOIN contacts c ON c.id = ce.contact_id
                WHERE \(Self.nocase("ce.email")) = \(Self.nocase("e.k")) AND c.deleted_at IS NULL AND c.id <> $6::bigint
                ORDER BY ce.contact_id, ce.id LIMIT $7::bigint) x
            UNION ALL
            SELECT 1, p.i, x.contact_id, x.number, x.id
            FROM unnest($2::text[]) WITH ORDINALITY AS p(k, i) CROSS JOIN LATERAL (
                SELECT q.contact_id, q.number, q.id FROM contact_phones q JOIN contacts c ON c.id = q.contact_id
                WHERE q.match_key = p.k AND c.deleted_at IS NULL AND c.id <> $6::bigint
                ORDER BY q.contact_id, q.id LIMIT $7::bigint) x
            UNION ALL
            SELECT 2, co.id, x.id, x.company, x.id FROM cos co CROSS JOIN LATERAL (
                SELECT c.id, k.name AS company FROM contacts c JOIN companies k ON k.id = c.company_id
                WHERE c.name_key = $5::text AND c.company_id = co.id AND c.deleted_at IS NULL AND c.id <> $6::bigint
                ORDER BY c.id LIMIT $7::bigint) x
            UNION ALL
            SELECT 3, id, NULL, NULL, NULL FROM cos)
        SELECT m.part, m.ord, m.contact_id, m.stored, c.name, k.name FROM m
        LEFT JOIN contacts c ON c.id = m.contact_id LEFT JOIN companies k ON k.id = c.company_id
        ORDER BY m.part, m.ord, m.contact_id, m.row_id
    """
}
