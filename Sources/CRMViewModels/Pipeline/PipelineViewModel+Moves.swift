import CRMCore
import CRMRepositories
import Foundation

// Moving work: stage to stage, within a column, won, lost, reopen, undo.
// Every write names the version the screen showed; when someone else moved
// the deal meanwhile the store refuses and the board reloads to show theirs.
extension PipelineViewModel {
    /// Moves the focused deal one stage right (+1) or left (-1); the focus
    /// follows the deal, so pressing the key twice moves it two stages.
    func moveFocusedDeal(by offset: Int) {
        guard let card = focusedColumn?.selectedCard else { return }
        let from = focusColumn, to = focusColumn + offset
        guard columns.indices.contains(to) else { return }
        let fromStage = columns[from].stage, toStage = columns[to].stage
        do {
            let moved = try deals.move(card.id, toStage: toStage.id, expectedVersion: card.deal.version)
            // Named by where the undo puts it, and back in its place in the
            // column, not at the bottom (QA 38 A-F6).
            context.recordUndo("move of \(card.deal.title) (back to \(fromStage.name))") { [unowned self] in
                try moveBack(moved, to: fromStage, enteredAt: card.deal.stageEnteredAt, position: card.deal.position)
                return nil
            }
            try reloadColumn(from)
            focusColumn = to
            keepFocusInView()
            columns[to].totals = try deals.stageTotals(stageID: toStage.id, filter: filter)
            if let fresh = try deals.card(moved.id) { try withColumn(to) { try loader.reveal(&$0, card: fresh) } }
            context.status("\(card.deal.title): \(fromStage.name) → \(toStage.name)", .success)
        } catch {
            refused(error, doing: "Not moved")
        }
    }

    func reorderFocusedDeal(by offset: Int) {
        guard let card = focusedColumn?.selectedCard else { return }
        do {
            let moved = try deals.reorder(card.id, by: offset, expectedVersion: card.deal.version)
            guard moved.position != card.deal.position else {
                context.status("\(card.deal.title) is already \(offset < 0 ? "first" : "last") in \(columns[focusColumn].stage.name)", .info)
                return
            }
            context.recordUndo("reorder of \(card.deal.title)") { [unowned self] in
                try context.revertEdit(entity: "deal", name: card.deal.title, before: card.deal, wrote: moved,
                                       fields: UndoFields.deal, load: deals.get, save: deals.update)
            }
            if let fresh = try deals.card(moved.id) { try withColumn(focusColumn) { try loader.reveal(&$0, card: fresh) } }
        } catch {
            refused(error, doing: "Not reordered")
        }
    }

    func markWon() {
        guard let card = focusedCard, card.deal.status == .open else { return }
        close(card, as: .won, reason: "")
    }

