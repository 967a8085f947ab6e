import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A real SQLite file in a fresh temporary folder, removed after the test.
final class TempFolder {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

extension XCTestCase {
    /// Opens a new database file acting as `login`; the folder lives as long as the test.
    func makeDatabase(login: String = "tester", file: String = "crm.db") throws -> (Database, TempFolder) {
        let folder = TempFolder()
        return (try Database(path: folder.path(file), login: login), folder)
    }
}

/// `text` from the first `from` up to `to` (or its end): a piece of a shipped step for an undo.
private func slice(_ text: String, from: String, to: String?) -> String {
    let start = text.range(of: from)!.lowerBound
    let end = to.flatMap { text.range(of: $0, range: start ..< text.endIndex)?.lowerBound } ?? text.endIndex
    return String(text[start ..< end]) + "\n"
}

/// Takes a file at the latest schema back to `version` for an upgrade test:
/// undoes what later steps added that would not apply twice (a step that
/// adds a column or table), then sets `user_version`. The data stays.
func rewindSchema(_ connection: Connection, to version: Int) throws {
    let undo: [Int: String] = [
        // Step 81 added the contacts' uid.
        81: "ALTER TABLE contacts DROP COLUMN uid;",
        // Step 68 added the history's span columns, their triggers and indexes.
        68: """
        DROP TRIGGER lifecycle_spans_insert;
        DROP TRIGGER lifecycle_spans_delete;
        DROP TRIGGER lifecycle_spans_update;
        DROP TRIGGER lifecycle_spans_contact;
        DROP INDEX contact_lifecycle_departures;
        DROP INDEX contact_lifecycle_conversions;
        DROP INDEX contact_lifecycle_history_by_time;
        CREATE INDEX contact_lifecycle_history_by_time ON contact_lifecycle_history(changed_at, to_lifecycle);
        ALTER TABLE contact_lifecycle_history DROP COLUMN previous_at;
        ALTER TABLE contact_lifecycle_history DROP COLUMN next_at;
        ALTER TABLE contact_lifecycle_history DROP COLUMN contact_owner_id;
        ALTER TABLE contact_lifecycle_history DROP COLUMN contact_deleted_at;
        """,
        // Step 66 made the counting triggers again without stage changes, and
        // the time index with the kind: the ones before.
        66: """
        DROP INDEX interactions_by_time;
        CREATE INDEX interactions_by_time ON interactions(occurred_at, id, contact_id) WHERE deleted_at IS NULL;
        DROP TRIGGER contact_year_interactions_insert;
        DROP TRIGGER contact_year_interactions_update;
        DROP TRIGGER contact_year_interactions_delete;
        DROP TRIGGER customer_activity_interaction_insert;
        DROP TRIGGER customer_activity_interaction_update;
        DROP TRIGGER customer_activity_interaction_delete;
        DROP TRIGGER customer_activity_contact_insert;
        DROP TRIGGER customer_activity_contact_update;
        """ + slice(SchemaV40CustomerYearInteractions.sql, from: "CREATE TRIGGER contact_year_interactions_insert", to: nil)
            + slice(SchemaV55CustomerActivity.sql, from: "CREATE TRIGGER customer_activity_interaction_insert",
                    to: "CREATE TRIGGER customer_activity_contact_delete"),
        // Step 65 made the interactions' time index again with the contact: the one before.
        65: """
        DROP INDEX interactions_by_time;
        CREATE INDEX interactions_by_time ON interactions(occurred_at, id) WHERE deleted_at IS NULL;
        """,
        // Step 62 added closed_at to two shipped triggers: theirs back.
        62: """
        DROP TRIGGER customer_won_values_deal_update;
        DROP TRIGGER value_tier_stale_deal_update;
        """ + slice(SchemaV32ReportAggregates.sql, from: "CREATE TRIGGER customer_won_values_deal_update",
                    to: "CREATE TRIGGER customer_won_values_deal_delete")
            + slice(SchemaV29ValueTiers.sql, from: "CREATE TRIGGER value_tier_stale_deal_update",
                    to: "CREATE TRIGGER value_tier_stale_deal_delete"),
        54: """
        DROP TRIGGER customer_rank_keys_since_insert;
        DROP TRIGGER customer_rank_keys_since_history_insert;
        DROP TRIGGER customer_rank_keys_since_history_delete;
        DROP TRIGGER customer_rank_keys_since_history_update;
        DROP TRIGGER customer_rank_keys_since_created;
        DROP INDEX customer_rank_keys_by_since;
        ALTER TABLE customer_rank_keys DROP COLUMN since;
        DROP INDEX customer_won_values_by_value;
        ALTER TABLE customer_won_values DROP COLUMN deals_year;
        CREATE INDEX customer_won_values_by_value ON customer_won_values(currency, value_minor, contact_id);
        """,
        55: """
        DROP TRIGGER customer_activity_interaction_insert;
        DROP TRIGGER customer_activity_interaction_update;
        DROP TRIGGER customer_activity_interaction_delete;
        DROP TRIGGER customer_activity_contact_insert;
        DROP TRIGGER customer_activity_contact_update;
        DROP TRIGGER customer_activity_contact_delete;
        DROP TABLE customer_activity;
        DROP TABLE customer_activity_window;
        """,
        // Step 56 replaced the reach of steps 35 and 47 by the stages seen:
        // their shipped definitions back, from the frozen steps themselves.
        56: """
        DROP TRIGGER report_stage_stays_history_insert;
        DROP TRIGGER report_stage_stays_history_update;
        DROP TRIGGER report_stage_stays_history_delete;
        DROP TRIGGER report_stage_stays_deal_insert;
        DROP TRIGGER report_stage_stays_deal_update;
        DROP TRIGGER report_stage_stays_deal_delete;
        DROP TABLE report_deal_seen;
        """ + slice(SchemaV35ReportStageStays.sql, from: "CREATE TRIGGER report_stage_stays_history_insert",
                    to: "CREATE TRIGGER report_deal_reach_stage_update")
            + slice(SchemaV35ReportStageStays.sql, from: "CREATE TRIGGER report_deal_reach_stage_delete", to: nil)
            + slice(SchemaV47StageMoveReach.sql, from: "CREATE TRIGGER report_deal_reach_stage_kind", to: nil),
        48: """
        DROP TRIGGER customer_rank_keys_contact_insert;
        DROP TRIGGER customer_rank_keys_contact_update;
        DROP TRIGGER customer_rank_keys_contact_delete;
        DROP TRIGGER customer_rank_keys_year_insert;
        DROP TRIGGER customer_rank_keys_year_update;
        DROP TRIGGER customer_rank_keys_year_delete;
        DROP TRIGGER customer_rank_keys_value_insert;
        DROP TRIGGER customer_rank_keys_value_update;
        DROP TRIGGER customer_rank_keys_value_delete;
        DROP TABLE customer_rank_keys;
        DROP INDEX customer_won_values_by_value;
        DROP INDEX customer_won_values_by_rank;
        ALTER TABLE customer_won_values DROP COLUMN tier;
        ALTER TABLE customer_won_values DROP COLUMN last_won;
        ALTER TABLE customer_won_values DROP COLUMN deals;
        """,
        57: """
        DROP INDEX follow_ups_by_assignee;
        CREATE INDEX follow_ups_by_assignee ON follow_ups(assignee_id, status, due_at, id) WHERE deleted_at IS NULL;
        DROP INDEX follow_ups_by_due;
        CREATE INDEX follow_ups_by_due ON follow_ups(status, due_at, id) WHERE deleted_at IS NULL;
        """,
        53: """
        DROP INDEX interactions_by_contact_key;
        DROP INDEX interactions_by_company_key;
        DROP INDEX follow_ups_by_contact_key;
        DROP INDEX deals_by_contact_key;
        DROP INDEX deals_by_company_key;
        DROP INDEX contacts_by_company_key;
        DROP INDEX contacts_by_merged_into;
        DROP INDEX companies_by_merged_into;
        """,
        52: """
        DROP TRIGGER deal_board_totals_insert;
        DROP TRIGGER deal_board_totals_delete;
        DROP TRIGGER deal_board_totals_update;
        DROP TABLE deal_board_totals;
        DROP INDEX deals_board_owner_cards;
        """,
        47: """
        DROP TRIGGER report_deal_reach_stage_kind;
        DROP TRIGGER report_deal_reach_stage_position;
        DROP INDEX deal_stage_history_by_to_stage;
        CREATE TRIGGER report_deal_reach_stage_update AFTER UPDATE OF position, kind ON stages
        WHEN OLD.position IS NOT NEW.position OR OLD.kind IS NOT NEW.kind BEGIN
            INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
            SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                       WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                             coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
            FROM deals d
            WHERE d.id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = NEW.id) OR d.stage_id = NEW.id;
        END;
        """,
        45: """
        DROP INDEX deals_by_stage_position;
        DROP INDEX deals_lost_reasons;
        DROP INDEX deals_board_by_owner;
        DROP INDEX deals_board_totals;
        CREATE INDEX deals_board_totals ON deals(pipeline_id, status, stage_id, currency, value_minor) WHERE deleted_at IS NULL;
        """,
        46: """
        DROP TRIGGER contact_name_pairs_contact_insert;
        DROP TRIGGER contact_name_pairs_contact_delete;
        DROP TRIGGER contact_name_pairs_contact_update;
        DROP TRIGGER contact_name_pairs_email_insert;
        DROP TRIGGER contact_name_pairs_email_delete;
        DROP TRIGGER contact_name_pairs_email_update;
        DROP TRIGGER contact_name_pairs_phone_insert;
        DROP TRIGGER contact_name_pairs_phone_delete;
        DROP TRIGGER contact_name_pairs_phone_update;
        DROP TABLE contact_name_pairs;
        DROP VIEW contact_name_pair_members;
        """,
        40: """
        DROP TRIGGER contact_year_interactions_insert;
        DROP TRIGGER contact_year_interactions_update;
        DROP TRIGGER contact_year_interactions_delete;
        DROP TABLE contact_year_interactions;
        DROP TABLE contact_year_window;
        """,
        36: """
        DROP TRIGGER contact_email_key_counts_insert;
        DROP TRIGGER contact_email_key_counts_delete;
        DROP TRIGGER contact_email_key_counts_update;
        DROP TABLE contact_email_key_counts;
        DROP TRIGGER contact_phone_key_counts_insert;
        DROP TRIGGER contact_phone_key_counts_delete;
        DROP TRIGGER contact_phone_key_counts_update;
        DROP TABLE contact_phone_key_counts;
        DROP TRIGGER contact_name_key_counts_insert;
        DROP TRIGGER contact_name_key_counts_delete;
        DROP TRIGGER contact_name_key_counts_update;
        DROP TABLE contact_name_key_counts;
        """,
        35: """
        DROP TRIGGER report_stage_stays_history_insert;
        DROP TRIGGER report_stage_stays_history_update;
        DROP TRIGGER report_stage_stays_history_delete;
        DROP TRIGGER report_stage_stays_deal_insert;
        DROP TRIGGER report_stage_stays_deal_update;
        DROP TRIGGER report_stage_stays_deal_delete;
        DROP TRIGGER report_deal_reach_stage_update;
        DROP TRIGGER report_deal_reach_stage_delete;
        DROP TABLE report_stage_stays;
        DROP TABLE report_deal_reach;
        """,
        32: """
        DROP TRIGGER report_interaction_days_insert;
        DROP TRIGGER report_interaction_days_update;
        DROP TRIGGER report_interaction_days_delete;
        DROP TABLE report_interaction_days;
        DROP TRIGGER report_follow_up_days_insert;
        DROP TRIGGER report_follow_up_days_update;
        DROP TRIGGER report_follow_up_days_delete;
        DROP TABLE report_follow_up_days;
        DROP TRIGGER customer_won_values_deal_insert;
        DROP TRIGGER customer_won_values_deal_update;
        DROP TRIGGER customer_won_values_deal_delete;
        DROP TRIGGER customer_won_values_contact_insert;
        DROP TRIGGER customer_won_values_contact_update;
        DROP TRIGGER customer_won_values_contact_delete;
        DROP TABLE customer_won_values;
        DROP TABLE customer_won_values_dirty;
        """,
        29: """
        DROP TRIGGER value_tier_stale_deal_insert;
        DROP TRIGGER value_tier_stale_deal_update;
        DROP TRIGGER value_tier_stale_deal_delete;
        DROP TRIGGER value_tier_stale_contact_insert;
        DROP TRIGGER value_tier_stale_contact_update;
        DROP TRIGGER value_tier_stale_contact_delete;
        DROP TABLE value_tier_state;
        DROP INDEX contacts_customers_by_company;
        DROP INDEX deals_won_by_contact;
        DROP INDEX deals_won_by_company;
        DROP INDEX contacts_by_tier;
        DROP INDEX contacts_attention_by_tier;
        DROP INDEX contacts_attention_by_owner_tier;
        ALTER TABLE contacts DROP COLUMN value_tier;
        """,
        18: """
        DROP INDEX contacts_by_own_cadence;
        DROP INDEX contacts_by_attention_snooze;
        DROP INDEX contacts_attention_by_lifecycle;
        DROP INDEX contacts_attention_by_owner_lifecycle;
        ALTER TABLE contacts DROP COLUMN cadence_days;
        ALTER TABLE contacts DROP COLUMN attention_snoozed_until;
        """,
        14: """
        DROP TABLE import_merges;
        DROP INDEX contacts_by_batch;
        DROP INDEX companies_by_batch;
        ALTER TABLE contacts DROP COLUMN batch_id;
        ALTER TABLE companies DROP COLUMN batch_id;
        DROP TABLE import_batches;
        """,
        19: """
        DROP INDEX follow_ups_by_due_any_status;
        ALTER TABLE follow_ups DROP COLUMN cancel_reason;
        """,
        27: """
        DROP INDEX deals_by_created;
        DROP INDEX deals_by_closed;
        DROP INDEX deals_open_by_close;
        DROP INDEX deal_stage_history_by_time;
        """,
        28: """
        DROP INDEX deals_by_status_closed;
        DROP INDEX interactions_by_author_kind_time;
        DROP INDEX follow_ups_by_assignee_due;
        """,
        31: """
        DROP INDEX deals_report_by_status;
        DROP INDEX deals_report_by_created;
        DROP INDEX deal_stage_history_by_deal_stage;
        DROP INDEX deal_stage_history_moves_by_time;
        """,
        33: """
        DROP TRIGGER deals_fts_delete;
        DROP TRIGGER companies_fts_delete;
        DROP TRIGGER deals_card_fts_insert;
        DROP TRIGGER deals_card_fts_update;
        DROP TRIGGER deals_card_fts_delete;
        DROP TRIGGER contacts_card_fts_update;
        DROP TRIGGER contact_emails_card_fts_insert;
        DROP TRIGGER contact_emails_card_fts_delete;
        DROP TRIGGER contact_tags_card_fts_insert;
        DROP TRIGGER contact_tags_card_fts_delete;
        DROP TRIGGER companies_card_fts_update;
        DROP TABLE deal_card_fts;
        DROP VIEW deal_card_text;
        """,
        30: """
        DROP INDEX interactions_by_kind_time;
        DROP INDEX deals_closed_by_time;
        DROP TRIGGER interactions_fts_insert;
        DROP TRIGGER interactions_fts_update;
        DROP TRIGGER interactions_fts_delete;
        CREATE VIRTUAL TABLE interaction_fts_v8 USING fts5(
            subject, body, outcome,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
        );
        INSERT INTO interaction_fts_v8(rowid, subject, body, outcome) SELECT rowid & 2147483647, subject, body, outcome FROM interaction_fts;
        DROP TABLE interaction_fts;
        ALTER TABLE interaction_fts_v8 RENAME TO interaction_fts;
        CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN NEW.kind != 'stage' BEGIN
            INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
        END;
        CREATE TRIGGER interactions_fts_update AFTER UPDATE OF subject, body, outcome ON interactions WHEN NEW.kind != 'stage' BEGIN
            DELETE FROM interaction_fts WHERE rowid = NEW.id;
            INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
        END;
        """,
        25: """
        DROP TRIGGER contacts_name_words_insert;
        DROP TRIGGER contacts_name_words_update;
        DROP TRIGGER contacts_name_words_delete;
        DROP TABLE contact_name_words;
        """,
        24: """
        DROP TRIGGER contacts_lifecycle_history;
        DROP TABLE contact_lifecycle_history;
        """,
        23: """
        DROP TABLE trash_links;
        DROP INDEX companies_in_trash;
        DROP INDEX contacts_in_trash;
        DROP INDEX deals_in_trash;
        DROP INDEX interactions_in_trash;
        DROP INDEX follow_ups_in_trash;
        ALTER TABLE companies DROP COLUMN deleted_by;
        ALTER TABLE contacts DROP COLUMN deleted_by;
        ALTER TABLE deals DROP COLUMN deleted_by;
        ALTER TABLE interactions DROP COLUMN deleted_by;
        ALTER TABLE follow_ups DROP COLUMN deleted_by;
        """,
        21: """
        DROP TABLE handover_items;
        DROP TABLE handovers;
        DROP TABLE shared_settings;
        ALTER TABLE users DROP COLUMN active;
        ALTER TABLE users DROP COLUMN role;
        """,
        15: """
        DROP INDEX interactions_by_message_id;
        ALTER TABLE interactions DROP COLUMN message_id;
        """,
        13: """
        DROP TRIGGER contacts_name_key_insert;
        DROP TRIGGER contacts_name_key_update;
        DROP TRIGGER companies_name_key_insert;
        DROP TRIGGER companies_name_key_update;
        DROP INDEX contacts_by_name_key;
        DROP INDEX companies_by_name_key;
        DROP INDEX companies_by_domain;
        DROP INDEX contact_phones_by_match;
        DROP TRIGGER contact_phones_match_key_insert;
        DROP TRIGGER contact_phones_match_key_update;
        ALTER TABLE contact_phones DROP COLUMN match_key;
        DROP INDEX contact_emails_by_email;
        CREATE INDEX contact_emails_by_email ON contact_emails(email COLLATE NOCASE);
        ALTER TABLE contacts DROP COLUMN name_key;
        ALTER TABLE contacts DROP COLUMN merged_into;
        ALTER TABLE companies DROP COLUMN name_key;
        ALTER TABLE companies DROP COLUMN merged_into;
        """,
        12: """
        DROP INDEX contacts_live_by_id;
        DROP INDEX contact_phones_by_e164_contact;
        CREATE INDEX contact_phones_by_e164 ON contact_phones(e164);
        """,
        11: """
        DROP TRIGGER contacts_sort_key_insert;
        DROP TRIGGER contacts_sort_key_update;
        DROP TRIGGER companies_sort_key_insert;
        DROP TRIGGER companies_sort_key_update;
        DROP INDEX contacts_by_name;
        DROP INDEX contacts_by_company;
        DROP INDEX contacts_by_owner;
        DROP INDEX contacts_by_lifecycle;
        DROP INDEX companies_by_name;
        ALTER TABLE contacts DROP COLUMN sort_key;
        ALTER TABLE companies DROP COLUMN sort_key;
        CREATE INDEX contacts_by_name ON contacts(name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
        CREATE INDEX contacts_by_company ON contacts(company_id, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
        CREATE INDEX contacts_by_owner ON contacts(owner_id, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
        CREATE INDEX contacts_by_lifecycle ON contacts(lifecycle, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
        CREATE INDEX companies_by_name ON companies(name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
        """,
        9: """
        DROP TRIGGER contact_phones_e164_fts_insert;
        DROP TRIGGER contact_phones_e164_fts_update;
        DROP TRIGGER contact_phones_e164_fts_delete;
        DROP TABLE phone_e164_fts;
        DROP INDEX contact_phones_by_e164;
        ALTER TABLE contact_phones DROP COLUMN e164;
        """,
    ]
    for step in undo.keys.sorted(by: >) where step > version {
        try connection.execute(undo[step]!)
    }
    try connection.execute("PRAGMA user_version = \(version)")
}
