// The one drawing surface every pane draws on. Two implementations:
// `NcursesScreen` (the real terminal) and `MemoryScreen` (a grid of cells for
// tests and golden files), in the spirit of ratatui's Buffer/TestBackend.
// Both share `CellGrid`, so what a test sees is exactly what the terminal gets.
//
// Panes are written as `render(state, rect, into: screen)` and only ever use
// these few calls.
import CRMViewModels

public protocol Screen: AnyObject {
    var size: Size { get }

    /// Blanks the whole screen (start of a frame).
    func clear()

    /// Draws one line of text starting at `at`. The text is sanitised
    /// (`TextSanitizer.singleLine`) and cut to `width` columns, or to the
    /// screen edge, with "…" when it does not fit. When `width` is given,
    /// exactly that many columns are written: shorter text is padded with
    /// spaces in `style`, so a selected row is highlighted edge to edge.
    /// Returns the number of columns written.
    @discardableResult
    func put(_ text: String, at: Point, style: Style, width: Int?) -> Int

    /// Paints `rect` with blanks in `style`.
    func fill(_ rect: Rect, style: Style)

    /// A single-line box around the edge of `rect`, with an optional title in
    /// the top border. The inside is left alone (`rect.inset(by: 1)`).
    func box(_ rect: Rect, title: String?, style: Style)

    /// Where the visible caret goes (a form's input field); nil hides it.
    func setCursor(_ p: Point?)

    /// Shows the frame.
    func present()
}

extension Screen {
    public var bounds: Rect { Rect(size: size) }

    @discardableResult
    public func put(_ text: String, at p: Point, style: Style = .normal) -> Int {
        put(text, at: p, style: style, width: nil)
    }

    @discardableResult
    public func put(_ text: String, x: Int, y: Int, style: Style = .normal, width: Int? = nil) -> Int {
        put(text, at: Point(x: x, y: y), style: style, width: width)
    }

    public func box(_ rect: Rect, style: Style = .border) {
        box(rect, title: nil, style: style)
    }
}
