/* SPDX-License-Identifier: MIT */
/* What a GNU ld linker script says about memory: its MEMORY regions, simple
 * top-level symbol assignments (_estack = ORIGIN(RAM) + LENGTH(RAM)) and
 * ENTRY. Everything else in the script is skipped. */
#ifndef FWKIT_LDSCRIPT_H
#define FWKIT_LDSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fw_ld_place {
    const char *file;
    uint64_t line;
    uint32_t column;
} fw_ld_place;

typedef struct fw_ld_region {
    const char *name;
    const char *attributes;   /* as written inside (...), or "" */
    bool known;               /* false when ORIGIN or LENGTH could not be evaluated */
    uint64_t origin, length;
    fw_ld_place where;        /* the region's name */
    fw_ld_place origin_at;    /* its ORIGIN expression */
    fw_ld_place length_at;    /* its LENGTH expression */
} fw_ld_region;

typedef struct fw_ld_symbol {
    const char *name;
    bool known;
    uint64_t value;
    fw_ld_place where;
} fw_ld_symbol;

typedef struct fw_ld_script {
    size_t nregions;
    fw_ld_region *regions;
    size_t nsymbols;
    fw_ld_symbol *symbols;
    const char *entry;        /* ENTRY(symbol), or NULL */
    void *priv;
} fw_ld_script;

/* Reads path; INCLUDEd files are looked for next to the including script and
 * then in the include_dirs (like -L). Problems go to d with file:line:column.
 * Leading-zero numbers (octal to ld) get a warning. */
FW_API int fw_ld_read(const char *path, const char *const *include_dirs, size_t ndirs, fw_ld_script **out, fw_diag *d);
FW_API int fw_ld_read_text(const char *text, size_t len, const char *name, const char *const *include_dirs, size_t ndirs,
                           fw_ld_script **out, fw_diag *d);
FW_API void fw_ld_free(fw_ld_script *s);

FW_API const fw_ld_region *fw_ld_region_named(const fw_ld_script *s, const char *name);
FW_API const fw_ld_symbol *fw_ld_symbol_named(const fw_ld_script *s, const char *name);

#ifdef __cplusplus
}
#endif

#endif
