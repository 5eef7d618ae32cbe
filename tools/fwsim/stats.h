/* fwsim: the --stats report, JSON: USB traffic, probe commands by name,
 * flash operations, modelled time and the core's state. */
#ifndef FWSIM_STATS_H
#define FWSIM_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "stlink.h"

/* One probe's figures as a JSON object (no trailing newline). */
void sim_stats_write_probe(FILE *f, const struct stlink *link, const char *serial);

#endif
