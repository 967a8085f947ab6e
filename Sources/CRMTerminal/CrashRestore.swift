// The Swift side of CTerminalRestore: what a crash must undo, worked out from
// terminfo while it is safe to do so, handed to the C signal handler.
import CNcursesw
import CTerminalRestore
#if canImport(Glibc)
import Glibc
#endif

enum CrashRestore {
    /// Remembers the shell's terminal modes; called before curses changes them.
    static func saveModes() {
        _ = crm_restore_save_modes(STDIN_FILENO)
    }

    /// Arms the crash handlers; called once the screen is up and stderr is
    /// the log, so the handler's line lands in the log.
    static func arm(logPath: String?) {
        crm_restore_set_sequence(restoreSequence)
        crm_restore_set_log_path(logPath ?? "")
        _ = crm_restore_install()
    }

    /// Puts the handlers that were there before back (the default ones, or
    /// the Swift runtime's backtracer).
    static func disarm() {
        crm_restore_uninstall()
    }

    /// Normal attributes, bracketed paste off, the keypad's normal mode, the
    /// cursor shown, the alternate screen left: what `endwin` and
    /// `KeyReader.tearDown` would send, for this terminal type.
    static var restoreSequence: String {
        func capability(_ name: String) -> String { crm_tistr(name).map { String(cString: $0) } ?? "" }
        return capability("sgr0") + KeyReader.disableBracketedPaste + capability("rmkx") + capability("cnorm") + capability("rmcup")
    }
}
