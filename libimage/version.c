/* SPDX-License-Identifier: MIT */
#include "fwkit/version.h"

const char *fw_version(void)
{
    return FWKIT_VERSION_STRING;
}
