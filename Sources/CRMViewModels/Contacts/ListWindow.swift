/// The rows of a long list that are loaded, the selection and the scroll
/// offset. Only a window of rows is held: paging loads the next keyset page
/// and drops rows far behind, so a list of 100,000 costs what a list of 100 does.
public struct ListWindow<Row> {
    public private(set) var rows: [Row] = []
    public private(set) var selected = 0
    public private(set) var scrollTop = 0
    /// Whether rows exist before the first / after the last loaded row.
    public var moreBefore = false
    public var moreAfter = false
    public var viewport = 20
    /// Rows kept at most; beyond this the far end is dropped.
    let capacity: Int

    public init(capacity: Int = 400) { self.capacity = capacity }

    public var selectedRow: Row? { rows.indices.contains(selected) ? rows[selected] : nil }
    public var isEmpty: Bool { rows.isEmpty }
    public var visibleRows: ArraySlice<Row> {
        rows[min(scrollTop, rows.count) ..< min(scrollTop + viewport, rows.count)]
    }

    public mutating func replace(_ newRows: [Row], selected: Int = 0, offsetInView: Int? = nil,
                                 moreBefore: Bool = false, moreAfter: Bool = false) {
        rows = newRows
        self.moreBefore = moreBefore
        self.moreAfter = moreAfter
        self.selected = newRows.isEmpty ? 0 : min(max(selected, 0), newRows.count - 1)
        scrollTop = max(0, self.selected - (offsetInView ?? 0))
        keepSelectionVisible()
    }

    /// Adds rows at the end; returns how many rows were dropped at the front
    /// (indices held by the caller shift down by that much).
    @discardableResult
    public mutating func append(_ more: [Row], moreAfter: Bool) -> Int {
        rows += more
        self.moreAfter = moreAfter
        guard rows.count > capacity else { return 0 }
        let drop = rows.count - capacity
        rows.removeFirst(drop)
        selected = max(0, selected - drop)
        scrollTop = max(0, scrollTop - drop)
        moreBefore = true
        return drop
    }

    /// Adds rows at the front; returns how many (indices shift up by that much).
    @discardableResult
    public mutating func prepend(_ more: [Row], moreBefore: Bool) -> Int {
        rows = more + rows
        selected += more.count
        scrollTop += more.count
        self.moreBefore = moreBefore
        if rows.count > capacity {
            rows.removeLast(rows.count - capacity)
            moreAfter = true
        }
        return more.count
    }

    public mutating func select(_ index: Int) {
        selected = rows.isEmpty ? 0 : min(max(index, 0), rows.count - 1)
        keepSelectionVisible()
    }

    public mutating func keepSelectionVisible() {
        let height = max(viewport, 1)
        if selected < scrollTop { scrollTop = selected }
        if selected >= scrollTop + height { scrollTop = selected - height + 1 }
        scrollTop = max(0, min(scrollTop, max(rows.count - height, 0)))
        if selected < scrollTop { scrollTop = selected }
    }
}
