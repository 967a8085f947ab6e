import CRMCore
import CRMRepositories
import Foundation

/// The listing commands' deals and a company's open follow-ups on
/// PostgreSQL, as SQLiteListingRepository lists them: the same cards and
/// rows (PGDealRepository's and PGFollowUpRepository's), the same filters,
/// the same orders, live records only.
extension PGListingRepository: ListingRepository {
    /// Keyset paged by id; every filter given narrows, each value bound (the
    /// stages as one array parameter).
    public func deals(_ filter: DealListFilter, afterID: Int64?, limit: Int) throws -> [DealCard] {
        var conds = ["d.deleted_at IS NULL"]
        var values: [any PGBindable] = []
        if let pipeline = filter.pipelineID { conds.append("d.pipeline_id = ?::bigint"); values.append(pipeline) }
        if !filter.stageIDs.isEmpty {
            conds.append("d.stage_id = ANY(?::bigint[])")
            values.append(Self.array(filter.stageIDs.sorted()))
        }
        if let status = filter.status { conds.append("d.status = ?"); values.append(status.rawValue) }
        if let owner = filter.ownerID { conds.append("d.owner_id = ?::bigint"); values.append(owner) }
        if let afterID { conds.append("d.id > ?::bigint"); values.append(afterID) }
        values.append(limit)
        return try c.rows("\(PGDealRepository.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.id LIMIT ?::bigint",
                          values, PGDealRepository.card)
    }

    /// Open follow-ups about the company's live contacts or live deals,
    /// soonest due first. The two ways in are two index lookups (contacts by
    /// company, then follow-ups by contact; deals by company, then follow-ups
    /// by deal) joined by UNION, rather than an OR the planner would answer
    /// by reading every follow-up.
    public func openFollowUps(companyID: Int64) throws -> [FollowUpRow] {
        try c.rows("""
            \(PGFollowUpRepository.rowSQL)
            WHERE f.id IN (
                SELECT fc.id FROM contacts cc JOIN follow_ups fc ON fc.contact_id = cc.id
                WHERE cc.company_id = ?::bigint AND cc.deleted_at IS NULL AND fc.status = 'open' AND fc.deleted_at IS NULL
                UNION
                SELECT fd.id FROM deals dd JOIN follow_ups fd ON fd.deal_id = dd.id
                WHERE dd.company_id = ?::bigint AND dd.deleted_at IS NULL AND fd.status = 'open' AND fd.deleted_at IS NULL)
            ORDER BY f.due_at, f.id
            """, [companyID, companyID], PGFollowUpRepository.row)
    }
}
