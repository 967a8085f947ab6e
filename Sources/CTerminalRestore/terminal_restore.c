// See include/terminal_restore.h. Everything the handler touches is prepared
// before it is armed, and it calls only async-signal-safe functions.
#define _GNU_SOURCE 1
#include "terminal_restore.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const int crash_signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])

static struct sigaction previous[CRASH_SIGNAL_COUNT];
static int installed = 0;

static int tty_fd = -1;
static struct termios saved_modes;
static char sequence[512];
static char log_path[512];
/// Set while the screen is up; the first crash clears it, so a second
/// signal (a crash inside the next handler) does not write everything twice.
static volatile sig_atomic_t armed = 0;

// A stack overflow is a SIGSEGV with no stack left to run a handler on:
// the handler gets a stack of its own, unless the runtime already set one.
static char alternate_stack[64 * 1024];

int crm_restore_save_modes(int fd) {
    if (tcgetattr(fd, &saved_modes) != 0) { tty_fd = -1; return -1; }
    tty_fd = fd;
    return 0;
}

static void copy_bounded(char *to, size_t size, const char *from) {
    size_t n = from ? strlen(from) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(to, from, n);
    to[n] = 0;
}

void crm_restore_set_sequence(const char *bytes) { copy_bounded(sequence, sizeof sequence, bytes); }
void crm_restore_set_log_path(const char *path) { copy_bounded(log_path, sizeof log_path, path); }

static void put(int fd, const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(fd, text, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text += n;
        left -= (size_t)n;
    }
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    default: return "a signal";
    }
}

static const char *signal_meaning(int sig) {
    switch (sig) {
    case SIGILL: case SIGTRAP: return "a Swift runtime trap";
    case SIGABRT: return "an abort";
    case SIGSEGV: case SIGBUS: return "a bad memory access";
    case SIGFPE: return "an arithmetic fault";
    default: return "a crash";
    }
}

/// The decimal digits of `n`, for the pid: snprintf is not async-signal-safe.
static void put_number(int fd, long n) {
    char digits[24];
    int i = (int)sizeof digits - 1;
    digits[i] = 0;
    if (n < 0) n = -n;
    do { digits[--i] = (char)('0' + n % 10); n /= 10; } while (n > 0 && i > 0);
    put(fd, digits + i);
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)info; (void)context;
    int saved_errno = errno;
    if (armed) {
        armed = 0;
        // The modes first: the shell gets echo and line editing back even if
        // the terminal no longer takes output.
        if (tty_fd >= 0) tcsetattr(tty_fd, TCSANOW, &saved_modes);
        put(STDOUT_FILENO, sequence);
        put(STDOUT_FILENO, "crm stopped by ");
        put(STDOUT_FILENO, signal_name(sig));
        put(STDOUT_FILENO, " (");
        put(STDOUT_FILENO, signal_meaning(sig));
        put(STDOUT_FILENO, ", a bug in crm)");
        if (log_path[0]) {
            put(STDOUT_FILENO, "; what happened is in ");
            put(STDOUT_FILENO, log_path);
        }
        put(STDOUT_FILENO, "\n");
        // While the screen is up, fd 2 is the user's log.
        put(STDERR_FILENO, "crm[");
        put_number(STDERR_FILENO, (long)getpid());
        put(STDERR_FILENO, "]: stopped by ");
        put(STDERR_FILENO, signal_name(sig));
        put(STDERR_FILENO, " (");
        put(STDERR_FILENO, signal_meaning(sig));
        put(STDERR_FILENO, "); the terminal was restored\n");
        // The Swift runtime's backtracer is interactive when it started on a
        // terminal: it would print the backtrace over the user's shell and
        // wait 30 s for a key. With standard output on the log and nothing
        // to read it writes the backtrace to the log and goes on at once.
        int nothing = open("/dev/null", O_RDONLY);
        if (nothing >= 0) { dup2(nothing, STDIN_FILENO); close(nothing); }
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    // The handler that was there before (the default action, or the Swift
    // runtime's backtracer, which writes a backtrace to the log) gets the
    // signal: it is pending until this handler returns, and is then
    // delivered where the crash happened.
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == sig) sigaction(sig, &previous[i], NULL);
    }
    raise(sig);
    errno = saved_errno;
}

int crm_restore_install(void) {
    if (!installed) {
        stack_t current;
        if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
            stack_t ours = { .ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0 };
            sigaltstack(&ours, NULL);
        }
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_crash;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigfillset(&action.sa_mask);
        for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
            if (sigaction(crash_signals[i], &action, &previous[i]) != 0) return -1;
        }
        installed = 1;
    }
    armed = 1;
    return 0;
}

void crm_restore_uninstall(void) {
    armed = 0;
    if (!installed) return;
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) sigaction(crash_signals[i], &previous[i], NULL);
    installed = 0;
}
