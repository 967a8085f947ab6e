/// Version 30: indexes and a search index shaped for a million contacts and
/// ten million interactions, where every list must read its first page
/// without touching the rest.
///
/// - `interactions_by_kind_time`: the Timeline's type filter ("stage
///   change") walks one kind newest first instead of every interaction
///   past the other kinds (164,000 rows for a page at 1M contacts).
/// - `deals_closed_by_time`: the won/lost list of a pipeline (`c` on the
///   board) in its order, coalesce(closed_at, updated_at) newest first,
///   instead of joining and sorting every closed deal. Partial on closed
///   deals (`status <> 'open'`), which the query names.
/// - `interaction_fts` rebuilt:
///   - its rowid is the interaction's place in the timeline, not its id:
///     `occurred_at * 2^31 + id` (the time clamped to ±2^32 seconds, years
///     1834 to 2106, so the key stays inside 64 bits; the id must stay
///     below 2^31). Full-text matches then come out of the index newest
///     first, page by page (`ORDER BY rowid DESC LIMIT`), and a search that
///     matches millions of interactions reads only the page it shows;
///     before, every match was collected and sorted by time first (826,000
///     rows for "a" at 100,000 contacts). `SQLiteInteractionRepository`
///     turns a key back into the id (its low 31 bits).
///   - prefix indexes of 1 to 4 characters (were 2 and 3): a one-letter or
///     a four-letter word is one list in the index, read lazily, instead of
///     a scan of the term list that merges every word it begins. Longer
///     words are searched by their first four characters and the rest is
///     checked on the page's rows (`crm_word_prefixes`).
///   The triggers follow the key: an edit of the time moves the entry, and
///   a deleted interaction (trash purge) takes its entry with it.
///
/// Frozen SQL.
enum SchemaV30MillionQueries {
    static let sql = """
    CREATE INDEX interactions_by_kind_time ON interactions(kind, occurred_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX deals_closed_by_time ON deals(pipeline_id, coalesce(closed_at, updated_at), id, status)
        WHERE deleted_at IS NULL AND status <> 'open';

    DROP TRIGGER interactions_fts_insert;
    DROP TRIGGER interactions_fts_update;
    CREATE VIRTUAL TABLE interaction_fts_v30 USING fts5(
        subject, body, outcome,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'
    );
    INSERT INTO interaction_fts_v30(interaction_fts_v30, rank) VALUES ('automerge', 0);
    INSERT INTO interaction_fts_v30(rowid, subject, body, outcome)
    SELECT max(min(i.occurred_at, 4294967295), -4294967296) * 2147483648 + i.id, f.subject, f.body, f.outcome
    FROM interaction_fts f JOIN interactions i ON i.id = f.rowid
    WHERE i.kind != 'stage'
    ORDER BY 1;
    INSERT INTO interaction_fts_v30(interaction_fts_v30) VALUES ('optimize');
    INSERT INTO interaction_fts_v30(interaction_fts_v30, rank) VALUES ('automerge', 4);
    DROP TABLE interaction_fts;
    ALTER TABLE interaction_fts_v30 RENAME TO interaction_fts;

    CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN NEW.kind != 'stage' BEGIN
        INSERT INTO interaction_fts(rowid, subject, body, outcome)
        VALUES (max(min(NEW.occurred_at, 4294967295), -4294967296) * 2147483648 + NEW.id,
                crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
    END;
    CREATE TRIGGER interactions_fts_update AFTER UPDATE OF subject, body, outcome, occurred_at ON interactions
    WHEN NEW.kind != 'stage' BEGIN
        DELETE FROM interaction_fts WHERE rowid = max(min(OLD.occurred_at, 4294967295), -4294967296) * 2147483648 + OLD.id;
        INSERT INTO interaction_fts(rowid, subject, body, outcome)
        VALUES (max(min(NEW.occurred_at, 4294967295), -4294967296) * 2147483648 + NEW.id,
                crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
    END;
    CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions WHEN OLD.kind != 'stage' BEGIN
        DELETE FROM interaction_fts WHERE rowid = max(min(OLD.occurred_at, 4294967295), -4294967296) * 2147483648 + OLD.id;
    END;
    """
}
