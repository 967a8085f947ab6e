/// Version 29: customer value tiers (A/B/C) stored on the contact, so the
/// contact list filters by tier, caller lookup shows it and Needs attention
/// applies `cadence.tier.A = 7` from an index, like the lifecycle rules.
///
/// A tier depends on every customer's won value at once (a cumulative
/// share), so no row can keep its own tier in step by itself. The triggers
/// here only mark the tiers stale (one flag row) when something they depend
/// on changes: a won deal's status, value, currency, contact, company or
/// deletion, or a customer's lifecycle, company or deletion. The store
/// recomputes every tier in one set-based statement just before the COMMIT
/// of the transaction that set the flag (see ValueTierRecompute), so the
/// tiers always match the data they are committed with:
/// - two users writing at once are serialised by SQLite's write lock
///   (BEGIN IMMEDIATE); the second recomputes with the first one's deals
///   already in, so the last commit always leaves the right tiers;
/// - a bulk load of 30,000 deals recomputes once, not once per row;
/// - an edit that does not touch won value (a note, a stage move of an
///   open deal) costs one read of the flag and nothing more.
///
/// The row also keeps the shares and rates the tiers were made with
/// (`ValueTierPolicy.key`): a writer that opens the file with other
/// settings works the tiers out again with its own.
///
/// contacts_customers_by_company holds every live customer with what the
/// report reads of them (company, owner, last touch, creation, tier, own
/// cadence): the
/// report and the recompute read 35,000 customers from it instead of
/// looking up each row, and find a company's customers in it.
///
/// Two partial covering indexes serve the tier rules of Needs attention
/// like contacts_attention_by_lifecycle serves the stage rules; one more
/// serves the contact list's tier filter in name order. Two partial
/// indexes on won deals let the Customers report and the recompute sum won
/// value per contact and per company without reading the deals table.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN, CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV29ValueTiers {
    static let sql = """
    ALTER TABLE contacts ADD COLUMN value_tier TEXT CHECK (value_tier IN ('A', 'B', 'C'));
    CREATE INDEX contacts_by_tier ON contacts(value_tier, sort_key, id) WHERE deleted_at IS NULL AND value_tier IS NOT NULL;
    CREATE INDEX contacts_attention_by_tier
        ON contacts(value_tier, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        WHERE deleted_at IS NULL AND cadence_days IS NULL AND value_tier IS NOT NULL;
    CREATE INDEX contacts_attention_by_owner_tier
        ON contacts(owner_id, value_tier, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        WHERE deleted_at IS NULL AND cadence_days IS NULL AND value_tier IS NOT NULL;
    CREATE INDEX contacts_customers_by_company
        ON contacts(company_id, id, owner_id, last_interaction_at, created_at, value_tier, cadence_days)
        WHERE deleted_at IS NULL AND lifecycle = 'customer';
    CREATE INDEX deals_won_by_contact ON deals(contact_id, company_id, currency, value_minor, closed_at)
        WHERE deleted_at IS NULL AND status = 'won';
    CREATE INDEX deals_won_by_company ON deals(company_id, currency, value_minor, closed_at)
        WHERE deleted_at IS NULL AND status = 'won';

    CREATE TABLE value_tier_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        stale INTEGER NOT NULL DEFAULT 1,
        policy TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO value_tier_state(id, stale) VALUES (1, 1);

    CREATE TRIGGER value_tier_stale_deal_insert AFTER INSERT ON deals WHEN NEW.status = 'won'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    CREATE TRIGGER value_tier_stale_deal_update
    AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at ON deals
    WHEN OLD.status = 'won' OR NEW.status = 'won'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    CREATE TRIGGER value_tier_stale_deal_delete AFTER DELETE ON deals WHEN OLD.status = 'won'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    CREATE TRIGGER value_tier_stale_contact_insert AFTER INSERT ON contacts WHEN NEW.lifecycle = 'customer'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    CREATE TRIGGER value_tier_stale_contact_update AFTER UPDATE OF lifecycle, company_id, deleted_at ON contacts
    WHEN OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    CREATE TRIGGER value_tier_stale_contact_delete AFTER DELETE ON contacts WHEN OLD.lifecycle = 'customer'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;
    """
}
