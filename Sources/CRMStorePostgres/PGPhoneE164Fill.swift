import CRMCore
import CRMRepositories
import Foundation

/// Works out `contact_phones.e164` for the numbers still without it (NULL:
/// copied from a file whose crm had no `phone_region`, or written by one),
/// with the region of the crm opening the database to write, as
/// `PhoneE164Fill` does on SQLite (QA 33 #6: on PostgreSQL they never got
/// it, so `crm lookup '+49 171 …'` found a caller on the file and not on
/// the server). In transactions of `batch` numbers, each written in one
/// UPDATE … FROM unnest, so a colleague's save waits for one batch at most.
/// One crm fills at a time, holding a session advisory lock (a rep may not
/// write `shared_settings`, where SQLite keeps its claim): another that
/// starts meanwhile, whatever its region, leaves the numbers to it. Not a
/// user's edit: no audit row, no version bump.
enum PGPhoneE164Fill {
    static let batch = 2_000
    private static let lockKey: Int64 = 0x63726D5F653136  // "crm_e16"

    @discardableResult
    static func run(_ c: PGConnection, region: PhoneRegion, starting: ((Int) -> Void)? = nil) throws -> Int {
        // Almost every open finds nothing pending: one look along an index.
        guard try c.scalar("SELECT EXISTS (SELECT 1 FROM contact_phones WHERE e164 IS NULL)") == "t" else { return 0 }
        guard try c.scalar("SELECT pg_try_advisory_lock($1::bigint)", [lockKey]) == "t" else { return 0 }
        defer { _ = try? c.execute("SELECT pg_advisory_unlock($1::bigint)", [lockKey]) }
        if let starting { starting(Int(try c.integer("SELECT count(*) FROM contact_phones WHERE e164 IS NULL") ?? 0)) }
        var done = 0
        while true {
            let filled: Int = try c.transaction {
                let pending = try c.rows("SELECT id, number FROM contact_phones WHERE e164 IS NULL ORDER BY id LIMIT $1::bigint",
                                         [Int64(batch)]) { ($0.int64(0), $0.string(1)) }
                guard !pending.isEmpty else { return 0 }
                // Only rows still NULL: a colleague's edit meanwhile wrote its own.
                try c.execute("""
                    UPDATE contact_phones p SET e164 = v.e164
                    FROM unnest($1::bigint[], $2::text[]) AS v(id, e164)
                    WHERE p.id = v.id AND p.e164 IS NULL
                    """, [PGArrayLiteral.integers(pending.map(\.0)),
                          PGArrayLiteral.texts(pending.map { PhoneNumber.storedE164($0.1, region: region) ?? "" })])
                return pending.count
            }
            done += filled
            if filled < batch { return done }
        }
    }
}
