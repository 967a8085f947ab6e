import CRMCore
import CRMRepositories
import Foundation

// Drafts: unsaved work (a form, a prompt, the call card) kept while it is
// typed and on every way out that is not a save, and offered at the next start.
//
// The terminal loop calls `keepUnsavedWork()` once, on its way out, before
// it gives the terminal back; a failed `$EDITOR` keeps a draft too; and each
// tick keeps work that changed, every few seconds at most, for the ways out
// nobody is told of (`kill -9`). The next
// start by the same user on the same database offers each draft ("Enter
// restore · d discard · Esc later"); restoring builds the same form, prompt
// or card through the same code as the key that first opened it and puts the
// text back. A draft's file is deleted once its work is saved or discarded.
extension AppModel {
    /// What would be lost if the program stopped now, or nil when nothing
    /// typed is unsaved.
    public func unsavedWork() -> Draft? {
        let work: Draft.Work
        switch overlay {
        case .form(let form)?:
            guard form.isDirty else { return nil }
            work = .form(form.draft)
        case .call(let call)?:
            // A call in progress is worth keeping even with nothing typed: its start time.
            work = .call(call.draft)
        case .prompt(let prompt)?:
            guard let draft = prompt.draft else { return nil }
            work = .prompt(draft)
        default:
            // A contact form put aside to look at a possible duplicate.
            guard let parked = contacts.parkedForm, parked.isDirty else { return nil }
            work = .form(parked.draft)
        }
        return Draft(id: currentDraftID ?? UUID().uuidString.lowercased(), savedAt: clock.now, work: work)
    }

    /// Writes the unsaved work, if any, as a draft. The terminal loop calls
    /// this on its way out (signal, lost terminal, error), before the terminal
    /// is restored. Returns whether a draft was written.
    @discardableResult
    public func keepUnsavedWork() -> Bool {
        guard let drafts, let draft = unsavedWork() else { return false }
        do {
            try drafts.save(draft)
            currentDraftID = draft.id
            return true
        } catch {
            log("\(clock.now): could not keep a draft: \(error)")
            return false
        }
    }

    /// How often unsaved work is kept while it is typed, at most.
    static let draftInterval: TimeInterval = 3

    /// On the loop's tick, every `draftInterval` at most: the unsaved work is
    /// kept as a draft when it changed since it was last kept, so a process
    /// killed without a chance to keep it (`kill -9`, the machine losing
    /// power, the out-of-memory killer) leaves the text of a few seconds ago.
    /// Work that is no longer unsaved (its text erased) takes its draft along.
    func keepUnsavedWorkWhileTyping() {
        // Looked at every few seconds, not on every tick: building the work
        // to compare copies every field of the form.
        guard drafts != nil, clock.now.timeIntervalSince(draftKeptAt) >= Self.draftInterval else { return }
        draftKeptAt = clock.now
        let work = unsavedWork()?.work
        guard work != draftKeptWork else { return }
        if work == nil {
            workSettled()
        } else {
            keepUnsavedWork()
        }
        draftKeptWork = work
    }

    /// At the start: the drafts of this user on this database, newest first.
    func offerDrafts() {
        guard let drafts else { return }
        do {
            pendingDrafts = try drafts.load()
        } catch {
            log("\(clock.now): \(error)")
            status("Your drafts could not be read: \(error)", .warning)
        }
        if overlay == nil, let first = pendingDrafts.first { overlay = .draftOffer(first) }
    }

    func handleDraftOfferKey(_ key: Key, _ draft: Draft) -> [Effect] {
        switch key {
        case .enter:
            overlay = nil
            pendingDrafts.removeAll { $0.id == draft.id }
            restore(draft)
        case .char("d"), .char("D"):
            overlay = nil
            pendingDrafts.removeAll { $0.id == draft.id }
            do {
                try drafts?.delete(id: draft.id)
                status("Draft discarded", .info)
            } catch {
                log("\(clock.now): \(error)")
                status("The draft could not be deleted: \(error)", .error)
            }
        case .escape:
            overlay = nil
            pendingDrafts.removeAll { $0.id == draft.id }
            status("Draft kept: it is offered again at the next start", .info)
        default:
            break
        }
        return []
    }

    /// The work on screen was saved or discarded: its draft, if it had one, goes.
    func workSettled() {
        draftKeptWork = nil
        guard let id = currentDraftID else { return }
        currentDraftID = nil
        do { try drafts?.delete(id: id) } catch { log("\(clock.now): \(error)") }
    }

