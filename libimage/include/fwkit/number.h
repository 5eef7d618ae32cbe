/* SPDX-License-Identifier: MIT */
/* Numbers as people write them in tools, map files and linker scripts. */
#ifndef FWKIT_NUMBER_H
#define FWKIT_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* s[0..n): 0x hex, 0o or leading-0 octal, decimal; an optional K, M or G
 * suffix (x1024^k). False on anything else or on overflow. */
FW_API bool fw_parse_u64n(const char *s, size_t n, uint64_t *out);
/* The same for a NUL-terminated string. */
FW_API bool fw_parse_u64(const char *s, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif
