import CRMCore
import CRMRepositories
import Foundation

/// Reassigning a marked selection (Space marks rows in the contact list or
/// cards on the board; O asks for the new owner): one transaction, audited,
/// and one `u` takes it all back, except records someone changed since.
extension AppContext {
    /// Asks for the new owner among the active users, then reassigns
    /// `items` together. `what` names them ("3 contacts"); `done` runs after
    /// a reassignment was written (to clear the marks and reload).
    func askReassign(_ items: [ReassignItem], what: String, typed: String = "", done: @escaping () -> Void) {
        guard !items.isEmpty else { return }
        guard let users = read("the users", { try repositories.allUsers() }) else { return }
        let active = users.filter(\.isActive)
        let logins = active.map(\.login).sorted { $0.lowercased() < $1.lowercased() }
        present(.prompt(Prompt("New owner for \(what) (Tab completes):", initial: typed, suggestions: logins) { [unowned self] typed in
            let login = typed.trimmingCharacters(in: .whitespaces)
            guard let owner = active.first(where: { $0.login == login }) ?? active.first(where: { $0.login.lowercased() == login.lowercased() }) else {
                status(OwnerChange.noSuchOwner(login, users: users), .warning)
                // Asked again with what was typed (QA 45 KB #4: the prompt
                // closed and the text was gone, where Today's stayed).
                askReassign(items, what: what, typed: typed, done: done)
                return
            }
            reassign(items, to: owner, what: what, done: done)
        }))
    }

    private func reassign(_ items: [ReassignItem], to owner: User, what: String, done: () -> Void) {
        let repo = repositories.reassignRepository
        let result: Reassignment
        do {
            result = try repo.reassign(items, to: owner.id)
        } catch {
            report(error)
            return
        }
        done()
        guard !result.moved.isEmpty else {
            status("Nothing to reassign: \(owner.login) already owns \(what)", .info)
            return
        }
        let title = "reassignment of \(what) to \(owner.login)"
        recordUndo(title) { [unowned self] in
            let undone = try repo.undoReassign(result)
            let kept = undone.refused.map { refusalSentence($0.name, $0.stale) }
            if undone.restored == 0, !kept.isEmpty {
                throw UndoRefusal("Not undone: " + kept.joined(separator: "; "))
            }
            return kept.isEmpty ? nil
                : "Undone for \(undone.restored) of \(result.moved.count); kept as they are: " + kept.joined(separator: "; ")
        }
        let already = result.unchanged > 0 ? " (\(result.unchanged) already \(owner.login)'s)" : ""
        // One record is named (QA 43: "Reassigned 1 to omid").
        let moved = result.moved.count == 1 ? result.moved[0].name : "\(result.moved.count)"
        status("Reassigned \(moved) to \(owner.login)\(already); u undoes", .success)
    }

    /// "Ann Smith: omid changed the title at 2026-11-29 17:20".
    private func refusalSentence(_ name: String, _ stale: StaleEdit) -> String {
        let who = stale.changedBy.map { $0 == me.login ? "you (in another session)" : $0 } ?? "someone"
        let when = stale.changedAt.map { " at " + timeFormat.full($0) } ?? ""
        if stale.deleted { return "\(name): \(who) deleted it\(when)" }
        let fields = stale.changedFields.isEmpty ? "it" : "the " + stale.changedFields.joined(separator: ", ")
        return "\(name): \(who) changed \(fields)\(when)"
    }
}

extension ContactsViewModel {
    /// Space: marks or unmarks the selected contact, then moves down.
    func toggleMark() {
        guard mode == .contacts, let row = contacts.selectedRow else { return }
        if marked.remove(row.id) == nil { marked.insert(row.id) }
        move(by: 1)
    }

    /// O: the marked contacts (or the selected one) to a new owner.
    func reassignMarked() {
        let ids = marked.isEmpty ? contacts.selectedRow.map { [$0.id] } ?? [] : marked.sorted()
        let what = ids.count == 1 ? (marked.isEmpty ? contacts.selectedRow?.name ?? "1 contact" : "1 contact") : "\(ids.count) contacts"
        context.askReassign(ids.map { ReassignItem(.contact, $0) }, what: what) { [unowned self] in
            marked = []
            refresh()
        }
    }
}

extension PipelineViewModel {
    /// Space: marks or unmarks the focused deal.
    func toggleMark() {
        guard let card = focusedCard else { return }
        if markedDeals.remove(card.id) == nil { markedDeals.insert(card.id) }
    }

    /// O: the marked deals (or the focused one) to a new owner.
    func reassignMarked() {
        let ids = markedDeals.isEmpty ? focusedCard.map { [$0.id] } ?? [] : markedDeals.sorted()
        let what = ids.count == 1 ? (markedDeals.isEmpty ? focusedCard?.deal.title ?? "1 deal" : "1 deal") : "\(ids.count) deals"
        context.askReassign(ids.map { ReassignItem(.deal, $0) }, what: what) { [unowned self] in
            markedDeals = []
            refresh()
        }
    }
}
