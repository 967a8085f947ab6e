// The real terminal. Panes draw into a `CellGrid` exactly as on the
// `MemoryScreen`; `present()` copies the grid to ncurses' stdscr and calls
// refresh, and ncurses sends only the cells that changed since the last
// frame. That diff is what keeps a slow SSH link usable, so this code never
// calls clear()/clearok() per frame (that would resend the whole screen).
//
// Not Sendable on purpose: curses is a single-threaded library, and a
// non-Sendable screen cannot leave the isolation domain that created it.
import CRMViewModels
import CNcursesw

public final class NcursesScreen: Screen {
    private var grid: CellGrid
    private var cursor: Point?
    private var caretVisible: Bool?
    public let theme: Theme
    /// attr_t and colour pair per role, worked out once from the theme.
    private var looks: [Style.Role: (attrs: attr_t, pair: Int16)] = [:]

    /// Created by `TerminalSession.start`, after initscr.
    init(theme: Theme) {
        self.theme = theme
        grid = CellGrid(size: Size(width: Int(crm_maxx()), height: Int(crm_maxy())))
        setUpColors()
    }

    private func setUpColors() {
        // -1 (the terminal's default colour) needs use_default_colors; without
        // it, fall back to white on black. It is called even for the
        // monochrome theme: once start_color has run, colour pair 0 would
        // otherwise force white on black over the user's own colours.
        let defaultsOK = has_colors() && use_default_colors() != ERR
        for (index, role) in Style.Role.allCases.enumerated() {
            let entry = theme.entry(for: role)
            var pair: Int16 = 0
            if theme.usesColor, index + 1 < Int(crm_color_pairs()) {
                pair = Int16(index + 1)
                var fg = entry.foreground, bg = entry.background
                if !defaultsOK { if fg < 0 { fg = 7 }; if bg < 0 { bg = 0 } }
                init_pair(pair, fg, bg)
            }
            looks[role] = (Self.attrs(entry.attributes), pair)
        }
    }

    private static func attrs(_ a: Theme.Attributes) -> attr_t {
        var r = crm_a_normal()
        if a.contains(.bold) { r |= crm_a_bold() }
        if a.contains(.dim) { r |= crm_a_dim() }
        if a.contains(.reverse) { r |= crm_a_reverse() }
        if a.contains(.underline) { r |= crm_a_underline() }
        return r
    }

    private func look(_ style: Style) -> (attrs: attr_t, pair: Int16) {
        var l = looks[style.role] ?? (crm_a_normal(), 0)
        if style.bold { l.attrs |= crm_a_bold() }
        if style.underline { l.attrs |= crm_a_underline() }
        return l
    }

    public var size: Size { grid.size }

    /// Called on KEY_RESIZE: ncurses has already resized stdscr.
    func resizeToTerminal() {
        grid.resize(to: Size(width: Int(crm_maxx()), height: Int(crm_maxy())))
    }

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

    public func present() {
        // Only the rows written since the last present are copied to stdscr
        // (all of them after a whole frame; one when only the call timer
        // moved on). Each is rewritten from its first column to its last, so
        // nothing of the row's old content is left; refresh() then compares
        // with what is on the glass and sends the difference.
        var run: [wchar_t] = []
        for y in grid.takeDirtyRows() {
            wmove(crm_stdscr(), Int32(y), 0)
            wclrtoeol(crm_stdscr())
            var runStart = 0
            var runStyle = Style.normal
            func flush() {
                guard !run.isEmpty else { return }
                let l = look(runStyle)
                _ = crm_mvadd_run(Int32(y), Int32(runStart), run, Int32(run.count), l.attrs, l.pair)
                run.removeAll(keepingCapacity: true)
            }
            for x in 0..<grid.size.width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }   // ncurses fills it for the wide glyph
                if cell.style != runStyle || run.isEmpty {
                    flush()
                    runStart = x
                    runStyle = cell.style
                }
                for s in cell.text.unicodeScalars { run.append(wchar_t(bitPattern: s.value)) }
            }
            flush()
        }
        let wantCaret = cursor != nil
        if caretVisible != wantCaret {
            curs_set(wantCaret ? 1 : 0)
            caretVisible = wantCaret
        }
        if let c = cursor, grid.size.width > 0, grid.size.height > 0 {
            wmove(crm_stdscr(), Int32(min(max(c.y, 0), grid.size.height - 1)), Int32(min(max(c.x, 0), grid.size.width - 1)))
        }
        wrefresh(crm_stdscr())
    }
}
