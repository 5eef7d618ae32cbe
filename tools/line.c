/* SPDX-License-Identifier: MIT */
/* fwflash on a production line (line.h). Several probes: one fwflash
 * process per probe (each with its own libusb session, identification,
 * lint gate, plan, verify and boot check; a board that fails fails alone),
 * their output gathered here. */
#include "line.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fwkit/probe.h"

int line_log_append(const char *path, const char *record)
{
    size_t n = strlen(record);
    char *line = malloc(n + 2);
    if (!line)
        return ENOMEM;
    memcpy(line, record, n);
    line[n++] = '\n';
    line[n] = '\0';
    int err = 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        err = errno;
    /* one write: O_APPEND puts the whole line at the end, whoever else appends */
    else if (write(fd, line, n) != (ssize_t)n)
        err = errno ? errno : EIO;
    else if (fsync(fd))
        err = errno;
    if (fd >= 0 && close(fd) && !err)
        err = errno;
    if (err)
        fprintf(stderr, "fwflash: error: %s: the board's record was not logged: %s [FLASH-LOG]\n", path, strerror(err));
    free(line);
    return err;
}

/* The string value of "key": "..." in a record line, or NULL. */
static const char *field(const char *line, const char *key, char *out, size_t cap)
{
    char pat[40];
    snprintf(pat, sizeof(pat), "\"%s\": \"", key);
    const char *at = strstr(line, pat);
    if (!at)
        return NULL;
    at += strlen(pat);
    size_t n = strcspn(at, "\"");
    if (at[n] != '"' || n >= cap)
        return NULL;
    memcpy(out, at, n);
    out[n] = '\0';
    return out;
}

struct day {
    char date[11];
    size_t ok, failed, burnt;
};

int line_log_summary(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "fwflash: error: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    struct day days[400];
    size_t ndays = 0, lineno = 0, records = 0;
    struct day total = {"total", 0, 0, 0};
    char *line = NULL;
    size_t cap = 0;
    int status = EXIT_OK;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        char when[40], result[16];
        if (line[0] != '{' || !field(line, "time", when, sizeof(when)) || strlen(when) < 10 ||
            !field(line, "result", result, sizeof(result))) {
            fprintf(stderr, "%s:%zu: error: not a fwflash board record (a JSON object with \"time\" and \"result\")\n",
                    path, lineno);
            status = EXIT_USAGE;
            break;
        }
        records++;
        size_t k = 0;
        while (k < ndays && strncmp(days[k].date, when, 10))
            k++;
        if (k == ndays) {
            if (ndays == sizeof(days) / sizeof(days[0])) {
                fprintf(stderr, "%s:%zu: error: more than %zu days in one log\n", path, lineno, ndays);
                status = EXIT_USAGE;
                break;
            }
            memcpy(days[ndays].date, when, 10);
            days[ndays].date[10] = '\0';
            days[ndays].ok = days[ndays].failed = days[ndays].burnt = 0;
            ndays++;
        }
        bool ok = !strcmp(result, "ok");
        size_t burnt = 0;
        for (const char *b = line; (b = strstr(b, "\"burnt\": true")); b++)
            burnt++;
        days[k].ok += ok;
        days[k].failed += !ok;
        days[k].burnt += burnt;
        total.ok += ok;
        total.failed += !ok;
        total.burnt += burnt;
    }
    free(line);
    fclose(f);
    if (status)
        return status;
    printf("log:      %s, %zu board record%s\n", path, records, records == 1 ? "" : "s");
    for (size_t k = 0; k <= ndays; k++) {
        const struct day *y = k < ndays ? &days[k] : &total;
        if (k == ndays && ndays < 2)
            break;
        printf("%-10s %4zu board%s: %zu ok, %zu failed", y->date, y->ok + y->failed, y->ok + y->failed == 1 ? "" : "s",
               y->ok, y->failed);
        if (y->burnt)
            printf("; %zu counter number%s burnt (taken by a board that failed, never handed out again)", y->burnt,
                   y->burnt == 1 ? "" : "s");
        putchar('\n');
    }
    return EXIT_OK;
}

/* ---- several probes at once ---- */

struct board {
    char serial[FW_PROBE_SERIAL_MAX + 1];
    pid_t pid;
    int out, err; /* pipes from the child's stdout and stderr, -1 once closed */
    char *json;   /* its stdout, whole (with --json) */
    size_t json_len;
    char pend[2][512]; /* a partial line per stream */
    size_t npend[2];
    char status[256]; /* its latest line */
    char reason[256]; /* why it failed */
    bool said_error;  /* reason is an error line */
    int exit;         /* -1 while it runs */
};

static bool tty;
static size_t drawn;

