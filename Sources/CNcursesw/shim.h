// ncursesw for Swift. SwiftPM drops pkg-config's -D flags, so the feature
// macros that make the wide-character API (get_wch, wint_t, cchar_t) visible
// are set here, before any system header.
//
// _DEFAULT_SOURCE too: _XOPEN_SOURCE alone switches glibc's __USE_MISC off,
// which renames struct fields in <sys/ucontext.h> (via <signal.h>); the same
// header seen by Dispatch then disagrees and a clean build fails with
// "'_libc_fpxreg::exponent' ... is not present in definition".
#ifndef CRM_NCURSES_SHIM_H
#define CRM_NCURSES_SHIM_H
#define _DEFAULT_SOURCE 1
#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/curses.h>

// Swift 6 rejects C globals as shared mutable state, and function-like macros
// do not import at all: small accessors instead.
static inline WINDOW *crm_stdscr(void) { return stdscr; }
static inline int crm_lines(void) { return LINES; }
static inline int crm_cols(void) { return COLS; }
static inline int crm_colors(void) { return COLORS; }
static inline int crm_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t crm_a_normal(void) { return A_NORMAL; }
static inline attr_t crm_a_bold(void) { return A_BOLD; }
static inline attr_t crm_a_reverse(void) { return A_REVERSE; }
static inline attr_t crm_a_underline(void) { return A_UNDERLINE; }
static inline attr_t crm_a_dim(void) { return A_DIM; }
static inline attr_t crm_color_pair(int n) { return COLOR_PAIR(n); }
static inline int crm_key_f(int n) { return KEY_F(n); }
// wcwidth is hidden from Swift's Glibc module; never hand-roll a width table.
static inline int crm_wcwidth(wchar_t c) { return wcwidth(c); }
// One cell with attributes, built here because setcchar takes a wide string.
static inline int crm_mvadd_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}
// One run of cells in one style: cheaper than a call per cell when a whole
// frame is drawn. `n` counts wchar_t, not cells.
static inline int crm_mvadd_run(int y, int x, const wchar_t *text, int n, attr_t attrs, short pair) {
    wattr_set(stdscr, attrs, pair, NULL);
    int r = mvaddnwstr(y, x, text, n);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    return r;
}
static inline int crm_maxy(void) { return getmaxy(stdscr); }
static inline int crm_maxx(void) { return getmaxx(stdscr); }
// newterm instead of initscr: it returns NULL when the terminal cannot be set
// up instead of printing to stderr and exiting. stdout/stdin are C globals
// Swift 6 will not touch.
static inline SCREEN *crm_newterm(void) { return newterm(NULL, stdout, stdin); }
// cbreak leaves XON/XOFF on, so Ctrl-S would freeze the screen until Ctrl-Q.
static inline void crm_disable_flow_control(void) {
    struct termios t;
    if (tcgetattr(0, &t) == 0) {
        t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(0, TCSANOW, &t);
    }
}
// Ctrl-C as a key (byte 3) instead of SIGINT, so a form with text typed can
// ask before anything is lost. Only the interrupt character is switched off:
// Ctrl-\ (SIGQUIT) and Ctrl-Z still signal, and `kill -INT` still ends crm.
static inline void crm_ctrl_c_as_key(void) {
    struct termios t;
    if (tcgetattr(0, &t) == 0) {
        t.c_cc[VINTR] = _POSIX_VDISABLE;
        tcsetattr(0, TCSANOW, &t);
    }
}
// From <term.h>, which is not included: its macros (lines, columns, ...)
// would shadow ordinary names.
struct term;
extern int setupterm(const char *term, int fd, int *errret);
extern struct term *set_curterm(struct term *);
extern int del_curterm(struct term *);
// A string capability of the terminal, NULL when it has none (tigetstr
// says (char *)-1 for "not a string capability").
static inline const char *crm_tistr(const char *name) {
    const char *s = tigetstr(name);
    return s == (const char *)-1 ? NULL : s;
}
// Whether curses can draw on a terminal of type `term`, asked of terminfo
// before newterm (which would already write to the terminal): 1 yes; 0 the
// type is known but cannot move the cursor (dumb, hard-copy, generic); -1 no
// terminfo entry for it.
static inline int crm_terminal_usable(const char *term) {
    int err = 0;
    if (setupterm(term, 1, &err) != OK) return err == 1 ? 0 : -1;
    const char *cup = crm_tistr("cup");
    int usable = cup != NULL && tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
    del_curterm(set_curterm(NULL));   // newterm sets up its own
    return usable ? 1 : 0;
}
#endif
