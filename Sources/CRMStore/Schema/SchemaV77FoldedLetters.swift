/// Version 77: letters search compares as others (SearchFold), as the
/// PostgreSQL engine always found them (its documents are folded with
/// Foundation's case and diacritic folding): ß and ẞ as "ss" (as the name
/// order sorts them), Cyrillic ё as е, Greek letters with tonos or dialytika
/// as the plain letter and final ς as σ, and the Latin ligatures (ﬁ, ﬂ, …)
/// as their letters. FTS5's unicode61 tokenizer folds only Latin diacritics,
/// so on a file "Weiss" did not find "Weiß", "Петр" not "Пётр", "δημητριου"
/// not "Δημητρίου", and "finance" not a note saying "ﬁnance".
///
/// `crm_fold` now writes them so, and every row written from now on is
/// indexed so; this step indexes again only the rows indexed before that
/// hold one. They are found through each index's vocabulary (`fts5vocab`:
/// the distinct words, not the rows, so a file of ten million interactions
/// is not read through) and their words matched, or, for the name words,
/// read directly; each is deleted from the index and written again from the
/// text it indexes, with the triggers' own expressions. Run twice, it finds
/// nothing. The re-indexed rows are few and left to FTS5's automerge.
///
/// Frozen SQL.
enum SchemaV77FoldedLetters {
    /// The letters folded since this step, in both cases where they have two.
    private static let letters = ["ß", "ẞ", "ё", "Ё", "ς",
                                  "ά", "έ", "ή", "ί", "ό", "ύ", "ώ", "ΐ", "ΰ", "ϊ", "ϋ",
                                  "Ά", "Έ", "Ή", "Ί", "Ό", "Ύ", "Ώ", "Ϊ", "Ϋ",
                                  "ﬀ", "ﬁ", "ﬂ", "ﬃ", "ﬄ", "ﬅ", "ﬆ"]

    /// True where `column` holds one of `letters`.
    private static func holdsOne(_ column: String) -> String {
        "(" + letters.map { "instr(\(column), '\($0)') > 0" }.joined(separator: " OR ") + ")"
    }

    /// The rowids of `table`'s rows with a word holding one of `letters`,
    /// into `crm_step77_ids` (a word matched as a phrase: no word holds a quote).
    private static func collect(_ table: String) -> String {
        """
        CREATE VIRTUAL TABLE temp.crm_step77_words USING fts5vocab(main, '\(table)', 'row');
        INSERT INTO crm_step77_ids(id) SELECT rowid FROM \(table) WHERE \(table) MATCH
            (SELECT coalesce(group_concat('"' || term || '"', ' OR '), '""') FROM temp.crm_step77_words
             WHERE \(holdsOne("term")));
        DROP TABLE temp.crm_step77_words;
        """
    }

    static let sql = """
    CREATE TEMP TABLE crm_step77_ids(id INTEGER PRIMARY KEY);

    \(collect("contact_fts"))
    DELETE FROM contact_fts WHERE rowid IN (SELECT id FROM crm_step77_ids);
    INSERT INTO contact_fts(rowid, name, company, emails, extra)
    SELECT id, name, company, emails, extra FROM contact_search_text WHERE id IN (SELECT id FROM crm_step77_ids);
    DELETE FROM crm_step77_ids;

    DELETE FROM contact_name_words WHERE \(holdsOne("word"));
    INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
    SELECT DISTINCT w.value, c.sort_key, c.id FROM contacts c, json_each(crm_fts_words(crm_fold(c.name))) w
    WHERE \(holdsOne("c.name")) AND c.deleted_at IS NULL AND c.sort_key IS NOT NULL;

    \(collect("company_fts"))
    DELETE FROM company_fts WHERE rowid IN (SELECT id FROM crm_step77_ids);
    INSERT INTO company_fts(rowid, name, domain, notes)
    SELECT id, crm_fold(name), crm_fold(domain), crm_fold(notes) FROM companies WHERE id IN (SELECT id FROM crm_step77_ids);
    DELETE FROM crm_step77_ids;

    \(collect("deal_fts"))
    DELETE FROM deal_fts WHERE rowid IN (SELECT id FROM crm_step77_ids);
    INSERT INTO deal_fts(rowid, title, lost_reason)
    SELECT id, crm_fold(title), crm_fold(lost_reason) FROM deals WHERE id IN (SELECT id FROM crm_step77_ids);
    DELETE FROM crm_step77_ids;

    \(collect("deal_card_fts"))
    DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM crm_step77_ids);
    INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                              contact_name, contact_company, contact_emails, contact_extra, place)
    SELECT id, title, lost_reason, company_name, company_domain, company_notes,
           contact_name, contact_company, contact_emails, contact_extra, place
    FROM deal_card_text WHERE id IN (SELECT id FROM crm_step77_ids);
    DELETE FROM crm_step77_ids;

    -- An interaction's rowid here is its time (clamped) * 2^31 + its id.
    \(collect("interaction_fts"))
    DELETE FROM interaction_fts WHERE rowid IN (SELECT id FROM crm_step77_ids);
    INSERT INTO interaction_fts(rowid, subject, body, outcome)
    SELECT x.id, crm_fold(i.subject), crm_fold(i.body), crm_fold(i.outcome)
    FROM crm_step77_ids x JOIN interactions i ON i.id = ((x.id % 2147483648) + 2147483648) % 2147483648;

    DROP TABLE crm_step77_ids;
    """
}
