/// Version 65: the interactions' time index holds each interaction's
/// contact, so the Customers page's corrections read the index alone.
///
/// The page reaches its now from two stored windows (schema 40's
/// interactions of the year, schema 55's 90-day activity) with the
/// interactions of a few short slices of time between the window's end and
/// now: two ranges of `interactions_by_time` for the frequency, three for
/// the at-risk list, grouped by contact. The index held (occurred_at, id),
/// so each of those interactions (about 3,000 at 100,000 contacts) was a
/// look-up of its row in the table for its contact: about 12 ms of the
/// at-risk list and 7 ms of the RFM boundaries. With `contact_id` in the
/// index the slices are index ranges alone (about 3 ms and 1 ms).
///
/// The index is made again with the same name, columns and condition and
/// `contact_id` last, so its order (occurred_at, id) and every query that
/// walks it stay as they were; no index is added, so an interaction's
/// write costs what it did. PostgreSQL's step 65 is empty.
enum SchemaV65InteractionsByTimeContact {
    static let sql = """
        DROP INDEX interactions_by_time;
        CREATE INDEX interactions_by_time ON interactions(occurred_at, id, contact_id) WHERE deleted_at IS NULL;
        """
}
