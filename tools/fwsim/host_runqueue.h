/* SPDX-License-Identifier: MIT */
/* fwsim: how long the processes of the run waited for a CPU on the machine
 * running it: fwsim's own threads and those of the command it runs and
 * that command's children. Linux keeps, per task, the time it spent
 * runnable on a run queue without running (the second field of
 * /proc/PID/task/TID/schedstat, "time spent waiting on a runqueue",
 * Documentation/scheduler/sched-stats.rst). A gap between the host's
 * transfers made of such waits is this machine's load, not something the
 * host program did; emulated_usb.c charges only the rest. Where the kernel
 * keeps no such figures every wait reads 0. */
#ifndef FWSIM_HOST_RUNQUEUE_H
#define FWSIM_HOST_RUNQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define HOST_RUNQUEUE_TASKS 64

struct host_runqueue {
    struct host_task {
        pid_t tid;
        int fd;        /* its schedstat, kept open */
        uint64_t mark; /* its run-queue wait at the last mark */
    } task[HOST_RUNQUEUE_TASKS];
    unsigned n;
};

void host_runqueue_init(struct host_runqueue *q);
/* Remembers every known task's wait so far (after each transfer). */
void host_runqueue_mark(struct host_runqueue *q);
/* How long the known tasks waited for a CPU since the last mark, and the
 * whole wait of tasks that appeared since (a command started in between);
 * then the tasks are looked up again and marked. */
uint64_t host_runqueue_waited_ns(struct host_runqueue *q);
void host_runqueue_free(struct host_runqueue *q);

#endif
