import CRMCore
import CRMRepositories
import Foundation

/// The one form for logging a call, note, email, meeting or message, and for
/// correcting one already logged: the same fields wherever it opens (the
/// contact's timeline, a deal's details, the global Timeline, Today).
enum InteractionForm {
    static let loggableKinds: [InteractionKind] = [.note, .call, .email, .meeting, .message]

    static func fields(kind: InteractionKind, when: String, whenHint: String) -> [FormField] {
        [
            FormField("kind", label: "Type", kind: .choice(loggableKinds.map(\.rawValue)), value: kind.rawValue),
            FormField("direction", label: "Direction", kind: .choice(["", "in", "out"]), value: "", hint: "in: they reached us; out: we reached them"),
            FormField("when", label: "When", value: when, hint: whenHint),
            FormField("subject", label: "Subject", value: ""),
            FormField("body", label: "Text", kind: .multiline, value: "", hint: "Enter: new line · Ctrl-X: $EDITOR"),
            FormField("outcome", label: "Outcome", value: ""),
            FormField("duration", label: "Duration", value: "", hint: "minutes, mm:ss or h:mm:ss"),
        ]
    }

    // MARK: logging

    /// A form ready to present that logs a new interaction. `onLogged` runs
    /// after the save (reload a timeline, select the new entry).
    static func log(context: AppContext, contactID: Int64?, companyID: Int64? = nil, dealID: Int64? = nil,
                    about name: String, onDeal: Bool = false, kind: InteractionKind = .note,
                    onLogged: @escaping (Interaction) -> Void) -> FormModel {
        let title = onDeal ? "Log for deal \(name)" : "Log for \(name)"
        let form = FormModel(title: title, fields: fields(kind: kind, when: "now", whenHint: WhenField.hint("now", context: context))) { form in
            let logged = try context.repositories.interactionRepository.log(Interaction(
                contactID: contactID, companyID: companyID, dealID: dealID,
                kind: InteractionKind(rawValue: form["kind"]) ?? .note,
                direction: Direction(rawValue: form["direction"]) ?? .none,
                occurredAt: try WhenField.parse(form["when"], context: context),
                durationSeconds: try DurationText.parse(form["duration"]), outcome: form["outcome"],
                subject: form["subject"], body: form["body"], createdAt: context.clock.now))
            context.recordLogged(logged, about: name)
            onLogged(logged)
            return "Logged \(logged.kind.title.lowercased()) \(onDeal ? "on" : "for") \(name)"
                + (WhenField.isNow(form["when"]) ? "" : " at " + context.timeFormat.full(logged.occurredAt))
        }
        form.purpose = .log(contactID: contactID, dealID: dealID, about: name)
        WhenField.followHint(in: form, context: context)
        form.focus(field: "body")
        return form
    }

    // MARK: editing

    /// The edit form of a logged interaction; every save records an undo of
    /// that save, and a colleague's newer version refuses it (who and what).
    static func edit(context: AppContext, _ original: Interaction, about name: String,
                     onSaved: @escaping () -> Void) -> FormModel {
        let repo = context.repositories.interactionRepository
        let shownWhen = WhenField.text(original.occurredAt, context: context)
        var fields = fields(kind: original.kind, when: shownWhen, whenHint: WhenField.hint(shownWhen, context: context))
        fields.append(FormField("deal", label: "Deal", kind: .choice(dealChoices(context: context, for: original)),
                                value: "", hint: "the deal this belongs to (empty: none)"))
        let stored = values(original, context: context)
        for i in fields.indices { fields[i].value = stored[fields[i].name] ?? fields[i].value }
        let form = FormModel(title: "Edit \(original.kind.title.lowercased()) for \(name)", fields: fields,
                             baseVersion: original.version,
                             submit: { form in
                                 var changed = original
                                 changed.version = form.baseVersion
                                 changed.kind = InteractionKind(rawValue: form["kind"]) ?? original.kind
                                 changed.direction = Direction(rawValue: form["direction"]) ?? .none
                                 // The time as shown has no seconds: untouched, the stored one stays.
                                 if form["when"] != shownWhen { changed.occurredAt = try WhenField.parse(form["when"], context: context) }
                                 changed.durationSeconds = try DurationText.parse(form["duration"])
                                 changed.outcome = form["outcome"]
                                 changed.subject = form["subject"]
                                 changed.body = form["body"]
                                 changed.dealID = try dealID(form["deal"])
                                 let (before, saved) = try context.repositories.transaction {
                                     // What this save overwrites: after a Ctrl-O merge, the colleague's version.
                                     guard let before = try repo.get(original.id) else {
                                         throw RepositoryError.notFound(entity: "interaction", id: original.id)
                                     }
                                     return (before, try repo.update(changed))
                                 }
                                 let what = "the \(saved.kind.title.lowercased()) for \(name)"
                                 if saved.version != before.version {
                                     context.recordUndo("edit of \(what)") { [unowned context] in
                                         try context.revertEdit(entity: "interaction", name: what, before: before, wrote: saved,
                                                                fields: UndoFields.interaction, load: repo.get, save: repo.update)
                                     }
                                 }
                                 onSaved()
                                 return saved.version == before.version ? "Nothing changed" : "Saved \(what) — u to undo"
                             },
                             reload: {
                                 guard let fresh = try repo.get(original.id), fresh.deletedAt == nil else {
                                     throw RepositoryError.notFound(entity: "interaction", id: original.id)
                                 }
                                 return (values(fresh, context: context), fresh.version)
                             })
        form.purpose = .editInteraction(id: original.id, about: name)
        WhenField.followHint(in: form, context: context)
        form.focus(field: "body")
        return form
    }

