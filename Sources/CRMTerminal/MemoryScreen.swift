import CRMViewModels

// The screen used by tests: draws into a grid of cells and lets the test read
// the result back as text (and, where it matters, as style letters) to compare
// with golden files. No terminal, no ncurses, deterministic.
public final class MemoryScreen: Screen {
    private var grid: CellGrid
    /// The caret position set by the last frame (forms assert on it).
    public private(set) var cursor: Point?
    /// How many frames were presented.
    public private(set) var presentCount = 0

    public init(size: Size = Size(width: 80, height: 24)) {
        grid = CellGrid(size: size)
    }

    public convenience init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    public var size: Size { grid.size }

    /// Simulates a terminal resize: the grid is replaced by a blank one.
    public func resize(to newSize: Size) { grid.resize(to: newSize) }

    public func clear() { grid.clear() }

    @discardableResult
    public func put(_ text: String, at p: Point, style: Style, width: Int?) -> Int {
        grid.put(text, at: p, style: style, width: width)
    }

    public func fill(_ rect: Rect, style: Style) { grid.fill(rect, style: style) }

    public func box(_ rect: Rect, title: String?, style: Style) {
        grid.box(rect, title: title, style: style)
    }

    public func setCursor(_ p: Point?) { cursor = p }

    public func present() { presentCount += 1 }

    public func cell(at p: Point) -> Cell { grid[p.x, p.y] }

    /// Each row as text, trailing spaces trimmed.
    public func rowsText() -> [String] {
        (0..<size.height).map(grid.rowText)
    }

    /// One line per row, one letter per cell naming its style role
    /// (see `Style.Role.letter`; "." is normal). Bold/underline flags are not
    /// shown: roles are what panes choose, and what golden files pin down.
    public func styleDump() -> [String] {
        (0..<size.height).map(grid.rowStyles)
    }

    /// The whole screen as one string, for failure messages.
    public var text: String { rowsText().joined(separator: "\n") }
}
