import CRMCore
import CRMRepositories
import Foundation

// The pipeline's key table (one per mode) and the dispatch that reads it, so
// the hint bar, `?` and the palette always say what the keys really do.
extension PipelineViewModel: WorkspaceView {
    public var kind: ViewKind { .pipeline }

    public func activate() {
        if pipeline == nil { reload() } else { refresh() }
    }

    public var keyBindings: [KeyBinding] {
        switch mode {
        case .board: boardBindings
        case .closed: closedBindings
        case .details: detailBindings
        }
    }

    private var boardBindings: [KeyBinding] {
        let card = focusedCard == nil ? "no deal here" : nil
        let column = focusedColumn
        let hasNext = column != nil && focusColumn + 1 < columns.count ? nil : "this is the last open stage; mark it won (w) or lost (x)"
        let hasPrevious = focusColumn > 0 ? nil : "this is the first stage"
        return [
            KeyBinding([.char("h"), .left], .moveLeft, "Previous stage (column)"),
            KeyBinding([.char("l"), .right], .moveRight, "Next stage (column)"),
        ] + KeyBinding.listNavigation(row: "deal", first: "First deal of the column", last: "Last deal of the column") + [
            // First of the hints: what the next Esc clears matters more than the rest while a filter is on.
            KeyBinding([.escape], .clearFilters, nextEscapeClears.map { "Clear \($0)" } ?? "Clear search and filters", hint: true,
                       disabled: isFiltered ? nil : "no filter set", hintTitle: nextEscapeClears.map { "clear \($0)" }),
            KeyBinding([.char("L"), .char(">")], .dealNextStage, "Deal to next stage", hint: true, disabled: card ?? hasNext),
            KeyBinding([.char("H"), .char("<")], .dealPreviousStage, "Deal to previous stage", hint: true, disabled: card ?? hasPrevious),
            KeyBinding([.char("K")], .reorderUp, "Move deal up in its column", disabled: card),
            KeyBinding([.char("J")], .reorderDown, "Move deal down in its column", disabled: card),
            KeyBinding([.char("w")], .markWon, "Mark won", hint: true, disabled: card),
            KeyBinding([.char("x")], .markLost, "Mark lost (asks for a reason)", hint: true, disabled: card),
            KeyBinding([.enter], .open, "Deal details", hint: true, disabled: card),
            KeyBinding([.char("a")], .add, "Add deal", disabled: columns.isEmpty ? "this pipeline has no open stage" : nil),
            KeyBinding([.char("e")], .edit, "Edit deal", disabled: card),
            KeyBinding([.char("n")], .logNote, "Log note, call, email… on the deal", disabled: card),
            KeyBinding([.char("f")], .followUp, "Follow-up on the deal", disabled: card),
            KeyBinding([.char("d")], .delete, "Delete deal (to trash)", disabled: card),
            KeyBinding([.char(" ")], .mark, markedDeals.isEmpty ? "Mark for reassigning together"
                       : "Mark / unmark (\(markedDeals.count) marked)", disabled: card),
            KeyBinding([.char("O")], .reassign, markedDeals.isEmpty ? "Reassign owner" : "Reassign the \(markedDeals.count) marked to…",
                       hint: !markedDeals.isEmpty, disabled: card),
            context.undoBinding(in: .pipeline),
            KeyBinding([.char("/")], .search, "Search the board", hint: true),
            KeyBinding([.char("m")], .filterMine, ownerLogin == nil ? "Only my deals" : "Everyone's deals"),
            KeyBinding([.char("o")], .filterOwner, "Cycle owner filter"),
            KeyBinding([.char("b")], .filterClosingBefore, "Expected close before a date"),
            KeyBinding([.char("c")], .showClosed, "Won and lost deals", hint: true),
            KeyBinding([.char("p")], .nextPipeline, "Next pipeline", disabled: pipelines.count > 1 ? nil : "only one pipeline"),
            KeyBinding([.char("P")], .addPipeline, "New pipeline"),
            KeyBinding([.ctrl("r")], .renamePipeline, "Rename pipeline", disabled: pipeline == nil ? "no pipeline" : nil),
            KeyBinding([.char("A")], .addStage, "Add stage after this one"),
            KeyBinding([.char("R")], .renameStage, "Rename stage", disabled: column == nil ? "no stage" : nil),
            KeyBinding([.char("%")], .stageProbability, "Set stage win probability", disabled: column == nil ? "no stage" : nil),
            KeyBinding([.char("T")], .stageRotDays, "Set stage rotting days", disabled: column == nil ? "no stage" : nil),
            KeyBinding([.char("{")], .moveStageLeft, "Move stage left", disabled: hasPrevious),
            KeyBinding([.char("}")], .moveStageRight, "Move stage right", disabled: column != nil && focusColumn + 1 < columns.count ? nil : "this is the last stage"),
            KeyBinding([.char("D")], .deleteStage, "Delete stage (choose where its deals go)",
                       disabled: columns.count > 1 ? nil : "a pipeline needs at least one open stage"),
        ]
    }

