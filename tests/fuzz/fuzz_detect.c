/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the format detection and gzip layer, then any reader. */
#define FUZZ_FORMAT FW_FMT_UNKNOWN
#include "fuzz_common.h"
