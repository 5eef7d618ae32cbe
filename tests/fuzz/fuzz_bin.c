/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the bin reader. */
#define FUZZ_FORMAT FW_FMT_BIN
#include "fuzz_common.h"