    private var closedBindings: [KeyBinding] {
        let card = closed.selectedRow == nil ? "no deal here" : nil
        return KeyBinding.listNavigation(row: "deal") + [
            KeyBinding([.enter], .open, "Deal details", hint: true, disabled: card),
            KeyBinding([.char("r")], .reopen, "Reopen: back on the board", hint: true, disabled: card),
            KeyBinding([.char("s")], .cycleClosedStatus, "Show won / lost / both", hint: true),
            context.undoBinding(in: .pipeline),
            KeyBinding.back("Back to the board", also: [.char("c")]),
        ]
    }

    private var detailBindings: [KeyBinding] {
        let d = detail
        return [
            KeyBinding([.char("e")], .edit, "Edit deal", hint: true, disabled: d == nil ? "no deal" : nil),
            KeyBinding([.char("H")], .history, "History: who changed what, when", disabled: d == nil ? "no deal" : nil),
            KeyBinding([.char("n")], .logNote, "Log note, call, email…", hint: true, disabled: d == nil ? "no deal" : nil),
            KeyBinding([.char("f")], .followUp, "Follow-up on the deal", hint: true, disabled: d == nil ? "no deal" : nil),
            KeyBinding([.char("F")], .followUpList, "The deal's follow-ups: edit, cancel, delete, reassign",
                       disabled: d == nil ? "no deal" : nil),
            KeyBinding([.char("c")], .call, "Call the deal's contact", hint: true,
                       disabled: d?.card.deal.contactID == nil ? "the deal has no contact" : nil),
            KeyBinding([.char("C")], .openContact, "Go to the contact", hint: true,
                       disabled: d?.card.deal.contactID == nil ? "the deal has no contact" : nil),
            KeyBinding([.char("O")], .openCompany, "Go to the company", hint: true,
                       disabled: d?.card.deal.companyID == nil ? "the deal has no company" : nil),
            KeyBinding([.char("w")], .markWon, "Mark won", disabled: d?.card.deal.status == .open ? nil : "the deal is closed"),
            KeyBinding([.char("x")], .markLost, "Mark lost", disabled: d?.card.deal.status == .open ? nil : "the deal is closed"),
            KeyBinding([.char("r")], .reopen, "Reopen", disabled: d?.card.deal.status == .open ? "the deal is open" : nil),
            KeyBinding([.char("j"), .down], .moveDown, "Next timeline entry"),
            KeyBinding([.char("k"), .up], .moveUp, "Previous timeline entry"),
            KeyBinding([.char("E")], .editEntry, "Edit the timeline entry", hint: true, disabled: InteractionForm.lockedReason(selectedDetailEntry), hintTitle: "edit entry"),
            KeyBinding([.char("D")], .deleteEntry, "Delete the timeline entry (to trash)",
                       disabled: InteractionForm.lockedReason(selectedDetailEntry)),
            context.undoBinding(in: .pipeline),
            KeyBinding.back("Back", also: [.char("h")]),
        ]
    }

