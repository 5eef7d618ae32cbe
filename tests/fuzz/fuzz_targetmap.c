/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the target map-file reader, then look-ups on what it read. */
#include <stdint.h>
#include <stdlib.h>

#include "fwkit/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fw_target_db *db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    if (fw_target_db_add_text(db, (const char *)data, size, "fuzz.map", d) == FW_OK) {
        for (size_t i = 0; i < fw_target_db_count(db); i++) {
            const fw_target *t = fw_target_db_at(db, i);
            const fw_target *cand[4];
            size_t n;
            fw_target_find(db, t->name, cand, 4, &n);
            fw_target_flash_size(t);
            for (size_t k = 0; k < t->nregions; k++)
                fw_target_region_at(t, t->regions[k].base);
        }
    } else if (fw_target_db_count(db)) {
        abort(); /* a broken file adds nothing */
    }
    fw_target_db_free(db);
    fw_diag_free(d);
    return 0;
}
