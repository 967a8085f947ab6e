/// Where the three panes of the contacts workspace go: the list on the left,
/// details above the timeline on the right. The view model sizes its lists
/// from it when the screen is resized; the pane draws into the same rects.
public struct ContactsLayout: Sendable, Equatable {
    public let list: Rect
    public let details: Rect
    public let timeline: Rect

    public init(_ area: Rect) {
        let listWidth = max(area.width * 52 / 100, 38)
        let (left, right) = area.splitHorizontally(leftWidth: listWidth)
        list = left
        let detailsHeight = max(right.height * 45 / 100, 8)
        let (top, bottom) = right.splitVertically(topHeight: detailsHeight)
        details = top
        timeline = bottom
    }

    /// Rows of data each list shows (inside the box, below the header and search line).
    public func listRows(searching: Bool) -> Int { max(list.height - 3 - (searching ? 1 : 0), 1) }
    public var timelineRows: Int { max(timeline.height - 2, 1) }
}
