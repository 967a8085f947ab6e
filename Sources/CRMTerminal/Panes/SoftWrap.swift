/// How a long line of a multi-line field is shown: cut into rows that fit
/// the field's width (soft wrap), at the last blank that fits when there is
/// one, else between two characters. Nothing is added to the text: rows are
/// ranges of its characters, so the caret maps to a row and a column.
///
/// A key must cost the rows drawn, not the note (a pasted 10,000-character
/// line): so a line is first cut into pieces of about `piece` characters
/// (each cut just after a blank near a multiple of `piece`, so it reads like
/// any other wrap), and each piece is wrapped on its own. Where a row starts
/// then depends only on its own piece, and the window around the caret is
/// laid out from one to three pieces, whatever the line's length.
enum SoftWrap {
    static let piece = 512
    /// How far past a multiple of `piece` a cut looks for a blank.
    static let blankReach = 32

    /// The rows of `chars` around the row holding `position`, with at least
    /// `before` rows before that row and `after` rows after it (or all the
    /// line has); `index` is that row's place in `rows`.
    static func rows(of chars: [Character], around position: Int, before: Int, after: Int, width: Int)
        -> (rows: [Range<Int>], index: Int) {
        var (lo, hi) = pieceBounds(containing: min(position, max(chars.count - 1, 0)), in: chars)
        var rows = wrap(chars, lo..<hi, width: width)
        var index = rows.firstIndex { position < $0.upperBound } ?? rows.count - 1
        while index < before, lo > 0 {
            let start = pieceBounds(containing: lo - 1, in: chars).start
            let more = wrap(chars, start..<lo, width: width)
            rows.insert(contentsOf: more, at: 0)
            index += more.count
            lo = start
        }
        while rows.count - 1 - index < after, hi < chars.count {
            let end = pieceBounds(containing: hi, in: chars).end
            rows += wrap(chars, hi..<end, width: width)
            hi = end
        }
        return (rows, index)
    }

    /// The row the caret at `cursor` is on and its column there; a caret at
    /// the end of a full row goes to the start of a row of its own (`extraRow`).
    static func caret(_ cursor: Int, in chars: [Character], rows: [Range<Int>], width: Int)
        -> (row: Int, column: Int, extraRow: Bool) {
        for (n, r) in rows.enumerated() where cursor < r.upperBound || n == rows.count - 1 {
            let column = chars[r.lowerBound..<min(max(cursor, r.lowerBound), r.upperBound)]
                .reduce(0) { $0 + DisplayWidth.drawnWidth(of: $1) }
            if column >= width { return (n + 1, 0, true) }
            return (n, column, false)
        }
        return (0, 0, false)
    }

    /// The piece holding `position`: from one cut to the next.
    static func pieceBounds(containing position: Int, in chars: [Character]) -> (start: Int, end: Int) {
        var k = position / piece
        if k > 0, position < cut(k, in: chars) { k -= 1 }
        return (cut(k, in: chars), cut(k + 1, in: chars))
    }

    /// Where piece `k` starts: just after the first blank at or past
    /// `k × piece` within `blankReach`, else exactly there.
    static func cut(_ k: Int, in chars: [Character]) -> Int {
        let base = k * piece
        guard k > 0, base < chars.count else { return min(base, chars.count) }
        for i in base..<min(chars.count, base + blankReach) where chars[i - 1] == " " { return i }
        return base
    }

    /// Greedy wrap of `range` in `width` columns: consecutive ranges covering
    /// it, a row ending after its last blank when one fits; an empty range
    /// is one empty row.
    static func wrap(_ chars: [Character], _ range: Range<Int>, width: Int) -> [Range<Int>] {
        let width = max(width, 1)
        var rows: [Range<Int>] = []
        var start = range.lowerBound
        var used = 0
        var afterBlank: Int?
        var i = start
        while i < range.upperBound {
            let w = DisplayWidth.drawnWidth(of: chars[i])
            if used + w > width, i > start {
                let end = afterBlank ?? i
                rows.append(start..<end)
                start = end
                used = 0
                afterBlank = nil
                i = start
                continue
            }
            used += w
            if chars[i] == " " { afterBlank = i + 1 }
            i += 1
        }
        rows.append(start..<range.upperBound)
        return rows
    }
}