    /// `$EDITOR` is back: its text goes into the field; when it failed, the
    /// field keeps its text, the status line says what happened, and the text
    /// is kept as a draft too.
    func editorFinished(_ result: EditorResult) {
        guard case .form(let form)? = overlay else { return }
        switch result {
        case .edited(let text):
            form.externalEditFinished(text)
        case .failed(let why):
            form.externalEditFinished(nil)
            let kept = form.isDirty && keepUnsavedWork() ? ", and it is kept as a draft" : ""
            status("\(why.prefix(1).uppercased())\(why.dropFirst()): the text is as it was\(kept)", .warning)
        }
    }

    // MARK: restoring

    /// Builds the draft's form, prompt or card again and puts its text back.
    /// When that cannot be done (the record is gone), says why and keeps the
    /// draft for the next start.
    func restore(_ draft: Draft) {
        let restored: Bool
        switch draft.work {
        case .form(let form): restored = restoreForm(form)
        case .call(let call): restored = restoreCall(call)
        case .prompt(let prompt): restored = restorePrompt(prompt)
        }
        guard restored else { return }
        currentDraftID = draft.id
        // A warning from the restore itself (a start time it could not use) stays.
        if statusMessage?.kind != .warning { status("Restored what you had typed", .success) }
    }

    private func notRestored(_ reason: String, opened: Bool = false) -> Bool {
        if opened { overlay = nil }
        status("Not restored: \(reason). The draft is kept (d discards it at the next start)", .warning)
        return false
    }

    private func show(_ kind: ViewKind) {
        if activeKind != kind { run(kind.showAction) }
    }

    private func restoreForm(_ draft: FormDraft) -> Bool {
        guard let purpose = draft.purpose else {
            return notRestored("the form \u{201C}\(draft.title)\u{201D} cannot be opened again")
        }
        switch purpose {
        case .newContact:
            show(.contacts)
            contacts.addContact()
        case .newCaller(let number, let rang):
            // The call is still worth logging the next day, not a month on
            // (a start time as a call draft's restore accepts it).
            let now = clock.now
            guard rang <= now && now.timeIntervalSince(rang) < 30 * 86_400 else {
                return notRestored("the call from \(number) was too long ago to start its call mode again")
            }
            show(.contacts)
            answerUnknownCaller(number, name: nil, rang: rang)
        case .editContact(let id):
            show(.contacts)
            contacts.show(contactID: id)
            guard contacts.detail?.contact.id == id else { return notRestored("the contact is no longer there") }
            contacts.editContact()
        case .newCompany:
            show(.contacts)
            contacts.addCompany()
        case .editCompany(let id):
            show(.contacts)
            contacts.show(companyID: id)
            guard contacts.companyDetail?.company.id == id else { return notRestored("the company is no longer there") }
            contacts.editCompany()
        case .log(let contactID, let dealID, _):
            if let dealID {
                show(.pipeline)
                pipeline.openDetail(dealID)
                guard pipeline.detail?.card.id == dealID else { return notRestored("the deal is no longer there") }
                pipeline.logInteraction()
            } else if let contactID {
                show(.contacts)
                contacts.show(contactID: contactID)
                guard contacts.detail?.contact.id == contactID else { return notRestored("the contact is no longer there") }
                contacts.logInteraction()
            }
        case .followUp(let contactID, let dealID, let about):
            present(.form(FollowUpForm.make(context: self, contactID: contactID, dealID: dealID, about: about) { [unowned self] _ in
                activeView.refresh()
            }))
        case .newDeal(let pipelineID, let stageID):
            show(.pipeline)
            pipeline.show(pipelineID: pipelineID)
            guard pipeline.pipeline?.id == pipelineID else { return notRestored("the pipeline is no longer there") }
            if let i = pipeline.columns.firstIndex(where: { $0.stage.id == stageID }) { pipeline.focus(column: i) }
            pipeline.addDeal()
        case .editDeal(let id):
            show(.pipeline)
            pipeline.openDetail(id)
            guard pipeline.detail?.card.id == id else { return notRestored("the deal is no longer there") }
            pipeline.editDeal()
        case .settings:
            showSettings()
        case .editInteraction(let id, let about):
            guard let entry = read("the entry", { try repositories.interactionRepository.get(id) }) ?? nil, entry.deletedAt == nil else {
                return notRestored("the entry is no longer there")
            }
            present(.form(InteractionForm.edit(context: self, entry, about: about) { [unowned self] in activeView.refresh() }))
        }
        guard case .form(let form)? = overlay, form.purpose != nil else {
            return notRestored("the form \u{201C}\(draft.title)\u{201D} could not be opened again")
        }
        form.restore(draft)
        return true
    }