/* The boards' status lines, redrawn in place on a terminal. */
static void draw(const struct board *b, size_t n)
{
    if (!tty)
        return;
    if (drawn)
        fprintf(stderr, "\033[%zuA", drawn);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "\r\033[K%s  %.100s\n", b[i].serial, b[i].status);
    drawn = n;
    fflush(stderr);
}

static void on_line(struct board *b, int stream, const char *text, bool json, bool quiet)
{
    /* why it failed: its first error, else its last "fwflash: ..." line */
    const char *e = stream == 1 ? strstr(text, "error: ") : NULL;
    if (e && !b->said_error) {
        snprintf(b->reason, sizeof(b->reason), "%s", e + 7);
        b->said_error = true;
    } else if (stream == 1 && !b->said_error && !strncmp(text, "fwflash: ", 9)) {
        snprintf(b->reason, sizeof(b->reason), "%s", text + 9);
    }
    if (!strncmp(text, "progress: ", 10)) { /* a terminal shows it; plain output is whole lines only */
        snprintf(b->status, sizeof(b->status), "%s", text + 10);
        return;
    }
    snprintf(b->status, sizeof(b->status), "%s", text);
    if (tty || (json && stream == 0) || (quiet && stream == 0))
        return;
    fprintf(stream ? stderr : stdout, "%s  %s\n", b->serial, text);
}

/* Reads what a child wrote on one stream; false at its end. */
static bool drain(struct board *b, int stream, bool json, bool quiet)
{
    int fd = stream ? b->err : b->out;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0) {
        if (b->npend[stream]) {
            b->pend[stream][b->npend[stream]] = '\0';
            on_line(b, stream, b->pend[stream], json, quiet);
            b->npend[stream] = 0;
        }
        return false;
    }
    if (json && stream == 0) {
        char *grown = realloc(b->json, b->json_len + (size_t)n + 1);
        if (grown) {
            b->json = grown;
            memcpy(b->json + b->json_len, buf, (size_t)n);
            b->json_len += (size_t)n;
            b->json[b->json_len] = '\0';
        }
        return true;
    }
    for (ssize_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n' || c == '\r' || b->npend[stream] == sizeof(b->pend[0]) - 1) {
            b->pend[stream][b->npend[stream]] = '\0';
            if (b->npend[stream])
                on_line(b, stream, b->pend[stream], json, quiet);
            b->npend[stream] = 0;
            if (c == '\n' || c == '\r')
                continue;
        }
        b->pend[stream][b->npend[stream]++] = c;
    }
    return true;
}

static bool start(struct board *b, int argc, char **argv, bool json)
{
    int out[2], err[2];
    if (pipe(out))
        return false;
    if (pipe(err)) {
        close(out[0]);
        close(out[1]);
        return false;
    }
    /* argv with --serial SN first, in place of the list */
    char **args = calloc((size_t)argc + 4, sizeof(char *));
    if (!args)
        return false;
    size_t k = 0;
    args[k++] = argv[0];
    args[k++] = "--serial";
    args[k++] = b->serial;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--serial") && i + 1 < argc) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--serial=", 9))
            continue;
        args[k++] = argv[i];
    }
    args[k] = NULL;
    fflush(NULL);
    b->pid = fork();
    if (b->pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        setenv("FWKIT_BOARD", json ? "json" : "lines", 1);
        execv("/proc/self/exe", args);
        fprintf(stderr, "fwflash: error: cannot run fwflash for this board: %s\n", strerror(errno));
        _exit(EXIT_USAGE);
    }
    free(args);
    close(out[1]);
    close(err[1]);
    if (b->pid < 0) {
        close(out[0]);
        close(err[0]);
        return false;
    }
    b->out = out[0];
    b->err = err[0];
    return true;
}

/* The child's JSON object without its last newline, or a stand-in. */
static void board_json(const struct board *b, FILE *f)
{
    size_t n = b->json ? b->json_len : 0;
    while (n && (b->json[n - 1] == '\n' || b->json[n - 1] == ' '))
        n--;
    if (n && b->json[0] == '{') {
        fwrite(b->json, 1, n, f);
        return;
    }
    fprintf(f, "{\"serial\": ");
    cli_json_string(f, b->serial);
    fprintf(f, ", \"status\": \"failed\", \"exit\": %d, \"failed_phase\": ", b->exit);
    cli_json_string(f, b->reason[0] ? b->reason : "starting fwflash for the board");
    fprintf(f, "}");
}

