/// Version 78: one tag per name whatever its letters' case. The `tags`
/// column's NOCASE folds A–Z only, so "Über" and "über" (or "ÄRGER" and
/// "ärger") could be two tags on a file, where PostgreSQL's unique index on
/// `lower(name)` keeps one: the same import gave the engines different tags,
/// `--tag über` different contacts, and `crm migrate` of such a file to
/// PostgreSQL failed on that index. The repositories now find, attach and
/// filter tags by `crm_tag_key` (every letter lowered, TagKeyFunction).
///
/// This step merges the tags that key alike into the oldest of them (the
/// lowest id): its contacts get the oldest one (a contact holding both keeps
/// one link), an import's record of the tags it added points to it, so
/// undoing that import takes off the tag it put on, and the others are
/// deleted. A file with no such tags (nearly every file) is not written.
///
/// Frozen SQL.
enum SchemaV78TagCase {
    static let sql = """
    CREATE TEMP TABLE crm_step78_tags(id INTEGER PRIMARY KEY, keep INTEGER NOT NULL);
    INSERT INTO crm_step78_tags(id, keep)
    SELECT t.id, k.keep FROM tags t
    JOIN (SELECT crm_tag_key(name) AS key, min(id) AS keep FROM tags GROUP BY 1 HAVING count(*) > 1) k
      ON crm_tag_key(t.name) = k.key
    WHERE t.id <> k.keep;

    INSERT OR IGNORE INTO contact_tags(contact_id, tag_id)
    SELECT ct.contact_id, m.keep FROM contact_tags ct JOIN crm_step78_tags m ON m.id = ct.tag_id;
    DELETE FROM contact_tags WHERE tag_id IN (SELECT id FROM crm_step78_tags);
    UPDATE import_merges SET added_tags =
        (SELECT json_group_array(coalesce(m.keep, j.value)) FROM json_each(import_merges.added_tags) j
         LEFT JOIN crm_step78_tags m ON m.id = j.value)
    WHERE EXISTS (SELECT 1 FROM json_each(import_merges.added_tags) j JOIN crm_step78_tags m ON m.id = j.value);
    DELETE FROM tags WHERE id IN (SELECT id FROM crm_step78_tags);

    DROP TABLE crm_step78_tags;
    """
}
