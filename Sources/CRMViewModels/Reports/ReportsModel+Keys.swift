import CRMCore
import CRMRepositories
import Foundation

extension ReportsModel: WorkspaceView {
    public var kind: ViewKind { .reports }

    public var keyBindings: [KeyBinding] {
        if let drill {
            let none = drill.entries.isEmpty ? "nothing listed" : nil
            return KeyBinding.listNavigation(row: String(drill.noun.dropLast())) + [
                KeyBinding([.enter], .open, "Open it in its own view", hint: true, disabled: none),
                KeyBinding.back("Back to the report"),
            ]
        }
        let row = selectedRow
        let noDrill = row == nil ? "nothing selected" : (row?.drill == nil ? "nothing is listed behind this row" : nil)
        let owner = mayReportOnEveryone ? nil : Permission.seeEveryonesReports.refusal
        return KeyBinding.listNavigation(row: "row", first: "First row", last: "Last row and the notes") + [
            KeyBinding([.tab], .nextPane, "Next report page", hint: true, hintTitle: "page"),
            KeyBinding([.backTab], .previousPane, "Previous report page"),
            KeyBinding([.enter], .open, "List what lies behind the figures of the row", hint: true, disabled: noDrill,
                       hintTitle: "list"),
            KeyBinding([.char("D")], .filterDates, "Period: this week, month, quarter, year, last N days, or dates", hint: true,
                       hintTitle: "period"),
            KeyBinding([.char("p")], .filterPipeline, "Filter by pipeline", hint: true, hintTitle: "pipeline"),
            KeyBinding([.char("o")], .filterOwner, "Filter by owner: one, several or everyone", hint: true, disabled: owner,
                       hintTitle: "owner"),
            KeyBinding([.char("$")], .filterCurrency, "Filter by currency", hint: true, hintTitle: "currency"),
            KeyBinding([.char("x")], .clearFilters, "Clear the filters (this month, everything)", disabled: isFiltered ? nil : "no filter set"),
            // What was done from here (an import from the palette) is undone here too.
            context.undoBinding(in: .reports),
        ] + ReportPage.allCases.map { page in
            // No key of their own: `:report pipeline` in the palette.
            KeyBinding([], page.action, "Report \(page.rawValue): \(page.title)")
        }
    }

    public func handle(_ key: Key) -> Bool {
        if drill == nil, key == .escape, isFiltered {
            clearFilters()
            return true
        }
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    public func perform(_ action: ActionID) {
        if let drill {
            switch action {
            // Moving may fetch the next rows of the list (ReportDrillList).
            case .moveDown: _ = context.read("the records behind the figure") { try drill.move(by: 1) }
            case .moveUp: _ = context.read("the records behind the figure") { try drill.move(by: -1) }
            case .pageDown: _ = context.read("the records behind the figure") { try drill.move(by: drill.entries.viewport) }
            case .pageUp: _ = context.read("the records behind the figure") { try drill.move(by: -drill.entries.viewport) }
            case .top: _ = context.read("the records behind the figure") { try drill.moveToFirst() }
            case .bottom: _ = context.read("the records behind the figure") { try drill.moveToLast() }
            case .open: openDrilled()
            case .back: closeDrill()
            default: performOnSheet(action)
            }
            return
        }
        performOnSheet(action)
    }

    private func performOnSheet(_ action: ActionID) {
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: viewportLines)
        case .pageUp: move(by: -viewportLines)
        case .top: move(by: -rows.count)
        case .bottom: scrollToEnd()
        case .nextPane: step(1)
        case .previousPane: step(-1)
        case .open: openDrill()
        case .filterDates: askPeriod()
        case .filterPipeline: askPipeline()
        case .filterOwner: askOwners()
        case .filterCurrency: askCurrency()
        case .clearFilters: clearFilters()
        case .undo: context.undo(in: .reports)
        default:
            if let page = ReportPage.allCases.first(where: { $0.action == action }) { show(page) }
        }
    }

    public func activate() {
        // Figures current when the view was left may be stale by now: asked
        // for again, while the last ones stay on screen.
        invalidate()
    }

    public func refresh() { invalidate() }

    public func refresh(_ changes: ChangeSet) {
        if !changes.isEmpty { invalidate() }
    }

    public func layout(in area: Rect) {
        // Page tabs, the filter bar and a blank line above the body.
        setViewport(area.height - 3)
    }

    /// Without a worker (see `computesHere`), computes the figures asked for
    /// by the last key: the frame with the old figures was drawn first.
    public func tick() -> Bool {
        guard computesHere, isStale else { return false }
        compute()
        return true
    }
}

extension ReportPage {
    /// The palette's action for this page ("report forecast").
    public var action: ActionID {
        switch self {
        case .pipeline: .reportPipeline
        case .forecast: .reportForecast
        case .winloss: .reportWinloss
        case .people: .reportPeople
        case .customers: .reportCustomers
        }
    }
}
