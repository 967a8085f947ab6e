/// Version 21: users and roles. Every user gets a role (admin, manager or
/// rep: CRMCore's `Role` says what each may do) and an active flag (a
/// deactivated user cannot open the CRM and leaves the pickers, but keeps
/// their name on everything they wrote). Settings every user shares live in
/// `shared_settings`: the first is whether an unknown login is created on
/// first use (off; `crm demo` turns it on for the demo database).
///
/// An existing database keeps its team working: every user it already has
/// becomes an admin, so nobody loses a key they used the day before; an
/// admin then gives colleagues their real roles (`crm user set-role`).
/// A handover (a leaver's records moved to colleagues in one action) keeps
/// what moved in `handover_items`, so it can be listed and undone.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV21UsersRoles {
    static let sql = """
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('admin','manager','rep'));
    ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
    UPDATE users SET role = 'admin';

    CREATE TABLE shared_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '0');

    CREATE TABLE handovers (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        by_user_id INTEGER REFERENCES users(id),
        from_user_id INTEGER NOT NULL REFERENCES users(id),
        -- 1 when the leaver was deactivated in the same action: undo reactivates
        deactivated INTEGER NOT NULL DEFAULT 0,
        undone_at INTEGER
    );
    CREATE TABLE handover_items (
        handover_id INTEGER NOT NULL REFERENCES handovers(id),
        entity TEXT NOT NULL CHECK (entity IN ('contact','company','deal','followup')),
        entity_id INTEGER NOT NULL,
        to_user_id INTEGER NOT NULL REFERENCES users(id),
        version_after INTEGER NOT NULL,
        PRIMARY KEY (handover_id, entity, entity_id)
    );
    """
}
