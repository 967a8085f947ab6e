// PostgreSQL schema step 41: a change counter moves once per transaction and
// kind, not once per statement.
//
// Until 40 every write statement bumped its kind's counter row (its shard).
// PostgreSQL keeps each update of a row as a new version, and versions made
// by the still-open transaction cannot be pruned: the Nth update of the same
// row in one transaction walks the N−1 before it. A transaction of many
// statements was quadratic — rebuilding the search documents of a copy of
// 100,000 contacts (each document's trigger updating that contact's deals)
// took longer per batch as it went, past seven seconds a batch; a hand-over of
// thousands of records or a big merge paid the same. Now a transaction-local
// flag (`crm.counted_<kind>`) says the counter already moved in this
// transaction; `crm.own_<kind>` follows the same rule (1, not a count), so
// the feed's "moved by more than my own writes" keeps its meaning: a
// session's committed transactions that wrote a kind are exactly what its
// own commits add. A savepoint rolled back takes its flag and its increment
// back together. The notification is unchanged (the server sends one per
// payload per transaction anyway).
//
// SQLite has nothing to do at 41 (one writer at a time).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV41ChangeCountedOncePerTransaction {
    static let sql = """
    CREATE OR REPLACE FUNCTION crm_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        flag text := 'crm.counted_' || TG_ARGV[0];
    BEGIN
        IF current_setting(flag, true) IS DISTINCT FROM '1' THEN
            INSERT INTO change_counters(kind, shard, counter) VALUES (TG_ARGV[0], pg_backend_pid() % 256, 1)
                ON CONFLICT (kind, shard) DO UPDATE SET counter = change_counters.counter + 1;
            PERFORM set_config(flag, '1', true);
        END IF;
        PERFORM pg_notify('crm_changes', TG_ARGV[0]);
        RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION crm_own_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('crm.own_' || TG_ARGV[0], '1', true);
        RETURN NULL;
    END $$;
    """
}
