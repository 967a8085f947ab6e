import CRMViewModels

// Below the minimum size the layout cannot be drawn sensibly; a clear message
// beats a screen of overlapping fragments.
public enum TooSmall {
    public static let minimum = ScreenLayout.minimum

    public static func isTooSmall(_ size: Size, minimum: Size = minimum) -> Bool {
        ScreenLayout.isTooSmall(size, minimum: minimum)
    }

    /// If `screen` is smaller than `minimum`, clears it, draws
    /// "terminal too small: need 80x24, have WxH" centred and returns true;
    /// otherwise draws nothing and returns false.
    @discardableResult
    public static func draw(on screen: Screen, minimum: Size = minimum) -> Bool {
        let size = screen.size
        guard isTooSmall(size, minimum: minimum) else { return false }
        screen.clear()
        screen.setCursor(nil)
        let full = "terminal too small: need \(minimum), have \(size)"
        // On very narrow terminals split it in two lines rather than cut it.
        var lines = DisplayWidth.width(of: full) <= size.width
            ? [full]
            : ["terminal too small:", "need \(minimum), have \(size)"]
        // Keys are not taken meanwhile (AppModel): said, so text typed
        // into a hidden field is not thought kept (QA 38 A-F5).
        lines += DisplayWidth.wrap("keys are ignored until it is larger", to: size.width)
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (size.width - DisplayWidth.width(of: line)) / 2)
            screen.put(line, at: Point(x: x, y: top + i), style: .warning, width: nil)
        }
        return true
    }
}
