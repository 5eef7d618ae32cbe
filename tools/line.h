/* SPDX-License-Identifier: MIT */
/* fwflash on a production line (tools/line.c): the record of every board
 * (--log), its summary, and several probes at once (--serial all|SN,SN). */
#ifndef FWKIT_TOOLS_LINE_H
#define FWKIT_TOOLS_LINE_H

#include <stdbool.h>
#include <stddef.h>

/* Appends record (one JSON object, no newline) as one line to path: one
 * write(2) of the whole line with O_APPEND, then fsync, so processes
 * appending at once leave whole lines and the file is never truncated.
 * Returns 0, or an errno (said on stderr). */
int line_log_append(const char *path, const char *record);
/* fwflash --log FILE --summary: boards per day and per result. */
int line_log_summary(const char *path);
/* Runs this fwflash once per probe, at once: argv without its --serial,
 * serials the list ("all": every ST-Link attached). Each board's lines are
 * shown as they come (one status line per board on a terminal, prefixed
 * plain lines otherwise), then a summary; with json, one object per board.
 * Exit 0 only when every board passed. */
int line_run_boards(int argc, char **argv, const char *serials, bool json, bool quiet);

#endif
