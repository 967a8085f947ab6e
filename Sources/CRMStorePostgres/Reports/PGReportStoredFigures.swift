import Foundation

/// The People and Pipeline reports' stored figures (PGSchemaV43ReportStoredFigures)
/// for a bulk copy: `crm migrate` into PostgreSQL loads every row with their
/// triggers off (a trigger call per interaction, follow-up, deal and stage
/// change otherwise) and fills them once at the end, as the step did.
enum PGReportStoredFigures {
    /// (table, trigger) of every trigger that keeps them from the copied tables.
    static let triggers: [(table: String, name: String)] =
        ["insert", "update", "delete"].map { ("interactions", "report_interaction_days_\($0)") }
        + ["insert", "update", "delete"].map { ("follow_ups", "report_follow_up_days_\($0)") }
        + ["insert", "update", "delete"].map { ("deals", "report_stage_stays_deal_\($0)") }
        + [("deal_stage_history", "report_stage_stays_history")]

    static func suspend(_ c: PGConnection) throws {
        for t in triggers { try c.run("ALTER TABLE \(t.table) DISABLE TRIGGER \(t.name)") }
    }

    static func resume(_ c: PGConnection) throws {
        for t in triggers { try c.run("ALTER TABLE \(t.table) ENABLE TRIGGER \(t.name)") }
    }

    /// All four tables again from the rows.
    static func recountAll(_ c: PGConnection) throws {
        try c.run("SELECT crm_report_recount_all()")
        // Statistics of the tables just filled, before a report plans over them.
        try c.run("ANALYZE report_interaction_days, report_follow_up_days, report_stage_stays, report_deal_seen")
    }
}
