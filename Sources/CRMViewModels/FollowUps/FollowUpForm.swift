import CRMCore
import CRMRepositories
import Foundation

/// The "new follow-up" form, shared by every view where a customer or a deal
/// is selected (contacts, today, timeline, call card, pipeline): title, due,
/// assignee (default: me) and note. The due field reads what people type and
/// shows what it understood under the field before anything is saved.
public enum FollowUpForm {
    /// A form ready to `context.present(.form(...))`. `onSaved` runs after the
    /// follow-up is stored (reload a list, select the row).
    public static func make(context: AppContext, contactID: Int64?, dealID: Int64? = nil, about name: String,
                            title: String? = nil, due: String = "tomorrow",
                            onSaved: @escaping (FollowUp) -> Void = { _ in }) -> FormModel {
        let me = context.me
        let logins = context.userLogins()
        let assignees = logins.contains(me.login) ? logins : [me.login] + logins
        let form = FormModel(title: "Follow-up for \(name)", fields: [
            FormField("title", label: "What to do", value: title ?? "Follow up with \(name)", suggested: title == nil),
            FormField("due", label: "Due", value: due, hint: dueHint(due, context: context)),
            FormField("assignee", label: "Assignee", kind: .choice(assignees), value: me.login),
            FormField("note", label: "Note", kind: .multiline, value: "", hint: "Enter: new line · Ctrl-X: $EDITOR"),
        ]) { form in
            let dueDate: DueDate
            switch context.timeFormat.dueDateParser.parse(form["due"], now: context.clock.now) {
            case .success(let d): dueDate = d
            case .failure(let error): throw FieldError("due", error.message)
            }
            let assignee = try context.repositories.allUsers().first { $0.login == form["assignee"] }
            let created = try context.repositories.followUpRepository.create(FollowUp(
                contactID: contactID, dealID: dealID, assigneeID: assignee?.id ?? me.storedID,
                title: form["title"].trimmingCharacters(in: .whitespaces), note: form["note"], dueAt: dueDate.date,
                createdAt: context.clock.now))
            let repo = context.repositories.followUpRepository
            context.recordUndo("follow-up \"\(created.title)\"") { [unowned context] in
                try context.deleteCreated(entity: "follow-up", name: "the follow-up \"\(created.title)\"", created: created,
                                          load: repo.get, delete: repo.delete)
                return nil
            }
            onSaved(created)
            return "Follow-up due \(dueDate.description) — u to undo"
        }
        form.purpose = .followUp(contactID: contactID, dealID: dealID, about: name)
        form.onEdit = { form, field in
            if field == "due" { form.setHint(dueHint(form["due"], context: context), for: "due") }
        }
        return form
    }

    /// "→ Fri 27 Nov 2026 09:00", or why the text is not a date yet.
    public static func dueHint(_ text: String, context: AppContext) -> String {
        switch context.timeFormat.dueDateParser.parse(text, now: context.clock.now) {
        case .success(let due):
            // A due time already gone makes a follow-up overdue at once: say so before it is saved.
            "→ " + context.timeFormat.number(due.description) + (due.date < context.clock.now ? " (already past)" : "")
        case .failure: "? e.g. \(context.timeFormat.dueDateParser.examples)"
        }
    }
}
