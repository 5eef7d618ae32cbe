/* SPDX-License-Identifier: MIT */
/* fwsim: files it writes (--state, --stats) go to a temporary file beside
 * their name and are renamed into place when complete: a failure never
 * leaves half a file. */
#ifndef FWSIM_OUTFILE_H
#define FWSIM_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
    FILE *f;
    char *tmp;
};

/* false with a message naming path */
bool outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);
/* Closes, and renames over path when everything was written; false with a message otherwise. */
bool outfile_commit(struct outfile *o, const char *path, char *err, size_t errlen);

#endif
