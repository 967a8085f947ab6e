import CRMCore
import CRMRepositories
import Foundation

/// Edit, cancel, delete and reassign one follow-up, the same from every place
/// that lists follow-ups (Today, the follow-ups list, a contact's or a deal's
/// follow-ups). Each is one write with the version the row was loaded with
/// (a colleague's change in between is refused, naming who and what), audited
/// by the repository, and undoable with `u`. `changed` runs after each write
/// and after each undo-able refusal, to reload what shows the row.
struct FollowUpActions {
    unowned let context: AppContext
    let changed: () -> Void

    var repo: any FollowUpRepository { context.repositories.followUpRepository }

    /// Title, due (what due dates accept, in the user's calendar), assignee,
    /// note, and the contact and deal it is about.
    func edit(_ row: FollowUpRow) {
        let f = row.followUp
        let context = self.context, repo = self.repo, changed = self.changed
        var logins = context.userLogins()
        if let current = row.assigneeLogin, !logins.contains(current) { logins.insert(current, at: 0) }
        let none = "(nobody)"
        let due = context.timeFormat.editable(f.dueAt)
        // What the form shows of a stored follow-up, for Ctrl-R and Ctrl-O
        // after a colleague's save (QA 45 KB #1: without them both keys did
        // nothing, and only Esc, losing what was typed, got out).
        let values = { (g: FollowUp) throws -> [String: String] in
            let users = try context.repositories.allUsers()
            let dealTitle = try g.dealID.flatMap { try context.repositories.dealRepository.get($0)?.title }
            return ["title": g.title, "due": context.timeFormat.editable(g.dueAt),
                    "assignee": g.assigneeID.flatMap { id in users.first { $0.id == id }?.login } ?? none,
                    "contact": DealForms.contactLabel(g.contactID, context: context),
                    "deal": g.dealID.map { "\(dealTitle ?? "deal") #\($0)" } ?? "", "note": g.note]
        }
        let form = FormModel(title: "Edit follow-up", fields: [
            FormField("title", label: "What to do", value: f.title),
            FormField("due", label: "Due", value: due, hint: FollowUpForm.dueHint(due, context: context)),
            FormField("assignee", label: "Assignee", kind: .choice([none] + logins), value: row.assigneeLogin ?? none),
            FormField("contact", label: "Contact", value: DealForms.contactLabel(f.contactID, context: context),
                      hint: "type to search · Tab takes · empty: none"),
            FormField("deal", label: "Deal", value: Self.dealLabel(row), hint: "a deal of the contact · Tab takes · empty: none"),
            FormField("note", label: "Note", kind: .multiline, value: f.note, hint: "Enter: new line · Ctrl-X: $EDITOR"),
        ], baseVersion: f.version, submit: { form in
            // After Ctrl-O the form stands on the colleague's version: the
            // fields it does not show (status, done time) are theirs too.
            var edited = form.baseVersion == f.version ? f : (try repo.get(f.id) ?? f)
            edited.version = form.baseVersion
            var errors: [FieldError] = []
            // A due time left as shown keeps its stored seconds (not written anew).
            if form.isEdited("due") {
                switch context.timeFormat.dueDateParser.parse(form["due"], now: context.clock.now) {
                case .success(let d): edited.dueAt = d.date
                case .failure(let error): errors.append(FieldError("due", error.message))
                }
            }
            edited.title = form["title"].trimmingCharacters(in: .whitespaces)
            edited.note = form["note"]
            let users = try context.repositories.allUsers()
            edited.assigneeID = form["assignee"] == none ? nil : users.first { $0.login == form["assignee"] }?.id ?? f.assigneeID
            // Said on the field before the save refuses it (QA 43: a rep
            // handed a colleague's follow-up to themselves).
            do { try OwnerChange.check(from: f.assigneeID, to: edited.assigneeID, field: "assignee", repos: context.repositories) }
            catch let e as FieldError { errors.append(e) }
            do { edited.contactID = try DealForms.resolveContact(form["contact"], repos: context.repositories) } catch let e as FieldError { errors.append(e) }
            do { edited.dealID = try Self.resolveDeal(form["deal"], contactID: edited.contactID, repos: context.repositories) }
            catch let e as FieldError { errors.append(e) }
            errors += edited.validate().filter { e in !errors.contains { $0.field == e.field } }
            try ValidationFailure.check(errors)
            let saved = try repo.update(edited)
            context.recordUndo("edit of \"\(f.title)\"") { [unowned context] in
                try context.revertEdit(entity: "follow-up", name: "\"\(f.title)\"", before: f, wrote: saved,
                                       fields: UndoFields.followUp, load: repo.get, save: repo.update)
            }
            changed()
            return "Saved \"\(saved.title)\" — u to undo"
        }, reload: {
            guard let fresh = try repo.get(f.id) else { throw RepositoryError.notFound(entity: "follow-up", id: f.id) }
            return (try values(fresh), fresh.version)
        })
        form.lookups = ["contact": DealForms.contactLookup(context), "deal": Self.dealLookup(context, form: form)]
        form.onEdit = { form, field in
            if field == "due" { form.setHint(FollowUpForm.dueHint(form["due"], context: context), for: "due") }
        }
        context.present(.form(form))
    }

