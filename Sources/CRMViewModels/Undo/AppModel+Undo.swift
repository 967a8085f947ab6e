import CRMCore
import CRMRepositories
import Foundation

extension AppModel {
    public func undo(in view: ViewKind) {
        guard let entry = undoStack.last else {
            status("Nothing to undo", .info)
            return
        }
        guard entry.view == view else {
            // Never reach silently into another view's work.
            present(.confirm(Confirmation("Undo \(entry.title), done in \(entry.view.title)? (y/n)") { [unowned self] in
                runUndo()
            }))
            return
        }
        runUndo()
    }

    /// Runs the newest entry's undo as one transaction. A refusal says who
    /// changed what and may put up the merge form; a busy database keeps the
    /// entry so `u` can try again.
    private func runUndo() {
        guard let entry = undoStack.pop() else { return }
        // The view is read again first and the undo's sentence said last:
        // what the refresh may say (a deal that moved meanwhile) is less
        // than what `u` did or why it did not.
        var said: (text: String, kind: StatusMessage.Kind)?
        do {
            let message = try repositories.transaction { try entry.undo() }
            said = (message ?? "Undone: \(entry.title)", .success)
        } catch let refusal as UndoRefusal {
            said = (refusal.message, .warning)
            if let form = refusal.merge { present(.form(form)) }
        } catch let error as RepositoryError where error.isTransient {
            undoStack.restore(entry)
            report(error)
        } catch {
            report(error)
        }
        activeView.refresh()
        if let said { status(said.text, said.kind) }
    }
}

extension AppContext {
    /// Records an action for `u`, as done in the view the person is in.
    /// `undo` runs inside one transaction and must check that what the action
    /// wrote is still there (see revertEdit, deleteCreated).
    func recordUndo(_ title: String, _ undo: @escaping () throws -> String?) {
        undoStack.push(title, in: activeViewKind, undo: undo)
    }

    /// The undo of logging an interaction: it goes unless someone changed it.
    func recordLogged(_ logged: Interaction, about name: String) {
        let kind = logged.kind.title.lowercased()
        let repo = repositories.interactionRepository
        recordUndo("\(kind) for \(name)") { [unowned self] in
            try deleteCreated(entity: "interaction", name: "the \(kind) for \(name)", created: logged,
                              load: repo.get, delete: repo.delete)
            return nil
        }
    }

    /// The `u` row of a view's key table: it names what `u` will undo, and
    /// where it was done when that is another view.
    func undoBinding(in view: ViewKind) -> KeyBinding {
        guard let last = undoStack.last else {
            return KeyBinding([.char("u")], .undo, "Undo the last action", hint: true, disabled: "nothing to undo")
        }
        let place = last.view == view ? "" : " (done in \(last.view.title))"
        let shown = last.title.count > 28 ? String(last.title.prefix(27)) + "…" : last.title
        return KeyBinding([.char("u")], .undo, "Undo \(last.title)\(place)", hint: true,
                          hintTitle: last.view == view ? "undo \(shown)" : "undo \(shown) (\(last.view.title.lowercased()))")
    }

    /// "omid at 10:42": who last changed one of `fields` (or anything) of a
    /// record, and when, from its audit trail.
    func lastChange(entity: String, id: Int64, fields: [String]) -> (who: String, when: String) {
        let trail: [AuditEntry]
        do {
            trail = try repositories.auditTrail(entity: entity, id: id, limit: 20)
        } catch {
            // Only the wording of a refusal depends on it: the refusal stands.
            trail = []
        }
        let entry = trail.first { !Set($0.changes.keys).isDisjoint(with: fields) || $0.action == "delete" } ?? trail.first
        guard let entry else { return ("someone", "") }
        let who = entry.userLogin.map { $0 == me.login ? "you (in another session)" : $0 } ?? "someone"
        return (who, " at " + timeFormat.full(entry.at))
    }

    /// Takes back an edit that turned `before` into `wrote`: all of it when
    /// nobody changed the record since; only this action's fields when a
    /// colleague changed others; nothing, with who changed what, when they
    /// changed one of the same fields. Runs inside the undo's transaction.
    func revertEdit<R: VersionedRecord>(entity: String, name: String, before: R, wrote: R, fields: [RecordField<R>],
                                       load: (Int64) throws -> R?, save: (R) throws -> R,
                                       merge: ((R, StaleEdit) -> FormModel?)? = nil) throws -> String? {
        guard let current = try load(wrote.id) else { throw UndoRefusal("Not undone: \(name) no longer exists") }
        if current.deletedAt != nil {
            let change = lastChange(entity: entity, id: wrote.id, fields: [])
            throw UndoRefusal("Not undone: \(change.who) deleted \(name)\(change.when)")
        }
        switch EditRevert.plan(before: before, wrote: wrote, current: current, fields: fields) {
        case .nothing:
            return "Nothing to undo: the edit of \(name) changed nothing"
        case .conflict(let overlap):
            let change = lastChange(entity: entity, id: wrote.id, fields: overlap)
            let stale = StaleEdit(entity: entity, id: wrote.id, expectedVersion: wrote.version, currentVersion: current.version,
                                  changedBy: change.who, changedAt: nil, changedFields: overlap, deleted: false)
            throw UndoRefusal("Not undone: \(change.who) changed the \(Self.list(overlap)) of \(name)\(change.when)",
                              merge: merge?(before, stale))
        case .write(let back, let mine, let kept):
            _ = try save(back)
            guard !kept.isEmpty else { return nil }
            let change = lastChange(entity: entity, id: wrote.id, fields: kept)
            return "Undone your \(Self.list(mine)) of \(name); \(change.who)'s \(Self.list(kept)) kept"
        }
    }

    /// Removes a record this user's action created, unless someone changed it
    /// since (then their work would go with it).
    func deleteCreated<R: VersionedRecord>(entity: String, name: String, created: R, load: (Int64) throws -> R?,
                                          delete: (Int64) throws -> Void) throws {
        guard let current = try load(created.id), current.deletedAt == nil else { return }
        guard current.version == created.version else {
            let change = lastChange(entity: entity, id: created.id, fields: [])
            throw UndoRefusal("Not undone: \(change.who) changed \(name)\(change.when) after you added it")
        }
        try delete(created.id)
    }

    /// Restores from the trash; when a colleague already restored it, says so.
    func restoreDeleted(_ name: String, _ restore: () throws -> Void) throws {
        do {
            try restore()
        } catch RepositoryError.notFound {
            throw UndoRefusal("Not undone: \(name) is no longer in the trash (restored by someone else?)")
        }
    }

    static func list(_ names: [String]) -> String {
        names.count <= 1 ? (names.first ?? "") : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
