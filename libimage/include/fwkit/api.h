/* SPDX-License-Identifier: MIT */
/* FW_API marks the functions libfwkit.so exports: the library is built with
 * -fvisibility=hidden, so everything else (the drivers' and readers' shared
 * pieces) stays private to it. */
#ifndef FWKIT_API_H
#define FWKIT_API_H

#if defined(__GNUC__) || defined(__clang__)
#define FW_API __attribute__((visibility("default")))
#else
#define FW_API
#endif

#endif
