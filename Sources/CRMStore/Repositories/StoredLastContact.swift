import CRMRepositories
import Foundation

/// A contact's stored last contact time (`contacts.last_interaction_at`),
/// which the Today list, the contact list's sorting and the Customers
/// report's cadence read instead of counting interactions. The triggers keep
/// it as the time of the contact's latest live interaction that is not a
/// stage move (`interactions_untouch_contact` recounts it that way; NULL when
/// there is none). A copy loaded as rows carries whatever the file says, so
/// the load recounts it (QA 31 #10), and `crm check` lists what disagrees.
///
/// The two subqueries read `interactions_by_contact` (contact, time, live
/// rows only): one index range per contact.
enum StoredLastContact {
    /// The value the triggers would keep for the row of `contacts` at hand.
    static let latestSQL = """
        SELECT max(i.occurred_at) FROM interactions i
        WHERE i.contact_id = contacts.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
        """

    /// Sets every contact's stored time to that value, writing only the rows
    /// that differ (each write runs the contacts' update triggers).
    static let recountSQL = """
        UPDATE contacts SET last_interaction_at = (\(latestSQL))
        WHERE last_interaction_at IS NOT (\(latestSQL))
        """

    /// The contacts whose stored time differs, by id: id, name, stored, latest.
    static let disagreeingSQL = """
        SELECT id, name, last_interaction_at, (\(latestSQL)) AS latest FROM contacts
        WHERE last_interaction_at IS NOT (\(latestSQL)) ORDER BY id
        """

    /// How many contacts disagree, and the first `limit` of them by id.
    static func disagreeing(_ c: Connection, limit: Int) throws -> (count: Int, first: [LastContactDisagreement]) {
        var count = 0
        let first = try c.rows(disagreeingSQL) { row -> LastContactDisagreement? in
            count += 1
            guard count <= limit else { return nil }
            return LastContactDisagreement(contactID: row.int64(0), name: row.string(1), stored: row.optionalDate(2), latest: row.optionalDate(3))
        }
        return (count, first.compactMap { $0 })
    }
}
