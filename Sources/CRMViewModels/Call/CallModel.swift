import CRMCore
import CRMRepositories
import Foundation

/// Call mode: the customer pinned on a card, a running timer, and a note
/// typed while talking. Ending the call logs it with its duration, direction
/// and note; leaving without logging asks first.
public final class CallModel {
    public enum Outcome: Equatable { case active, ended(String), cancelled }

    unowned let context: AppContext
    public let detail: ContactDetail
    public let recent: [TimelineEntry]
    /// The last interactions could not be read (the card says so instead of "none yet").
    public let recentUnavailable: Bool
    public let startedAt: Date
    public private(set) var direction: Direction = .outbound
    public private(set) var note = TextArea()
    public private(set) var outcome = LineEditor()
    /// Which field takes typing: the note (false) or the one-line outcome (true).
    public private(set) var editingOutcome = false
    /// When the call happened, typed like a due date but looking back
    /// ("yesterday 15:00", "mon 9:30", "-2h"); empty: when the card opened.
    public private(set) var when = LineEditor()
    /// The "when" line takes typing (Tab from the outcome).
    public private(set) var editingWhen = false
    public private(set) var confirmingDiscard = false
    /// Ctrl-F: open the follow-up form for this customer once the call is logged.
    public private(set) var followUpAfter = false
    public private(set) var error: String?
    private let onLogged: () -> Void

    /// The deal the call is about, when it was started from one: the call
    /// then shows in the deal's timeline too.
    public let dealID: Int64?
    /// The follow-up the call was started from (on Today): when the call is
    /// logged, completing it with the call's outcome is offered.
    public internal(set) var fromFollowUp: FollowUpRow?

    /// `startedAt`: when the call began, if not now (a call restored from a
    /// draft keeps its real start, and its timer counts from then).
    /// `direction`: outbound unless the call came in (`crm --call`).
    init(context: AppContext, detail: ContactDetail, dealID: Int64? = nil, startedAt: Date? = nil, direction: Direction = .outbound,
         onLogged: @escaping () -> Void) {
        self.context = context
        self.direction = direction
        self.detail = detail
        self.dealID = dealID
        self.startedAt = startedAt ?? context.clock.now
        self.onLogged = onLogged
        let recent = context.read("the last interactions") {
            try context.repositories.interactionRepository.timeline(.contact(detail.contact.id), before: nil, limit: 3)
        }
        self.recent = recent ?? []
        self.recentUnavailable = recent == nil
    }

    /// The card as a draft: contact, direction, note, outcome and the real start.
    public var draft: CallDraft {
        CallDraft(contactID: detail.contact.id, contactName: detail.contact.name, dealID: dealID, startedAt: startedAt,
                  direction: direction, note: note.text, outcome: outcome.text, editingOutcome: editingOutcome,
                  followUpAfter: followUpAfter, when: when.text.isEmpty ? nil : when.text)
    }

    /// Puts a draft's text back on this card (built with the draft's start time).
    func restore(_ draft: CallDraft) {
        direction = draft.direction
        note = TextArea(draft.note)
        outcome = LineEditor(draft.outcome)
        editingOutcome = draft.editingOutcome
        followUpAfter = draft.followUpAfter
        when = LineEditor(draft.when ?? "")
    }

    /// What the "when" line was understood as, under it.
    public var whenHint: String {
        when.text.trimmingCharacters(in: .whitespaces).isEmpty
            // The time first: at 80 columns the end is cut (QA 40 #8).
            ? "→ \(context.timeFormat.full(startedAt)) (empty: when the call started)"
            : WhenField.hint(when.text, context: context)
    }

