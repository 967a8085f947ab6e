import CRMCore
import CRMRepositories
import Foundation

/// One stage's column on the board: its totals and only the cards in view.
/// The column is a keyset window: `anchor` is the cursor of the card just
/// above the first one shown (nil: the top), so scrolling to card 4,000 of a
/// stage costs one indexed query for a screenful, never an OFFSET.
public struct BoardColumn: Sendable {
    /// Set again when the stages are reordered (its position changes).
    public internal(set) var stage: Stage
    public var totals: StageTotals
    /// Set while a search is typed: `totals` are the column's before the
    /// search (kept so the layout does not jump) and wait for the search to
    /// be done (`PipelineViewModel.countTotalsIfPending`); the column shows
    /// "…" for them and no count of the cards below.
    public internal(set) var totalsPending = false
    /// The cards shown, top to bottom (at most the viewport).
    public internal(set) var cards: [DealCard] = []
    /// How many cards are above the first one shown.
    public internal(set) var above = 0
    public internal(set) var moreBelow = false
    /// The focused card, an index into `cards`.
    public internal(set) var selected = 0
    var anchor: DealCursor?
    /// Cards are loaded only once the column scrolls into view.
    var loaded = false

    init(stage: Stage, totals: StageTotals) {
        self.stage = stage
        self.totals = totals
    }

    public var selectedCard: DealCard? { cards.indices.contains(selected) ? cards[selected] : nil }
    public var below: Int { totalsPending ? 0 : max(0, totals.count - above - cards.count) }
}

/// Loads and scrolls a column through the repository.
struct ColumnLoader {
    let deals: any DealRepository
    let filter: DealFilter
    let viewport: Int

    /// Reloads the cards after the anchor, keeping the focus on `keepDealID`
    /// when it is still there (or the same row otherwise).
    func load(_ column: inout BoardColumn, keep keepDealID: Int64? = nil) throws {
        try show(try deals.cards(stageID: column.stage.id, filter: filter, after: column.anchor, limit: pageLimit), in: &column, keep: keepDealID)
    }

    /// The rows a load reads: a screenful and one more (is there more below?).
    var pageLimit: Int { viewport + 1 }

    /// Puts `rows`, read after the column's anchor with `pageLimit` (alone
    /// or with other columns: `cards(columns:)`), in the column.
    func show(_ rows: [DealCard], in column: inout BoardColumn, keep keepDealID: Int64? = nil) throws {
        if rows.isEmpty && column.anchor != nil {
            // Everything below the anchor went away (moved by someone): back to the top.
            column.anchor = nil
            column.above = 0
            return try load(&column, keep: keepDealID)
        }
        column.cards = Array(rows.prefix(viewport))
        column.moreBelow = rows.count > viewport
        column.loaded = true
        if column.anchor == nil { column.above = 0 }
        column.above = min(column.above, max(0, column.totals.count - column.cards.count))
        if let keepDealID, let i = column.cards.firstIndex(where: { $0.id == keepDealID }) {
            column.selected = i
        } else {
            column.selected = min(column.selected, max(column.cards.count - 1, 0))
        }
    }

    /// Moves the focus by `delta` cards, scrolling the window when it leaves it.
    func move(_ column: inout BoardColumn, by delta: Int) throws {
        guard !column.cards.isEmpty else { return }
        let target = column.selected + delta
        if target >= 0 && target < column.cards.count {
            column.selected = target
            return
        }
        if target >= column.cards.count {
            guard column.moreBelow else { column.selected = column.cards.count - 1; return }
            // Scroll down so the target is the last card shown.
            let steps = min(target - (column.cards.count - 1), column.below)
            let ahead = try deals.cards(stageID: column.stage.id, filter: filter, after: column.cards.last!.cursor, limit: steps)
            guard !ahead.isEmpty else { column.selected = column.cards.count - 1; return }
            let window = column.cards + ahead
            let drop = window.count - column.cards.count
            column.anchor = window[drop - 1].cursor
            column.above += drop
            try load(&column, keep: ahead.last!.id)
        } else {
            guard column.above > 0, let first = column.cards.first else { column.selected = 0; return }
            let steps = min(-target, column.above)
            let back = try deals.cards(stageID: column.stage.id, filter: filter, before: first.cursor, limit: steps + 1)
            guard !back.isEmpty else { column.selected = 0; return }
            let newTop = back[min(steps, back.count) - 1]
            column.anchor = back.count > steps ? back[steps].cursor : nil
            column.above = column.anchor == nil ? 0 : max(0, column.above - steps)
            try load(&column, keep: newTop.id)
        }
    }

    func top(_ column: inout BoardColumn) throws {
        column.anchor = nil
        column.above = 0
        column.selected = 0
        try load(&column)
    }

    func bottom(_ column: inout BoardColumn) throws {
        let end = DealCursor(position: .greatestFiniteMagnitude, id: .max)
        let last = try deals.cards(stageID: column.stage.id, filter: filter, before: end, limit: viewport + 1)
        column.anchor = last.count > viewport ? last[viewport].cursor : nil
        column.above = column.anchor == nil ? 0 : max(0, column.totals.count - viewport)
        column.selected = viewport
        try load(&column, keep: last.first?.id)
    }

    /// Scrolls so that `card` is shown and focused (after a move or reorder
    /// put it outside the window).
    func reveal(_ column: inout BoardColumn, card: DealCard) throws {
        if let i = column.cards.firstIndex(where: { $0.id == card.id }) {
            try load(&column, keep: card.id)
            column.selected = column.cards.firstIndex(where: { $0.id == card.id }) ?? i
            return
        }
        let startsAbove = column.cards.first.map { (card.deal.position, card.id) < ($0.deal.position, $0.id) } ?? true
        if startsAbove {
            // The card becomes the first one shown.
            let before = try deals.cards(stageID: column.stage.id, filter: filter, before: card.cursor, limit: 1)
            column.anchor = before.first?.cursor
            column.above = column.anchor == nil ? 0 : max(0, column.above - 1)
        } else {
            // The card becomes the last one shown.
            let before = try deals.cards(stageID: column.stage.id, filter: filter, before: card.cursor, limit: viewport)
            column.anchor = before.count >= viewport ? before[viewport - 1].cursor : nil
            let after = try countAfter(card)
            column.above = column.anchor == nil ? 0 : max(0, column.totals.count - viewport - after)
        }
        try load(&column, keep: card.id)
    }

    /// Cards below `card` in its column, counted only as far as one screenful
    /// needs (the "↓ N more" line is then estimated from the totals).
    private func countAfter(_ card: DealCard) throws -> Int {
        try deals.cards(stageID: card.deal.stageID, filter: filter, after: card.cursor, limit: viewport).count
    }
}
