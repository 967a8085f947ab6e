import CRMCore
import CRMRepositories
import Foundation

// Deal details, the add/edit form, logging an interaction on a deal, and the
// list of won and lost deals.
extension PipelineViewModel {
    /// `returnTo`: the view the deal was opened from (a report's list), which
    /// closing the details (Esc, q) goes back to; nil: back to the board.
    public func openDetail(_ dealID: Int64, returnTo: ViewKind? = nil) {
        if mode != .details { detailReturnMode = mode }
        detailReturnView = returnTo
        mode = .details
        loadDetail(dealID)
    }

    func loadDetail(_ dealID: Int64) {
        do {
            guard let card = try deals.card(dealID), card.deal.deletedAt == nil else {
                context.status("The deal was deleted meanwhile", .warning)
                closeDetail()
                return
            }
            let history = try deals.historyEntries(dealID: dealID)
            let top = detail?.card.id == dealID ? detail?.timelineTop ?? 0 : 0
            var fresh = DealDetail(card: card, stage: try repos.pipelineRepository.stage(card.deal.stageID),
                                stays: DealDetail.stays(history, closedAt: card.deal.status == .open ? nil : card.deal.closedAt ?? card.deal.updatedAt,
                                                        now: context.clock.now),
                                timeline: try repos.interactionRepository.timeline(.deal(dealID), before: nil, limit: 200),
                                followUps: try repos.followUpRepository.open(dealID: dealID))
            fresh.timelineTop = min(top, max(fresh.timeline.count - 1, 0))
            detail = fresh
        } catch {
            context.report(error)
        }
    }

    func closeDetail() {
        mode = detailReturnMode
        detail = nil
        if let view = detailReturnView {
            detailReturnView = nil
            context.switchTo(view)
            return
        }
        refresh()
    }

    func scrollDetail(by delta: Int) {
        guard var d = detail else { return }
        d.timelineTop = min(max(d.timelineTop + delta, 0), max(d.timeline.count - 1, 0))
        detail = d
    }

    private var ownerLogins: [String] { context.userLogins() }

    func addDeal() {
        guard let pipeline, let stage = focusedColumn?.stage ?? openStages.first else { return }
        let blank = Deal(pipelineID: pipeline.id, stageID: stage.id, title: "", value: .zero(Currency(context.settings.currency) ?? .eur),
                         ownerID: context.me.id)
        let form = FormModel(title: "New deal in \(pipeline.name)",
                             fields: DealForms.fields(blank, stages: openStages, contact: "", company: "", owners: ownerLogins,
                                                      owner: context.me.login, timeFormat: context.timeFormat)) { [unowned self] form in
            let deal = try DealForms.apply(form, to: blank, stages: openStages, repos: repos, timeFormat: context.timeFormat)
            let created = try deals.create(deal)
            context.recordUndo("add \(created.title)") { [unowned self] in
                try context.deleteCreated(entity: "deal", name: created.title, created: created, load: deals.get, delete: deals.delete)
                return nil
            }
            reload()
            if let i = columns.firstIndex(where: { $0.stage.id == created.stageID }) {
                focusColumn = i
                keepFocusInView()
                reload()
                if let card = try deals.card(created.id) { try withColumn(i) { try loader.reveal(&$0, card: card) } }
            }
            return "Added \(created.title)"
        }
        form.purpose = .newDeal(pipelineID: pipeline.id, stageID: stage.id)
        form.lookups = ["contact": DealForms.contactLookup(context), "company": DealForms.companyLookup(context)]
        DealForms.previewReadings(in: form, timeFormat: context.timeFormat)
        context.present(.form(form))
    }

    func editDeal() {
        guard let card = focusedCard else { return }
        context.present(.form(dealForm(card.deal, ownerLogin: card.ownerLogin)))
    }

    /// The edit form of `original` (also the form an undo refused by a
    /// colleague's change opens, with the values from before the edit).
    private func dealForm(_ original: Deal, ownerLogin: String?) -> FormModel {
        let stagesForForm = original.status == .open ? openStages : stages
        let form = FormModel(title: "Edit \(original.title)",
                             fields: DealForms.fields(original, stages: stagesForForm,
                                                      contact: DealForms.contactLabel(original.contactID, context: context),
                                                      company: DealForms.companyLabel(original.companyID, context: context),
                                                      owners: ownerLogins, owner: ownerLogin ?? "", timeFormat: context.timeFormat),
                             baseVersion: original.version,
                             submit: { [unowned self] form in
                                 // The edit and the move are one unit of work.
                                 let (before, saved) = try repos.transaction {
                                     guard let before = try deals.get(original.id) else { throw RepositoryError.notFound(entity: "deal", id: original.id) }
                                     // The form holds some of the deal's fields; the others
                                     // (status, lost reason, when it closed) are the stored
                                     // ones, so saving over a colleague's change (Ctrl-O)
                                     // writes what the form shows and never reopens a deal
                                     // they marked won or lost meanwhile.
                                     var deal = try DealForms.apply(form, to: before, stages: stagesForForm, repos: repos,
                                                                    timeFormat: context.timeFormat)
                                     deal.version = form.baseVersion
                                     // A stage picked in the form is a move: history and timelines record it.
                                     let newStage = deal.stageID
                                     deal.stageID = before.stageID
                                     var saved = try deals.update(deal)
                                     if newStage != before.stageID {
                                         saved = try deals.move(saved.id, toStage: newStage, expectedVersion: saved.version)
                                     }
                                     return (before, saved)
                                 }
                                 let fromStage = try repos.pipelineRepository.stage(before.stageID)
                                 context.recordUndo("edit of \(saved.title)") { [unowned self] in
                                     let message = try context.revertEdit(
                                         entity: "deal", name: saved.title, before: before, wrote: saved, fields: UndoFields.deal,
                                         load: deals.get, save: deals.update,
                                         merge: { [unowned self] mine, stale in mergeForm(mine: mine, wrote: saved, stale: stale) })
                                     if let fromStage, saved.stageID != before.stageID {
                                         try moveBack(saved, to: fromStage, enteredAt: before.stageEnteredAt, position: before.position)
                                     }
                                     return message
                                 }
                                 afterWrite(dealID: saved.id)
                                 return "Saved \(saved.title)"
                             },
                             reload: { [unowned self] in
                                 guard let fresh = try deals.card(original.id) else { throw RepositoryError.notFound(entity: "deal", id: original.id) }
                                 return (formValues(fresh.deal, ownerLogin: fresh.ownerLogin), fresh.deal.version)
                             })
        form.purpose = .editDeal(id: original.id)
        form.lookups = ["contact": DealForms.contactLookup(context), "company": DealForms.companyLookup(context)]
        DealForms.previewReadings(in: form, timeFormat: context.timeFormat)
        return form
    }