    /// Never traps: a start time from a damaged draft (or a clock that jumped)
    /// gives at most a day, which is also the longest call that can be logged.
    public var elapsedSeconds: Int {
        let seconds = context.clock.now.timeIntervalSince(startedAt)
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds, 86_400))
    }
    public var timerText: String { TimeFormat.duration(elapsedSeconds) }

    public static let keyHelp: [KeyBinding] = [
        KeyBinding([.ctrl("s"), .function(2)], .endCall, "End call and log it", hint: true),
        KeyBinding([.ctrl("t")], .toggleDirection, "Toggle inbound / outbound", hint: true),
        KeyBinding([.tab], .nextPane, "Next field: note, outcome, when (e.g. yesterday 15:00)", hint: true),
        KeyBinding([.backTab], .previousField, "Previous field"),
        KeyBinding([.ctrl("f")], .toggleFollowUpAfter, "Set a follow-up after the call", hint: true),
        KeyBinding([.escape, .ctrl("c")], .back, "Leave without logging (asks)", hint: true),
    ]

    public func handle(_ key: Key) -> Outcome {
        if confirmingDiscard {
            if key == .char("y") || key == .char("Y") { return .cancelled }
            confirmingDiscard = false
            return .active
        }
        switch key {
        case .escape:
            confirmingDiscard = true
        case .ctrl("s"), .function(2):
            return end()
        case .ctrl("t"):
            direction = direction == .outbound ? .inbound : .outbound
        case .ctrl("f"):
            followUpAfter.toggle()
        case .tab:
            (editingOutcome, editingWhen) = editingWhen ? (false, false) : (editingOutcome ? (false, true) : (true, false))
        case .backTab:
            (editingOutcome, editingWhen) = editingWhen ? (true, false) : (editingOutcome ? (false, false) : (false, true))
        default:
            if editingWhen {
                if key == .enter { editingWhen = false } else { _ = when.handle(key) }
            } else if editingOutcome {
                if key == .enter { editingOutcome = false } else { _ = outcome.handle(key) }
            } else {
                _ = note.handle(key)
            }
        }
        return .active
    }

    private func end() -> Outcome {
        // A call left running past a day (the terminal forgotten overnight)
        // is logged as a day, the longest a logged duration may be, rather
        // than refused with the note still unsaved.
        let duration = min(elapsedSeconds, Interaction.maxDurationSeconds)
        do {
            let occurredAt = when.text.trimmingCharacters(in: .whitespaces).isEmpty
                ? startedAt : try WhenField.parse(when.text, context: context)
            if let paired = try completeHookCall(duration: duration) {
                onLogged()
                if let row = fromFollowUp { offerCompletion(row, outcome: outcome.text) } else if followUpAfter { presentFollowUpForm() }
                return .ended("Logged \(TimeFormat.duration(paired.durationSeconds ?? duration)) call with \(detail.contact.name) "
                              + "(the note added to the call your phone logged)")
            }
            let logged = try context.repositories.interactionRepository.log(Interaction(
                contactID: detail.contact.id, dealID: dealID, kind: .call, direction: direction, occurredAt: occurredAt,
                durationSeconds: duration, outcome: outcome.text, subject: "", body: note.text,
                createdAt: context.clock.now))
            context.recordLogged(logged, about: detail.contact.name)
            onLogged()
            if let row = fromFollowUp {
                offerCompletion(row, outcome: outcome.text)
            } else if followUpAfter {
                presentFollowUpForm()
            }
            return .ended("Logged \(TimeFormat.duration(duration)) call with \(detail.contact.name)")
        } catch RepositoryError.busy {
            // Another user's save held the lock too long: the card and the note stay.
            self.error = BusyRetry.statusLine(nothing: "Call not logged yet", retryKey: "Ctrl-S")
            return .active
        } catch let error as FieldError where error.field == "when" {
            self.error = "When \(error.message)"
            (editingOutcome, editingWhen) = (false, true)
            return .active
        } catch {
            // Keep the card and the note: nothing typed is lost.
            self.error = "\(error)"
            return .active
        }
    }

    /// The call the softphone's hang-up hook logged while this card was
    /// open (`CallPairing`), completed with the card's note and outcome
    /// (its measured duration kept), in one transaction; nil: none, log one.
    private func completeHookCall(duration: Int) throws -> Interaction? {
        let repos = context.repositories, repo = repos.interactionRepository
        let me = repos.currentUser.id, contact = detail.contact
        guard let (before, wrote) = try repos.transaction({ () throws -> (Interaction, Interaction)? in
            let recent = try CallPairing.recentCalls(of: contact.id, in: repos)
            guard let hook = CallPairing.hookCall(among: recent, contactID: contact.id, direction: direction, authorID: me,
                                                  cardStarted: startedAt) else { return nil }
            var merged = hook
            merged.body = note.text
            if merged.outcome.isEmpty { merged.outcome = outcome.text }
            if merged.durationSeconds == nil { merged.durationSeconds = duration }
            if merged.dealID == nil { merged.dealID = dealID }
            return (hook, try repo.update(merged))
        }) else { return nil }
        context.recordUndo("note on the call with \(contact.name)") { [context] in
            try context.revertEdit(entity: "interaction", name: "the call with \(contact.name)", before: before, wrote: wrote,
                                   fields: UndoFields.interaction, load: repo.get, save: repo.update)
        }
        return wrote
    }

    private func presentFollowUpForm() {
        let contact = detail.contact
        context.present(.form(FollowUpForm.make(context: context, contactID: contact.id, about: contact.name,
                                                title: outcome.text.isEmpty ? nil : outcome.text) { [onLogged] _ in onLogged() }))
    }

    /// "Complete the follow-up with this call?": y (or Enter) marks it done,
    /// the call (with its outcome) being what was done; n or Esc leaves it
    /// open. Then the follow-up form, if Ctrl-F asked for one.
    private func offerCompletion(_ row: FollowUpRow, outcome text: String) {
        let said = text.isEmpty ? "" : " (outcome: \(text))"
        context.present(.prompt(Prompt("Complete the follow-up \"\(row.followUp.title)\" with this call\(said)? y/Enter: yes · n/Esc: no",
                                       quickKeys: ["y": "y", "Y": "y", "n": "n", "N": "n"],
                                       onCancel: { [self] in
                                           context.status("Left open: \(row.followUp.title)", .info)
                                           if followUpAfter { presentFollowUpForm() }
                                       }) { [self] answer in
            let a = answer.trimmingCharacters(in: .whitespaces).lowercased()
            // Anything but yes or no is asked again (QA 44: a "4" typed to go
            // to the Timeline view declined it without a word).
            guard a.isEmpty || a.hasPrefix("y") || a.hasPrefix("n") else {
                context.status("Answer y (or Enter) to mark it done, n (or Esc) to leave it open", .warning)
                return offerCompletion(row, outcome: text)
            }
            if a.isEmpty || a.hasPrefix("y") {
                complete(row, outcome: text)
            } else {
                context.status("Left open: \(row.followUp.title)", .info)
            }
            if followUpAfter { presentFollowUpForm() }
        }))
    }

    /// Marks the follow-up done at the version the call started from (a
    /// colleague's change in between is reported); one undo entry.
    private func complete(_ row: FollowUpRow, outcome text: String) {
        let fu = context.repositories.followUpRepository
        var done = row.followUp
        done.status = .done
        done.doneAt = context.clock.now
        do {
            let wrote = try context.repositories.transaction { try fu.update(done) }
            let before = row.followUp
            context.recordUndo("done: \(before.title)") { [context] in
                try context.revertEdit(entity: "follow-up", name: "\"\(before.title)\"", before: before, wrote: wrote,
                                       fields: UndoFields.followUp, load: fu.get, save: fu.update)
            }
            onLogged()
            context.status("Done: \(before.title)\(text.isEmpty ? "" : " — \(text)") — u to undo", .success)
        } catch {
            context.report(error)
        }
    }
}
