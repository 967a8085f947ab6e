import Foundation

// The lossless copy behind `crm export all --format json` and its loader: every
// table a user can see, every row (trash included) with its ids, each column
// as stored. The engine reads and writes these rows; CRMExchange turns them
// into JSON lines and back. A column added to one of these tables by a later
// schema step must be added here too (SnapshotTests compares this list with
// the schema, so a forgotten column fails a test instead of silently not
// being copied).

/// One stored value, as the database holds it.
public enum SnapshotValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// One table of the copy: its name in the database, the `type` of its lines
/// in the file, its columns in file order, and the columns its rows are
/// ordered (and keyset-paged) by.
public struct SnapshotTable: Hashable, Sendable {
    public let name: String
    public let type: String
    public let columns: [String]
    public let key: [String]

    init(_ name: String, type: String, key: [String] = ["id"], _ columns: [String]) {
        self.name = name; self.type = type; self.key = key; self.columns = columns
    }

    /// In load order: every table after the tables its rows point to.
    /// Not copied: search indexes, sort and name keys and change counters, which the
    /// database derives again as the rows go in.
    public static let all: [SnapshotTable] = [
        SnapshotTable("users", type: "user", ["id", "login", "name", "created_at", "role", "active"]),
        SnapshotTable("shared_settings", type: "shared_setting", key: ["key"], ["key", "value"]),
        SnapshotTable("import_batches", type: "import_batch",
                      ["id", "label", "format", "user_id", "created_at", "rows_read", "created_count", "merged_count",
                       "skipped_count", "rejected_count", "companies_created", "undone_at", "undone_by"]),
        SnapshotTable("tags", type: "tag", ["id", "name"]),
        SnapshotTable("companies", type: "company",
                      ["id", "name", "domain", "phone", "address", "notes", "owner_id", "created_at", "updated_at",
                       "deleted_at", "version", "batch_id", "merged_into", "deleted_by"]),
        SnapshotTable("contacts", type: "contact",
                      ["id", "name", "title", "company_id", "owner_id", "lifecycle", "source", "notes",
                       "last_interaction_at", "created_at", "updated_at", "deleted_at", "version", "batch_id", "merged_into",
                       "deleted_by", "cadence_days", "attention_snoozed_until", "uid"]),
        SnapshotTable("contact_emails", type: "contact_email", ["id", "contact_id", "email", "label", "position"]),
        SnapshotTable("contact_phones", type: "contact_phone",
                      ["id", "contact_id", "number", "digits", "e164", "label", "position"]),
        SnapshotTable("contact_tags", type: "contact_tag", key: ["contact_id", "tag_id"], ["contact_id", "tag_id"]),
        SnapshotTable("import_merges", type: "import_merge",
                      ["id", "batch_id", "contact_id", "before", "added_emails", "added_phones", "added_tags", "version_after"]),
        SnapshotTable("pipelines", type: "pipeline", ["id", "name", "position", "created_at", "deleted_at", "version"]),
        SnapshotTable("stages", type: "stage",
                      ["id", "pipeline_id", "name", "position", "probability", "kind", "rot_days", "deleted_at", "version"]),
        SnapshotTable("deals", type: "deal",
                      ["id", "pipeline_id", "stage_id", "title", "value_minor", "currency", "expected_close", "owner_id",
                       "contact_id", "company_id", "status", "lost_reason", "stage_entered_at", "position", "created_at",
                       "updated_at", "closed_at", "deleted_at", "version", "deleted_by"]),
        SnapshotTable("deal_stage_history", type: "deal_stage_change",
                      ["id", "deal_id", "from_stage_id", "to_stage_id", "changed_at", "changed_by"]),
        SnapshotTable("contact_lifecycle_history", type: "lifecycle_change",
                      ["id", "contact_id", "from_lifecycle", "to_lifecycle", "changed_at", "changed_by"]),
        SnapshotTable("interactions", type: "interaction",
                      ["id", "contact_id", "company_id", "deal_id", "kind", "direction", "occurred_at", "duration_s",
                       "outcome", "subject", "body", "author_id", "created_at", "deleted_at", "version", "message_id", "deleted_by"]),
        SnapshotTable("follow_ups", type: "follow_up",
                      ["id", "contact_id", "deal_id", "assignee_id", "title", "note", "due_at", "status", "done_at",
                       "created_by", "created_at", "updated_at", "deleted_at", "version", "cancel_reason", "deleted_by"]),
        SnapshotTable("trash_links", type: "trash_link",
                      ["id", "entity", "entity_id", "link", "dependent", "dependent_id", "note"]),
        SnapshotTable("audit_log", type: "audit", ["id", "at", "user_id", "entity", "entity_id", "action", "changes"]),
        SnapshotTable("handovers", type: "handover", ["id", "at", "by_user_id", "from_user_id", "deactivated", "undone_at"]),
        SnapshotTable("handover_items", type: "handover_item", key: ["handover_id", "entity", "entity_id"],
                      ["handover_id", "entity", "entity_id", "to_user_id", "version_after"]),
    ]

    public static func named(type: String) -> SnapshotTable? { all.first { $0.type == type } }