    public func handle(_ key: Key) -> Bool {
        if isSearching { return handleSearchKey(key) }
        countTotalsIfPending()
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    public func perform(_ action: ActionID) {
        // The board under the won/lost list is kept as it was; anything but
        // moving about the list (a reopen, a rename, …) may change it.
        if mode == .closed, !Self.closedListMoves.contains(action) { boardIsStale = true }
        if refusedOnACardTheFocusFellOn(action) { return }
        switch (mode, action) {
        case (.board, .moveLeft): focus(column: focusColumn - 1)
        case (.board, .moveRight): focus(column: focusColumn + 1)
        case (.board, .moveDown): moveVertically(by: 1)
        case (.board, .moveUp): moveVertically(by: -1)
        case (.board, .pageDown): moveVertically(by: cardsPerColumn)
        case (.board, .pageUp): moveVertically(by: -cardsPerColumn)
        case (.board, .top): columnEdge(last: false)
        case (.board, .bottom): columnEdge(last: true)
        case (.board, .dealNextStage): moveFocusedDeal(by: 1)
        case (.board, .dealPreviousStage): moveFocusedDeal(by: -1)
        case (.board, .reorderUp): reorderFocusedDeal(by: -1)
        case (.board, .reorderDown): reorderFocusedDeal(by: 1)
        case (_, .markWon): markWon()
        case (_, .markLost): askLostReason()
        case (_, .open): if let card = focusedCard { openDetail(card.id) }
        case (.board, .add): addDeal()
        case (_, .edit): editDeal()
        case (.board, .mark): toggleMark()
        case (.board, .reassign): reassignMarked()
        case (.details, .history):
            if let card = detail?.card {
                context.present(.audit(AuditModel(context: context, entity: "deal", id: card.id, name: card.deal.title)))
            }
        case (_, .logNote): logInteraction()
        case (.details, .editEntry): editDetailEntry()
        case (.details, .deleteEntry): deleteDetailEntry()
        case (_, .followUp): newFollowUp()
        case (.details, .followUpList):
            if let d = detail {
                context.showFollowUps(FollowUpFilter(statuses: Set(FollowUpStatus.allCases), dealID: d.card.id),
                                      about: "deal \(d.card.deal.title)", returnTo: .pipeline)
            }
        case (.details, .call):
            if let card = detail?.card, let contactID = card.deal.contactID {
                ContactShortcuts.call(contactID, dealID: card.id, context: context) { [unowned self] in afterWrite(dealID: card.id) }
            }
        case (.board, .delete): confirmDelete()
        case (_, .undo): undo()
        case (.board, .search): isSearching = true
        case (.board, .filterMine): setOwner(ownerLogin == nil ? context.me : nil)
        case (.board, .filterOwner): cycleOwner()
        case (.board, .filterClosingBefore): askClosingBefore()
        case (.board, .clearFilters): clearNextFilter()
        case (.board, .showClosed): showClosed()
        case (.board, .nextPipeline): switchPipeline()
        case (_, .addPipeline): askNewPipeline()
        case (_, .renamePipeline): askRenamePipeline()
        case (.board, .addStage): askAddStage()
        case (.board, .renameStage): askRenameStage()
        case (.board, .stageProbability): askProbability()
        case (.board, .stageRotDays): askRotDays()
        case (.board, .moveStageLeft): moveFocusedStage(by: -1)
        case (.board, .moveStageRight): moveFocusedStage(by: 1)
        case (.board, .deleteStage): askDeleteStage()
        case (.closed, .moveDown): closedMove(by: 1)
        case (.closed, .moveUp): closedMove(by: -1)
        case (.closed, .pageDown): closedMove(by: closed.viewport)
        case (.closed, .pageUp): closedMove(by: -closed.viewport)
        case (.closed, .top): closedToStart()
        case (.closed, .bottom): closedToEnd()
        case (_, .reopen): reopenFocused()
        case (.closed, .cycleClosedStatus): cycleClosedStatus()
        case (.closed, .back):
            mode = .board
            // Back from the list: the board reloads only when something may have changed it.
            if boardIsStale || columns.isEmpty {
                boardIsStale = false
                reload()
            }
        case (.details, .openContact): if let id = detail?.card.deal.contactID { showContact?(id) }
        case (.details, .openCompany): if let id = detail?.card.deal.companyID { showCompany?(id) }
        case (.details, .moveDown): scrollDetail(by: 1)
        case (.details, .moveUp): scrollDetail(by: -1)
        case (.details, .back): closeDetail()
        default: break
        }
    }

    private func columnEdge(last: Bool) {
        guard columns.indices.contains(focusColumn) else { return }
        do {
            if last { try withColumn(focusColumn) { try loader.bottom(&$0) } } else { try withColumn(focusColumn) { try loader.top(&$0) } }
        } catch { context.report(error) }
    }

    /// What acts on the card in focus: refused once on a card the focus
    /// fell on by a colleague's write (`focusFellOn`).
    static let cardActions: Set<ActionID> = [.markWon, .markLost, .dealNextStage, .dealPreviousStage, .reorderUp, .reorderDown,
                                             .delete, .edit, .logNote, .followUp, .mark, .open]

    /// True when `action` was refused: the first action on a card the focus
    /// fell on says which card it is now; the same key again acts on it.
    private func refusedOnACardTheFocusFellOn(_ action: ActionID) -> Bool {
        guard let fell = focusFellOn else { return false }
        focusFellOn = nil
        guard mode == .board, Self.cardActions.contains(action), let card = focusedCard, card.id == fell.cardID else { return false }
        context.status("Not done: \(fell.why); the focus is on \(card.deal.title) now — the same key again acts on it", .warning)
        return true
    }

    /// What the won/lost list does without changing the board.
    static let closedListMoves: Set<ActionID> = [.moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom, .cycleClosedStatus, .back]

    private func handleSearchKey(_ key: Key) -> Bool {
        switch key {
        case .enter:
            isSearching = false
            countTotalsIfPending()
            focusAColumnWithMatches()
        case .escape:
            isSearching = false
            search = LineEditor()
            // Nothing was searched for: the board on screen is already right.
            guard !filter.text.isEmpty else { return true }
            // The deal found stays in focus on the whole board (QA 42: the
            // focus went to the column's first card, and the next w won it).
            let found = focusedCard?.id
            filter.text = ""
            reloadFiltered()
            if let found { focusRestored(found) }
        case .down:
            countTotalsIfPending()
            moveVertically(by: 1)
        case .up:
            countTotalsIfPending()
            moveVertically(by: -1)
        default:
            let before = search.text
            if search.handle(key), search.text != before {
                filter.text = search.text
                reloadFiltered(totalsLater: true)
            }
        }
        return true
    }

    /// The filter changed: every column starts again from its top.
    /// `totalsLater`: see `reload(totalsLater:)`.
    /// A search kept with Enter whose matches are all in other columns
    /// moves the focus to the nearest column that has some (QA 43: it stayed
    /// on "no deals match", and the next key said "no deal here").
    func focusAColumnWithMatches() {
        guard columns.indices.contains(focusColumn), columns[focusColumn].totals.count == 0 else { return }
        let nearest = columns.indices.filter { columns[$0].totals.count > 0 }.min { abs($0 - focusColumn) < abs($1 - focusColumn) }
        if let nearest { focus(column: nearest) }
    }

    func reloadFiltered(totalsLater: Bool = false) {
        for i in columns.indices {
            columns[i].anchor = nil
            columns[i].above = 0
            columns[i].selected = 0
            columns[i].loaded = false
        }
        reload(totalsLater: totalsLater)
    }

    func setOwner(_ user: User?) {
        ownerLogin = user?.login
        filter.ownerID = user?.id
        reloadFiltered()
    }

    private func cycleOwner() {
        do {
            let users = try repos.allUsers().sorted { $0.login < $1.login }
            guard !users.isEmpty else { return }
            if let current = ownerLogin, let i = users.firstIndex(where: { $0.login == current }) {
                setOwner(i + 1 < users.count ? users[i + 1] : nil)
            } else {
                setOwner(users[0])
            }
        } catch { context.report(error) }
    }

    /// `retyped`: the text of a refused answer, so the prompt comes back with it.
    private func askClosingBefore(retyped: String? = nil) {
        let initial = retyped ?? filter.closingBefore.map { DealForms.dateText($0, in: context.timeFormat) } ?? ""
        context.present(.prompt(Prompt("Expected close before (a date: \(DealForms.closeExamples(context.timeFormat)); empty: any):", initial: initial,
                                       resume: boardResume(.filterClosingBefore, stage: nil)) { [unowned self] text in
            do {
                filter.closingBefore = try DealForms.parseDate(text, field: "date", in: context.timeFormat, now: context.clock.now)
                reloadFiltered()
            } catch {
                context.report(error)
                if error is FieldError { askClosingBefore(retyped: text) }
            }
        }))
    }
}

// Esc on the board takes filters off one at a time, the search first (the
// most recent and most narrowing), then the owner, then the closing date; the
// hint line names what the next Esc will clear.
extension PipelineViewModel {
    /// What the next Esc on the board clears, nil when nothing is filtered.
    public var nextEscapeClears: String? {
        if !filter.text.isEmpty || !search.text.isEmpty { return "search" }
        if filter.ownerID != nil { return ownerLogin.map { "owner \($0)" } ?? "owner" }
        if filter.closingBefore != nil { return "close date" }
        return nil
    }

    func clearNextFilter() {
        // Nothing to clear: nothing to load again.
        guard nextEscapeClears != nil else { return }
        // The deal in focus stays in focus on the wider board (QA 42).
        let kept = focusedCard?.id
        defer { if let kept { focusRestored(kept) } }
        if !filter.text.isEmpty || !search.text.isEmpty {
            search = LineEditor()
            filter.text = ""
        } else if filter.ownerID != nil {
            ownerLogin = nil
            filter.ownerID = nil
        } else {
            filter.closingBefore = nil
        }
        reloadFiltered()
    }
}
