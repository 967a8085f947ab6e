/// Version 6: follow-ups of deals that were deleted before deleting a deal
/// cancelled its follow-ups (version 5 and older) are cancelled now, so they
/// stop showing on Today and in `crm followups`. Data only; frozen SQL.
enum SchemaV6CancelOrphanFollowUps {
    static let sql = """
    UPDATE follow_ups SET status = 'cancelled', version = version + 1
    WHERE status = 'open' AND deleted_at IS NULL
      AND deal_id IN (SELECT id FROM deals WHERE deleted_at IS NOT NULL);
    """
}