    /// Cancelled, not deleted: it stays in the list (status cancelled) with
    /// the reason, so the history says why nobody did it.
    func cancel(_ row: FollowUpRow, typed: String = "") {
        let context = self.context
        // Named with its customer: the same title is what a restored draft
        // offers after a crash (QA 38 A-F10).
        let about = (row.contactName ?? row.dealTitle).map { " with \($0)" } ?? ""
        context.present(.prompt(Prompt("Cancel \"\(row.followUp.title)\"\(about) — why? (Enter saves, Esc: keep it open)", initial: typed) { text in
            let reason = text.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                context.status("A reason is needed to cancel a follow-up (Esc keeps it open)", .error)
                cancel(row)
                return
            }
            var edited = row.followUp
            edited.status = .cancelled
            edited.doneAt = context.clock.now
            edited.cancelReason = reason
            write(row, edited, title: "cancel of \"\(row.followUp.title)\"", done: "Cancelled \"\(row.followUp.title)\": \(reason)")
        }))
    }

    /// To the trash (restorable there); `u` takes it back out.
    func delete(_ row: FollowUpRow) {
        let repo = self.repo
        let title = row.followUp.title
        do {
            try repo.delete(row.id, expectedVersion: row.followUp.version)
            context.recordUndo("delete of \"\(title)\"") { [unowned context] in
                try context.restoreDeleted("\"\(title)\"") { try repo.restore(row.id) }
                return nil
            }
            changed()
            context.status("Deleted \"\(title)\" (to the trash) — u to undo", .success)
        } catch {
            context.report(error)
            changed()
        }
    }

    /// Hands it to a colleague: a login picked from the users (Tab takes the
    /// first match); empty: nobody.
    func reassign(_ row: FollowUpRow, typed: String? = nil) {
        let context = self.context
        let logins = context.userLogins()
        context.present(.prompt(Prompt("Assign \"\(row.followUp.title)\" to (login; empty: nobody):",
                                       initial: typed ?? row.assigneeLogin ?? "", suggestions: logins) { text in
            let login = text.trimmingCharacters(in: .whitespaces)
            var edited = row.followUp
            if login.isEmpty {
                edited.assigneeID = nil
            } else {
                guard let users = context.read("the users", { try context.repositories.allUsers() }) else { return }
                // A leaver's follow-ups would sit where nobody opens them (as
                // reassigning contacts refuses, QA 27 #17).
                guard let user = users.first(where: { $0.login == login && $0.isActive }) else {
                    context.status(OwnerChange.noSuchOwner(login, users: users), .error)
                    reassign(row, typed: text)
                    return
                }
                edited.assigneeID = user.id
            }
            write(row, edited, title: "reassign of \"\(row.followUp.title)\"",
                  done: "\"\(row.followUp.title)\" assigned to \(login.isEmpty ? "nobody" : login)")
        }))
    }

    /// One update with the version the row was loaded with, and its undo.
    private func write(_ row: FollowUpRow, _ edited: FollowUp, title: String, done: String) {
        let repo = self.repo
        let before = row.followUp
        do {
            let saved = try repo.update(edited)
            context.recordUndo(title) { [unowned context] in
                try context.revertEdit(entity: "follow-up", name: "\"\(before.title)\"", before: before, wrote: saved,
                                       fields: UndoFields.followUp, load: repo.get, save: repo.update)
            }
            changed()
            context.status("\(done) — u to undo", .success)
        } catch {
            context.report(error)
            changed()
        }
    }

    // MARK: the deal field

    static func dealLabel(_ row: FollowUpRow) -> String {
        guard let id = row.followUp.dealID else { return "" }
        return "\(row.dealTitle ?? "deal") #\(id)"
    }

    /// The deals of the contact named in the form, narrowed by what is typed.
    static func dealLookup(_ context: AppContext, form: FormModel) -> (String) -> [String] {
        { [unowned context, unowned form] text in
            guard let contactID = DealForms.trailingID(form["contact"]) else { return [] }
            let typed = DealForms.stripID(text).trimmingCharacters(in: .whitespaces).lowercased()
            let deals = context.read("the contact's deals") { try context.repositories.dealRepository.deals(contactID: contactID) } ?? []
            return deals.filter { typed.isEmpty || $0.deal.title.lowercased().contains(typed) }
                .prefix(6).map { "\($0.deal.title) #\($0.id)" }
        }
    }

    /// "Renewal #12" → 12; empty → none; a title of one of the contact's deals.
    static func resolveDeal(_ text: String, contactID: Int64?, repos: any CRMRepositories) throws -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let id = DealForms.trailingID(t), let deal = try repos.dealRepository.get(id), deal.deletedAt == nil { return id }
        let mine = try contactID.map { try repos.dealRepository.deals(contactID: $0) } ?? []
        let matches = mine.filter { $0.deal.title.caseInsensitiveCompare(t) == .orderedSame }
        guard matches.count == 1 else {
            throw FieldError("deal", matches.isEmpty ? "no deal \"\(t)\" of this contact; type part of its title and take one with Tab"
                                                     : "\(matches.count) deals are called \"\(t)\"; take one with Tab")
        }
        return matches[0].id
    }
}
