/* SPDX-License-Identifier: MIT */
/* The target database's private layout, shared by storage and the parser. */
#ifndef FWKIT_TARGET_INTERNAL_H
#define FWKIT_TARGET_INTERNAL_H

#include "fwkit/target.h"

struct arena_block;

/* A [family] block: properties and regions its targets inherit. */
struct family_def {
    fw_target props;          /* only the family-level fields are used */
    fw_region *regions;
    size_t nregions, capregions;
};

struct fw_target_db {
    struct arena_block *arena;  /* every string and array of every target */
    fw_target **targets;
    size_t ntargets, captargets;
    struct family_def **families;
    size_t nfamilies, capfamilies;
    struct variant_copy *variants; /* fw_target_db_variant's copies, made once each */
};

void *fw_arena_alloc(fw_target_db *db, size_t n);
char *fw_arena_strndup(fw_target_db *db, const char *s, size_t n);

#endif
