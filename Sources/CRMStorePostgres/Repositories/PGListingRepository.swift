import CRMCore
import CRMRepositories
import Foundation

/// Whole records a page at a time on PostgreSQL, as SQLiteListingRepository:
/// contacts with their emails, phones and tags, email addresses alone, and
/// companies, in the order of the ids asked for. The ids go as one array
/// parameter (`= ANY($1::bigint[])`), so a page is four queries whatever
/// its size.
///
/// `ListingRepository` also lists deals and a company's open follow-ups,
/// which read the deal and follow-up rows of PGDealRepository and
/// PGFollowUpRepository; the conformance is declared with those in
/// PGListingRepository+Deals.swift.
public final class PGListingRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// Ids as a PostgreSQL array literal (numbers only: nothing to escape).
    static func array(_ ids: [Int64]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }

    /// `rows` keyed by id, put back in the order of `ids` (a listing's order).
    private static func ordered<T: Identifiable>(_ rows: [T], as ids: [Int64]) -> [T] where T.ID == Int64 {
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    public func contacts(ids: [Int64]) throws -> [Contact] {
        guard !ids.isEmpty else { return [] }
        let list = Self.array(ids)
        var contacts = Dictionary(try c.rows("SELECT \(PGContactRepository.columns) FROM contacts WHERE id = ANY(?::bigint[])", [list],
                                             PGContactRepository.contact).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        try c.rows("SELECT contact_id, email, label FROM contact_emails WHERE contact_id = ANY(?::bigint[]) ORDER BY contact_id, position, id",
                   [list]) { (id: $0.int64(0), email: EmailAddress($0.string(1), label: $0.string(2))) }
            .forEach { contacts[$0.id]?.emails.append($0.email) }
        try c.rows("SELECT contact_id, number, label FROM contact_phones WHERE contact_id = ANY(?::bigint[]) ORDER BY contact_id, position, id",
                   [list]) { (id: $0.int64(0), phone: PhoneNumber($0.string(1), label: $0.string(2))) }
            .forEach { contacts[$0.id]?.phones.append($0.phone) }
        try c.rows("""
            SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
            WHERE ct.contact_id = ANY(?::bigint[]) ORDER BY ct.contact_id, \(PGContactRepository.tagOrder("t.name"))
            """, [list]) { (id: $0.int64(0), tag: $0.string(1)) }
            .forEach { contacts[$0.id]?.tags.append($0.tag) }
        return Self.ordered(Array(contacts.values), as: ids)
    }

    public func emailAddresses(contactIDs ids: [Int64]) throws -> [Int64: [String]] {
        guard !ids.isEmpty else { return [:] }
        var emails: [Int64: [String]] = [:]
        try c.rows("SELECT contact_id, email FROM contact_emails WHERE contact_id = ANY(?::bigint[]) ORDER BY contact_id, position, id",
                   [Self.array(ids)]) { (id: $0.int64(0), email: $0.string(1)) }
            .forEach { emails[$0.id, default: []].append($0.email) }
        return emails
    }

    public func companies(ids: [Int64]) throws -> [Company] {
        guard !ids.isEmpty else { return [] }
        let rows = try c.rows("SELECT \(PGCompanyRepository.columns) FROM companies WHERE id = ANY(?::bigint[])", [Self.array(ids)],
                              PGCompanyRepository.company)
        return Self.ordered(rows, as: ids)
    }
}
