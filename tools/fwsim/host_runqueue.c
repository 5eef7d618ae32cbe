/* SPDX-License-Identifier: MIT */
/* fwsim: the run's processes' waits for a CPU (see host_runqueue.h). */
#include "host_runqueue.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the second field of a schedstat: nanoseconds waited on a run queue */
static bool read_wait(int fd, uint64_t *ns)
{
    char buf[96];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    unsigned long long run, wait;
    if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
        return false;
    *ns = wait;
    return true;
}

static bool numeric(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* the parent of pid, from /proc/PID/stat (its fourth field, after the
 * command name in parentheses); 0 when unknown */
static pid_t parent_of(const char *pid)
{
    char path[300], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close = strrchr(buf, ')');
    int ppid = 0;
    if (!close || sscanf(close + 1, " %*c %d", &ppid) != 1)
        return 0;
    return (pid_t)ppid;
}

/* fwsim and its descendants, into pids (up to cap); how many */
static size_t session_pids(pid_t *pids, size_t cap)
{
    size_t n = 0, nall = 0, cap_all = 256;
    struct {
        pid_t pid, parent;
    } *all = malloc(cap_all * sizeof(*all));
    DIR *d = opendir("/proc");
    if (!all || !d) {
        free(all);
        if (d)
            closedir(d);
        pids[0] = getpid();
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!numeric(e->d_name))
            continue;
        if (nall == cap_all) {
            void *more = realloc(all, 2 * cap_all * sizeof(*all));
            if (!more)
                break;
            all = more;
            cap_all *= 2;
        }
        all[nall].pid = (pid_t)atoi(e->d_name);
        all[nall].parent = parent_of(e->d_name);
        nall++;
    }
    closedir(d);
    pids[n++] = getpid();
    for (size_t k = 0; k < n; k++) /* breadth first: the children of every pid found */
        for (size_t i = 0; i < nall && n < cap; i++)
            if (all[i].parent == pids[k])
                pids[n++] = all[i].pid;
    free(all);
    return n;
}

static struct host_task *known(struct host_runqueue *q, pid_t tid)
{
    for (unsigned i = 0; i < q->n; i++)
        if (q->task[i].tid == tid)
            return &q->task[i];
    return NULL;
}

/* Looks the tasks up again: the known ones stay (their marks too), the
 * gone ones are dropped, the new ones opened; adds the whole wait of the
 * new ones to *waited (when not NULL) and marks them. */
static void rescan(struct host_runqueue *q, uint64_t *waited)
{
    pid_t pids[HOST_RUNQUEUE_TASKS];
    size_t np = session_pids(pids, HOST_RUNQUEUE_TASKS);
    struct host_runqueue next = {.n = 0};
    for (size_t k = 0; k < np && next.n < HOST_RUNQUEUE_TASKS; k++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/task", (int)pids[k]);
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) && next.n < HOST_RUNQUEUE_TASKS) {
            if (!numeric(e->d_name))
                continue;
            pid_t tid = (pid_t)atoi(e->d_name);
            struct host_task *t = known(q, tid);
            if (t) {
                next.task[next.n++] = *t;
                t->fd = -1; /* moved */
                continue;
            }
            char file[96];
            snprintf(file, sizeof(file), "/proc/%d/task/%d/schedstat", (int)pids[k], (int)tid);
            int fd = open(file, O_RDONLY | O_CLOEXEC);
            uint64_t now = 0;
            if (fd < 0)
                continue;
            if (!read_wait(fd, &now)) {
                close(fd);
                continue;
            }
            if (waited)
                *waited += now;
            next.task[next.n++] = (struct host_task){.tid = tid, .fd = fd, .mark = now};
        }
        if (d)
            closedir(d);
    }
    host_runqueue_free(q); /* the tasks gone */
    *q = next;
}

void host_runqueue_init(struct host_runqueue *q)
{
    q->n = 0;
    rescan(q, NULL);
}

void host_runqueue_mark(struct host_runqueue *q)
{
    for (unsigned i = 0; i < q->n; i++)
        read_wait(q->task[i].fd, &q->task[i].mark);
}

uint64_t host_runqueue_waited_ns(struct host_runqueue *q)
{
    uint64_t waited = 0, now;
    for (unsigned i = 0; i < q->n; i++)
        if (read_wait(q->task[i].fd, &now) && now > q->task[i].mark) {
            waited += now - q->task[i].mark;
            q->task[i].mark = now;
        }
    rescan(q, &waited);
    return waited;
}

void host_runqueue_free(struct host_runqueue *q)
{
    for (unsigned i = 0; i < q->n; i++)
        if (q->task[i].fd >= 0)
            close(q->task[i].fd);
    q->n = 0;
}
