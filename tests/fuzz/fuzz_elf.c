/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the elf reader. */
#define FUZZ_FORMAT FW_FMT_ELF
#include "fuzz_common.h"
