/* SPDX-License-Identifier: MIT */
/* fwkit's version, written once: the Makefile, the tools' --version, the
 * shared library's soname and fwkit.pc all read it from here. */
#ifndef FWKIT_VERSION_H
#define FWKIT_VERSION_H

#include "fwkit/api.h"

#define FWKIT_VERSION_MAJOR 0
#define FWKIT_VERSION_MINOR 1
#define FWKIT_VERSION_PATCH 0
#define FWKIT_VERSION_STRING "0.1.0"
/* One number to compare: 10000 * major + 100 * minor + patch. */
#define FWKIT_VERSION_NUMBER \
    (FWKIT_VERSION_MAJOR * 10000 + FWKIT_VERSION_MINOR * 100 + FWKIT_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library actually loaded ("0.1.0"), which may be newer
 * than the FWKIT_VERSION_STRING a program was compiled against. */
FW_API const char *fw_version(void);

#ifdef __cplusplus
}
#endif

#endif
