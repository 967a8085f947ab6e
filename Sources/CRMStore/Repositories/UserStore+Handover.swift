import CRMCore
import CRMRepositories
import Foundation

/// Handing a leaver's work to colleagues: their contacts and companies,
/// open deals and open follow-ups, each kind to one heir, in one
/// transaction, audited as one action, kept in `handover_items` so it can be
/// listed and undone.
extension UserStore {
    /// One kind of record a handover moves: its table, the owner column,
    /// which rows count (not in the trash; deals and follow-ups still open),
    /// and the column that names a row.
    struct MovedKind {
        let entity: String
        let table: String
        let ownerColumn: String
        let condition: String
        let nameColumn: String
        /// How the record's own audit trail names its kind and the field moved.
        var auditEntity: String { entity == "followup" ? "follow-up" : entity }
        var auditField: String { ownerColumn == "assignee_id" ? "assignee" : "owner" }

        static let contacts = MovedKind(entity: "contact", table: "contacts", ownerColumn: "owner_id", condition: "deleted_at IS NULL", nameColumn: "name")
        static let companies = MovedKind(entity: "company", table: "companies", ownerColumn: "owner_id", condition: "deleted_at IS NULL", nameColumn: "name")
        static let deals = MovedKind(entity: "deal", table: "deals", ownerColumn: "owner_id", condition: "deleted_at IS NULL AND status = 'open'", nameColumn: "title")
        static let followUps = MovedKind(entity: "followup", table: "follow_ups", ownerColumn: "assignee_id", condition: "deleted_at IS NULL AND status = 'open'", nameColumn: "title")
        static let all = [contacts, companies, deals, followUps]

        func count(of userID: Int64, _ c: Connection) throws -> Int {
            Int(try c.scalar("SELECT count(*) FROM \(table) WHERE \(ownerColumn) = ? AND \(condition)", [userID]) ?? 0)
        }
    }

    public func holdings(of login: String) throws -> HandoverCounts {
        let user = try required(login)
        let c = db.connection
        return HandoverCounts(contacts: try MovedKind.contacts.count(of: user.id, c), companies: try MovedKind.companies.count(of: user.id, c),
                              openDeals: try MovedKind.deals.count(of: user.id, c), openFollowUps: try MovedKind.followUps.count(of: user.id, c))
    }

    public func handOver(from login: String, plan: HandoverPlan) throws -> Handover {
        try UserRefusal.check(.reassignRecords, for: db.currentUser)
        return try db.connection.transaction {
            try moveRecords(from: try required(login), plan: plan, deactivating: false)
        }
    }

    /// The heir named `login`: known, active, not the leaver.
    func heir(_ login: String, for leaver: User) throws -> User {
        try UserRefusal.heir(login, try find(login: login), for: leaver) { try all().map(\.login) }
    }

    /// Inside the caller's transaction.
    func moveRecords(from leaver: User, plan: HandoverPlan, deactivating: Bool) throws -> Handover {
        try UserRefusal.check(.reassignRecords, for: db.currentUser)
        guard !plan.isEmpty else {
            throw UserRefusal(.conflict, "nothing to hand over: name who takes \(leaver.login)'s work (--reassign-to LOGIN, or --contacts-to/--deals-to/--followups-to)")
        }
        let c = db.connection
        let now = db.clock.now
        // Heirs are checked before anything moves: a refusal leaves all as it was.
        let moves: [(MovedKind, User)] = try [
            (MovedKind.contacts, plan.contactsTo), (MovedKind.companies, plan.contactsTo),
            (MovedKind.deals, plan.dealsTo), (MovedKind.followUps, plan.followUpsTo),
        ].compactMap { kind, login in try login.map { (kind, try heir($0, for: leaver)) } }
        try c.run("INSERT INTO handovers(at, by_user_id, from_user_id, deactivated) VALUES (?, ?, ?, ?)",
                  [now, db.currentUser.storedID, leaver.id, deactivating])
        let id = c.lastInsertRowID
        var changes: [String: (String, String)] = ["handover": ("", "\(id)")]
        for (kind, heir) in moves {
            try c.run("""
                INSERT INTO handover_items(handover_id, entity, entity_id, to_user_id, version_after)
                SELECT ?, '\(kind.entity)', id, ?, version + 1 FROM \(kind.table) WHERE \(kind.ownerColumn) = ? AND \(kind.condition)
                """, [id, heir.id, leaver.id])
            let moved = Int(try c.scalar("SELECT count(*) FROM handover_items WHERE handover_id = ? AND entity = '\(kind.entity)'", [id]) ?? 0)
            try c.run("""
                UPDATE \(kind.table) SET \(kind.ownerColumn) = ?, version = version + 1, updated_at = ?
                WHERE \(kind.ownerColumn) = ? AND \(kind.condition)
                """, [heir.id, now, leaver.id])
            // Each record's own trail says who moved it too, so a colleague's
            // save refused as stale names the hand-over, not an older change.
            try c.run("""
                INSERT INTO audit_log(at, user_id, entity, entity_id, action, changes)
                SELECT ?, ?, ?, entity_id, 'handover', json_object(?, json_array(?, ?))
                FROM handover_items WHERE handover_id = ? AND entity = '\(kind.entity)'
                """, [now, db.currentUser.storedID, kind.auditEntity, kind.auditField, leaver.id, heir.id, id])
            changes[kind.table] = ("\(leaver.login): \(moved)", heir.login)
        }
        // One action in the audit log, whatever the number of records.
        try db.audit.record("user", leaver.id, "handover", changes: changes)
        return Handover(id: id, fromLogin: leaver.login, items: try items(of: id))
    }

