import CRMCore

/// Works out `contact_phones.e164` for the rows still without it (NULL: made
/// before schema 9, or written by a crm without a `phone_region`), with the
/// region of the crm opening the file for writing. In transactions of
/// `batch` rows, so that on a large file a colleague's save waits for one
/// batch, not for the whole fill (QA 27 #20: 134,821 numbers held the file
/// for ~30 s); only rows still NULL are touched, each gets a value ('' when
/// the number has no international form), so a second run finds nothing
/// left to do. The first process claims the fill for its region
/// (`shared_settings.phone_fill_region`, until the last batch): a colleague
/// starting meanwhile with another region leaves the numbers to it instead
/// of giving every other batch another country (QA 28 #7); one with the same
/// region helps. The same file and region always give the same values. Not
/// a user's edit: no audit row, no version bump.
enum PhoneE164Fill {
    static let batch = 2_000

    /// `starting`: told how many numbers are pending before the first batch
    /// (only when there are some), so a terminal can say what it is doing.
    @discardableResult
    static func run(_ connection: Connection, region: PhoneRegion, starting: ((Int) -> Void)? = nil) throws -> Int {
        // Almost every open finds nothing pending: one look in the e164
        // index, without a write lock.
        guard try connection.scalar("SELECT count(*) FROM (SELECT 1 FROM contact_phones WHERE e164 IS NULL LIMIT 1)") ?? 0 > 0 else {
            return 0
        }
        if let starting { starting(Int(try connection.scalar("SELECT count(*) FROM contact_phones WHERE e164 IS NULL") ?? 0)) }
        var done = 0
        while true {
            let filled: Int? = try connection.transaction {
                try connection.run("INSERT OR IGNORE INTO shared_settings(key, value) VALUES ('phone_fill_region', ?)", [region.code])
                guard try connection.text("SELECT value FROM shared_settings WHERE key = 'phone_fill_region'") == region.code else {
                    return nil
                }
                let pending = try connection.rows("SELECT id, number FROM contact_phones WHERE e164 IS NULL ORDER BY id LIMIT ?", [batch]) {
                    ($0.int64(0), $0.string(1))
                }
                for (id, number) in pending {
                    try connection.run("UPDATE contact_phones SET e164 = ? WHERE id = ? AND e164 IS NULL",
                                       [PhoneNumber.storedE164(number, region: region) ?? "", id])
                }
                if pending.count < batch { try connection.run("DELETE FROM shared_settings WHERE key = 'phone_fill_region'") }
                return pending.count
            }
            // Claimed by a colleague's crm with another region: theirs to fill.
            guard let filled else { return done }
            done += filled
            if filled < batch { return done }
        }
    }
}
