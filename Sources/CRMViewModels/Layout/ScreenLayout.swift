/// The frame every view sits in: the top bar on the first row, the status
/// line on the last, the view between them. Pure arithmetic, shared by the
/// app (which lays the views out when the terminal is resized) and the
/// renderer (which draws into the same rectangles).
public enum ScreenLayout {
    /// Below this the views are not drawn at all: a message says so.
    public static let minimum = Size(width: 80, height: 24)

    public static func isTooSmall(_ size: Size, minimum: Size = minimum) -> Bool {
        size.width < minimum.width || size.height < minimum.height
    }

    /// Where the active view draws on a screen of `size`.
    public static func viewArea(_ size: Size) -> Rect {
        Rect(x: 0, y: 1, width: size.width, height: size.height - 2)
    }
}