    /// What handover `id` moved, to whom, with each record's name.
    public func items(of id: Int64) throws -> [HandoverItem] {
        let names = MovedKind.all.map { "WHEN '\($0.entity)' THEN (SELECT \($0.nameColumn) FROM \($0.table) WHERE id = i.entity_id)" }
        return try db.connection.rows("""
            SELECT i.entity, i.entity_id, CASE i.entity \(names.joined(separator: " ")) END, f.login, t.login
            FROM handover_items i JOIN handovers h ON h.id = i.handover_id
            JOIN users f ON f.id = h.from_user_id JOIN users t ON t.id = i.to_user_id
            WHERE i.handover_id = ?
            ORDER BY CASE i.entity WHEN 'contact' THEN 0 WHEN 'company' THEN 1 WHEN 'deal' THEN 2 ELSE 3 END, i.entity_id
            """, [id]) { row in
            HandoverItem(entity: row.string(0), id: row.int64(1), name: row.optionalString(2) ?? "", fromLogin: row.string(3), toLogin: row.string(4))
        }
    }

    public func undoHandover(_ id: Int64) throws -> (restored: Int, skipped: [String]) {
        try UserRefusal.check(.reassignRecords, for: db.currentUser)
        return try db.connection.transaction {
            let c = db.connection
            guard let (fromID, deactivated, undone) = try c.first(
                "SELECT from_user_id, deactivated, undone_at FROM handovers WHERE id = ?", [id], { ($0.int64(0), $0.int64(1) != 0, $0.optionalInt64(2)) })
            else {
                throw UserRefusal(.conflict, "there is no handover \(id); `crm user handovers` lists them")
            }
            guard undone == nil else { throw UserRefusal(.conflict, "handover \(id) was undone already") }
            if deactivated { try UserRefusal.checkUndoingReactivates(handover: id, for: db.currentUser) }
            var restored = 0
            var skipped: [String] = []
            for kind in MovedKind.all {
                // Only records nobody changed since the handover go back:
                // undo never writes over a newer version.
                // Named, with who changed it last (QA 43: "contact 8" alone).
                let stale = try c.rows("""
                    SELECT i.entity_id, r.\(kind.nameColumn),
                           (SELECT u.login FROM audit_log a JOIN users u ON u.id = a.user_id
                            WHERE a.entity = '\(kind.auditEntity)' AND a.entity_id = i.entity_id ORDER BY a.id DESC LIMIT 1)
                    FROM handover_items i JOIN \(kind.table) r ON r.id = i.entity_id
                    WHERE i.handover_id = ? AND i.entity = '\(kind.entity)' AND (r.version != i.version_after OR r.\(kind.ownerColumn) IS NOT i.to_user_id)
                    """, [id]) { ($0.int64(0), $0.string(1), $0.optionalString(2)) }
                skipped += stale.map { id, name, who in
                    "\(name) (\(kind.entity) \(id)) was changed\(who.map { " by \($0)" } ?? "") since the handover and stays as it is"
                }
                // Each record going back says so in its own trail, as the move did.
                try c.run("""
                    INSERT INTO audit_log(at, user_id, entity, entity_id, action, changes)
                    SELECT ?, ?, ?, i.entity_id, 'undo handover', json_object(?, json_array(i.to_user_id, ?))
                    FROM handover_items i JOIN \(kind.table) r ON r.id = i.entity_id
                    WHERE i.handover_id = ? AND i.entity = '\(kind.entity)' AND i.version_after = r.version AND i.to_user_id IS r.\(kind.ownerColumn)
                    """, [db.clock.now, db.currentUser.storedID, kind.auditEntity, kind.auditField, fromID, id])
                // The set is read once, joined on the items' key: a subquery
                // naming the updated row ran once per row of the table (QA 28
                // #11: 15 minutes under the write lock for 33,800 records).
                try c.run("""
                    UPDATE \(kind.table) SET \(kind.ownerColumn) = ?, version = version + 1, updated_at = ?
                    WHERE id IN (SELECT i.entity_id FROM handover_items i JOIN \(kind.table) r ON r.id = i.entity_id
                                 WHERE i.handover_id = ? AND i.entity = '\(kind.entity)'
                                   AND i.version_after = r.version AND i.to_user_id IS r.\(kind.ownerColumn))
                    """, [fromID, db.clock.now, id])
                restored += c.changes
            }
            try c.run("UPDATE handovers SET undone_at = ? WHERE id = ?", [db.clock.now, id])
            if deactivated { try c.run("UPDATE users SET active = 1 WHERE id = ?", [fromID]) }
            try db.audit.record("user", fromID, "undo handover",
                                changes: ["handover": ("\(id)", ""), "restored": ("", "\(restored)")]
                                    .merging(deactivated ? ["active": ("false", "true")] : [:]) { a, _ in a })
            return (restored, skipped)
        }
    }

    /// The handovers, newest first: (id, when, from, undone).
    public func handovers(limit: Int = 50) throws -> [(id: Int64, at: Date, from: String, items: Int, undone: Bool)] {
        try db.connection.rows("""
            SELECT h.id, h.at, u.login, (SELECT count(*) FROM handover_items i WHERE i.handover_id = h.id), h.undone_at IS NOT NULL
            FROM handovers h JOIN users u ON u.id = h.from_user_id ORDER BY h.id DESC LIMIT ?
            """, [limit]) { ($0.int64(0), $0.date(1), $0.string(2), Int($0.int64(3)), $0.int64(4) != 0) }
    }
}
