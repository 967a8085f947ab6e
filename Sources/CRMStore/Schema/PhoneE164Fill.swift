import CRMCore

/// Works out `contact_phones.e164` for the rows still without it (NULL: made
/// before schema 9, or written by a crm without a `phone_region`), with the
/// region of the crm opening the file for writing. One transaction; only rows
/// still NULL under the write lock are touched, each gets a value ('' when
/// the number has no international form), so a second run, or a second
/// process, finds nothing to do. The same file and region always give the
/// same values. Not a user's edit: no audit row, no version bump.
enum PhoneE164Fill {
    @discardableResult
    static func run(_ connection: Connection, region: PhoneRegion) throws -> Int {
        // Almost every open finds nothing pending: one look in the e164
        // index, without a write lock.
        guard try connection.scalar("SELECT count(*) FROM (SELECT 1 FROM contact_phones WHERE e164 IS NULL LIMIT 1)") ?? 0 > 0 else {
            return 0
        }
        return try connection.transaction {
            let pending = try connection.rows("SELECT id, number FROM contact_phones WHERE e164 IS NULL ORDER BY id") {
                ($0.int64(0), $0.string(1))
            }
            for (id, number) in pending {
                try connection.run("UPDATE contact_phones SET e164 = ? WHERE id = ? AND e164 IS NULL",
                                   [PhoneNumber.storedE164(number, region: region) ?? "", id])
            }
            return pending.count
        }
    }
}
