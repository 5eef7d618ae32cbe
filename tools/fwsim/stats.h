/* SPDX-License-Identifier: MIT */
/* fwsim: the --stats report, JSON: USB traffic, probe commands by name,
 * flash operations, modelled time and the core's state. */
#ifndef FWSIM_STATS_H
#define FWSIM_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "emulated_stlink.h"

/* One probe's figures as a JSON object (no trailing newline); modeled_ns is
 * the virtual time when the command ended. */
void sim_stats_write_probe(FILE *f, const struct stlink *link, const char *serial, uint64_t modeled_ns);

#endif
