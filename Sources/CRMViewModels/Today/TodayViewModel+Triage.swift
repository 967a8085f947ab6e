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
        let item = selectedItem
        let followUpOnly = item == nil ? "nothing selected" : (selectedFollowUp == nil ? "works on follow-ups" : nil)
        let contactOnly = item?.contactID == nil ? (item == nil ? "nothing selected" : "no customer on this follow-up") : nil
        return [
            KeyBinding([.char("j"), .down], .moveDown, "Next item"),
            KeyBinding([.char("k"), .up], .moveUp, "Previous item"),
            KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
            KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            KeyBinding([.char("g"), .home], .top, "First item"),
            KeyBinding([.char("G"), .end], .bottom, "Last item"),
            KeyBinding([.enter], .open, "Open the customer with the timeline", hint: true, disabled: contactOnly),
            KeyBinding([.char("x")], .done, "Done: log the outcome, set the next follow-up", hint: true, disabled: followUpOnly),
            KeyBinding([.char("s")], .snooze, "Snooze: 1 hour, tomorrow morning, next week, or a date", hint: true, disabled: followUpOnly),
            KeyBinding([.char("r")], .reschedule, "Reschedule to a date", hint: true, disabled: followUpOnly),
            KeyBinding([.char("f")], .followUp, "New follow-up for this customer", disabled: contactOnly),
            KeyBinding([.char("c")], .call, "Call mode", hint: true, disabled: contactOnly),
            KeyBinding([.char("n")], .logNote, "Log note, email, meeting…", disabled: contactOnly),
            KeyBinding([.char("u")], .undo, "Undo the last action", hint: true,
                       disabled: context.undoStack.last == nil ? "nothing to undo" : nil),
            KeyBinding([.char("m")], .toggleEveryone, showEveryone ? "Only mine" : "Everyone's"),
        ]
    }

    public func handle(_ key: Key) -> Bool {
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    public func perform(_ action: ActionID) {
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: max(viewport - 2, 1))
        case .pageUp: move(by: -max(viewport - 2, 1))
        case .top: move(by: -Int.max / 2)
        case .bottom: move(by: Int.max / 2)
        case .open: openSelected()
        case .done: if let row = selectedFollowUp { markDone(row) }
        case .snooze: if let row = selectedFollowUp { askSnooze(row) }
        case .reschedule: if let row = selectedFollowUp { askReschedule(row) }
        case .followUp: newFollowUp()
        case .call:
            if let id = selectedItem?.contactID {
                ContactShortcuts.call(id, context: context) { [unowned self] in reload(keepOrdinal: true) }
            }
        case .logNote:
            if let item = selectedItem, let id = item.contactID {
                ContactShortcuts.note(id, name: item.customerName, context: context) { [unowned self] in reload(keepOrdinal: true) }
            }
        case .undo: undo()
        case .toggleEveryone:
            showEveryone.toggle()
            reload()
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

    /// Marks the follow-up done, then asks for the outcome (logged on the
    /// customer's timeline) and offers the next follow-up, +7 days by default.
    /// All of it is one action for `u`.
    func markDone(_ row: FollowUpRow) {
        let fu = repos.followUpRepository
        let now = context.clock.now
        var done = row.followUp
        done.status = .done
        done.doneAt = now
        let steps = CompoundUndo()
        do {
            let saved = try fu.update(done)
            steps.add {
                guard var back = try fu.get(saved.id) else { return }
                back.status = .open
                back.doneAt = nil
                _ = try fu.update(back)
            }
            context.undoStack.push("done: \(row.followUp.title)") { try steps.undo() }
        } catch {
            context.report(error)
            reload()
            return
        }
        reload(keepOrdinal: true)
        context.status("Done: \(row.followUp.title) — u to undo", .success)
        let name = row.contactName ?? row.dealTitle
        guard row.followUp.contactID != nil || row.followUp.dealID != nil else {
            offerNext(after: row, steps: steps)
            return
        }
        context.present(.prompt(Prompt("Outcome\(name.map { " with \($0)" } ?? "") (logged on the timeline; Enter alone skips):") { [unowned self] text in
            let outcome = text.trimmingCharacters(in: .whitespaces)
            if !outcome.isEmpty {
                do {
                    let logged = try repos.interactionRepository.log(Interaction(
                        contactID: row.followUp.contactID, dealID: row.followUp.dealID, kind: .note,
                        occurredAt: context.clock.now, outcome: outcome, subject: row.followUp.title, body: outcome,
                        createdAt: context.clock.now))
                    steps.add { [unowned self] in try repos.interactionRepository.delete(logged.id) }
                } catch {
                    context.report(error)
                }
            }
            offerNext(after: row, steps: steps)
        }))
    }

    /// "Next follow-up: +7d" — Enter accepts, Esc declines.
    func offerNext(after row: FollowUpRow, steps: CompoundUndo, typed: String = "+7d") {
        let parser = context.timeFormat.dueDateParser
        context.present(.prompt(Prompt("Next follow-up \"\(row.followUp.title)\" due (Enter accepts, Esc: none):", initial: typed,
                                       preview: { [unowned self] text in previewDue(text) }) { [unowned self] text in
            switch parser.parse(text, now: context.clock.now) {
            case .failure(let error):
                context.status(error.message, .error)
                offerNext(after: row, steps: steps, typed: text)
            case .success(let due):
                do {
                    let created = try repos.followUpRepository.create(FollowUp(
                        contactID: row.followUp.contactID, dealID: row.followUp.dealID, assigneeID: row.followUp.assigneeID,
                        title: row.followUp.title, note: row.followUp.note, dueAt: due.date, createdAt: context.clock.now))
                    steps.add { [unowned self] in try repos.followUpRepository.delete(created.id) }
                    reload(keepOrdinal: true)
                    context.status("Done; next follow-up \(due.description) — u undoes both", .success)
                } catch {
                    context.report(error)
                }
            }
        }))
    }

    /// Snooze choices by number, or any date the parser reads.
    static let snoozeChoices = ["1": "+1h", "2": "tomorrow morning", "3": "next week"]

    func askSnooze(_ row: FollowUpRow, typed: String = "") {
        context.present(.prompt(Prompt("Snooze — 1: an hour · 2: tomorrow 09:00 · 3: next week · or a date:",
                                       initial: typed, preview: { [unowned self] text in
                                           text.isEmpty ? "" : previewDue(Self.snoozeChoices[text] ?? text)
                                       }) { [unowned self] text in
            let typedText = text.trimmingCharacters(in: .whitespaces)
            let input = Self.snoozeChoices[typedText] ?? (typedText.isEmpty ? "+1h" : typedText)
            moveDue(row, input: input, verb: "Snoozed") { [unowned self] in askSnooze(row, typed: text) }
        }))
    }

    func askReschedule(_ row: FollowUpRow, typed: String? = nil) {
        context.present(.prompt(Prompt("Reschedule \"\(row.followUp.title)\" to:",
                                       initial: typed ?? context.timeFormat.editable(row.followUp.dueAt),
                                       preview: { [unowned self] text in previewDue(text) }) { [unowned self] text in
            moveDue(row, input: text, verb: "Rescheduled") { [unowned self] in askReschedule(row, typed: text) }
        }))
    }

    func previewDue(_ text: String) -> String {
        switch context.timeFormat.dueDateParser.parse(text, now: context.clock.now) {
        case .success(let due): "→ \(due.description)"
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
            context.undoStack.push("\(verb.lowercased()) \(row.followUp.title)") {
                guard var back = try fu.get(saved.id) else { return }
                back.dueAt = oldDue
                _ = try fu.update(back)
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

    func undo() {
        do {
            if let title = try context.undoStack.undo() {
                context.status("Undone: \(title)", .success)
            }
        } catch {
            context.report(error)
        }
        reload()
    }
}
