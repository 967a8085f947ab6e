import Foundation

/// The duplicates list's key counts (PGSchemaV38DuplicateKeyCounts) for a
/// bulk copy: `crm migrate` into PostgreSQL loads every row with the count
/// triggers off (one upsert per email, number and contact otherwise) and
/// counts once at the end, as the migration step fills them.
enum PGDuplicateKeyCounts {
    /// (table, trigger) of every count trigger.
    static let triggers: [(table: String, name: String)] = ["insert", "delete", "update"].flatMap { event in
        [("contact_emails", "contact_email_key_counts_\(event)"),
         ("contact_phones", "contact_phone_key_counts_\(event)"),
         ("contacts", "contact_name_key_counts_\(event)")]
    }

    static func suspend(_ c: PGConnection) throws {
        for t in triggers { try c.run("ALTER TABLE \(t.table) DISABLE TRIGGER \(t.name)") }
    }

    static func resume(_ c: PGConnection) throws {
        for t in triggers { try c.run("ALTER TABLE \(t.table) ENABLE TRIGGER \(t.name)") }
    }

    /// Every count again from the rows, as step 38 first made them.
    static func rebuild(_ c: PGConnection) throws {
        try c.run("DELETE FROM contact_email_key_counts")
        try c.run("DELETE FROM contact_phone_key_counts")
        try c.run("DELETE FROM contact_name_key_counts")
        try c.run("""
            INSERT INTO contact_email_key_counts(email, n)
            SELECT \(PGDuplicates.nocase("email")), count(*) FROM contact_emails GROUP BY 1
            """)
        try c.run("""
            INSERT INTO contact_phone_key_counts(match_key, n)
            SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1
            """)
        try c.run("""
            INSERT INTO contact_name_key_counts(name_key, company_id, n)
            SELECT name_key, company_id, count(*) FROM contacts
            WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY 1, 2
            """)
        for table in ["contact_email_key_counts", "contact_phone_key_counts", "contact_name_key_counts"] {
            try c.run("ANALYZE \(table)")
        }
    }
}
