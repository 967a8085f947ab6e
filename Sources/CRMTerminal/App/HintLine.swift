import CRMViewModels

/// Key hints laid out on one line: each hint is a key and a short title,
/// shown whole or not at all; a hint that does not fit is dropped, never cut
/// mid-word, and the ones after it (which may be shorter) still get their
/// chance, in table order.
enum HintLine {
    struct Hint {
        let key: String
        let title: String
        /// Columns taken: the key, a space, the title, and two spaces after.
        var width: Int { DisplayWidth.width(of: key) + 1 + DisplayWidth.width(of: title) + 2 }
    }

    static func hint(_ binding: KeyBinding) -> Hint {
        Hint(key: binding.hintKey, title: binding.hintTitle ?? BarsPane.shortTitle(binding.title))
    }

    /// The hints of `bindings` that the hint line shows: enabled, marked for it.
    static func shown(_ bindings: [KeyBinding]) -> [KeyBinding] {
        bindings.filter { $0.inHintBar && $0.disabledReason == nil }
    }

    /// The hints that fit in `width` columns, whole.
    static func fit(_ hints: [Hint], width: Int) -> [Hint] {
        var used = 0
        var kept: [Hint] = []
        for hint in hints where used + hint.width - 2 <= width {
            kept.append(hint)
            used += hint.width
        }
        return kept
    }

    /// Draws the hints that fit from `x` up to `maxX`; returns where it stopped.
    @discardableResult
    static func draw(_ hints: [Hint], at x: Int, y: Int, maxX: Int, keyStyle: Style, textStyle: Style, on screen: Screen) -> Int {
        var x = x
        for hint in fit(hints, width: maxX - x) {
            x += screen.put(hint.key, at: Point(x: x, y: y), style: keyStyle)
            x += screen.put(" " + hint.title, at: Point(x: x, y: y), style: textStyle)
            x += 2
        }
        return x
    }
}
