import CRMRepositories
import Foundation

/// One Today section as the screen pages it: its count, and a window of
/// loaded rows around the selection, read in keyset pages (as the contacts
/// list is). Reaching the 5,000th overdue item reads a few pages, never 5,000
/// rows; the window stays at most `maxWindow` rows.
///
/// The count may be a lower bound (`isExact` false: "1000+"): at a million
/// contacts everyone's overdue follow-ups and contacts past their cadence
/// are hundreds of thousands, and counting them all on every rebuild cost
/// more than the frame. It is counted further as the selection nears it
/// (`countPast`), and exactly when the last row is asked for.
struct TodaySectionPager {
    typealias Fetch = (_ cursor: AgendaCursor?, _ direction: PageDirection, _ limit: Int) throws -> [TodayViewModel.Item]
    typealias Position = (_ cursor: AgendaCursor) throws -> Int
    typealias Count = (_ upTo: Int?) throws -> Int

    let fetch: Fetch
    /// How many rows come before a cursor (a count on the index).
    let position: Position
    /// How many rows the section has, counted no further than `upTo`.
    let countRows: Count
    var pageSize: Int
    var count = 0
    /// False while `count` is only "at least this many".
    var isExact = true
    /// The loaded rows, in list order, and the position of the first.
    private(set) var window: [TodayViewModel.Item] = []
    private(set) var windowStart = 0

    init(pageSize: Int, fetch: @escaping Fetch, position: @escaping Position, count: @escaping Count) {
        self.pageSize = max(pageSize, 1)
        self.fetch = fetch
        self.position = position
        self.countRows = count
    }

    /// Sets a count read up to `upTo` rows (nil: to the end): reaching it
    /// means there are more, and the count is one less than asked, "N+"
    /// (asked for N + 1 so that exactly N is told apart from more).
    mutating func setCount(_ counted: Int, upTo: Int?) {
        if let upTo, counted >= upTo {
            (count, isExact) = (max(upTo - 1, 0), false)
        } else {
            (count, isExact) = (counted, true)
        }
    }

    /// When the count is a lower bound and `ordinal` comes within a page of
    /// it, counts again up to `limit` rows past `ordinal` (nil: to the end),
    /// so that moving on never stops at a row that is not the last.
    mutating func countPast(_ ordinal: Int, limit: Int?) throws {
        guard !isExact, limit == nil || ordinal + pageSize >= count else { return }
        let upTo = limit.map { max(ordinal, 0) + pageSize + $0 + 1 }
        setCount(try countRows(upTo), upTo: upTo)
        // Rows already read are there, whatever a count a moment later says.
        if count < windowEnd { (count, isExact) = (windowEnd, false) }
    }

    var maxWindow: Int { pageSize * 3 }
    var windowEnd: Int { windowStart + window.count }

    func item(at ordinal: Int) -> TodayViewModel.Item? {
        let i = ordinal - windowStart
        return window.indices.contains(i) ? window[i] : nil
    }

    /// The rows of `range` that are loaded (after `ensure` they all are).
    func items(_ range: Range<Int>) -> [(Int, TodayViewModel.Item)] {
        range.compactMap { n in item(at: n).map { (n, $0) } }
    }

    /// Loads from the start, or around an anchor row kept from before (the
    /// selection after a reload): the rows before it and from it on.
    mutating func load(anchor: AgendaCursor?) throws {
        guard let anchor else {
            window = try fetch(nil, .forward, pageSize)
            windowStart = 0
            if window.count < pageSize { (count, isExact) = (window.count, true) }
            return
        }
        // (due, id - 1) sorts just before the anchor: the anchor itself comes
        // back when it is still listed, else the row that took its place.
        let just = AgendaCursor(dueAt: anchor.dueAt, id: anchor.id - 1)
        let before = try fetch(anchor, .backward, pageSize).reversed()
        let after = try fetch(just, .forward, pageSize)
        window = Array(before) + after
        // The start of the list is loaded, or the rows before the anchor
        // are counted: positions are exact either way.
        windowStart = before.count < pageSize ? 0 : try position(anchor) - before.count
        // A count read a moment apart from the rows may disagree: trust rows.
        if after.count < pageSize {
            (count, isExact) = (windowStart + window.count, true)
        } else if !isExact {
            count = max(count, windowEnd)
        }
    }

    /// Makes sure every row of `range` is loaded, reading pages from the
    /// window's edge when close, or from the start or the end when far.
    mutating func ensure(_ range: Range<Int>) throws {
        let range = max(range.lowerBound, 0)..<min(range.upperBound, count)
        guard !range.isEmpty else { return }
        if window.isEmpty || range.lowerBound >= windowEnd + maxWindow || range.upperBound <= windowStart - maxWindow {
            if isExact && range.lowerBound >= count / 2 {
                // Nearer the end: read backwards from the end.
                let rows = try fetch(nil, .backward, max(pageSize, count - range.lowerBound)).reversed()
                window = Array(rows)
                windowStart = max(0, count - window.count)
                count = windowStart + window.count
            } else {
                window = []
                windowStart = 0
                while windowEnd < range.upperBound {
                    let rows = try fetch(window.last?.cursor, .forward, pageSize)
                    if rows.isEmpty { (count, isExact) = (windowEnd, true); break }
                    append(rows)
                }
            }
        }
        while windowEnd < range.upperBound {
            let rows = try fetch(window.last?.cursor, .forward, pageSize)
            if rows.isEmpty { (count, isExact) = (windowEnd, true); break }
            append(rows)
        }
        while windowStart > range.lowerBound, let first = window.first {
            let rows = try fetch(first.cursor, .backward, pageSize)
            if rows.isEmpty { windowStart = 0; break }
            window.insert(contentsOf: rows.reversed(), at: 0)
            windowStart = max(0, windowStart - rows.count)
            if window.count > maxWindow { window.removeLast(window.count - maxWindow) }
        }
    }

    private mutating func append(_ rows: [TodayViewModel.Item]) {
        window += rows
        if window.count > maxWindow {
            let drop = window.count - maxWindow
            window.removeFirst(drop)
            windowStart += drop
        }
    }
}
