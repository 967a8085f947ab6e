// Owns the terminal while the full-screen UI is up, and gives it back on every
// way out: a normal quit (`end()`), `exit()` after an error (atexit),
// SIGINT/SIGTERM/SIGHUP/SIGQUIT (a dropped SSH link is a SIGHUP), a terminal
// that went away (the loop sees `KeyEvent.closed`), and a crash (CrashRestore).
//
// Signals only set a flag (nothing else is safe inside a handler); the main
// loop sees `pendingSignal` on its next 100 ms tick, ends the session and
// exits. Ctrl-C is not SIGINT while the screen is up: it arrives as a key, so
// a form can ask before throwing typed text away. curses is single-threaded:
// start, read keys, draw and end on one thread.
import CNcursesw
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The last terminating signal received, 0 for none. An atomic, because it is
/// written from a signal handler and read by the loop.
private let receivedSignal = Atomic<Int32>(0)

public enum TerminalError: Error, CustomStringConvertible {
    case cannotOpenTerminal(term: String)
    case cannotOpenLog(path: String, errno: Int32)
    /// TERM is unset (nil), or names a terminal curses cannot draw on;
    /// `known`: terminfo has an entry for it.
    case unusableTerminal(term: String?, known: Bool)

    public var description: String {
        switch self {
        case .cannotOpenTerminal(let term): "cannot open the terminal (TERM=\(term))"
        case .cannotOpenLog(let path, let e): "cannot open log file \(path): \(String(cString: strerror(e)))"
        case .unusableTerminal(let term, let known): TerminalType.explain(term: term, known: known)
        }
    }
}

public final class TerminalSession {
    public let screen: NcursesScreen

    // Process-wide curses state. Touched only from the thread that started
    // the session (and from atexit, after that thread is done).
    nonisolated(unsafe) private static var active = false
    nonisolated(unsafe) private static var atexitRegistered = false
    nonisolated(unsafe) private static var savedStderr: Int32 = -1

    static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// A signal that asked us to stop, if one came. The loop checks this
    /// whenever `readKey` returns.
    public static var pendingSignal: Int32? {
        let s = receivedSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    private init(screen: NcursesScreen) { self.screen = screen }

    /// Takes over the terminal. `logPath`: stderr goes there (file created
    /// with mode 0600, never through a symbolic link) while the screen is up, so a stray diagnostic cannot
    /// scribble over the UI; it is restored by `end()`.
    public static func start(logPath: String? = nil, theme preferred: Theme.Kind? = nil) throws -> TerminalSession {
        precondition(!active, "TerminalSession.start called twice")
        try TerminalType.check()
        var logFD: Int32 = -1
        if let logPath {
            // O_NOFOLLOW: a link planted at the log's name must not make
            // crm append to (or create) a file elsewhere.
            logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if logFD < 0 { throw TerminalError.cannotOpenLog(path: logPath, errno: errno) }
        }

        // Without a UTF-8 locale before initscr, ncurses mangles non-ASCII.
        DisplayWidth.prepareLocale()
        // Our handlers go in before newterm, so ncurses leaves these signals
        // to us instead of installing its own.
        receivedSignal.store(0, ordering: .relaxed)
        for sig in handledSignals {
            signal(sig) { receivedSignal.store($0, ordering: .relaxed) }
        }

        CrashRestore.saveModes()
        guard crm_newterm() != nil else {
            if logFD >= 0 { close(logFD) }
            for sig in handledSignals { signal(sig, SIG_DFL) }
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            throw TerminalError.cannotOpenTerminal(term: term)
        }
        active = true
        if !atexitRegistered {
            atexitRegistered = true
            atexit { TerminalSession.end() }
        }

        let win = crm_stdscr()
        cbreak()
        noecho()
        nonl()
        keypad(win, true)
        set_escdelay(25)       // the default 1 s makes Esc feel broken
        wtimeout(win, 100)     // get_wch returns ERR every 100 ms: the tick
        curs_set(0)
        crm_disable_flow_control()
        crm_ctrl_c_as_key()
        def_prog_mode()        // remember the mode above, incl. no XON/XOFF and ^C as a key

        if has_colors() { start_color() }
        let theme = Theme.choose(colors: Int(crm_colors()), hasColors: has_colors(),
                                 noColor: getenv("NO_COLOR") != nil, preferred: preferred)
        let session = TerminalSession(screen: NcursesScreen(theme: theme))
        KeyReader.setUp()

        if logFD >= 0 {
            savedStderr = dup(2)
            dup2(logFD, 2)
            close(logFD)
        }
        CrashRestore.arm(logPath: logPath)
        return session
    }

    /// Gives the terminal back: endwin exactly once, stderr restored, signals
    /// back to their defaults. Safe to call any number of times, from any
    /// exit path.
    public static func end() {
        guard active else { return }
        active = false
        CrashRestore.disarm()
        KeyReader.tearDown()
        endwin()
        if savedStderr >= 0 {
            dup2(savedStderr, 2)
            close(savedStderr)
            savedStderr = -1
        }
        for sig in handledSignals { signal(sig, SIG_DFL) }
    }

    public func bell() { beep() }

    /// Hands the terminal to another program ($EDITOR) until `resume()`.
    public func suspend() {
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal back after `suspend()` and repaints it whole, since
    /// the other program left its own picture on the glass.
    public func resume() {
        reset_prog_mode()
        repaintWhole()
        screen.resizeToTerminal()
    }

    /// Makes the next `present()` clear the terminal and send every cell,
    /// not only the changed ones: Ctrl-L, for when another program (a
    /// `write` from a colleague, a background job) wrote over the screen.
    public func repaintWhole() {
        clearok(crm_stdscr(), true)
    }

    /// Reads one key (or resize). nil when nothing came within the wait (the
    /// 100 ms tick), or the input was a key nobody handles.
    public func readKey(waitMilliseconds: Int32 = 100) -> KeyEvent? {
        KeyReader.read(resizing: screen, waitMilliseconds: waitMilliseconds)
    }
}