    /// The form's values for an interaction as stored.
    static func values(_ i: Interaction, context: AppContext) -> [String: String] {
        ["kind": i.kind.rawValue, "direction": i.direction.rawValue, "when": WhenField.text(i.occurredAt, context: context),
         "subject": i.subject, "body": i.body, "outcome": i.outcome,
         "duration": i.durationSeconds.map { TimeFormat.duration($0) } ?? "",
         "deal": dealLabel(i.dealID, context: context)]
    }

    /// "#12 Renewal 2027": the id makes two deals of one title distinct.
    static func dealLabel(_ id: Int64?, context: AppContext) -> String {
        guard let id else { return "" }
        let title = context.read("the deal") { try context.repositories.dealRepository.card(id)?.deal.title } ?? nil
        return "#\(id)" + (title.map { " " + $0 } ?? "")
    }

    /// The contact's deals (and the one linked now, whoever's it is).
    static func dealChoices(context: AppContext, for i: Interaction) -> [String] {
        let cards = i.contactID.flatMap { id in context.read("the contact's deals") { try context.repositories.dealRepository.deals(contactID: id) } } ?? []
        var choices = [""] + cards.map { "#\($0.id) \($0.deal.title)" }
        let current = dealLabel(i.dealID, context: context)
        if !current.isEmpty, !choices.contains(current) { choices.append(current) }
        return choices
    }

    static func dealID(_ label: String) throws -> Int64? {
        let t = label.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard t.hasPrefix("#"), let id = Int64(t.dropFirst().prefix { $0.isNumber }) else {
            throw FieldError("deal", "\"\(t)\" is not one of the deals offered; pick one with Left/Right")
        }
        return id
    }

    // MARK: deleting

    /// Asks, then moves the entry to the trash; `u` brings it back. An entry a
    /// colleague changed since it was shown is not deleted unseen.
    static func delete(context: AppContext, _ shown: Interaction, about name: String, onDeleted: @escaping () -> Void) {
        let repo = context.repositories.interactionRepository
        let what = "the \(shown.kind.title.lowercased()) for \(name) of \(context.timeFormat.full(shown.occurredAt))"
        context.present(.confirm(Confirmation("Delete \(what)? It goes to the trash; u undoes. (y/n)") { [unowned context] in
            do {
                try context.repositories.transaction {
                    guard let current = try repo.get(shown.id), current.deletedAt == nil else {
                        throw RepositoryError.notFound(entity: "interaction", id: shown.id)
                    }
                    guard current.version == shown.version else {
                        let change = context.lastChange(entity: "interaction", id: shown.id, fields: [])
                        throw UndoRefusal("Not deleted: \(change.who) changed \(what)\(change.when); look at it again first")
                    }
                    try repo.delete(shown.id)
                }
                context.recordUndo("delete of \(what)") { [unowned context] in
                    try context.restoreDeleted(what) { try repo.restore(shown.id) }
                    return nil
                }
                context.status("Deleted \(what) — u to undo", .success)
            } catch let refusal as UndoRefusal {
                context.status(refusal.message, .warning)
            } catch {
                context.report(error)
            }
            onDeleted()
        }))
    }

    /// Why an entry cannot be edited or deleted here, or nil.
    static func lockedReason(_ entry: TimelineEntry?) -> String? {
        guard let entry else { return "nothing selected" }
        return entry.interaction.kind == .stageChange ? "a stage change is the deal's history (move the deal instead)" : nil
    }
}
