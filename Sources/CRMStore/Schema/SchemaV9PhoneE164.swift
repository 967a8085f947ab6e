/// Version 9: every phone number also in its international form, E.164
/// digits with the country code ("491719936679" for "0171 9936679" read as
/// German), so "+49 171 9936679", "0049…" and "0171…" find one another.
///
/// `contact_phones.e164`: the E.164 digits; '' when the number has none (too
/// short, or a national number the region's rules do not fit); NULL while it
/// is not worked out yet. It is worked out in Swift (`PhoneNumber.storedE164`,
/// with the numbering table in CRMCore), except for what needs no region:
/// a number typed with `+` or `00` carries its country, and its digits
/// (stored without the `+`/`00`) are its E.164 form; the step's UPDATE fills
/// those (the plain ASCII ones with at least 7 digits and no "(0)": the
/// same value Swift gives them). The national numbers need the region from
/// the settings, which a frozen step cannot know: they stay NULL, and
/// `PhoneE164Fill` fills them the first time a crm with a
/// `phone_region` opens the file for writing (one transaction, only rows
/// still NULL: deterministic for a region, and a second run finds nothing).
/// New rows are written with their value at once (NULL only for a national
/// number written without a region).
///
/// `contact_phones_by_e164`: a number typed with its country (`+49 171`) is
/// looked up as a range of this index (every E.164 form that begins so), and
/// the pending (NULL) rows are found with it.
/// `phone_e164_fts`: the same trigram index as `phone_fts`, over `e164`, for
/// a run of digits anywhere in it.
/// Independent of step 8 (letter folding in the text FTS tables): it touches
/// neither those tables nor their triggers. Frozen SQL.
enum SchemaV9PhoneE164 {
    static let sql = """
    ALTER TABLE contact_phones ADD COLUMN e164 TEXT;
    CREATE INDEX contact_phones_by_e164 ON contact_phones(e164);
    CREATE VIRTUAL TABLE phone_e164_fts USING fts5(e164, tokenize = 'trigram');
    CREATE TRIGGER contact_phones_e164_fts_insert AFTER INSERT ON contact_phones WHEN NEW.e164 <> '' BEGIN
        INSERT INTO phone_e164_fts(rowid, e164) VALUES (NEW.id, NEW.e164);
    END;
    CREATE TRIGGER contact_phones_e164_fts_update AFTER UPDATE OF e164 ON contact_phones BEGIN
        DELETE FROM phone_e164_fts WHERE rowid = OLD.id;
        INSERT INTO phone_e164_fts(rowid, e164) SELECT NEW.id, NEW.e164 WHERE NEW.e164 <> '';
    END;
    CREATE TRIGGER contact_phones_e164_fts_delete AFTER DELETE ON contact_phones BEGIN
        DELETE FROM phone_e164_fts WHERE rowid = OLD.id;
    END;
    UPDATE contact_phones SET e164 = digits
    WHERE (ltrim(number, ' ()-./') LIKE '+%' OR ltrim(number, ' ()-./') LIKE '00%')
      AND instr(number, '(0)') = 0 AND length(digits) >= 7 AND digits NOT LIKE '0%';
    """
}
