/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the ihex reader. */
#define FUZZ_FORMAT FW_FMT_IHEX
#include "fuzz_common.h"
