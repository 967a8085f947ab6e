// PostgreSQL schema step 37: the change feed's counters split into shards.
//
// Until 36 every write statement of a kind updated that kind's ONE row of
// `change_counters`, so two sessions writing contacts at once queued on that
// row until the first committed (50 load clients: notes at p50 56 ms, deal
// moves at p50 0.8 s, nearly all of it that wait). Now each server process
// counts in a row of its own shard (its pid modulo 256): writers of the same
// kind no longer wait for each other unless their pids share a shard, and a
// reader sums the shards of a kind (PGChangeFeed). The sum only grows, as the
// one counter did, so "moved by more than my own writes" keeps its meaning;
// the rows of step 30 stay as shard 0 with their counts.
//
// SQLite has nothing to do at 37 (one writer at a time there).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV37ChangeCounterShards {
    static let sql = """
    ALTER TABLE change_counters ADD COLUMN shard integer NOT NULL DEFAULT 0;
    ALTER TABLE change_counters DROP CONSTRAINT change_counters_pkey;
    ALTER TABLE change_counters ADD PRIMARY KEY (kind, shard);
    CREATE OR REPLACE FUNCTION crm_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change_counters(kind, shard, counter) VALUES (TG_ARGV[0], pg_backend_pid() % 256, 1)
            ON CONFLICT (kind, shard) DO UPDATE SET counter = change_counters.counter + 1;
        PERFORM pg_notify('crm_changes', TG_ARGV[0]);
        RETURN NULL;
    END $$;
    """
}
