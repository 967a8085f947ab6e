import CRMViewModels

/// A screen that counts the columns drawn into it (text, fills, boxes): how
/// much of the frame a step touched. Used by `crm bench` and the
/// editing-cost tests alike.
public final class CountingScreen: Screen {
    let inner: Screen
    /// Columns drawn since it was made (or last set to 0).
    public var columns = 0

    public init(_ inner: Screen) { self.inner = inner }

    public var size: Size { inner.size }
    public func clear() { inner.clear() }

    @discardableResult
    public func put(_ text: String, at p: Point, style: Style, width: Int?) -> Int {
        let n = inner.put(text, at: p, style: style, width: width)
        columns += n
        return n
    }

    public func fill(_ rect: Rect, style: Style) {
        inner.fill(rect, style: style)
        columns += max(0, rect.width) * max(0, rect.height)
    }

    public func box(_ rect: Rect, title: String?, style: Style) {
        inner.box(rect, title: title, style: style)
        columns += 2 * max(0, rect.width) + 2 * max(0, rect.height - 2)
    }

    public func setCursor(_ p: Point?) { inner.setCursor(p) }
    public func present() { inner.present() }
}
