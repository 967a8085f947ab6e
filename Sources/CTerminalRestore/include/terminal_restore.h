// Gives the terminal back when crm crashes. A Swift runtime trap (SIGILL or
// SIGTRAP), an abort, a bad memory access (SIGSEGV, SIGBUS) or SIGFPE ends the
// process without running `endwin`, so without this the user's shell is left
// in curses' modes: no echo, no line editing, the alternate screen.
//
// Written in C because a signal handler may only make async-signal-safe
// calls (tcsetattr, write, sigaction, raise) on memory prepared beforehand;
// Swift code gives no such guarantee.
#ifndef CRM_TERMINAL_RESTORE_H
#define CRM_TERMINAL_RESTORE_H

/// Remembers the terminal modes of `fd` as they are now, before curses
/// changes them. Returns 0, or -1 when `fd` is not a terminal.
int crm_restore_save_modes(int fd);

/// The bytes that undo what the screen did to the terminal (reset
/// attributes, leave the keypad mode and the alternate screen, show the
/// cursor), written on a crash after the modes. Copied; at most 511 bytes.
void crm_restore_set_sequence(const char *bytes);

/// Where the log is, named in the line written on the terminal after a crash
/// ("crm stopped: ... see LOG"). Copied; at most 511 bytes.
void crm_restore_set_log_path(const char *path);

/// Installs the crash handlers, remembering the ones they replace (the Swift
/// runtime's backtracer), and arms them: a crash now restores the terminal,
/// writes the signal's name to fd 2 (the log while the screen is up), and
/// hands the signal to the handler that was there before. Returns 0 or -1.
int crm_restore_install(void);

/// Puts the replaced handlers back: the terminal is the shell's again.
void crm_restore_uninstall(void);

#endif
