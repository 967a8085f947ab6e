// ncursesw for Swift. SwiftPM drops pkg-config's -D flags, so the feature
// macros that make the wide-character API (get_wch, wint_t, cchar_t) visible
// are set here, before any system header.
#ifndef CRM_NCURSES_SHIM_H
#define CRM_NCURSES_SHIM_H
#define _XOPEN_SOURCE 700
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
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
#endif
