/* SPDX-License-Identifier: MIT */
/* Error codes and diagnostics: the library never prints; it returns an fw_err
 * and appends what it found (with a stable rule id and a location) to a sink. */
#ifndef FWKIT_DIAG_H
#define FWKIT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_err {
    FW_OK = 0,
    FW_ENOMEM = -1,       /* out of memory */
    FW_EIO = -2,          /* the operating system refused a read or write */
    FW_EFORMAT = -3,      /* malformed input; the sink says where */
    FW_ERANGE = -4,       /* an address or size does not fit */
    FW_EOVERLAP = -5,     /* two pieces of data claim one address with different bytes */
    FW_EUNSUPPORTED = -6, /* a valid file of a kind we do not read */
    FW_EINVAL = -7,       /* a bad argument from the caller */
    FW_EDEVICE = -8,      /* the probe or the chip did not do what was asked; the sink says what */
} fw_err;

FW_API const char *fw_strerror(int err);

typedef enum fw_severity { FW_NOTE = 0, FW_WARNING = 1, FW_ERROR = 2 } fw_severity;

FW_API const char *fw_severity_name(fw_severity s);

/* Where something is. Every field is optional: NULL, 0 or false means unknown. */
typedef struct fw_location {
    const char *file;
    uint64_t line;    /* 1-based */
    uint32_t column;  /* 1-based */
    bool has_offset;
    uint64_t offset;  /* byte offset into the file */
    const char *section; /* ELF section or segment */
} fw_location;

typedef struct fw_diagnostic {
    fw_severity severity;
    const char *rule;   /* stable id, e.g. "FMT-HEX-SYNTAX" */
    char *message;
    char *hint;         /* what to do; may be NULL */
    fw_location loc;
    bool has_related;   /* a second place, e.g. the other side of an overlap */
    fw_location related;
    bool has_range;     /* addresses concerned, [lo, hi) */
    uint64_t range_lo, range_hi;
} fw_diagnostic;

typedef struct fw_diag fw_diag;

FW_API fw_diag *fw_diag_new(void);
FW_API void fw_diag_free(fw_diag *d);

/* Appends a diagnostic; copies the location's strings. Returns the new entry
 * for fw_diagnostic_set_*(), or NULL when d is NULL, memory ran out, or the
 * per-rule limit was reached (the entry is then only counted as suppressed). */
FW_API fw_diagnostic *fw_diag_add(fw_diag *d, fw_severity sev, const char *rule,
                                  const fw_location *loc, const char *fmt, ...)
           __attribute__((format(printf, 5, 6)));
FW_API fw_diagnostic *fw_diag_vadd(fw_diag *d, fw_severity sev, const char *rule,
                                   const fw_location *loc, const char *fmt, va_list ap);
FW_API void fw_diagnostic_set_hint(fw_diagnostic *e, const char *fmt, ...)
           __attribute__((format(printf, 2, 3)));
FW_API void fw_diagnostic_set_related(fw_diagnostic *e, const fw_location *loc);
FW_API void fw_diagnostic_set_range(fw_diagnostic *e, uint64_t lo, uint64_t hi);

/* True when an entry of this rule would still be recorded (cheap pre-check
 * before computing an expensive location). */
FW_API bool fw_diag_wants(const fw_diag *d, const char *rule, fw_severity sev);

/* Adds a copy of e (message, hint, places, range) with severity sev. */
FW_API fw_diagnostic *fw_diag_copy(fw_diag *d, const fw_diagnostic *e, fw_severity sev);
/* Adds a copy of every diagnostic of from to d, severities kept. */
FW_API void fw_diag_append(fw_diag *d, const fw_diag *from);

FW_API size_t fw_diag_count(const fw_diag *d);
FW_API const fw_diagnostic *fw_diag_at(const fw_diag *d, size_t i);
FW_API size_t fw_diag_count_severity(const fw_diag *d, fw_severity s); /* includes suppressed */
FW_API size_t fw_diag_suppressed(const fw_diag *d);

/* Entries per rule id and severity kept before further ones are only counted. */
#define FW_DIAG_PER_RULE_LIMIT 50

#ifdef __cplusplus
}
#endif

#endif
