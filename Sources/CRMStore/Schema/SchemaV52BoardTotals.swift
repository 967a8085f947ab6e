/// Version 52: the Pipeline board's column totals stored per pipeline,
/// owner, stage and currency, kept by triggers (issue 16, "flat at a
/// million").
///
/// Every board key that shows the columns (`3`, `p`, `o`, `m`, Esc from a
/// deal's details, a move, won, lost) summed the open deals of the pipeline
/// from the covering index `deals_board_totals` (or `deals_board_by_owner`):
/// one index entry per open deal, 134,599 of them in the first pipeline at a
/// million contacts (about 30–50 ms a key). The sums are additive, so they
/// can be kept: `deal_board_totals` holds, for the live open deals
/// (status 'open', not in the trash) of each (pipeline, owner, stage,
/// currency), their number and their value in the parts the board's query
/// adds up (`MillionParts`: value / 10^6 and value % 10^6, for values a deal
/// may hold, 0 to 10^15 − 1), and how many hold a value out of that range
/// (their currency's total is then shown out of range). A board's totals
/// are then a handful of rows (stages × owners × currencies) whatever the
/// number of deals.
///
/// - `owner_id` 0 stands for "no owner" (a key column cannot be NULL; ids
///   start at 1). Currency codes are kept as stored (BINARY): "XYZ" and
///   "EUR" are two totals, as in the query.
/// - A row whose deals fall to 0 is deleted, so the table is always exactly
///   the GROUP BY of the deals (BoardTotalsTests recounts it after writes).
/// - Triggers: insert, delete, and every update of a column that moves a
///   deal between rows or changes its value (pipeline, stage, owner,
///   currency, value and its type, status, the trash's deleted_at). Each
///   is one upsert or update of one row: bulk loads keep them.
/// - The fill reads the covering index `deals_board_by_owner` (named: the
///   file has no statistics, and a fill that the planner sends through the
///   table instead is what made step 40 take two minutes at a million).
///
/// - `deals_board_owner_cards`: a column's cards of one owner (`o`, `m`),
///   one range in card order. The cards were read along `deals_by_stage`,
///   every deal of the stage checked for its owner: `o` starts at the first
///   login, and an owner with few deals in a stage (the bench's `bench`
///   has none) read all 34,000 of each visible column (160–230 ms a key at
///   a million contacts).
///
/// PostgreSQL's step 52 makes the same owner-cards index; its step 60 the
/// same table, kept by statement triggers (PGSchemaV60BoardTotals).
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV52BoardTotals {
    static let sql = """
    CREATE INDEX deals_board_owner_cards ON deals(stage_id, owner_id, position, id) WHERE deleted_at IS NULL AND status = 'open';

    CREATE TABLE deal_board_totals (
        pipeline_id INTEGER NOT NULL,
        owner_id INTEGER NOT NULL,
        stage_id INTEGER NOT NULL,
        currency TEXT NOT NULL,
        deals INTEGER NOT NULL,
        millions INTEGER NOT NULL,
        units INTEGER NOT NULL,
        out_of_range INTEGER NOT NULL,
        PRIMARY KEY (pipeline_id, owner_id, stage_id, currency)
    ) WITHOUT ROWID;

    INSERT INTO deal_board_totals(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
    SELECT d.pipeline_id, coalesce(d.owner_id, 0), d.stage_id, d.currency, count(*),
           coalesce(sum(CASE WHEN typeof(d.value_minor) = 'integer' AND d.value_minor BETWEEN 0 AND 999999999999999
                             THEN d.value_minor / 1000000 END), 0),
           coalesce(sum(CASE WHEN typeof(d.value_minor) = 'integer' AND d.value_minor BETWEEN 0 AND 999999999999999
                             THEN d.value_minor % 1000000 END), 0),
           count(CASE WHEN typeof(d.value_minor) = 'integer' AND d.value_minor BETWEEN 0 AND 999999999999999
                      THEN NULL ELSE 1 END)
    FROM deals d INDEXED BY deals_board_by_owner
    WHERE d.status = 'open' AND d.deleted_at IS NULL
    GROUP BY d.pipeline_id, d.owner_id, d.stage_id, d.currency;

    CREATE TRIGGER deal_board_totals_insert AFTER INSERT ON deals
    WHEN NEW.status = 'open' AND NEW.deleted_at IS NULL BEGIN
        INSERT INTO deal_board_totals(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
        SELECT NEW.pipeline_id, coalesce(NEW.owner_id, 0), NEW.stage_id, NEW.currency, 1,
               CASE WHEN r THEN NEW.value_minor / 1000000 ELSE 0 END, CASE WHEN r THEN NEW.value_minor % 1000000 ELSE 0 END,
               CASE WHEN r THEN 0 ELSE 1 END
        FROM (SELECT typeof(NEW.value_minor) = 'integer' AND NEW.value_minor BETWEEN 0 AND 999999999999999 AS r)
        WHERE 1
        ON CONFLICT(pipeline_id, owner_id, stage_id, currency) DO UPDATE SET deals = deals + 1,
            millions = millions + excluded.millions, units = units + excluded.units,
            out_of_range = out_of_range + excluded.out_of_range;
    END;

    CREATE TRIGGER deal_board_totals_delete AFTER DELETE ON deals
    WHEN OLD.status = 'open' AND OLD.deleted_at IS NULL BEGIN
        UPDATE deal_board_totals SET deals = deals - 1,
            millions = millions - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                        THEN OLD.value_minor / 1000000 ELSE 0 END),
            units = units - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                  THEN OLD.value_minor % 1000000 ELSE 0 END),
            out_of_range = out_of_range - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                                THEN 0 ELSE 1 END)
        WHERE pipeline_id = OLD.pipeline_id AND owner_id = coalesce(OLD.owner_id, 0) AND stage_id = OLD.stage_id
          AND currency = OLD.currency;
        DELETE FROM deal_board_totals
        WHERE pipeline_id = OLD.pipeline_id AND owner_id = coalesce(OLD.owner_id, 0) AND stage_id = OLD.stage_id
          AND currency = OLD.currency AND deals <= 0;
    END;

    CREATE TRIGGER deal_board_totals_update AFTER UPDATE OF pipeline_id, owner_id, stage_id, currency, value_minor, status, deleted_at ON deals
    WHEN OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.stage_id IS NOT NEW.stage_id
      OR OLD.currency IS NOT NEW.currency OR OLD.value_minor IS NOT NEW.value_minor
      OR typeof(OLD.value_minor) <> typeof(NEW.value_minor) OR OLD.status IS NOT NEW.status
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        UPDATE deal_board_totals SET deals = deals - 1,
            millions = millions - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                        THEN OLD.value_minor / 1000000 ELSE 0 END),
            units = units - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                  THEN OLD.value_minor % 1000000 ELSE 0 END),
            out_of_range = out_of_range - (CASE WHEN typeof(OLD.value_minor) = 'integer' AND OLD.value_minor BETWEEN 0 AND 999999999999999
                                                THEN 0 ELSE 1 END)
        WHERE OLD.status = 'open' AND OLD.deleted_at IS NULL
          AND pipeline_id = OLD.pipeline_id AND owner_id = coalesce(OLD.owner_id, 0) AND stage_id = OLD.stage_id
          AND currency = OLD.currency;
        DELETE FROM deal_board_totals
        WHERE pipeline_id = OLD.pipeline_id AND owner_id = coalesce(OLD.owner_id, 0) AND stage_id = OLD.stage_id
          AND currency = OLD.currency AND deals <= 0;
        INSERT INTO deal_board_totals(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
        SELECT NEW.pipeline_id, coalesce(NEW.owner_id, 0), NEW.stage_id, NEW.currency, 1,
               CASE WHEN r THEN NEW.value_minor / 1000000 ELSE 0 END, CASE WHEN r THEN NEW.value_minor % 1000000 ELSE 0 END,
               CASE WHEN r THEN 0 ELSE 1 END
        FROM (SELECT typeof(NEW.value_minor) = 'integer' AND NEW.value_minor BETWEEN 0 AND 999999999999999 AS r)
        WHERE NEW.status = 'open' AND NEW.deleted_at IS NULL
        ON CONFLICT(pipeline_id, owner_id, stage_id, currency) DO UPDATE SET deals = deals + 1,
            millions = millions + excluded.millions, units = units + excluded.units,
            out_of_range = out_of_range + excluded.out_of_range;
    END;
    """
}
