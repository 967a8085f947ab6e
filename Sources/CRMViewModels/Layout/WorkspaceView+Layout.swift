// Each view sizes itself from the area the app hands it: when the terminal is
// resized, and again after every update (a search line appearing, a column's
// totals growing a currency line). Sizing is arithmetic on that area and the
// view's own state; what a new size brings into view (the board's cards) is
// loaded here, in the update, so that drawing only reads state and draws.

extension ContactsViewModel {
    public func layout(in area: Rect) {
        let layout = ContactsLayout(area)
        setViewport(list: layout.listRows(searching: isSearching || !searchText.isEmpty), timeline: layout.timelineRows)
    }
}

extension PipelineViewModel {
    public func layout(in area: Rect) {
        // The won/lost table: a box, its header row, then the rows.
        let closedRows = area.inset(dx: 1, dy: 1).height - 1
        guard mode == .board else {
            setViewport(columns: visibleColumnCount, cardsPerColumn: cardsPerColumn, closedRows: closedRows)
            return
        }
        let most = columns.map(\.totals.byCurrency.count).max() ?? 0
        boardTotalsLines = BoardLayout.totalsLines(mostCurrencies: most, height: area.height)
        let fit = BoardLayout.fit(area, totalsLines: boardTotalsLines)
        setViewport(columns: fit.columns, cardsPerColumn: fit.cards, closedRows: closedRows)
    }
}

extension TodayViewModel {
    public func layout(in area: Rect) {
        // A box, the line of section counts, the section's title with the
        // column headers, then the rows.
        let inner = area.inset(by: 1)
        viewport = max(inner.height - 2, 1)
        // The follow-ups list: a filter line and the column headers above the rows.
        list?.viewport = inner.height - 2
    }
}

extension TimelineViewModel {
    public func layout(in area: Rect) {
        // The search line, while there is one, sits above the list's box.
        let searching = isSearching || !search.text.isEmpty
        let list = searching ? Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1) : area
        setViewport(list.height - 2)
    }
}
