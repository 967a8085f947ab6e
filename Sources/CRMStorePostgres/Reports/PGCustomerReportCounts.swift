import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's counted sections on PostgreSQL (RFM segments and
/// retention without their ids) and the ids of one row, which Enter asks
/// for: the same figures as SQLite's, read from the same statements as the
/// lists (the page's one statement for the segments, `retentionStates`).
extension PGCustomerReportRepository {
    public func segmentCounts(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow] {
        if let keyed = try keyedSegments(filter, policy, ids: false) { return keyed }
        return try segments(filter, policy: policy).map { SegmentSummaryRow(segment: $0.segment, customers: $0.customers, contactIDs: []) }
    }

    public func segmentCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, segment: RFMSegment) throws -> [Int64] {
        try segments(filter, policy: policy).first { $0.segment == segment }?.contactIDs ?? []
    }

    public func retentionCounts(_ filter: ReportFilter) throws -> RetentionCounts {
        if storesLifecycleSpans { return try spansRetentionCounts(filter) }
        return try withoutJIT { try c.query("""
            \(Self.retentionStates)
            SELECT count(*) FILTER (WHERE at_start AND at_end), count(*) FILTER (WHERE at_start AND NOT at_end),
                   count(*) FILTER (WHERE at_end AND NOT at_start)
            FROM states
            """, [filter.start, min(filter.end, filter.now), Self.owners(filter)]).rows.first.map { row in
            RetentionCounts(atStart: row.int(0) + row.int(1), retained: row.int(0), lost: row.int(1), gained: row.int(2))
        } } ?? RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0)
    }

    public func retentionCustomers(_ filter: ReportFilter, part: RetentionPart) throws -> [Int64] {
        if storesLifecycleSpans { return part.ids(try spansRetention(filter)) }
        let condition = switch part {
        case .atStart: "at_start"
        case .retained: "at_start AND at_end"
        case .lost: "at_start AND NOT at_end"
        case .gained: "at_end AND NOT at_start"
        }
        return try withoutJIT { try c.query("""
            \(Self.retentionStates)
            SELECT string_agg(id::text, ',' ORDER BY id) FROM states WHERE \(condition)
            """, [filter.start, min(filter.end, filter.now), Self.owners(filter)]).rows.first.map {
            PGReportSQL.orderedIDs($0.optionalString(0))
        } } ?? []
    }
}
