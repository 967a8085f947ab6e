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
            context.undoStack.push("move of \(card.deal.title) to \(toStage.name)") { [unowned self] in
                guard let now = try deals.get(moved.id) else { throw RepositoryError.notFound(entity: "deal", id: moved.id) }
                _ = try deals.move(moved.id, toStage: fromStage.id, expectedVersion: now.version)
            }
            try reloadColumn(from)
            focusColumn = to
            keepFocusInView()
            columns[to].totals = try deals.stageTotals(stageID: toStage.id, filter: filter)
            if let fresh = try deals.card(moved.id) { try loader.reveal(&columns[to], card: fresh) }
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
            let oldPosition = card.deal.position
            context.undoStack.push("reorder of \(card.deal.title)") { [unowned self] in
                guard var now = try deals.get(moved.id) else { throw RepositoryError.notFound(entity: "deal", id: moved.id) }
                now.position = oldPosition
                _ = try deals.update(now)
            }
            if let fresh = try deals.card(moved.id) { try loader.reveal(&columns[focusColumn], card: fresh) }
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
        context.present(.prompt(Prompt(title, suggestions: reasons ?? []) { [unowned self] text in
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
            context.undoStack.push("\(status.rawValue) of \(card.deal.title)") { [unowned self] in
                guard let now = try deals.get(closedDeal.id) else { throw RepositoryError.notFound(entity: "deal", id: closedDeal.id) }
                _ = try deals.reopen(closedDeal.id, expectedVersion: now.version)
            }
            afterWrite(dealID: card.id)
            context.status(status == .won ? "Won: \(card.deal.title)" : "Lost: \(card.deal.title) (\(reason))", .success)
        } catch {
            refused(error, doing: status == .won ? "Not marked won" : "Not marked lost")
        }
    }

    func reopenFocused() {
        guard let card = focusedCard, card.deal.status != .open else { return }
        do {
            let reopened = try deals.reopen(card.id, expectedVersion: card.deal.version)
            let was = card.deal.status, reason = card.deal.lostReason
            context.undoStack.push("reopening of \(card.deal.title)") { [unowned self] in
                guard let now = try deals.get(reopened.id) else { throw RepositoryError.notFound(entity: "deal", id: reopened.id) }
                _ = try deals.close(reopened.id, as: was, reason: reason, expectedVersion: now.version)
            }
            afterWrite(dealID: card.id)
            context.status("Reopened \(card.deal.title): back on the board", .success)
        } catch {
            refused(error, doing: "Not reopened")
        }
    }

    func confirmDelete() {
        guard let card = focusedCard else { return }
        context.present(.confirm(Confirmation("Delete deal \(card.deal.title)? It goes to the trash; u undoes. (y/n)") { [unowned self] in
            do {
                try deals.delete(card.id)
                context.undoStack.push("delete of \(card.deal.title)") { [unowned self] in try deals.restore(card.id) }
                context.status("Deleted \(card.deal.title) — u to undo", .success)
                afterWrite(dealID: nil)
            } catch { context.report(error) }
        }))
    }

    func undo() {
        do {
            if let title = try context.undoStack.undo() {
                context.status("Undone: \(title)", .success)
            }
        } catch {
            refused(error, doing: "Could not undo")
            return
        }
        refresh()
    }

    /// Reloads what a write changed, in whichever mode the user is.
    func afterWrite(dealID: Int64?) {
        switch mode {
        case .board:
            do { try reloadColumn(focusColumn, keep: nil) } catch { context.report(error) }
            refresh()
        case .closed: reloadClosed(keep: nil)
        case .details: if let dealID { loadDetail(dealID) }
        }
    }

    /// A refused write: a stale one says who moved the deal; the board then
    /// shows the deal where it really is.
    func refused(_ error: Error, doing: String) {
        if case RepositoryError.stale(let stale) = error {
            let who = stale.changedBy ?? "someone else"
            let what = stale.deleted ? "deleted"
                : stale.changedFields == ["stage"] ? "moved"
                : stale.changedFields.isEmpty ? "changed" : "changed (\(stale.changedFields.joined(separator: ", ")))"
            context.status("\(doing): \(who) \(what) this deal a moment ago; the board now shows their version", .warning)
            refresh()
        } else {
            context.report(error)
        }
    }
}
