import CRMCore
import CRMRepositories
import Foundation

/// The Customers report (page 5) on PostgreSQL, the same figures as
/// SQLiteCustomerReportRepository. Each section is one statement over
/// PGCustomerValueSQL's CTEs (the server keeps the materialised ones for
/// the statement); no temporary tables, as the planner works the CTEs a
/// section does not read out not at all.
public final class PGCustomerReportRepository: CustomerReportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }
    /// The figures of the last page worked out, and what they were worked
    /// out for (PGCustomerReportRepository+Page.swift): the sections of one
    /// page share one computation.
    var page: (key: String, figures: PGCustomerPage)?

    /// Seconds in a year of 365.25 days (tenure and lifespan in years).
    static let year = 31_557_600.0

    func values(_ filter: ReportFilter, _ policy: ValueTierPolicy) -> [any PGBindable] {
        PGCustomerValueSQL.values(policy: policy, end: filter.end, pipelineIDs: filter.pipelineIDs, currency: filter.currency,
                                  owners: filter.ownerIDs, now: filter.now)
    }
    private static func owners(_ filter: ReportFilter) -> (any PGBindable) {
        filter.ownerIDs.isEmpty ? PGNull() : PGReportSQL.array(filter.ownerIDs)
    }

    /// The CTEs of the sections that read the RFM scores: the frequency from
    /// the stored window (schema 40) while `now` is less than a year from
    /// its end, else counted per customer (the same figure either way).
    func scoreCTEs(_ filter: ReportFilter) throws -> String {
        guard let asOf = try PGCustomerYearInteractions.asOf(c),
              InteractionYearWindow.slices(asOf: asOf, now: filter.now.wholeSecondsSince1970) != nil else { return PGCustomerValueSQL.ctes }
        return PGCustomerValueSQL.storedFrequencyCTEs
    }

    public func topCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, limit: Int) throws -> [CustomerValueRow] {
        try pageFigures(filter, policy, limit: limit).top
    }

    public func tiers(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [TierSummaryRow] {
        if let page = try remembered(filter, policy) { return page.tiers }
        // The ids in rank order (value, then id), as Enter lists them.
        return try withoutJIT {
            try c.query("""
                WITH \(PGCustomerValueSQL.ctes)
                \(PGCustomerPageSQL.tiers) ORDER BY 2, 1
                """, values(filter, policy)).rows.map(PGCustomerPageSQL.tierRow)
        }
    }

    public func segments(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow] {
        try pageFigures(filter, policy, limit: nil).segments
    }

    public func lifetimeValue(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [LifetimeValueInputs] {
        let asOf = min(filter.end, filter.now)
        // Tenure: since the customer last became one (lifecycle history),
        // else since the contact was created, to the end of the period.
        let (customers, tenure) = try withoutJIT { try c.first("""
            SELECT count(*), coalesce(avg(greatest(0, ?::bigint - coalesce(
                (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                 WHERE h.contact_id = cu.id AND h.to_lifecycle = 'customer' AND h.changed_at < ?::bigint), cu.created_at))), 0)
            FROM contacts cu
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND (?::bigint[] IS NULL OR cu.owner_id = ANY(?::bigint[]))
            """, [asOf, asOf, Self.owners(filter), Self.owners(filter)]) { ($0.int(0), $0.double(1) / Self.year) } } ?? (0, 0)
        if let page = try remembered(filter, policy) { return page.lifetime(customers: customers, tenure: tenure) }
        return try withoutJIT {
            try c.query("""
                WITH \(PGCustomerValueSQL.ctes)
                \(PGCustomerPageSQL.lifetime) ORDER BY 1
                """, values(filter, policy)).rows.map(PGCustomerPageSQL.lifetimeRow)
        }.map { $0.inputs(customers: customers, tenure: tenure) }
    }

    public func measuredLifespan(before: Date) throws -> MeasuredLifespan {
        try withoutJIT { try c.first("""
            SELECT count(*), avg(h.changed_at - coalesce(
                (SELECT max(b.changed_at) FROM contact_lifecycle_history b
                 WHERE b.contact_id = h.contact_id AND b.to_lifecycle = 'customer' AND b.changed_at <= h.changed_at AND b.id < h.id),
                c.created_at))
            FROM contact_lifecycle_history h JOIN contacts c ON c.id = h.contact_id
            WHERE h.from_lifecycle = 'customer' AND h.to_lifecycle = 'former' AND h.changed_at < ?::bigint
            """, [before]) { row in
            MeasuredLifespan(averageYears: row.isNull(1) ? nil : row.double(1) / Self.year, departures: row.int(0))
        } } ?? MeasuredLifespan(averageYears: nil, departures: 0)
    }

    public func retention(_ filter: ReportFilter) throws -> RetentionFigures {
        // A contact's lifecycle just before T: the `from` of its first
        // change at or after T, else its lifecycle now. Candidates: today's
        // customers and whoever changed lifecycle (or went to the trash) since the start.
        let end = min(filter.end, filter.now)
        let groups = try withoutJIT { try c.query("""
            WITH candidates AS (
                -- The live customers, and the others that changed since the
                -- start: apart by construction, so no duplicates to remove
                -- (a UNION hashed all 35,000 customers at 100,000 contacts).
                SELECT id, owner_id, created_at, NULL::bigint AS deleted_at, 'customer'::text AS lifecycle
                FROM contacts WHERE deleted_at IS NULL AND lifecycle = 'customer'
                UNION ALL
                SELECT id, owner_id, created_at, deleted_at, lifecycle FROM contacts
                WHERE id IN (SELECT contact_id FROM contact_lifecycle_history WHERE changed_at >= $1::bigint
                             UNION SELECT id FROM contacts WHERE deleted_at >= $1::bigint)
                  AND NOT (deleted_at IS NULL AND lifecycle = 'customer')
            ),
            -- Materialised: each contact's two states worked out once (the
            -- filter below would repeat their look-ups).
            states AS MATERIALIZED (
                SELECT cu.id,
                       cu.created_at < $1::bigint AND (cu.deleted_at IS NULL OR cu.deleted_at >= $1::bigint) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= $1::bigint
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_start,
                       cu.created_at < $2::bigint AND (cu.deleted_at IS NULL OR cu.deleted_at >= $2::bigint) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= $2::bigint
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_end
                FROM candidates cu
                WHERE ($3::bigint[] IS NULL OR cu.owner_id = ANY($3::bigint[]))
            )
            SELECT at_start, at_end, string_agg(id::text, ',' ORDER BY id) FROM states
            WHERE at_start OR at_end GROUP BY at_start, at_end
            """, [filter.start, end, Self.owners(filter)]).rows.map { ($0.bool(0), $0.bool(1), PGReportSQL.orderedIDs($0.optionalString(2))) } }
        func ids(_ start: Bool, _ end: Bool) -> [Int64] { groups.first { $0.0 == start && $0.1 == end }?.2 ?? [] }
        return RetentionFigures(atStart: (ids(true, true) + ids(true, false)).sorted(), retained: ids(true, true),
                                lost: ids(true, false), gained: ids(false, true))
    }

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int) throws -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        var lifecycleDays: Int64?
        var tiers: [ValueTier: Int64] = [:], tags: [String: Int64] = [:]
        for rule in rules {
            let days = Int64(rule.days)
            switch rule.target {
            case .lifecycle(.customer): lifecycleDays = min(lifecycleDays ?? days, days)
            case .lifecycle: break
            case .tag(let t): tags[t.lowercased()] = min(tags[t.lowercased()] ?? days, days)
            case .tier(let t): tiers[t] = min(tiers[t] ?? days, days)
            }
        }
        // No cadence is "never due": a number of days no rule reaches.
        let never: Int64 = 1_000_000
        let half = Int64(max(1, windowDays)) * 86_400 / 2
        let now = filter.now.wholeSecondsSince1970
        let sortedTags = tags.sorted { $0.key < $1.key }
        let days = { (tier: ValueTier) -> Int64 in tiers[tier] ?? never }
        // The effective cadence: the contact's own, else the shortest rule
        // that applies (customer stage, its tier, its tags), as Needs attention.
        // The tag rules are looked up only when there are some (as on
        // SQLite): most settings have none, and the look-up, written twice
        // in the cadence, cost three probes per customer (about 1 s at
        // 35,000 customers). `tagrules` names $8 and $9's types when unused.
        let tagDays = sortedTags.isEmpty ? "$7::bigint" : """
            coalesce((SELECT min(r.days) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN unnest($8::text[], $9::bigint[]) AS r(name, days) ON r.name = lower(t.name)
                      WHERE ct.contact_id = cu.id), $7::bigint)
            """
        let all = try withoutJIT { try c.query("""
            WITH due AS (
                SELECT cu.id, coalesce(cu.last_interaction_at, cu.created_at) AS touch, cu.value_tier AS tier,
                       coalesce(cu.cadence_days, least($1::bigint,
                           CASE cu.value_tier WHEN 'A' THEN $2::bigint WHEN 'B' THEN $3::bigint WHEN 'C' THEN $4::bigint ELSE $7::bigint END,
                           \(tagDays))) AS cadence
                FROM contacts cu
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND ($5::bigint[] IS NULL OR cu.owner_id = ANY($5::bigint[]))
            ),
            -- Both halves of the window counted in one pass over the
            -- interactions of the window, per contact: a contact without
            -- any has 0 and 0, never falling, so only these can be at risk
            -- (two index probes per customer due took about 0.7 s at 100,000 contacts).
            activity AS (
                SELECT i.contact_id,
                       count(*) FILTER (WHERE i.occurred_at < $6::bigint - $10::bigint) AS earlier,
                       count(*) FILTER (WHERE i.occurred_at >= $6::bigint - $10::bigint) AS recent
                FROM interactions i
                WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL
                  AND i.occurred_at >= $6::bigint - 2 * $10::bigint AND i.occurred_at < $6::bigint
                GROUP BY i.contact_id
            ),
            falling AS (
                SELECT due.id, due.touch, due.cadence, due.tier, a.earlier, a.recent
                FROM due JOIN activity a ON a.contact_id = due.id
                WHERE due.cadence < $7::bigint AND due.touch + due.cadence * 86400 < $6::bigint
            ),
            tagrules AS (SELECT $8::text[] AS names, $9::bigint[] AS days)
            SELECT f.id, f.touch, f.cadence, f.earlier, f.recent, f.tier, c.name
            FROM falling f JOIN contacts c ON c.id = f.id WHERE f.earlier > f.recent
            ORDER BY f.touch + f.cadence * 86400, f.id
            """, [lifecycleDays ?? never, days(.a), days(.b), days(.c), Self.owners(filter), now, never,
                  PGReportSQL.textArray(sortedTags.map(\.key)), PGReportSQL.array(sortedTags.map(\.value)), half]).rows.map { row in
            AtRiskRow(contactID: row.int64(0), name: row.string(6), lastTouch: row.date(1), cadenceDays: row.int(2),
                      daysOverdue: Int((now - row.int64(1) - row.int64(2) * 86_400) / 86_400), earlier: row.int(3), recent: row.int(4),
                      tier: row.optionalString(5).flatMap(ValueTier.init(rawValue:)))
        } }
        return (Array(all.prefix(limit)), all.count, all.map(\.contactID))
    }

    public func valueTier(contactID: Int64) throws -> ValueTier? {
        try c.scalar(PGConnection.numbered(Self.valueTierSQL), [contactID]).flatMap(ValueTier.init(rawValue:))
    }

    static let valueTierSQL = "SELECT value_tier FROM contacts WHERE id = ?::bigint"

    public func recomputeValueTiers(policy: ValueTierPolicy) throws {
        try PGValueTierRecompute(policy: policy).recompute(c)
        // As SQLite's: the session's policy is the one its tiers were made with.
        db.valueTierPolicy = policy
    }

    static func amount(_ row: PGRow, bucket: Int, converted: Int, value: Int) -> ReportAmount {
        ReportAmount(Money(minorUnits: Int64(row.double(value).rounded()), currency: Currency(stored: row.string(bucket))),
                     converted: row.bool(converted))
    }
}
