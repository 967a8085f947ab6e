/// The kanban board's arithmetic: how many stage columns and cards fit in an
/// area, and how many lines each column's totals get. The view model works it
/// out when the screen is resized (or the totals change) and loads the cards
/// that came into view then; the pane only draws what is loaded.
public enum BoardLayout {
    public static let minColumnWidth = 26
    /// Wider than this a card's lines are hard to read: a wide terminal gets
    /// more columns rather than wider ones.
    public static let maxColumnWidth = 44
    /// Lines for the totals under a stage's name: at least this many, so the
    /// board does not jump as a second currency comes and goes…
    public static let minTotalsLines = 2
    /// …and one per currency up to this many, as long as `minCards` cards
    /// still fit under them; a column with more currencies than lines says
    /// how many more (and which) on its last line.
    public static let maxTotalsLines = 4
    public static let minCards = 3
    /// Title, company or contact, value · owner · days, blank.
    public static let cardRows = 4

    /// How many totals lines the columns get in a board of `height` rows,
    /// when the column with the most currencies has `mostCurrencies`.
    public static func totalsLines(mostCurrencies most: Int, height: Int) -> Int {
        var lines = max(minTotalsLines, min(most, maxTotalsLines))
        while lines > minTotalsLines && cardsFitting(height: height, totalsLines: lines) < minCards { lines -= 1 }
        return lines
    }

    /// Cards under the title, the header and above the "↓ more" line; the
    /// last card needs no blank line after it.
    static func cardsFitting(height: Int, totalsLines: Int) -> Int {
        (height - 1 - (totalsLines + 2) - 1 + 1) / cardRows
    }

    /// How many columns and cards fit in `rect` (the title line included):
    /// each column has its name, `totalsLines` and a rule above its cards.
    public static func fit(_ rect: Rect, totalsLines: Int = minTotalsLines) -> (columns: Int, cards: Int) {
        let columns = max(1, (rect.width + 1) / (minColumnWidth + 1))
        let cards = max(1, cardsFitting(height: rect.height, totalsLines: totalsLines))
        return (columns, cards)
    }

    /// How many column slots the board divides `width` into when it has
    /// `stages` stages and `fit` columns fit: a board with fewer stages than
    /// fit spreads them over the whole width, each at most `maxColumnWidth`
    /// wide (the rest stays empty on the right).
    public static func slots(width: Int, stages: Int, fitting fit: Int) -> Int {
        let needed = max(1, min(stages, fit))
        let atMostWide = (width + 1 + maxColumnWidth) / (maxColumnWidth + 1)
        return max(needed, min(fit, atMostWide))
    }
}
