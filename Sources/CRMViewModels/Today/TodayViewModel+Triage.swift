import CRMCore
import CRMRepositories
import Foundation

// The triage keys of the Today view: done (with an outcome and the next
// follow-up), snooze, reschedule, open, and the stay-in-touch shortcuts. After
// each action the selection lands on the item that took the acted-on one's
// place: the next thing to look at.
extension TodayViewModel: WorkspaceView {
    public var kind: ViewKind { .today }

    public var keyBindings: [KeyBinding] {
        if list != nil { return listBindings }
        let item = selectedItem
        let marked = markedSection == section && !marks.isEmpty
        let onFollowUps = section != .attention
        let followUpOnly = marked ? (onFollowUps ? nil : "works on follow-ups")
            : (item == nil ? "nothing selected" : (selectedFollowUp == nil ? "works on follow-ups" : nil))
        let snoozable = marked || item != nil ? nil : "nothing selected"
        let contactOnly = item?.contactID == nil ? (item == nil ? "nothing selected" : "no customer on this follow-up") : nil
        let one = item == nil ? "nothing selected" : (selectedFollowUp == nil ? "works on follow-ups" : nil)
        let n = marked ? " (\(marks.count) marked)" : ""
        return KeyBinding.listNavigation(row: "item", first: "First item of the section", last: "Last item of the section") + [
            KeyBinding([.tab, .char("]")], .nextSection, "Next section", hint: true),
            KeyBinding([.backTab, .char("[")], .previousSection, "Previous section"),
            KeyBinding([.enter], .open, "Open the customer with the timeline", hint: true, disabled: contactOnly),
            KeyBinding([.char(" ")], .toggleMark, "Mark or unmark the row (bulk actions)", disabled: item == nil ? "nothing selected" : nil),
            KeyBinding([.char("*")], .markAll, marked && marks.count == count(of: section) && isCountExact(of: section) ? "Unmark every row" : "Mark every row of the section",
                       disabled: count(of: section) == 0 && marks.isEmpty ? "the section is empty" : nil),
            KeyBinding([.char("x")], .done, "Done: log the outcome, set the next follow-up\(n)", hint: true, disabled: followUpOnly),
            KeyBinding([.char("s")], .snooze, "Snooze: 1 hour, tomorrow morning, next week, or a date\(n)", hint: true, disabled: snoozable),
            KeyBinding([.char("r")], .reschedule, "Reschedule to a date\(n)", hint: true, disabled: followUpOnly),
            KeyBinding([.char("e")], .edit, "Edit the follow-up: title, due, assignee, note, contact, deal", disabled: one),
            KeyBinding([.char("C")], .cancelFollowUp, "Cancel the follow-up (kept, with a reason)", disabled: one),
            KeyBinding([.char("d")], .delete, "Delete the follow-up (to the trash)", disabled: one),
            KeyBinding([.char("A"), .char("a")], .reassign, marked ? "Assign to a colleague\(n)" : "Assign the follow-up to a colleague",
                       disabled: followUpOnly),
            KeyBinding([.char("F")], .followUpList, "Follow-ups list: all dates, done and cancelled, filters"),
            KeyBinding([.char("K")], .setCadence, "The customer's own cadence (days; overrides stage and tag)", disabled: contactOnly),
            KeyBinding([.char("f")], .followUp, "New follow-up for this customer", disabled: contactOnly),
            KeyBinding([.char("c")], .call, "Call mode", hint: true, disabled: contactOnly),
            KeyBinding([.char("n")], .logNote, "Log note, email, meeting…", disabled: contactOnly),
            context.undoBinding(in: .today),
            KeyBinding([.char("m")], .toggleEveryone, showEveryone ? "Only mine" : "Everyone's"),
            KeyBinding([.char("o")], .filterAssignee, "Only one colleague's (everyone's mode)",
                       disabled: showEveryone ? nil : "only in everyone's mode (m)"),
        ]
    }