    private func restoreCall(_ draft: CallDraft) -> Bool {
        show(.contacts)
        contacts.show(contactID: draft.contactID)
        // A start time no call can have had (a damaged or hand-edited draft):
        // the timer starts now rather than log a call in another century.
        let now = clock.now
        let plausible = draft.startedAt <= now && now.timeIntervalSince(draft.startedAt) < 30 * 86_400
        guard contacts.detail?.contact.id == draft.contactID,
              let call = contacts.startCall(dealID: draft.dealID, startedAt: plausible ? draft.startedAt : now) else {
            return notRestored("\(draft.contactName) is no longer there")
        }
        call.restore(draft)
        if !plausible { status("The call's start time in the draft could not be used; its timer starts now", .warning) }
        return true
    }

    private func restorePrompt(_ draft: PromptDraft) -> Bool {
        let unasked = "your answer \u{201C}\(draft.text)\u{201D} to \u{201C}\(draft.title)\u{201D} cannot be asked again"
        guard let resume = draft.resume else { return notRestored(unasked) }
        switch resume {
        case .action(let view, let action):
            guard let target = views[view] else { return notRestored(unasked) }
            show(view)
            target.perform(action)
        case .board(let pipelineID, let stageID, let action):
            show(.pipeline)
            if pipeline.pipeline?.id != pipelineID || pipeline.mode != .board { pipeline.show(pipelineID: pipelineID) }
            if let stageID {
                guard let i = pipeline.columns.firstIndex(where: { $0.stage.id == stageID }) else {
                    return notRestored("the stage is no longer there")
                }
                pipeline.focus(column: i)
            }
            pipeline.perform(action)
        case .lostReason(let dealID, let version):
            show(.pipeline)
            pipeline.openDetail(dealID)
            guard pipeline.detail?.card.id == dealID else { return notRestored("the deal is no longer there") }
            // The deal as it was when the question was asked: a colleague's change since is caught.
            pipeline.detail?.card.deal.version = version
            pipeline.askLostReason()
        case .doneOutcome(let id, let version):
            guard let row = followUpRow(id, version: version) else { return notRestored("the follow-up is no longer there") }
            show(.today)
            today.markDone(row)
        case .nextFollowUp(let id, let version, let outcome):
            guard let row = followUpRow(id, version: version) else { return notRestored("the follow-up is no longer there") }
            show(.today)
            today.offerNext(after: row, outcome: outcome, typed: draft.text)
        case .snooze(let id, let version):
            guard let row = followUpRow(id, version: version) else { return notRestored("the follow-up is no longer there") }
            show(.today)
            today.askSnooze(row, typed: draft.text)
        case .reschedule(let id, let version):
            guard let row = followUpRow(id, version: version) else { return notRestored("the follow-up is no longer there") }
            show(.today)
            today.askReschedule(row, typed: draft.text)
        }
        guard case .prompt(var prompt)? = overlay else { return notRestored(unasked) }
        // Asked about what is in focus (a stage, a filter): when that is not
        // the same question any more (the stage renamed since), it is not
        // answered blindly. Questions about one record by id may name it anew.
        switch resume {
        case .action, .board:
            guard prompt.title == draft.title else { return notRestored(unasked, opened: true) }
        default:
            break
        }
        prompt.restore(text: draft.text)
        overlay = .prompt(prompt)
        return true
    }

    /// A follow-up as the Today list shows it, at the version the draft was
    /// typed against.
    private func followUpRow(_ id: Int64, version: Int64) -> FollowUpRow? {
        let found: FollowUpRow?? = read("the follow-up") {
            guard var followUp = try repositories.followUpRepository.get(id), followUp.deletedAt == nil else { return nil }
            followUp.version = version
            let contactName = try followUp.contactID.flatMap { try repositories.contactRepository.summary($0)?.name }
            let dealTitle = try followUp.dealID.flatMap { try repositories.dealRepository.get($0)?.title }
            return FollowUpRow(followUp: followUp, contactName: contactName, dealTitle: dealTitle)
        }
        return found ?? nil
    }
}
