/// Version 22: audit values are JSON values. Until now every old and new
/// value was written as the Swift text of the value ("Optional(3)", "nil",
/// `["a", "b"]`, "2026-11-29 16:59:12 +0000"), so a list of tags was a
/// string holding JSON-ish text. From now on the pair holds proper values:
/// ids and counts as numbers, no value as null, lists as lists, times as
/// ISO 8601 UTC. This step converts the rows already written.
///
/// Free-text fields (names, notes, subjects...) keep their text untouched,
/// whatever it looks like: a title "nil" or "42" stays a string. The other
/// fields are converted by the shape of their text. Anything not
/// recognised stays the string it was.
///
/// Frozen SQL. It may run twice harmlessly: values that are already not
/// strings are kept as they are.
enum SchemaV22AuditJSONValues {
    static let sql = """
    UPDATE audit_log SET changes = coalesce((
        SELECT json_group_object(k, json(pair)) FROM (
            SELECT k, json_group_array(json(CASE
                WHEN t IN ('array', 'object') THEN v
                WHEN t <> 'text' THEN json_quote(v)
                WHEN k IN ('name', 'title', 'notes', 'note', 'source', 'subject', 'body', 'outcome',
                           'domain', 'phone', 'address', 'login', 'lost reason', 'merged_from', 'stage',
                           'deals moved to', 'kind', 'direction', 'status', 'lifecycle', 'role', 'message id') THEN json_quote(v)
                WHEN v = 'nil' THEN 'null'
                WHEN u GLOB '"*"' AND json_valid(u) THEN u
                WHEN u <> '' AND u NOT GLOB '*[^0-9]*' AND length(u) < 19 THEN CAST(u AS INTEGER)
                WHEN u GLOB '-[0-9]*' AND substr(u, 2) NOT GLOB '*[^0-9]*' AND length(u) < 20 THEN CAST(u AS INTEGER)
                WHEN u GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] +0000'
                    THEN json_quote(substr(u, 1, 10) || 'T' || substr(u, 12, 8) || 'Z')
                WHEN u GLOB '[[]*]' AND json_valid(u) THEN u
                ELSE json_quote(u)
            END)) AS pair
            FROM (
                SELECT e.id AS eid, e.key AS k, p.id AS pid, p.type AS t, p.value AS v,
                       CASE WHEN p.type = 'text' AND p.value GLOB 'Optional(*)'
                            THEN substr(p.value, 10, length(p.value) - 10) ELSE p.value END AS u
                FROM json_each(audit_log.changes) AS e, json_each(e.value) AS p
                WHERE e.type = 'array'
                ORDER BY e.id, p.id
            )
            GROUP BY eid
        )
    ), '{}')
    WHERE changes <> '{}' AND json_valid(changes) AND json_type(changes) = 'object';
    """
}
