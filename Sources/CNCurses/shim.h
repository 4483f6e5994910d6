#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
// The wide-character API (cchar_t, setcchar, mvwadd_wch, get_wch) must be switched on before
// curses.h is included.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// C globals are "not concurrency-safe" in Swift 6 mode: read them through functions.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

// Function-like macros Swift cannot import.
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline int cn_key_f(int n) { return KEY_F(n); }

static const attr_t CN_A_NORMAL = A_NORMAL;
static const attr_t CN_A_BOLD = A_BOLD;
static const attr_t CN_A_DIM = A_DIM;
static const attr_t CN_A_REVERSE = A_REVERSE;
static const attr_t CN_A_UNDERLINE = A_UNDERLINE;
static const attr_t CN_A_ITALIC = A_ITALIC;

static const mmask_t CN_BUTTON1_PRESSED = BUTTON1_PRESSED;
static const mmask_t CN_BUTTON1_CLICKED = BUTTON1_CLICKED;
static const mmask_t CN_BUTTON4_PRESSED = BUTTON4_PRESSED;
static const mmask_t CN_BUTTON5_PRESSED = BUTTON5_PRESSED;

// One cell: a wide character with attributes and a colour pair, through cchar_t (never ACS).
static inline int cn_put_wide(WINDOW *w, int y, int x, unsigned int character, attr_t attributes, int pair) {
    wchar_t text[2] = { (wchar_t)character, 0 };
    cchar_t cell;
    setcchar(&cell, text, attributes, (short)pair, NULL);
    return mvwadd_wch(w, y, x, &cell);
}

// Whether the locale's character set is UTF-8 (after setlocale).
static inline int cn_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Whether the terminal can address the cursor (TERM=dumb cannot).
static inline int cn_has_cup(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

// A terminfo string, or NULL when the terminal has none.
static inline const char *cn_tigetstr(const char *name) {
    char *value = tigetstr(name);
    return (value == NULL || value == (char *)-1) ? NULL : value;
}

// ---------------------------------------------------------------------------------------------
// Restoring the terminal from a signal handler. Only async-signal-safe calls: tcsetattr and
// write with what start-up saved, then _exit. Used from one Swift file only (the statics below
// exist once per object file that calls them).

struct cn_restore_state {
    volatile sig_atomic_t armed;
    volatile sig_atomic_t suspend_requested;
    struct termios saved;
    int have_saved;
    char sequence[512];
    size_t sequence_length;
    struct sigaction previous[32];
};

static inline struct cn_restore_state *cn_restore(void) {
    static struct cn_restore_state state;
    return &state;
}

// Saves the terminal modes as they are before ncurses starts.
static inline void cn_save_terminal(void) {
    struct cn_restore_state *state = cn_restore();
    state->have_saved = tcgetattr(STDIN_FILENO, &state->saved) == 0;
}

// The bytes that take the terminal out of the explorer: leave the alternate screen, show the
// cursor, plain attributes, mouse reporting off.
// Ctrl-S and Ctrl-Q would stop and restart output (XON/XOFF) and look like a hang: turned off
// for the program's mode only; endwin and the signal handlers restore the shell's termios.
static inline void cn_no_flow_control(void) {
    struct termios mode;
    if (tcgetattr(STDIN_FILENO, &mode) != 0) return;
    mode.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
    tcsetattr(STDIN_FILENO, TCSANOW, &mode);
    def_prog_mode();
}

static inline void cn_set_restore_sequence(const char *bytes, size_t length) {
    struct cn_restore_state *state = cn_restore();
    if (length >= sizeof(state->sequence)) length = sizeof(state->sequence) - 1;
    memcpy(state->sequence, bytes, length);
    state->sequence_length = length;
}

static inline void cn_restore_now(void) {
    struct cn_restore_state *state = cn_restore();
    if (!state->armed) return;
    state->armed = 0;
    if (state->sequence_length > 0) {
        ssize_t ignored = write(STDOUT_FILENO, state->sequence, state->sequence_length);
        (void)ignored;
    }
    if (state->have_saved) tcsetattr(STDIN_FILENO, TCSAFLUSH, &state->saved);
}

static inline void cn_exit_handler(int signal_number) {
    cn_restore_now();
    _exit(128 + signal_number);
}

// A crash: restore, then let the previous handler (Swift's backtracer) or the default one run.
static inline void cn_crash_handler(int signal_number) {
    cn_restore_now();
    struct cn_restore_state *state = cn_restore();
    if (signal_number > 0 && signal_number < 32) {
        sigaction(signal_number, &state->previous[signal_number], NULL);
    } else {
        signal(signal_number, SIG_DFL);
    }
    raise(signal_number);
}

static inline void cn_suspend_handler(int signal_number) {
    (void)signal_number;
    cn_restore()->suspend_requested = 1;
}

static inline void cn_install(int signal_number, void (*handler)(int), int keep_previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    struct sigaction *previous = keep_previous && signal_number < 32 ? &cn_restore()->previous[signal_number] : NULL;
    sigaction(signal_number, &action, previous);
}

// Arms the handlers: SIGINT, SIGTERM, SIGHUP restore and exit 128+n; SIGTSTP asks the main loop
// to suspend; crashes restore and go on to the previous handler.
static inline void cn_install_signal_handlers(void) {
    cn_restore()->armed = 1;
    // A parent may start us with signals blocked (threads of a test runner, a daemon): the
    // ones handled here must get through to the main thread.
    sigset_t handled;
    sigemptyset(&handled);
    int numbers[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH, SIGSEGV, SIGBUS, SIGILL,
        SIGTRAP, SIGFPE, SIGABRT };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) sigaddset(&handled, numbers[i]);
    sigprocmask(SIG_UNBLOCK, &handled, NULL);
    cn_install(SIGINT, cn_exit_handler, 0);
    cn_install(SIGTERM, cn_exit_handler, 0);
    cn_install(SIGHUP, cn_exit_handler, 0);
    cn_install(SIGQUIT, cn_exit_handler, 0);
    cn_install(SIGTSTP, cn_suspend_handler, 0);
    cn_install(SIGSEGV, cn_crash_handler, 1);
    cn_install(SIGBUS, cn_crash_handler, 1);
    cn_install(SIGILL, cn_crash_handler, 1);
    cn_install(SIGTRAP, cn_crash_handler, 1);
    cn_install(SIGFPE, cn_crash_handler, 1);
    cn_install(SIGABRT, cn_crash_handler, 1);
}

static inline void cn_disarm(void) { cn_restore()->armed = 0; }
static inline void cn_rearm(void) { cn_restore()->armed = 1; }

// Takes the suspend request, if one came.
static inline int cn_take_suspend_request(void) {
    struct cn_restore_state *state = cn_restore();
    int requested = state->suspend_requested;
    state->suspend_requested = 0;
    return requested;
}

// Stops the process as SIGTSTP would have; returns after SIGCONT.
static inline void cn_stop_self(void) {
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    cn_install(SIGTSTP, cn_suspend_handler, 0);
}
#endif
