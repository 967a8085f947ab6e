// Screen geometry in terminal cells: x is the column, y the row, (0, 0) is the
// top-left corner. Layout code splits rectangles; panes draw inside the one
// they are given and never look at the whole screen.
public struct Point: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
    public static let zero = Point(x: 0, y: 0)
    public var description: String { "(\(x),\(y))" }
}

public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    /// "80x24", as people write terminal sizes.
    public var description: String { "\(width)x\(height)" }
}

public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Negative sizes are clamped to 0, so layout arithmetic on a tiny screen
    /// yields empty rectangles instead of nonsense.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y
        self.width = max(0, width); self.height = max(0, height)
    }

    public init(origin: Point = .zero, size: Size) {
        self.init(x: origin.x, y: origin.y, width: size.width, height: size.height)
    }

    public var origin: Point { Point(x: x, y: y) }
    public var size: Size { Size(width: width, height: height) }
    /// One past the last column / row.
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var description: String { "\(x),\(y) \(width)x\(height)" }

    public func contains(_ p: Point) -> Bool {
        p.x >= x && p.x < maxX && p.y >= y && p.y < maxY
    }

    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    /// Shrinks every side by `by` (1 = the inside of a box).
    public func inset(by n: Int) -> Rect { inset(dx: n, dy: n) }

    public func inset(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// Side by side: the left part gets `leftWidth` columns (clamped), then
    /// `gap` columns are skipped, the right part gets the rest.
    public func splitHorizontally(leftWidth: Int, gap: Int = 0) -> (left: Rect, right: Rect) {
        let l = min(max(leftWidth, 0), width)
        let rightX = min(x + l + gap, maxX)
        return (Rect(x: x, y: y, width: l, height: height),
                Rect(x: rightX, y: y, width: maxX - rightX, height: height))
    }

    /// Side by side, the left part taking `fraction` (0...1) of the width.
    public func splitHorizontally(fraction: Double, gap: Int = 0) -> (left: Rect, right: Rect) {
        splitHorizontally(leftWidth: Int((Double(width - gap) * fraction).rounded()), gap: gap)
    }

    /// One above the other: the top part gets `topHeight` rows (clamped).
    /// A negative `topHeight` counts from the bottom: -1 leaves one row below
    /// (the status bar).
    public func splitVertically(topHeight: Int, gap: Int = 0) -> (top: Rect, bottom: Rect) {
        let t = min(max(topHeight < 0 ? height + topHeight : topHeight, 0), height)
        let bottomY = min(y + t + gap, maxY)
        return (Rect(x: x, y: y, width: width, height: t),
                Rect(x: x, y: bottomY, width: width, height: maxY - bottomY))
    }

    public func splitVertically(fraction: Double, gap: Int = 0) -> (top: Rect, bottom: Rect) {
        splitVertically(topHeight: Int((Double(height - gap) * fraction).rounded()), gap: gap)
    }

    /// `count` columns of (nearly) equal width separated by `gap`; the spare
    /// columns go to the leftmost ones (kanban stages, report charts).
    public func columns(_ count: Int, gap: Int = 0) -> [Rect] {
        guard count > 0 else { return [] }
        let usable = max(0, width - gap * (count - 1))
        let base = usable / count, extra = usable % count
        var result: [Rect] = []
        var left = x
        for i in 0..<count {
            let w = base + (i < extra ? 1 : 0)
            result.append(Rect(x: left, y: y, width: w, height: height))
            left += w + gap
        }
        return result
    }

    /// The single-row rectangle at row `i` (0-based, relative to this rect).
    public func row(_ i: Int) -> Rect {
        Rect(x: x, y: y + i, width: width, height: (0..<height).contains(i) ? 1 : 0)
    }

    /// Every row of this rect, top to bottom (list panes draw one item each).
    public var rows: [Rect] { (0..<height).map(row) }
}
