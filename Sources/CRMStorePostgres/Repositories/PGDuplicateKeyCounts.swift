import Foundation

/// The duplicates list's key counts (PGSchemaV38DuplicateKeyCounts) for a
/// bulk copy: `crm migrate` into PostgreSQL loads every row with the count
/// triggers off (one upsert per email, number and contact otherwise) and
/// counts once at the end, as the migration step fills them; the same for
/// the name groups that list a pair (step 46).
enum PGDuplicateKeyCounts {
    /// (table, trigger) of every count trigger.
    static let triggers: [(table: String, name: String)] = ["insert", "delete", "update"].flatMap { event in
        [("contact_emails", "contact_email_key_counts_\(event)"),
         ("contact_phones", "contact_phone_key_counts_\(event)"),
         ("contacts", "contact_name_key_counts_\(event)"),
         // Since step 46: which name groups list a pair.
         ("contacts", "contact_name_pairs_contact_\(event)"),
         ("contact_emails", "contact_name_pairs_email_\(event)"),
         ("contact_phones", "contact_name_pairs_phone_\(event)")]
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
        // The name groups that list a pair (step 46): only a shared name key can.
        try c.run("DELETE FROM contact_name_pairs")
        try c.run("""
            INSERT INTO contact_name_pairs(name_key, company_id)
            SELECT DISTINCT m.name_key, m.company_id FROM contact_name_key_counts k
            JOIN contact_name_pair_members m ON m.name_key = k.name_key AND m.company_id = k.company_id
            WHERE k.n > 1
            """)
        for table in ["contact_email_key_counts", "contact_phone_key_counts", "contact_name_key_counts", "contact_name_pairs"] {
            try c.run("ANALYZE \(table)")
        }
    }
}
