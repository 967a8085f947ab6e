/// What a view model asks of the outside world that it cannot do itself.
/// Reads and writes go straight to the repositories (SQLite answers in well
/// under a millisecond); effects are what only the terminal can do.
public enum Effect: Equatable, Sendable {
    case quit
    /// Suspend the screen, run `$EDITOR` on `text`, and answer with
    /// `AppMessage.editorFinished`.
    case editExternally(text: String)
    case bell
    /// Clear the terminal and send the whole screen again, not only what
    /// changed (Ctrl-L): another program may have written over it.
    case repaint
}

/// Everything that can happen to the application.
public enum AppMessage: Equatable, Sendable {
    case key(Key)
    /// The idle tick (every 100 ms): poll for other users' changes, run timers.
    case tick
    case resize(width: Int, height: Int)
    /// `$EDITOR` closed.
    case editorFinished(EditorResult)
    /// A report page's figures, computed away from the loop's thread (or
    /// the read that failed): shown if they are still the ones wanted.
    case reportComputed(ReportComputed)
}

/// How a run of `$EDITOR` ended.
public enum EditorResult: Equatable, Sendable {
    /// The file's text when the editor exited with status 0.
    case edited(String)
    /// It could not start, exited non-zero, or the file was gone: what
    /// happened, in words ("the editor exited with status 1"). The field
    /// keeps its text.
    case failed(String)
}
