// ncursesw wide-character API. SwiftPM drops the -D flags of ncursesw.pc, so define them here.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and C globals do not import into Swift (and globals trip Swift 6 concurrency checks):
// these wrappers are the only way the TUI reaches them. All of them must be called from the one
// thread that owns the screen.

/// The standard screen (the `stdscr` global).
static inline WINDOW *skipchat_stdscr(void) { return stdscr; }
/// Number of colours the terminal supports (the `COLORS` global; valid after start_color()).
static inline int skipchat_colors(void) { return COLORS; }
/// Number of colour pairs (the `COLOR_PAIRS` global; valid after start_color()).
static inline int skipchat_color_pairs(void) { return COLOR_PAIRS; }
/// Window size in rows and columns (the `getmaxyx` macro).
static inline void skipchat_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

/// The C standard streams (globals), for `newterm`.
static inline FILE *skipchat_stdin(void) { return stdin; }
static inline FILE *skipchat_stdout(void) { return stdout; }

/// Columns of a character under the current LC_CTYPE (-1: not printable). Declared here because
/// glibc hides `wcwidth` unless _XOPEN_SOURCE is set, which the system module does not do.
static inline int skipchat_wcwidth(wchar_t c) {
    extern int wcwidth(wchar_t);
    return wcwidth(c);
}

/// Attribute bits (the `A_*` macros).
static inline attr_t skipchat_attr_normal(void) { return A_NORMAL; }
static inline attr_t skipchat_attr_bold(void) { return A_BOLD; }
static inline attr_t skipchat_attr_dim(void) { return A_DIM; }
static inline attr_t skipchat_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t skipchat_attr_reverse(void) { return A_REVERSE; }
static inline attr_t skipchat_attr_italic(void) { return A_ITALIC; }

/// Key codes (macros).
static inline int skipchat_key_code_yes(void) { return KEY_CODE_YES; }
static inline int skipchat_key_resize(void) { return KEY_RESIZE; }

/// Sets attributes and an (extended, possibly > 32767) colour pair for the next output on `win`.
static inline int skipchat_set_style(WINDOW *win, attr_t attrs, int pair) {
    return wattr_set(win, attrs, (short)(pair <= 32767 ? pair : 0), &pair);
}