    public func handle(_ key: Key) -> Bool {
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    public func perform(_ action: ActionID) {
        if refusedOnARowTheSelectionFellOn(action) { return }
        if list != nil { return performInList(action) }
        let marked = markedSection == section && !marks.isEmpty
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: max(viewport - 2, 1))
        case .pageUp: move(by: -max(viewport - 2, 1))
        case .top: if count(of: section) > 0 { select(0) }
        case .bottom:
            // The last row: the section is counted to its end first.
            countPast(nil)
            if count(of: section) > 0 { select(count(of: section) - 1) }
        case .nextSection: jumpSection(by: 1)
        case .previousSection: jumpSection(by: -1)
        case .open: openSelected()
        case .toggleMark: toggleMark()
        case .markAll: markAll()
        case .done:
            if marked { askBulkDone() } else if let row = selectedFollowUp { markDone(row) }
        case .snooze:
            if marked { askBulkMove(verb: "Snoozed") } else if let row = selectedFollowUp { askSnooze(row) }
            else if case .attention(let row)? = selectedItem { askAttentionSnooze([row.contactID: row.version], name: row.name) }
        case .reschedule:
            if marked { askBulkMove(verb: "Rescheduled") } else if let row = selectedFollowUp { askReschedule(row) }
        case .reassign:
            // Marked rows: all of them at once (one undo); else the selected one.
            if marked { askReassign(Array(marks.keys)) } else if let row = selectedFollowUp { followUpActions.reassign(row) }
        case .setCadence: if let id = selectedItem?.contactID { askCadence(contactID: id, name: selectedItem?.customerName ?? "") }
        case .edit: if let row = selectedFollowUp { followUpActions.edit(row) }
        case .cancelFollowUp: if let row = selectedFollowUp { followUpActions.cancel(row) }
        case .delete: if let row = selectedFollowUp { followUpActions.delete(row) }
        case .followUpList: openList()
        case .followUp: newFollowUp()
        case .call:
            if let id = selectedItem?.contactID {
                ContactShortcuts.call(id, context: context, followUp: selectedFollowUp) { [unowned self] in reload(keepOrdinal: true) }
            }
        case .logNote:
            if let item = selectedItem, let id = item.contactID {
                ContactShortcuts.note(id, name: item.customerName, context: context) { [unowned self] in reload(keepOrdinal: true) }
            }
        case .undo: undo()
        case .toggleEveryone:
            showEveryone.toggle()
            assigneeFilter = nil
            clearMarks()
            reload()
        case .filterAssignee: askAssigneeFilter()
        default: break
        }
    }

    public func activate() { reload() }
    public func refresh() { reload() }

    // MARK: actions

    func openSelected() {
        guard let id = selectedItem?.contactID else { return }
        context.openContact(id)
    }

    /// Done: asks for the outcome (logged on the customer's timeline), then
    /// offers the next follow-up (+7 days by default), and only then writes all
    /// of it in one transaction: one action, one undo entry. Esc at the outcome
    /// leaves the follow-up as it was; Esc at the next one means "no next".
    /// `refused`: why the outcome is asked again (a colleague's change
    /// refused the save), said in the prompt's title, which wraps, and not
    /// only on the status line, whose end a long sentence loses (QA 38 A-F7).
    func markDone(_ row: FollowUpRow, typed: String = "", refused: String? = nil) {
        let name = row.contactName ?? row.dealTitle
        guard row.followUp.contactID != nil || row.followUp.dealID != nil else {
            offerNext(after: row, outcome: "")
            return
        }
        let with = name.map { " with \($0)" } ?? ""
        let title = refused.map { "Outcome\(with), kept: \($0), so it was not marked done; Enter goes on (Esc: not done):" }
            ?? "Outcome\(with) (logged on the timeline; Enter alone skips; Esc: not done):"
        var prompt = Prompt(title,
                            resume: .doneOutcome(followUpID: row.id, version: row.followUp.version),
                            onCancel: { [unowned self] in context.status("Not marked done", .info) }) { [unowned self] text in
            offerNext(after: row, outcome: text.trimmingCharacters(in: .whitespaces))
        }
        if !typed.isEmpty { prompt.restore(text: typed) }
        context.present(.prompt(prompt))
    }

    /// "Next follow-up: +7d" — Enter accepts, Esc declines; either way the
    /// follow-up is then marked done.
    func offerNext(after row: FollowUpRow, outcome: String, typed: String = "+7d") {
        // Closed or deleted by a colleague while the outcome was typed: there
        // is no next one to ask about; done is refused with who, and the
        // outcome is kept (keepOutcome).
        if let stored = context.read("the follow-up", { try repos.followUpRepository.get(row.id) }) ?? nil,
           stored.version != row.followUp.version, stored.status != .open || stored.deletedAt != nil {
            complete(row, outcome: outcome, next: nil)
            return
        }
        let parser = context.timeFormat.dueDateParser
        context.present(.prompt(Prompt("Next follow-up \"\(row.followUp.title)\" due (Enter accepts, Esc: none):", initial: typed,
                                       preview: { [unowned self] text in previewDue(text) },
                                       resume: .nextFollowUp(followUpID: row.id, version: row.followUp.version, outcome: outcome),
                                       onCancel: { [unowned self] in complete(row, outcome: outcome, next: nil) }) { [unowned self] text in
            switch parser.parse(text, now: context.clock.now) {
            case .failure(let error):
                context.status(error.message, .error)
                offerNext(after: row, outcome: outcome, typed: text)
            case .success(let due):
                complete(row, outcome: outcome, next: due)
            }
        }))
    }

    /// Writes done, the outcome and the next follow-up as one unit of work.
    /// (A busy database puts the prompt back with what was typed: AppModel.)
    func complete(_ row: FollowUpRow, outcome: String, next: DueDate?) {
        let fu = repos.followUpRepository, interactions = repos.interactionRepository
        let now = context.clock.now
        let before = row.followUp
        var done = before
        done.status = .done
        done.doneAt = now
        do {
            let (wrote, logged, created) = try repos.transaction {
                // The version the list was loaded with: a colleague's change in
                // between is reported, not overwritten.
                let wrote = try fu.update(done)
                let logged = outcome.isEmpty ? nil : try interactions.log(Self.outcomeNote(outcome, of: before, at: now))
                let created = try next.map { due in
                    try fu.create(FollowUp(contactID: before.contactID, dealID: before.dealID, assigneeID: before.assigneeID,
                                           title: before.title, note: before.note, dueAt: due.date, createdAt: now))
                }
                return (wrote, logged, created)
            }
            let shownIn = section
            context.recordUndo("done: \(before.title)") { [unowned self] in
                if let created {
                    try context.deleteCreated(entity: "follow-up", name: "the next follow-up", created: created, load: fu.get, delete: fu.delete)
                }
                if let logged {
                    try context.deleteCreated(entity: "interaction", name: "the outcome note", created: logged,
                                              load: interactions.get, delete: interactions.delete)
                }
                let said = try context.revertEdit(entity: "follow-up", name: "\"\(before.title)\"", before: before, wrote: wrote,
                                                  fields: UndoFields.followUp, load: fu.get, save: fu.update)
                restoredRow = (shownIn, AgendaCursor(dueAt: before.dueAt, id: row.id))
                return said
            }
            reload(keepOrdinal: true)
            let parts = [logged == nil ? nil : "outcome logged", next.map { "next follow-up \($0.description)" }].compactMap { $0 }
            context.status("Done: \(before.title)\(parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")) — u undoes it all", .success)
        } catch RepositoryError.stale(let stale) where !outcome.isEmpty {
            reload()
            keepOutcome(outcome, of: row, refused: stale)
        } catch {
            context.report(error)
            reload()
        }
    }

    /// A colleague changed the follow-up first, so done was refused: the
    /// outcome typed (a conversation that happened) is not thrown away. Still
    /// open (rescheduled, edited): the outcome prompt comes back with it,
    /// against the stored version. Done, cancelled or deleted by them: it is
    /// offered as a note on the timeline, editable, Esc drops it.
    func keepOutcome(_ outcome: String, of row: FollowUpRow, refused stale: StaleEdit) {
        let stored = context.read("the follow-up") { try repos.followUpRepository.get(row.id) } ?? nil
        if let stored, stored.status == .open, stored.deletedAt == nil {
            var fresh = row
            fresh.followUp = stored
            markDone(fresh, typed: outcome, refused: stale.change(time: context.moment))
            context.status("Not marked done: changed by \(stale.changedBy ?? "someone else")\(stale.when(time: context.moment)); your outcome is kept",
                           .warning)
            return
        }
        let who = stale.changedBy ?? "someone else"
        let what = stale.deleted || stored?.deletedAt != nil ? "deleted" : stored?.status == .cancelled ? "cancelled" : "marked done"
        var prompt = Prompt("\(who) \(what) \"\(row.followUp.title)\"\(stale.when(time: context.moment)). Log your outcome on the timeline as a note? "
                            + "(Enter logs it; Esc drops it):",
                            onCancel: { [unowned self] in context.status("Outcome not logged", .info) }) { [unowned self] text in
            logOutcome(text.trimmingCharacters(in: .whitespaces), of: row.followUp)
        }
        prompt.restore(text: outcome)
        context.present(.prompt(prompt))
    }

    /// A follow-up's outcome as a note on its customer's (or deal's) timeline.
    static func outcomeNote(_ outcome: String, of followUp: FollowUp, at now: Date) -> Interaction {
        Interaction(contactID: followUp.contactID, dealID: followUp.dealID, kind: .note, occurredAt: now,
                    outcome: outcome, subject: followUp.title, body: outcome, createdAt: now)
    }

    /// The outcome of a follow-up someone else closed, as a note on its
    /// customer's (or deal's) timeline; one action, one undo entry.
    func logOutcome(_ outcome: String, of followUp: FollowUp) {
        guard !outcome.isEmpty else { return context.status("Outcome not logged", .info) }
        let interactions = repos.interactionRepository
        let now = context.clock.now
        do {
            let logged = try repos.transaction { try interactions.log(Self.outcomeNote(outcome, of: followUp, at: now)) }
            context.recordLogged(logged, about: followUp.title)
            reload(keepOrdinal: true)
            context.status("Outcome logged as a note on the timeline — u undoes it", .success)
        } catch {
            context.report(error)
        }
    }

    /// Snooze choices by number, or any date the parser reads.
    static let snoozeChoices = ["1": "+1h", "2": "tomorrow morning", "3": "next week"]
    /// The choices act on their key alone, typed first on the empty line (a
    /// date that starts with 1, 2 or 3 is typed after a space; or with `r`).
    static let snoozeQuickKeys: [Character: String] = ["1": "1", "2": "2", "3": "3"]

    func askSnooze(_ row: FollowUpRow, typed: String = "") {
        // Named, as `r` names it: the prompt says which follow-up it moves.
        context.present(.prompt(Prompt("Snooze \"\(row.followUp.title)\" — 1: an hour · 2: tomorrow 09:00 · 3: next week · or a date:",
                                       initial: typed, preview: { [unowned self] text in
                                           text.isEmpty ? "" : previewDue(Self.snoozeChoices[LocalDigits.ascii(text)] ?? text)
                                       }, resume: .snooze(followUpID: row.id, version: row.followUp.version),
                                       quickKeys: Self.snoozeQuickKeys) { [unowned self] text in
            let typedText = text.trimmingCharacters(in: .whitespaces)
            let input = Self.snoozeChoices[LocalDigits.ascii(typedText)] ?? (typedText.isEmpty ? "+1h" : typedText)
            moveDue(row, input: input, verb: "Snoozed") { [unowned self] in askSnooze(row, typed: text) }
        }))
    }

    func askReschedule(_ row: FollowUpRow, typed: String? = nil) {
        context.present(.prompt(Prompt("Reschedule \"\(row.followUp.title)\" to:",
                                       initial: typed ?? context.timeFormat.editable(row.followUp.dueAt),
                                       preview: { [unowned self] text in previewDue(text) },
                                       resume: .reschedule(followUpID: row.id, version: row.followUp.version)) { [unowned self] text in
            moveDue(row, input: text, verb: "Rescheduled") { [unowned self] in askReschedule(row, typed: text) }
        }))
    }

    func previewDue(_ text: String) -> String {
        switch context.timeFormat.dueDateParser.parse(text, now: context.clock.now) {
        case .success(let due): "→ " + context.timeFormat.number(due.description)
        case .failure: "? try \(context.timeFormat.dueDateParser.examples)"
        }
    }

    /// Moves the due time; on input it cannot read, says why and asks again
    /// with the text kept.
    func moveDue(_ row: FollowUpRow, input: String, verb: String, retry: () -> Void) {
        let due: DueDate
        switch context.timeFormat.dueDateParser.parse(input, now: context.clock.now) {
        case .success(let d): due = d
        case .failure(let error):
            context.status(error.message, .error)
            retry()
            return
        }
        let fu = repos.followUpRepository
        do {
            guard var current = try fu.get(row.id) else { throw RepositoryError.notFound(entity: "follow-up", id: row.id) }
            let oldDue = current.dueAt
            // The version the list was loaded with: a colleague's change in
            // between is reported, not overwritten.
            current.version = row.followUp.version
            current.dueAt = due.date
            let saved = try fu.update(current)
            var before = current
            before.dueAt = oldDue
            let shownIn = section
            context.recordUndo("\(verb.lowercased()) \(row.followUp.title)") { [unowned self] in
                let said = try context.revertEdit(entity: "follow-up", name: "\"\(row.followUp.title)\"", before: before, wrote: saved,
                                                  fields: UndoFields.followUp, load: fu.get, save: fu.update)
                restoredRow = (shownIn, AgendaCursor(dueAt: oldDue, id: row.id))
                return said
            }
            reload(keepOrdinal: true)
            context.status("\(verb) to \(due.description) — u to undo", .success)
        } catch {
            context.report(error)
            reload()
        }
    }

    func newFollowUp() {
        guard let item = selectedItem, let id = item.contactID else { return }
        var dealID: Int64?
        if case .followUp(let row) = item { dealID = row.followUp.dealID }
        context.present(.form(FollowUpForm.make(context: context, contactID: id, dealID: dealID, about: item.customerName) { [unowned self] _ in
            reload()
        }))
    }

    func undo() { context.undo(in: .today) }
}