    /// Lost needs a reason: pick one used before (Tab completes) or type one.
    func askLostReason() {
        guard let card = focusedCard, card.deal.status == .open else { return }
        let reasons = context.read("the lost reasons used before") { try deals.lostReasons(limit: 12) }
        let title = "Why was \(card.deal.title) lost?" + (reasons == nil ? " (earlier reasons could not be read)" : "")
        context.present(.prompt(Prompt(title, suggestions: reasons ?? [],
                                       resume: .lostReason(dealID: card.id, version: card.deal.version)) { [unowned self] text in
            let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                context.status("Not marked lost: a lost deal needs a reason", .warning)
                return
            }
            close(card, as: .lost, reason: reason)
        }))
    }

    func close(_ card: DealCard, as status: DealStatus, reason: String) {
        do {
            let closedDeal = try deals.close(card.id, as: status, reason: reason, expectedVersion: card.deal.version)
            context.recordUndo("\(status.rawValue) of \(card.deal.title)") { [unowned self] in
                let now = try stillAsWritten(closedDeal)
                // Back as it was: its days in the stage go on from when it entered it.
                _ = try deals.reopen(closedDeal.id, expectedVersion: now.version, stageEnteredAt: card.deal.stageEnteredAt)
                restoredDealID = closedDeal.id
                return nil
            }
            afterLeavingColumn(dealID: card.id)
            context.status(status == .won ? "Won: \(card.deal.title)" : "Lost: \(card.deal.title) (\(reason))", .success)
        } catch {
            refused(error, doing: status == .won ? "Not marked won" : "Not marked lost")
        }
    }

    func reopenFocused() {
        guard let card = focusedCard, card.deal.status != .open else { return }
        do {
            let reopened = try deals.reopen(card.id, expectedVersion: card.deal.version, stageEnteredAt: nil)
            let was = card.deal.status, reason = card.deal.lostReason
            context.recordUndo("reopening of \(card.deal.title)") { [unowned self] in
                let now = try stillAsWritten(reopened)
                _ = try deals.close(reopened.id, as: was, reason: reason, expectedVersion: now.version)
                return nil
            }
            afterWrite(dealID: card.id)
            context.status("Reopened \(card.deal.title): back on the board", .success)
        } catch {
            refused(error, doing: "Not reopened")
        }
    }

    /// Deleting a deal takes its follow-ups to the trash with it (after
    /// saying so), so nobody is reminded of a deal that is gone; restoring it
    /// (u, or from the trash) brings them back. One transaction, one undo.
    func confirmDelete() {
        guard let card = focusedCard else { return }
        let followUps: [FollowUpRow]
        do {
            followUps = try repos.followUpRepository.open(dealID: card.id)
        } catch {
            context.report(error)
            return
        }
        let also = switch followUps.count {
        case 0: ""
        case 1: " Its open follow-up goes with it."
        default: " Its \(followUps.count) open follow-ups go with it."
        }
        context.present(.confirm(Confirmation("Delete deal \(card.deal.title)?\(also) It goes to the trash; u undoes. (y/n)") { [unowned self] in
            do {
                try deals.delete(card.id)
                context.recordUndo("delete of \(card.deal.title)") { [unowned self] in
                    try context.restoreDeleted(card.deal.title) { try deals.restore(card.id) }
                    restoredDealID = card.id
                    return nil
                }
                context.status("Deleted \(card.deal.title)\(followUps.isEmpty ? "" : " and its follow-up\(followUps.count == 1 ? "" : "s")") — u to undo", .success)
                afterLeavingColumn(dealID: nil)
            } catch { refused(error, doing: "Not deleted") }
        }))
    }

    func undo() { context.undo(in: .pipeline) }

    /// The deal as an undo finds it, if it is still in the stage and state
    /// this user's action left it in; otherwise who moved it, and where.
    func stillAsWritten(_ wrote: Deal) throws -> Deal {
        guard let now = try deals.get(wrote.id), now.deletedAt == nil else {
            let change = context.lastChange(entity: "deal", id: wrote.id, fields: [])
            throw UndoRefusal("Not undone: \(change.who) deleted \(wrote.title)\(change.when)")
        }
        guard now.stageID == wrote.stageID, now.status == wrote.status else {
            let change = context.lastChange(entity: "deal", id: wrote.id, fields: ["stage", "status"])
            let stage = try repos.pipelineRepository.stage(now.stageID)?.name ?? "another stage"
            let state = if now.status != wrote.status {
                now.status == .open ? "reopened \(wrote.title)" : "marked \(wrote.title) \(now.status.rawValue)"
            } else {
                "moved \(wrote.title) to \(stage)"
            }
            throw UndoRefusal("Not undone: \(change.who) \(state)\(change.when); it stays there")
        }
        return now
    }

    /// Moves a deal back to the stage it came from, with the time it had
    /// entered it, unless someone moved it on.
    func moveBack(_ moved: Deal, to stage: Stage, enteredAt: Date, position: Double? = nil) throws {
        let now = try stillAsWritten(moved)
        _ = try deals.moveBack(moved.id, toStage: stage.id, enteredAt: enteredAt, position: position, expectedVersion: now.version)
    }

    /// Reloads what a write changed, in whichever mode the user is.
    func afterWrite(dealID: Int64?) {
        switch mode {
        case .board:
            do { try reloadColumn(focusColumn, keep: nil) } catch { context.report(error) }
            refresh(following: false)
        case .closed: reloadClosed(keep: nil)
        case .details: if let dealID { loadDetail(dealID) }
        }
    }

    /// A deal closed or deleted on the board leaves its column and changes
    /// nothing else the board shows: that column's totals and cards are read
    /// again, not the whole board (the pipeline's totals and every visible
    /// column, which `afterWrite` reads after an edit that may move a deal
    /// anywhere). Elsewhere, as `afterWrite`.
    func afterLeavingColumn(dealID: Int64?) {
        guard mode == .board else { return afterWrite(dealID: dealID) }
        do { try reloadColumn(focusColumn, keep: nil) } catch { context.report(error) }
    }

    /// A refused write: a stale one says who moved the deal; the board then
    /// shows the deal where it really is.
    func refused(_ error: Error, doing: String) {
        if case RepositoryError.stale(let stale) = error {
            let who = stale.changedBy ?? "someone else"
            let what = stale.deleted ? "deleted"
                : stale.changedFields == ["stage"] ? "moved"
                : stale.changedFields.isEmpty ? "changed" : "changed (\(stale.changedFields.joined(separator: ", ")))"
            // The board first (the focus follows a moved deal), then the
            // refusal, which says more than the follow's own line.
            refresh()
            context.status("\(doing): \(who) \(what) this deal\(stale.when(time: context.moment)); the board now shows their version",
                           .warning)
        } else {
            context.report(error)
        }
    }
}
