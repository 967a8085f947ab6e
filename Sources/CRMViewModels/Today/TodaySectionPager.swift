import CRMRepositories
import Foundation

/// One Today section as the screen pages it: the exact count, and a window of
/// loaded rows around the selection, read in keyset pages (as the contacts
/// list is). Reaching the 5,000th overdue item reads a few pages, never 5,000
/// rows; the window stays at most `maxWindow` rows.
struct TodaySectionPager {
    typealias Fetch = (_ cursor: AgendaCursor?, _ direction: PageDirection, _ limit: Int) throws -> [TodayViewModel.Item]
    typealias Position = (_ cursor: AgendaCursor) throws -> Int

    let fetch: Fetch
    /// How many rows come before a cursor (a count on the index).
    let position: Position
    var pageSize: Int
    var count = 0
    /// The loaded rows, in list order, and the position of the first.
    private(set) var window: [TodayViewModel.Item] = []
    private(set) var windowStart = 0

    init(pageSize: Int, fetch: @escaping Fetch, position: @escaping Position) {
        self.pageSize = max(pageSize, 1)
        self.fetch = fetch
        self.position = position
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
    mutating func load(count: Int, anchor: AgendaCursor?) throws {
        self.count = count
        guard let anchor else {
            window = try fetch(nil, .forward, pageSize)
            windowStart = 0
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
        if after.count < pageSize { self.count = windowStart + window.count }
    }

    /// Makes sure every row of `range` is loaded, reading pages from the
    /// window's edge when close, or from the start or the end when far.
    mutating func ensure(_ range: Range<Int>) throws {
        let range = max(range.lowerBound, 0)..<min(range.upperBound, count)
        guard !range.isEmpty else { return }
        if window.isEmpty || range.lowerBound >= windowEnd + maxWindow || range.upperBound <= windowStart - maxWindow {
            if range.lowerBound >= count / 2 {
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
                    if rows.isEmpty { count = windowEnd; break }
                    append(rows)
                }
            }
        }
        while windowEnd < range.upperBound {
            let rows = try fetch(window.last?.cursor, .forward, pageSize)
            if rows.isEmpty { count = windowEnd; break }
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
