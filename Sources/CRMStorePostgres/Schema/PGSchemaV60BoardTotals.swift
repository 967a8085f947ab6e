// PostgreSQL schema step 60: SQLite's table of the Pipeline board's column
// totals (SchemaV52BoardTotals), kept by triggers, on PostgreSQL (issue 17).
//
// The board's totals were an index-only scan of every open deal of the
// pipeline (deals_board_totals / deals_board_by_owner): `L` moved a deal and
// then summed its two columns again, about 5,000 index entries each at
// 100,000 contacts (12 ms quiet, over 20 under load). `deal_board_totals`
// holds, for the live open deals (status 'open', not in the trash) of each
// (pipeline, owner, stage, currency), their number and their value in the
// parts the board adds up (`MillionParts`: value / 10^6 and value % 10^6,
// for values a deal may hold, 0 to 10^15 − 1) and how many hold a value out
// of that range; the board reads a handful of rows whatever the deals.
// Same table, same rules as SQLite's: owner 0 is "no owner", a row whose
// deals fall to 0 is deleted, so the table is always the GROUP BY of the deals.
//
// Kept by statement triggers with transition tables, not by a row trigger
// per deal, for two writers at once (READ COMMITTED):
// - every change is a delta added in place (INSERT … ON CONFLICT DO UPDATE
//   SET deals = deals + excluded.deals), never read then written, so two
//   sessions writing the same total both count;
// - one statement's deltas are summed per total and applied in key order,
//   so every writer locks the totals it touches in the same order: two
//   reps moving deals the opposite ways between two columns, or a bulk
//   reassignment beside a move, wait for each other instead of deadlocking
//   (a row trigger locks the old total, then the new one, per deal);
// - a write that moves no value (a title, a position, a version) sums to
//   nothing and touches no total; a bulk write (a stage deleted, an owner's
//   deals handed over, an import) is one upsert per total, not per deal.
// PostgreSQL allows no column list on an UPDATE trigger with transition
// tables: the trigger runs for every UPDATE of deals, and its sum decides.
//
// `crm_deal_board_totals_recount()` fills the table from the deals: here,
// and after `crm migrate` loaded a copy with the triggers off (PGSnapshotStore).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV60BoardTotals {
    static let sql = """
    CREATE TABLE deal_board_totals (
        pipeline_id bigint NOT NULL,
        owner_id bigint NOT NULL,
        stage_id bigint NOT NULL,
        currency text NOT NULL,
        deals bigint NOT NULL,
        millions bigint NOT NULL,
        units bigint NOT NULL,
        out_of_range bigint NOT NULL,
        PRIMARY KEY (pipeline_id, owner_id, stage_id, currency)
    );

    CREATE FUNCTION crm_deal_board_totals_recount() RETURNS void LANGUAGE sql AS $fn$
        DELETE FROM deal_board_totals;
        INSERT INTO deal_board_totals(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
        SELECT d.pipeline_id, coalesce(d.owner_id, 0), d.stage_id, d.currency, count(*),
               coalesce(sum(d.value_minor / 1000000) FILTER (WHERE d.value_minor BETWEEN 0 AND 999999999999999), 0),
               coalesce(sum(d.value_minor % 1000000) FILTER (WHERE d.value_minor BETWEEN 0 AND 999999999999999), 0),
               count(*) FILTER (WHERE d.value_minor NOT BETWEEN 0 AND 999999999999999)
        FROM deals d
        WHERE d.status = 'open' AND d.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4;
    $fn$;

    -- The deltas of one statement: each old row that was on the board taken
    -- off (-1), each new row that is on it put on (+1), summed per total,
    -- applied in key order; then the totals left with no deal go.
    CREATE FUNCTION crm_deal_board_totals_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO deal_board_totals AS t(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
            SELECT n.pipeline_id, coalesce(n.owner_id, 0), n.stage_id, n.currency, count(*),
                   coalesce(sum(n.value_minor / 1000000) FILTER (WHERE n.value_minor BETWEEN 0 AND 999999999999999), 0),
                   coalesce(sum(n.value_minor % 1000000) FILTER (WHERE n.value_minor BETWEEN 0 AND 999999999999999), 0),
                   count(*) FILTER (WHERE n.value_minor NOT BETWEEN 0 AND 999999999999999)
            FROM new_deals n
            WHERE n.status = 'open' AND n.deleted_at IS NULL
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (pipeline_id, owner_id, stage_id, currency) DO UPDATE
            SET deals = t.deals + excluded.deals, millions = t.millions + excluded.millions,
                units = t.units + excluded.units, out_of_range = t.out_of_range + excluded.out_of_range;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' THEN
            -- Each row's parts as the board adds them (m, u), or 1 out of range (r).
            INSERT INTO deal_board_totals AS t(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
            SELECT x.pipeline_id, x.owner_id, x.stage_id, x.currency, sum(x.n), sum(x.n * x.m), sum(x.n * x.u), sum(x.n * x.r)
            FROM (SELECT y.pipeline_id, y.owner_id, y.stage_id, y.currency, y.n,
                         CASE WHEN y.v BETWEEN 0 AND 999999999999999 THEN y.v / 1000000 ELSE 0 END AS m,
                         CASE WHEN y.v BETWEEN 0 AND 999999999999999 THEN y.v % 1000000 ELSE 0 END AS u,
                         CASE WHEN y.v BETWEEN 0 AND 999999999999999 THEN 0 ELSE 1 END AS r
                  FROM (SELECT o.pipeline_id, coalesce(o.owner_id, 0) AS owner_id, o.stage_id, o.currency, -1 AS n, o.value_minor AS v
                        FROM old_deals o WHERE o.status = 'open' AND o.deleted_at IS NULL
                        UNION ALL
                        SELECT n.pipeline_id, coalesce(n.owner_id, 0), n.stage_id, n.currency, 1, n.value_minor
                        FROM new_deals n WHERE n.status = 'open' AND n.deleted_at IS NULL) y) x
            GROUP BY 1, 2, 3, 4
            HAVING sum(x.n) <> 0 OR sum(x.n * x.m) <> 0 OR sum(x.n * x.u) <> 0 OR sum(x.n * x.r) <> 0
            ORDER BY 1, 2, 3, 4
            ON CONFLICT (pipeline_id, owner_id, stage_id, currency) DO UPDATE
            SET deals = t.deals + excluded.deals, millions = t.millions + excluded.millions,
                units = t.units + excluded.units, out_of_range = t.out_of_range + excluded.out_of_range;
        ELSE
            INSERT INTO deal_board_totals AS t(pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range)
            SELECT o.pipeline_id, coalesce(o.owner_id, 0), o.stage_id, o.currency, -count(*),
                   -coalesce(sum(o.value_minor / 1000000) FILTER (WHERE o.value_minor BETWEEN 0 AND 999999999999999), 0),
                   -coalesce(sum(o.value_minor % 1000000) FILTER (WHERE o.value_minor BETWEEN 0 AND 999999999999999), 0),
                   -count(*) FILTER (WHERE o.value_minor NOT BETWEEN 0 AND 999999999999999)
            FROM old_deals o
            WHERE o.status = 'open' AND o.deleted_at IS NULL
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (pipeline_id, owner_id, stage_id, currency) DO UPDATE
            SET deals = t.deals + excluded.deals, millions = t.millions + excluded.millions,
                units = t.units + excluded.units, out_of_range = t.out_of_range + excluded.out_of_range;
        END IF;
        -- Only a total a deal left can have fallen to 0 (this statement's own rows: locked already).
        DELETE FROM deal_board_totals t
        WHERE t.deals <= 0 AND (t.pipeline_id, t.owner_id, t.stage_id, t.currency) IN (
            SELECT o.pipeline_id, coalesce(o.owner_id, 0), o.stage_id, o.currency FROM old_deals o
            WHERE o.status = 'open' AND o.deleted_at IS NULL);
        RETURN NULL;
    END $fn$;

    CREATE TRIGGER deal_board_totals_insert AFTER INSERT ON deals
        REFERENCING NEW TABLE AS new_deals FOR EACH STATEMENT EXECUTE FUNCTION crm_deal_board_totals_change();
    CREATE TRIGGER deal_board_totals_update AFTER UPDATE ON deals
        REFERENCING OLD TABLE AS old_deals NEW TABLE AS new_deals FOR EACH STATEMENT EXECUTE FUNCTION crm_deal_board_totals_change();
    CREATE TRIGGER deal_board_totals_delete AFTER DELETE ON deals
        REFERENCING OLD TABLE AS old_deals FOR EACH STATEMENT EXECUTE FUNCTION crm_deal_board_totals_change();

    SELECT crm_deal_board_totals_recount();
    ANALYZE deal_board_totals;
    """
}
