/* SPDX-License-Identifier: MIT */
/* fwsim's measure of the run's waits for a CPU (tools/fwsim/host_runqueue.c):
 * Linux's per-task run_delay, second field of /proc/PID/task/TID/schedstat
 * (Documentation/scheduler/sched-stats.rst). */
#include "support.h"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tools/fwsim/host_runqueue.h"

static bool have_schedstat(void)
{
    return access("/proc/self/schedstat", R_OK) == 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void spin_ms(unsigned ms)
{
    uint64_t end = now_ns() + ms * 1000000ull;
    while (now_ns() < end) {
    }
}

/* the run's tasks: fwsim's own, then a child the command started, found at
 * the next look and dropped once it is gone */
static void test_finds_the_process_and_its_children(void **state)
{
    (void)state;
    if (!have_schedstat())
        skip();
    struct host_runqueue q;
    host_runqueue_init(&q);
    unsigned own = q.n;
    assert_true(own >= 1);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    host_runqueue_waited_ns(&q);
    assert_int_equal(q.n, own + 1);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    host_runqueue_waited_ns(&q);
    assert_int_equal(q.n, own);
    host_runqueue_free(&q);
}

/* two busy tasks on one CPU for 200 ms: each waits about half the time on
 * the run queue, and the wait since the mark says so; a mark then starts
 * the count again */
static void test_counts_the_wait_for_a_cpu(void **state)
{
    (void)state;
    cpu_set_t one, before;
    if (!have_schedstat() || sched_getaffinity(0, sizeof(before), &before))
        skip();
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
    if (sched_setaffinity(0, sizeof(one), &one))
        skip();
    struct host_runqueue q;
    pid_t child = fork(); /* inherits the single CPU */
    assert_true(child >= 0);
    if (child == 0) {
        spin_ms(400);
        _exit(0);
    }
    host_runqueue_init(&q);
    host_runqueue_mark(&q);
    spin_ms(200);
    uint64_t waited = host_runqueue_waited_ns(&q);
    waitpid(child, NULL, 0);
    sched_setaffinity(0, sizeof(before), &before);
    assert_true(waited > 50000000u); /* > 50 ms of the 200 */
    assert_true(host_runqueue_waited_ns(&q) < waited);
    host_runqueue_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_the_process_and_its_children),
        cmocka_unit_test(test_counts_the_wait_for_a_cpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
