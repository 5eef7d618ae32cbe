/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the srec reader. */
#define FUZZ_FORMAT FW_FMT_SREC
#include "fuzz_common.h"
