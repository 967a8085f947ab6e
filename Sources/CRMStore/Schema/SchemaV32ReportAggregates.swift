/// Version 32: per-day counts the People report reads instead of counting
/// a long period's rows one by one (339 ms for 365 days at 1,000,000
/// interactions and 50,000 follow-ups).
///
/// - `report_interaction_days`: live interactions per author, kind and UTC
///   day (`day_start`, the day's first second: floor(occurred_at / 86400) ×
///   86400, also before 1970).
/// - `report_follow_up_days`: live, not cancelled follow-ups per assignee
///   and UTC day of their due time: how many were due, and how many of
///   those were done on time (done_at ≤ due_at) and done late.
///
/// They are derived data, exact at every commit: triggers add and take away
/// one row's count on insert, delete and every update of a column that
/// moves it (author, kind, time, assignee, due time, status, done time,
/// the trash's deleted_at), so soft delete, restore, merge, import undo and
/// reassignment, which all write those columns, keep them right. A report
/// period is cut at local midnight, not UTC's: the report reads the whole
/// UTC days inside the period here and the two partial days at its edges
/// from the base tables (SQLitePeopleReport), so every figure is the same
/// count as before. Overdue follow-ups (open, past due now) are still read
/// from the base table: their ids are what Enter lists.
///
/// - `customer_won_values`: each live customer's won value per currency
///   (its own won deals not of its company, and its company's: the
///   definition of `CustomerValueSQL.valuedCTEs`), in integer minor units.
///   The stored tiers are ranked from it (ValueTierRecompute) instead of
///   joining every won deal to its customers before each commit that
///   changes won value (about 106 ms at 100,000 contacts). Triggers with
///   the same conditions as schema 29's stale flag only mark the contacts
///   and companies a write touched (`customer_won_values_dirty`); just before
///   that COMMIT the store works those customers' sums out again from
///   their won deals and clears the marks, so the sums are exact at every
///   commit and a write pays for the customers it touched, not for all.
///
/// The People counts' insert triggers are also `InsertTrigger`s: a bulk load drops them
/// and fills the counts with one grouped statement at the end.
///
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV32ReportAggregates {
    static let sql = """
    CREATE TABLE report_interaction_days (
        author_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        day_start INTEGER NOT NULL,
        interactions INTEGER NOT NULL,
        PRIMARY KEY (author_id, kind, day_start)
    ) WITHOUT ROWID;
    INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
    SELECT author_id, kind, occurred_at - (occurred_at % 86400 + 86400) % 86400, count(*)
    FROM interactions WHERE deleted_at IS NULL AND author_id IS NOT NULL
    GROUP BY 1, 2, 3;

    CREATE TRIGGER report_interaction_days_insert AFTER INSERT ON interactions
    WHEN NEW.deleted_at IS NULL AND NEW.author_id IS NOT NULL BEGIN
        INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
        VALUES (NEW.author_id, NEW.kind, NEW.occurred_at - (NEW.occurred_at % 86400 + 86400) % 86400, 1)
        ON CONFLICT(author_id, kind, day_start) DO UPDATE SET interactions = interactions + 1;
    END;
    CREATE TRIGGER report_interaction_days_update AFTER UPDATE OF author_id, kind, occurred_at, deleted_at ON interactions
    WHEN OLD.author_id IS NOT NEW.author_id OR OLD.kind IS NOT NEW.kind OR OLD.occurred_at IS NOT NEW.occurred_at
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        UPDATE report_interaction_days SET interactions = interactions - 1
        WHERE OLD.deleted_at IS NULL AND author_id = OLD.author_id AND kind = OLD.kind
          AND day_start = OLD.occurred_at - (OLD.occurred_at % 86400 + 86400) % 86400;
        INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
        SELECT NEW.author_id, NEW.kind, NEW.occurred_at - (NEW.occurred_at % 86400 + 86400) % 86400, 1
        WHERE NEW.deleted_at IS NULL AND NEW.author_id IS NOT NULL
        ON CONFLICT(author_id, kind, day_start) DO UPDATE SET interactions = interactions + 1;
    END;
    CREATE TRIGGER report_interaction_days_delete AFTER DELETE ON interactions
    WHEN OLD.deleted_at IS NULL AND OLD.author_id IS NOT NULL BEGIN
        UPDATE report_interaction_days SET interactions = interactions - 1
        WHERE author_id = OLD.author_id AND kind = OLD.kind
          AND day_start = OLD.occurred_at - (OLD.occurred_at % 86400 + 86400) % 86400;
    END;

    CREATE TABLE report_follow_up_days (
        assignee_id INTEGER NOT NULL,
        day_start INTEGER NOT NULL,
        due INTEGER NOT NULL,
        done_on_time INTEGER NOT NULL,
        done_late INTEGER NOT NULL,
        PRIMARY KEY (assignee_id, day_start)
    ) WITHOUT ROWID;
    INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
    SELECT assignee_id, due_at - (due_at % 86400 + 86400) % 86400, count(*),
           coalesce(sum(status = 'done' AND done_at <= due_at), 0), coalesce(sum(status = 'done' AND done_at > due_at), 0)
    FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
    GROUP BY 1, 2;

    CREATE TRIGGER report_follow_up_days_insert AFTER INSERT ON follow_ups
    WHEN NEW.deleted_at IS NULL AND NEW.assignee_id IS NOT NULL AND NEW.status <> 'cancelled' BEGIN
        INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
        VALUES (NEW.assignee_id, NEW.due_at - (NEW.due_at % 86400 + 86400) % 86400, 1,
                coalesce(NEW.status = 'done' AND NEW.done_at <= NEW.due_at, 0), coalesce(NEW.status = 'done' AND NEW.done_at > NEW.due_at, 0))
        ON CONFLICT(assignee_id, day_start) DO UPDATE SET due = due + 1, done_on_time = done_on_time + excluded.done_on_time,
            done_late = done_late + excluded.done_late;
    END;
    CREATE TRIGGER report_follow_up_days_update AFTER UPDATE OF assignee_id, due_at, status, done_at, deleted_at ON follow_ups
    WHEN OLD.assignee_id IS NOT NEW.assignee_id OR OLD.due_at IS NOT NEW.due_at OR OLD.status IS NOT NEW.status
      OR OLD.done_at IS NOT NEW.done_at OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        UPDATE report_follow_up_days SET due = due - 1,
            done_on_time = done_on_time - coalesce(OLD.status = 'done' AND OLD.done_at <= OLD.due_at, 0),
            done_late = done_late - coalesce(OLD.status = 'done' AND OLD.done_at > OLD.due_at, 0)
        WHERE OLD.deleted_at IS NULL AND OLD.status <> 'cancelled' AND assignee_id = OLD.assignee_id
          AND day_start = OLD.due_at - (OLD.due_at % 86400 + 86400) % 86400;
        INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
        SELECT NEW.assignee_id, NEW.due_at - (NEW.due_at % 86400 + 86400) % 86400, 1,
               coalesce(NEW.status = 'done' AND NEW.done_at <= NEW.due_at, 0), coalesce(NEW.status = 'done' AND NEW.done_at > NEW.due_at, 0)
        WHERE NEW.deleted_at IS NULL AND NEW.assignee_id IS NOT NULL AND NEW.status <> 'cancelled'
        ON CONFLICT(assignee_id, day_start) DO UPDATE SET due = due + 1, done_on_time = done_on_time + excluded.done_on_time,
            done_late = done_late + excluded.done_late;
    END;
    CREATE TRIGGER report_follow_up_days_delete AFTER DELETE ON follow_ups
    WHEN OLD.deleted_at IS NULL AND OLD.assignee_id IS NOT NULL AND OLD.status <> 'cancelled' BEGIN
        UPDATE report_follow_up_days SET due = due - 1,
            done_on_time = done_on_time - coalesce(OLD.status = 'done' AND OLD.done_at <= OLD.due_at, 0),
            done_late = done_late - coalesce(OLD.status = 'done' AND OLD.done_at > OLD.due_at, 0)
        WHERE assignee_id = OLD.assignee_id AND day_start = OLD.due_at - (OLD.due_at % 86400 + 86400) % 86400;
    END;

    CREATE TABLE customer_won_values (
        contact_id INTEGER NOT NULL,
        currency TEXT NOT NULL,
        value_minor INTEGER NOT NULL,
        PRIMARY KEY (contact_id, currency)
    ) WITHOUT ROWID;
    INSERT INTO customer_won_values(contact_id, currency, value_minor)
    SELECT contact_id, currency, sum(value_minor) FROM (
        SELECT c.id AS contact_id, d.currency, d.value_minor
        FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
        WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
          AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id) AND coalesce(d.closed_at, 0) < 9223372036854775807
        UNION ALL
        SELECT c.id, d.currency, d.value_minor
        FROM deals d INDEXED BY deals_won_by_company
        CROSS JOIN contacts c INDEXED BY contacts_customers_by_company ON c.company_id = d.company_id
        WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
          AND coalesce(d.closed_at, 0) < 9223372036854775807)
    GROUP BY contact_id, currency;

    CREATE TABLE customer_won_values_dirty (
        kind TEXT NOT NULL CHECK (kind IN ('contact', 'company')),
        id INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE TRIGGER customer_won_values_deal_insert AFTER INSERT ON deals WHEN NEW.status = 'won' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
        SELECT 'contact', NEW.contact_id WHERE NEW.contact_id IS NOT NULL
        UNION ALL SELECT 'company', NEW.company_id WHERE NEW.company_id IS NOT NULL;
    END;
    CREATE TRIGGER customer_won_values_deal_update
    AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at ON deals
    WHEN OLD.status = 'won' OR NEW.status = 'won' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
        SELECT 'contact', OLD.contact_id WHERE OLD.contact_id IS NOT NULL
        UNION ALL SELECT 'company', OLD.company_id WHERE OLD.company_id IS NOT NULL
        UNION ALL SELECT 'contact', NEW.contact_id WHERE NEW.contact_id IS NOT NULL
        UNION ALL SELECT 'company', NEW.company_id WHERE NEW.company_id IS NOT NULL;
    END;
    CREATE TRIGGER customer_won_values_deal_delete AFTER DELETE ON deals WHEN OLD.status = 'won' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
        SELECT 'contact', OLD.contact_id WHERE OLD.contact_id IS NOT NULL
        UNION ALL SELECT 'company', OLD.company_id WHERE OLD.company_id IS NOT NULL;
    END;
    CREATE TRIGGER customer_won_values_contact_insert AFTER INSERT ON contacts WHEN NEW.lifecycle = 'customer' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id) VALUES ('contact', NEW.id);
    END;
    CREATE TRIGGER customer_won_values_contact_update AFTER UPDATE OF lifecycle, company_id, deleted_at ON contacts
    WHEN OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id) VALUES ('contact', NEW.id);
    END;
    CREATE TRIGGER customer_won_values_contact_delete AFTER DELETE ON contacts WHEN OLD.lifecycle = 'customer' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id) VALUES ('contact', OLD.id);
    END;
    """
}
