import CRMCore
import CRMViewModels
import Foundation

/// How a screen session ended, for the exit status.
public enum SessionEnd: Equatable, Sendable {
    /// The user quit (q, Ctrl-C, or the palette).
    case quit
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT asked us to stop.
    case signal(Int32)
    /// The terminal went away without a SIGHUP: reading it gave
    /// end-of-file or an error.
    case terminalGone
}

/// The loop that connects the terminal to the application: keys, ticks and
/// resizes in as messages; a redraw whenever the model's revision moved;
/// effects (quit, $EDITOR, bell, repaint) carried out here.
public enum TerminalApp {
    static func themeKind(_ choice: Settings.ThemeChoice) -> Theme.Kind? {
        switch choice {
        case .auto: nil
        case .color256: .color256
        case .color8: .color8
        case .mono: .monochrome
        }
    }

    /// Runs until the user quits, a signal asks us to stop, or the terminal
    /// goes away; says which. Every way out returns through here, so the
    /// terminal is given back (the deferred `end()`) after whatever the
    /// caller must do first is done in one place.
    public static func run(_ app: AppModel, startIn view: ViewKind, logPath: String?) throws -> SessionEnd {
        let session = try TerminalSession.start(logPath: logPath, theme: themeKind(app.settings.theme))
        defer { TerminalSession.end() }
        // Every way out of the loop (a signal, the terminal gone, an error)
        // keeps unsaved text as a draft first, before the terminal is given
        // back (defers run last-declared first). After a plain quit there is
        // nothing unsaved: `q` works only with no form, prompt or call up.
        defer { app.keepUnsavedWork() }
        let screen = session.screen
        // Charts in ASCII where eighth blocks cannot be shown (the Linux
        // console), or on a monochrome screen (NO_COLOR, too few colours).
        app.reports.blockCharsUnavailable = ChartGlyphs.terminalNeedsASCII(term: getenv("TERM").map { String(cString: $0) })
            || screen.theme.kind == .monochrome
        app.handle(.resize(width: screen.size.width, height: screen.size.height))
        // A write waiting for another user's save blocks this loop: the status
        // line says so from inside the wait, drawn and sent at once (drawing
        // reads only the view models' state, never the database).
        // Keys typed while a call was blocked reconnecting (up to 30 s, the
        // screen showing "reconnecting…") or waiting for a server that
        // answers nobody are dropped when it ends: replayed
        // blind, a second `L` pressed because nothing seemed to happen moved
        // the deal a second stage (QA 33 #4). What was typed before stays.
        var reconnectingInPass: Int?
        app.repositories.onWriteWait = { [unowned app] wait in
            app.writeWaitChanged(wait)
            if wait == .waiting || wait == .reconnecting || wait == .noAnswer {
                AppRenderer.render(app, on: screen)
                screen.present()
            }
            // "Not answering" too (QA 37 #2: a second `L` pressed during a
            // stall moved the deal twice), when it ends either way.
            if wait == .reconnecting || wait == .noAnswer { reconnectingInPass = loopPass }
            if wait == .reconnected || wait == .gaveUp || wait == .resumed && reconnectingInPass == loopPass {
                if reconnectingInPass == loopPass { KeyReader.discardTypeahead() }
                reconnectingInPass = nil
            }
        }
        defer { app.repositories.onWriteWait = nil }
        // A long action (a bulk change of thousands of rows) says it started.
        app.drawNow = { [unowned app] in
            AppRenderer.render(app, on: screen)
            screen.present()
        }
        defer { app.drawNow = nil }
        app.discardTypeahead = { KeyReader.discardTypeahead() }
        app.stopCheck = { TerminalSession.pendingSignal != nil }
        defer { app.discardTypeahead = nil }
        app.start(in: view)
        let ending = loop(app, session)
        // Here, with the screen still up, is the one place to act on how the
        // session ended before the deferred `end()` gives the terminal back.
        return ending
    }

    /// Counts the loop's passes: a wait that began and ended in one pass
    /// blocked the loop (the main thread's only; see `run`).
    nonisolated(unsafe) private static var loopPass = 0

    /// Message → update → draw until something ends the session.
    private static func loop(_ app: AppModel, _ session: TerminalSession) -> SessionEnd {
        let screen = session.screen
        var frames = FrameScheduler()
        // The idle tick stays every 100 ms even when the wait for a key is
        // shorter (while figures are computed on another thread).
        var lastTick = DispatchTime.now().uptimeNanoseconds
        // Hidden and undocumented on purpose: the crash test's way to make
        // crm trap for real with the screen up (no input should trap it).
        let trapOnceDrawn = getenv("CRM_TEST_TRAP").map { String(cString: $0) } == "1"
        while true {
            loopPass &+= 1
            if let signal = TerminalSession.pendingSignal { return .signal(signal) }
            // What other threads sent (report figures) is handled like a key,
            // before the frame is drawn.
            for message in app.inbox.take() { app.handle(message) }
            // A whole frame when something changed; when only the call timer
            // moved on, just its cells (the note under it is not redrawn).
            frames.draw(app, on: screen)
            if trapOnceDrawn { fatalError("CRM_TEST_TRAP=1: trapping with the screen up, as asked") }
            let effects: [Effect]
            // While figures are computed elsewhere the wait for a key is
            // short, so they are drawn within 10 ms of arriving.
            switch session.readKey(waitMilliseconds: app.isAwaitingBackground ? 10 : 100) {
            case .key(let key)?: effects = app.handle(.key(key))
            case .resize(let size)?:
                effects = app.handle(.resize(width: size.width, height: size.height))
            case .closed?: return .terminalGone
            case nil:
                let now = DispatchTime.now().uptimeNanoseconds
                guard now &- lastTick >= 90_000_000 else { continue }
                lastTick = now
                effects = app.handle(.tick)
            }
            for effect in effects {
                switch effect {
                case .quit: return .quit
                case .bell: session.bell()
                case .repaint:
                    session.repaintWhole()
                    frames.invalidate()
                case .editExternally(let text):
                    guard ExternalEditor.command != nil else {
                        app.status("Set $EDITOR to edit long notes in your editor", .warning)
                        continue
                    }
                    session.suspend()
                    let result = ExternalEditor.edit(text)
                    session.resume()
                    app.handle(.editorFinished(result))
                }
            }
        }
    }
}
