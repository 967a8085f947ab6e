// PostgreSQL schema step 50: an import decides the name groups that list a
// pair (step 46) once, before its COMMIT, instead of row by row.
//
// Step 46's row triggers decide a contact's group at every insert of the
// contact, of each of its addresses and of each of its numbers, each
// decision under a transaction lock on the group. An import of 100,000
// contacts touches 100,000 groups in ONE transaction: it held 100,000
// advisory locks until COMMIT and ran out of the server's lock table
// ("out of shared memory", SQLSTATE 53200) after a few thousand, so a large
// import failed and nothing was imported; the decisions were three queries
// per contact before that.
//
// During an import (`crm.name_pairs_later` set to 'on' for its transaction
// only, by PGImportRun), the decision returns at once. Before COMMIT the
// import sets it back and decides, under the same locks, every group of the
// contacts it created or merged into whose name key is shared at that
// company (`contact_name_key_counts.n > 1`): only such a group can list a
// pair, and one the import left with a single member listed none before
// (an import only adds). A transaction that changes one of those groups
// meanwhile decides it from what it sees; the import decides it again at the
// end, after that transaction's lock is released, from what both wrote.
// Everything else keeps deciding row by row, as before.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV50ImportNamePairs {
    static let sql = """
    CREATE OR REPLACE FUNCTION crm_name_pairs_decide(k text, c bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF k IS NULL OR c IS NULL OR k = '' THEN
            RETURN;
        END IF;
        IF current_setting('crm.name_pairs_later', true) = 'on' THEN
            RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended(k || '/' || c::text, 46));
        IF EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = k AND m.company_id = c) THEN
            INSERT INTO contact_name_pairs(name_key, company_id) VALUES (k, c) ON CONFLICT DO NOTHING;
        ELSE
            DELETE FROM contact_name_pairs WHERE name_key = k AND company_id = c;
        END IF;
    END $$;
    """
}
