// PostgreSQL schema step 70: each lifecycle change knows the span it closes
// and the one it opens, and whose contact it is, as SQLite's step 68
// (SchemaV68LifecycleSpans, which says why): retention, the measured
// customer lifespan and People's conversions read index ranges of the
// history instead of looking each change's contact and neighbours up
// (retention 159 ms at 100,000 contacts with the demo's history).
//
// On every contact_lifecycle_history row: `previous_at` (the contact's
// change before, else its creation), `next_at` (its change after, NULL for
// the last), `contact_owner_id` and `contact_deleted_at` (the contact's
// now). `crm_lifecycle_spans_recount(contact)` counts a contact's rows again
// from what is there, writing only the rows that differ; row triggers call
// it on a history row's insert, delete or move and on a contact's change of
// owner, trash or creation time. Its UPDATE sets none of the columns the
// history's trigger watches, so it does not fire itself. A change of
// lifecycle is written by the contact's own update, which holds the
// contact's row: two writers never recount one contact at the same time.
// The copy into PostgreSQL (PGSnapshotStore) suspends the triggers and
// counts every row once (`crm_lifecycle_spans_recount_all`).
//
// ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE, DROP … IF EXISTS and a
// recount from scratch: it can run twice. FROZEN once shipped.
enum PGSchemaV70LifecycleSpans {
    /// Counts the spans of the history's `rows` (a WHERE clause, or all)
    /// again, each contact's in `window`'s order; writes only the rows
    /// that differ.
    static func recount(rows: String, window: String) -> String {
        """
        UPDATE contact_lifecycle_history h
                SET previous_at = coalesce(o.previous_at, c.created_at), next_at = o.next_at,
                    contact_owner_id = c.owner_id, contact_deleted_at = c.deleted_at
                FROM (SELECT id, lag(changed_at) OVER w AS previous_at, lead(changed_at) OVER w AS next_at
                      FROM contact_lifecycle_history \(rows)
                      WINDOW w AS (\(window))) o,
                     contacts c
                WHERE o.id = h.id AND c.id = h.contact_id
                  AND (h.previous_at, h.next_at, h.contact_owner_id, h.contact_deleted_at)
                      IS DISTINCT FROM (coalesce(o.previous_at, c.created_at), o.next_at, c.owner_id, c.deleted_at)
        """
    }

    static let sql = """
    ALTER TABLE contact_lifecycle_history
        ADD COLUMN IF NOT EXISTS previous_at bigint,
        ADD COLUMN IF NOT EXISTS next_at bigint,
        ADD COLUMN IF NOT EXISTS contact_owner_id bigint,
        ADD COLUMN IF NOT EXISTS contact_deleted_at bigint;

    CREATE OR REPLACE FUNCTION crm_lifecycle_spans_recount(p_contact bigint) RETURNS void LANGUAGE sql AS $$
        \(recount(rows: "WHERE contact_id = p_contact", window: "ORDER BY changed_at, id"))
    $$;

    CREATE OR REPLACE FUNCTION crm_lifecycle_spans_recount_all() RETURNS void LANGUAGE sql AS $$
        \(recount(rows: "", window: "PARTITION BY contact_id ORDER BY changed_at, id"))
    $$;

    CREATE OR REPLACE FUNCTION crm_lifecycle_spans_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM crm_lifecycle_spans_recount(OLD.contact_id); END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.contact_id <> OLD.contact_id) THEN
            PERFORM crm_lifecycle_spans_recount(NEW.contact_id);
        END IF;
        RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS lifecycle_spans_history ON contact_lifecycle_history;
    CREATE TRIGGER lifecycle_spans_history AFTER INSERT OR DELETE OR UPDATE OF contact_id, changed_at ON contact_lifecycle_history
        FOR EACH ROW EXECUTE FUNCTION crm_lifecycle_spans_history();

    CREATE OR REPLACE FUNCTION crm_lifecycle_spans_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM crm_lifecycle_spans_recount(NEW.id);
        RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS lifecycle_spans_contact ON contacts;
    CREATE TRIGGER lifecycle_spans_contact AFTER UPDATE OF owner_id, deleted_at, created_at ON contacts
        FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
                           OR OLD.created_at IS DISTINCT FROM NEW.created_at)
        EXECUTE FUNCTION crm_lifecycle_spans_contact();

    SELECT crm_lifecycle_spans_recount_all();

    CREATE INDEX IF NOT EXISTS contact_lifecycle_spans_by_time ON contact_lifecycle_history(changed_at, previous_at)
        INCLUDE (next_at, from_lifecycle, to_lifecycle, contact_owner_id, contact_deleted_at, contact_id);
    CREATE INDEX IF NOT EXISTS contact_lifecycle_departures ON contact_lifecycle_history(from_lifecycle, to_lifecycle, changed_at)
        INCLUDE (previous_at);
    CREATE INDEX IF NOT EXISTS contact_lifecycle_conversions ON contact_lifecycle_history(to_lifecycle, contact_owner_id, changed_at)
        INCLUDE (contact_id) WHERE from_lifecycle IN ('lead', 'prospect') AND contact_deleted_at IS NULL;
    ANALYZE contact_lifecycle_history;
    """
}