int line_run_boards(int argc, char **argv, const char *serials, bool json, bool quiet)
{
    struct board *b = NULL;
    size_t n = 0;
    if (!strcmp(serials, "all")) {
        fw_probe_info list[16];
        fw_diag *d = fw_diag_new();
        int rc = d ? fw_probe_list(list, 16, &n, d) : FW_ENOMEM;
        cli_print_diag(d);
        fw_diag_free(d);
        if (rc)
            return EXIT_FINDINGS;
        if (!n) {
            fprintf(stderr, "fwflash: error: --serial all: no ST-Link is attached [PROBE-NONE]\n");
            return EXIT_FINDINGS;
        }
        if (!(b = calloc(n, sizeof(*b))))
            return EXIT_USAGE;
        for (size_t i = 0; i < n; i++)
            snprintf(b[i].serial, sizeof(b[i].serial), "%s", list[i].serial);
    } else {
        for (const char *s = serials; *s;) {
            size_t len = strcspn(s, ",");
            struct board *grown = len && len <= FW_PROBE_SERIAL_MAX ? realloc(b, (n + 1) * sizeof(*b)) : b;
            if (len > FW_PROBE_SERIAL_MAX) {
                free(b);
                return cli_usage_error("--serial: '%.*s' is not a probe's serial", (int)len, s);
            }
            if (!grown) {
                free(b);
                return EXIT_USAGE;
            }
            b = grown;
            if (len) {
                memset(&b[n], 0, sizeof(b[n]));
                memcpy(b[n].serial, s, len);
                for (size_t k = 0; k < n; k++)
                    if (!strcmp(b[k].serial, b[n].serial)) {
                        free(b);
                        return cli_usage_error("--serial: %.*s is listed twice", (int)len, s);
                    }
                n++;
            }
            s += len + (s[len] == ',');
        }
        if (!n)
            return cli_usage_error("--serial: no serial listed");
    }
    tty = !json && !quiet && isatty(STDERR_FILENO);
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < n; i++) {
        b[i].exit = -1;
        b[i].out = b[i].err = -1;
        snprintf(b[i].status, sizeof(b[i].status), "starting");
        if (!start(&b[i], argc, argv, json)) {
            b[i].exit = EXIT_USAGE;
            snprintf(b[i].reason, sizeof(b[i].reason), "cannot start fwflash for it: %s", strerror(errno));
        }
    }
    draw(b, n);
    for (;;) {
        struct pollfd fds[32];
        struct board *of[32];
        int stream[32];
        nfds_t nf = 0;
        for (size_t i = 0; i < n && nf + 2 <= 32; i++)
            for (int s = 0; s < 2; s++)
                if ((s ? b[i].err : b[i].out) >= 0) {
                    fds[nf] = (struct pollfd){.fd = s ? b[i].err : b[i].out, .events = POLLIN};
                    of[nf] = &b[i];
                    stream[nf++] = s;
                }
        if (!nf)
            break;
        /* the children keep their own deadlines; this wakes to redraw */
        if (poll(fds, nf, 250) < 0 && errno != EINTR)
            break;
        for (nfds_t k = 0; k < nf; k++)
            if (fds[k].revents && !drain(of[k], stream[k], json, quiet)) {
                close(fds[k].fd);
                if (stream[k])
                    of[k]->err = -1;
                else
                    of[k]->out = -1;
            }
        draw(b, n);
    }
    size_t passed = 0, usage = 0;
    for (size_t i = 0; i < n; i++) {
        int st;
        if (b[i].pid > 0 && waitpid(b[i].pid, &st, 0) == b[i].pid)
            b[i].exit = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        passed += b[i].exit == 0;
        usage += b[i].exit == EXIT_USAGE;
        if (b[i].exit == 0)
            snprintf(b[i].status, sizeof(b[i].status), "passed");
        else if (tty)
            snprintf(b[i].status, sizeof(b[i].status), "FAILED: %s", b[i].reason[0] ? b[i].reason : "see above");
    }
    draw(b, n);
    if (json) {
        printf("{\"boards\": [\n");
        for (size_t i = 0; i < n; i++) {
            board_json(&b[i], stdout);
            printf("%s\n", i + 1 < n ? "," : "");
        }
        printf("], \"passed\": %zu, \"failed\": %zu}\n", passed, n - passed);
    } else if (!quiet || passed < n) {
        printf("boards:   %zu: %zu passed, %zu failed\n", n, passed, n - passed);
        for (size_t i = 0; i < n; i++)
            if (b[i].exit != 0)
                printf("  %s failed: %s\n", b[i].serial, b[i].reason[0] ? b[i].reason : "(no message)");
    }
    for (size_t i = 0; i < n; i++)
        free(b[i].json);
    free(b);
    return passed == n ? EXIT_OK : usage == n ? EXIT_USAGE : EXIT_FINDINGS;
}
