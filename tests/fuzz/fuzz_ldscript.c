/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the GNU ld MEMORY reader. */
#include <stdint.h>
#include <stdlib.h>

#include "fwkit/ldscript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fw_diag *d = fw_diag_new();
    fw_ld_script *s = NULL;
    if (fw_ld_read_text((const char *)data, size, "fuzz.ld", NULL, 0, &s, d) == FW_OK) {
        for (size_t i = 0; i < s->nregions; i++)
            if (!s->regions[i].name || !fw_ld_region_named(s, s->regions[i].name))
                abort();
    } else if (s) {
        abort();
    }
    fw_ld_free(s);
    fw_diag_free(d);
    return 0;
}