    /// What the edit form shows for `deal`, field by field.
    private func formValues(_ deal: Deal, ownerLogin: String?) -> [String: String] {
        let values = DealForms.fields(deal, stages: deal.status == .open ? openStages : stages,
                                      contact: DealForms.contactLabel(deal.contactID, context: context),
                                      company: DealForms.companyLabel(deal.companyID, context: context),
                                      owners: ownerLogins, owner: ownerLogin ?? "", timeFormat: context.timeFormat)
        return Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0.value) })
    }

    /// When a colleague changed the same fields after my edit: the edit form
    /// with my values from before it, ready for Ctrl-O (mine over theirs) or
    /// Ctrl-R (theirs), as a contact's refused undo does.
    private func mergeForm(mine: Deal, wrote: Deal, stale: StaleEdit) -> FormModel? {
        do {
            let login = { (id: Int64?) in try id.flatMap { try self.repos.user(id: $0)?.login } }
            let form = dealForm(wrote, ownerLogin: try login(wrote.ownerID))
            form.showConflict(stale, mine: formValues(mine, ownerLogin: try login(mine.ownerID)),
                              base: formValues(wrote, ownerLogin: try login(wrote.ownerID)),
                              banner: ContactsViewModel.mergeBanner(stale))
            return form
        } catch {
            context.report(error)
            return nil
        }
    }

    /// Logs a note, call, email… on the deal (and its contact and company, so
    /// it shows in all three timelines).
    func logInteraction() {
        guard let card = focusedCard else { return }
        context.present(.form(InteractionForm.log(context: context, contactID: card.deal.contactID, companyID: card.deal.companyID,
                                                  dealID: card.id, about: card.deal.title, onDeal: true) { [unowned self] _ in
            afterWrite(dealID: card.id)
        }))
    }

    // MARK: won and lost

    func showClosed() {
        mode = .closed
        reloadClosed(keep: nil)
    }

    func reloadClosed(keep dealID: Int64?) {
        guard let pipeline else { return }
        do {
            let rows = try deals.closedDeals(pipelineID: pipeline.id, status: closedStatus, filter: filter, after: nil, limit: closedPageSize + 1)
            let index = dealID.flatMap { id in rows.firstIndex { $0.id == id } } ?? min(closed.selected, max(rows.count - 2, 0))
            closed.replace(Array(rows.prefix(closedPageSize)), selected: index, offsetInView: index - closed.scrollTop,
                           moreAfter: rows.count > closedPageSize)
        } catch {
            context.report(error)
        }
    }

    func closedMove(by delta: Int) {
        var target = closed.selected + delta
        if target >= closed.rows.count, closed.moreAfter, let last = closed.rows.last, let pipeline {
            do {
                let more = try deals.closedDeals(pipelineID: pipeline.id, status: closedStatus, filter: filter,
                                                 after: last.closedCursor, limit: closedPageSize + 1)
                target -= closed.append(Array(more.prefix(closedPageSize)), moreAfter: more.count > closedPageSize)
            } catch { context.report(error) }
        }
        // Above the loaded rows (after `G` read the end): the page before them.
        if target < 0, closed.moreBefore, let first = closed.rows.first, let pipeline {
            do {
                let more = try deals.closedDeals(pipelineID: pipeline.id, status: closedStatus, filter: filter,
                                                 before: first.closedCursor, limit: closedPageSize + 1)
                target += closed.prepend(Array(more.suffix(closedPageSize)), moreBefore: more.count > closedPageSize)
            } catch { context.report(error) }
        }
        closed.select(target)
    }

    /// The first closed deal: the first page again when `G` left the
    /// start of the list unloaded.
    func closedToStart() {
        if closed.moreBefore {
            closed.select(0)
            reloadClosed(keep: nil)
        }
        closed.select(0)
    }

    /// The last closed deal: the list's last page, read backwards from its
    /// end (keyset), so the end costs what the start does.
    func closedToEnd() {
        guard closed.moreAfter, let pipeline else {
            closed.select(closed.rows.count - 1)
            return
        }
        do {
            let rows = try deals.closedDeals(pipelineID: pipeline.id, status: closedStatus, filter: filter, before: nil,
                                             limit: closedPageSize + 1)
            let page = Array(rows.suffix(closedPageSize))
            closed.replace(page, selected: page.count - 1, offsetInView: closed.viewport - 1,
                           moreBefore: rows.count > closedPageSize)
        } catch {
            context.report(error)
        }
        closed.select(closed.rows.count - 1)
    }

    func cycleClosedStatus() {
        closedStatus = switch closedStatus {
        case nil: .won
        case .won: .lost
        default: nil
        }
        closed.select(0)
        reloadClosed(keep: nil)
    }
}
