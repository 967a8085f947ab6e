import CRMCore
import CRMViewModels
import Foundation

/// The loop that connects the terminal to the application: keys, ticks and
/// resizes in as messages; a redraw whenever the model's revision moved;
/// effects (quit, $EDITOR, bell) carried out here.
public enum TerminalApp {
    static func themeKind(_ choice: Settings.ThemeChoice) -> Theme.Kind? {
        switch choice {
        case .auto: nil
        case .color256: .color256
        case .color8: .color8
        case .mono: .monochrome
        }
    }

    /// Runs until the user quits or a signal asks us to stop. Returns the
    /// exit status: 0 on quit, 128 + signal number after a signal.
    public static func run(_ app: AppModel, startIn view: ViewKind, logPath: String?) throws -> Int32 {
        let session = try TerminalSession.start(logPath: logPath, theme: themeKind(app.settings.theme))
        defer { TerminalSession.end() }
        let screen = session.screen
        app.handle(.resize(width: screen.size.width, height: screen.size.height))
        // A write waiting for another user's save blocks this loop: the status
        // line says so from inside the wait, drawn and sent at once (drawing
        // reads only the view models' state, never the database).
        app.repositories.onWriteWait = { [unowned app] wait in
            app.writeWaitChanged(wait)
            if wait == .waiting {
                AppRenderer.render(app, on: screen)
                screen.present()
            }
        }
        defer { app.repositories.onWriteWait = nil }
        app.start(in: view)
        var frames = FrameScheduler()
        while true {
            if let signal = TerminalSession.pendingSignal { return 128 + signal }
            // A whole frame when something changed; when only the call timer
            // moved on, just its cells (the note under it is not redrawn).
            frames.draw(app, on: screen)
            let effects: [Effect]
            switch session.readKey() {
            case .key(let key)?: effects = app.handle(.key(key))
            case .resize(let size)?:
                effects = app.handle(.resize(width: size.width, height: size.height))
            case nil: effects = app.handle(.tick)
            }
            for effect in effects {
                switch effect {
                case .quit: return 0
                case .bell: session.bell()
                case .editExternally(let text):
                    guard ExternalEditor.command != nil else {
                        app.status("Set $EDITOR to edit long notes in your editor", .warning)
                        continue
                    }
                    session.suspend()
                    let edited = ExternalEditor.edit(text)
                    session.resume()
                    app.handle(.editorFinished(edited))
                }
            }
        }
    }
}