    /// Columns the database derives from a row's own values (by trigger
    /// when a row comes without them), so the copy leaves them out: sort
    /// keys, and the keys the duplicate check compares.
    public static let derivedColumns: Set<String> = [
        "contacts.sort_key", "companies.sort_key",
        "contacts.name_key", "companies.name_key", "contact_phones.match_key",
        // Recomputed from the won deals before the load commits (schema 29).
        "contacts.value_tier",
        // Each lifecycle change's spans and its contact's owner and trash
        // time, kept by trigger from the rows and the contacts (SQLite's schema 68).
        "contact_lifecycle_history.previous_at", "contact_lifecycle_history.next_at",
        "contact_lifecycle_history.contact_owner_id", "contact_lifecycle_history.contact_deleted_at",
    ]

    /// Tables the database derives from other tables' rows by trigger, like
    /// the full-text indexes, so the copy leaves them out: the words of
    /// contacts' names in name order (schema 25), and the People report's
    /// per-day counts and the won value per customer (schema 32), the
    /// Pipeline report's stays and furthest stages (schema 35).
    public static let derivedTables: Set<String> = ["contact_name_words", "value_tier_state",
                                                    "report_interaction_days", "report_follow_up_days",
                                                    "customer_won_values", "customer_won_values_dirty",
                                                    "report_stage_stays", "report_deal_reach",
                                                    // The stages each deal entered, in place of its reach (schema 56).
                                                    "report_deal_seen",
                                                    // The duplicates list's key counts (schema 36).
                                                    "contact_email_key_counts", "contact_phone_key_counts",
                                                    "contact_name_key_counts",
                                                    // The Customers report's interactions per contact (schema 40).
                                                    "contact_year_window", "contact_year_interactions",
                                                    // The name groups that list a duplicate pair (schema 46).
                                                    "contact_name_pairs",
                                                    // The Customers report's ranking keys (schema 48).
                                                    "customer_rank_keys",
                                                    // The board's column totals (SQLite schema 52, PostgreSQL 60).
                                                    "deal_board_totals",
                                                    // The at-risk list's activity per customer (schema 55).
                                                    "customer_activity_window", "customer_activity"]
}

/// One row of one table: `values` in the order of `table.columns`.
public struct SnapshotRow: Hashable, Sendable {
    public let table: SnapshotTable
    public var values: [SnapshotValue]
    /// Where the row came from (a line of a file), for messages; 0 when unknown.
    public var line: Int
    /// Columns the file did not have (a copy made before a later schema step
    /// added them): loaded with the column's default, not with `values`.
    public var absent: Set<String>

    public init(table: SnapshotTable, values: [SnapshotValue], line: Int = 0, absent: Set<String> = []) {
        self.table = table; self.values = values; self.line = line; self.absent = absent
    }

    /// The key values, for the next keyset page.
    public var key: [SnapshotValue] {
        table.key.map { name in values[table.columns.firstIndex(of: name)!] }
    }
}

/// What a load put in, per table type, in load order.
public struct SnapshotLoadResult: Hashable, Sendable {
    public var counts: [(type: String, rows: Int)]
    public var total: Int { counts.reduce(0) { $0 + $1.rows } }

    public init(counts: [(type: String, rows: Int)]) { self.counts = counts }

    public static func == (a: Self, b: Self) -> Bool { a.counts.elementsEqual(b.counts) { $0 == $1 } }
    public func hash(into hasher: inout Hasher) { for c in counts { hasher.combine(c.type); hasher.combine(c.rows) } }
}

/// Why a lossless copy cannot be loaded; nothing of it was written.
public enum SnapshotLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database already holds records (of these tables): a copy goes into
    /// an empty database only, so its ids cannot collide with anything.
    case notEmpty(tables: [String])
    /// A row the database refuses (a missing reference, a value out of
    /// range, rows out of order), with the line it came from.
    case badRow(line: Int, type: String, message: String)
    /// A row points to one the file does not have (checked when every row is
    /// in, since rows may point forward: a merged contact to its survivor).
    case missingReference(type: String, id: Int64?, refersTo: String)
    /// The copy was taken at a newer schema than this program knows.
    case schemaTooNew(found: Int, supported: Int)
    /// The connection to the target was lost during the load: the copy was
    /// one transaction, so nothing of it is there (the source is not at fault).
    case connectionLost

    public var description: String {
        switch self {
        case .notEmpty(let tables):
            "the database is not empty (it has \(tables.joined(separator: ", "))); a full copy is loaded only into a new, empty database"
        case .badRow(let line, let type, let message):
            // A row read from a database (crm migrate) has no line.
            line > 0 ? "line \(line) (\(type)): \(message)" : "a \(type): \(message)"
        case .missingReference(let type, let id, let table):
            "the \(type)\(id.map { " with id \($0)" } ?? "") refers to a row of \(table) that is not in the file"
        case .schemaTooNew(let found, let supported):
            "the copy was made at schema version \(found), newer than this crm's \(supported); use a newer crm"
        case .connectionLost:
            "the connection to the server was lost while copying; the copy is one transaction, so nothing of it was kept: run the same command again"
        }
    }
}
