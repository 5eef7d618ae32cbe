/* SPDX-License-Identifier: MIT */
/* fwsim: the chip's memories kept in a file between runs (--state), and an
 * image put into them before a run (--flash). */
#ifndef FWSIM_STATE_H
#define FWSIM_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "emulated_chip.h"

/* Loads path into the target's memories. A missing file is not an error
 * (*existed says which); a file of another part, or of another memory map,
 * is, with a message naming the file. */
bool sim_state_load(struct sim_target *s, const char *path, bool *existed, char *err, size_t errlen);
/* Saves every memory (write to a temporary file, then rename). */
bool sim_state_save(const struct sim_target *s, const char *path, char *err, size_t errlen);

#endif
