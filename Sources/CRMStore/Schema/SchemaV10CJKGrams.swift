/// Version 10: words inside CJK text. `crm_fold` (SearchFold.indexed) now
/// appends, for text with Han, Kana or Hangul characters, the overlapping
/// bigrams and the single characters of every CJK run ("李秀英" → "… 李秀
/// 秀英 李 秀 英"), so "秀英" finds 李秀英 and "演示" finds a note
/// "客户希望下周安排演示。" (SearchQuery turns a query's CJK run into the
/// phrase of its bigrams). Text without CJK indexes exactly what it did.
///
/// The triggers, the contact search view and BulkLoader's backfills already
/// index `crm_fold(...)`, so they stay as they are; only rows indexed before
/// hold the old value. This step re-indexes just those: the rows whose stored
/// FTS values differ from what `crm_fold` gives now (on most files a few
/// Chinese, Japanese or Korean names and notes among many others) are deleted
/// from the index and inserted again. Run twice, it finds nothing to do.
/// The re-inserted rows land in new FTS segments, which made every other
/// name search about 10% slower on a 100k-contact file until merged; the
/// contact, company and deal indexes are therefore merged into one segment
/// at the end (0.7 s for 100k contacts). The interaction index (a million
/// rows) is left to automerge: merging it would cost more than the step.
///
/// Frozen SQL.
enum SchemaV10CJKGrams {
    static let sql = """
    DELETE FROM contact_fts WHERE rowid IN (
        SELECT v.id FROM contact_search_text v JOIN contact_fts f ON f.rowid = v.id
        WHERE f.name IS NOT v.name OR f.company IS NOT v.company OR f.emails IS NOT v.emails OR f.extra IS NOT v.extra);
    INSERT INTO contact_fts(rowid, name, company, emails, extra)
    SELECT id, name, company, emails, extra FROM contact_search_text
    WHERE id NOT IN (SELECT rowid FROM contact_fts);

    DELETE FROM company_fts WHERE rowid IN (
        SELECT c.id FROM companies c JOIN company_fts f ON f.rowid = c.id
        WHERE f.name IS NOT crm_fold(c.name) OR f.domain IS NOT crm_fold(c.domain) OR f.notes IS NOT crm_fold(c.notes));
    INSERT INTO company_fts(rowid, name, domain, notes)
    SELECT id, crm_fold(name), crm_fold(domain), crm_fold(notes) FROM companies
    WHERE id NOT IN (SELECT rowid FROM company_fts);

    DELETE FROM deal_fts WHERE rowid IN (
        SELECT d.id FROM deals d JOIN deal_fts f ON f.rowid = d.id
        WHERE f.title IS NOT crm_fold(d.title) OR f.lost_reason IS NOT crm_fold(d.lost_reason));
    INSERT INTO deal_fts(rowid, title, lost_reason)
    SELECT id, crm_fold(title), crm_fold(lost_reason) FROM deals
    WHERE id NOT IN (SELECT rowid FROM deal_fts);

    DELETE FROM interaction_fts WHERE rowid IN (
        SELECT i.id FROM interactions i JOIN interaction_fts f ON f.rowid = i.id
        WHERE i.kind != 'stage' AND (f.subject IS NOT crm_fold(i.subject) OR f.body IS NOT crm_fold(i.body)
                                     OR f.outcome IS NOT crm_fold(i.outcome)));
    INSERT INTO interaction_fts(rowid, subject, body, outcome)
    SELECT id, crm_fold(subject), crm_fold(body), crm_fold(outcome) FROM interactions
    WHERE kind != 'stage' AND id NOT IN (SELECT rowid FROM interaction_fts);

    INSERT INTO contact_fts(contact_fts) VALUES ('optimize');
    INSERT INTO company_fts(company_fts) VALUES ('optimize');
    INSERT INTO deal_fts(deal_fts) VALUES ('optimize');
    """
}
