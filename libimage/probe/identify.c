/* SPDX-License-Identifier: MIT */
/* Which chip is behind the probe: the identification chain of stlink-org/
 * stlink's stlink_chip_id (src/stlink-lib/common.c; CPUID, ARMv7-M ARM B4.1.2,
 * DBGMCU_IDCODE by core, F_SIZE read as the aligned word when its address
 * has bit 1 set) against the target database. */
#include <string.h>

#include "fwkit/core.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"

#define CPUID FW_CORE_CPUID

/* Parts with one device id and flash size can differ in SRAM (F101C8 10 KiB,
 * F103C8 20 KiB): the largest whose last SRAM word reads without a fault. */
static int by_ram(fw_probe *p, const fw_target_db *db, fw_chip_id *id, fw_diag *d)
{
    const fw_target *best = id->target;
    int rc = FW_OK;
    uint64_t best_size = 0;
    fw_diag *quiet = fw_diag_new();
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!t->ndevice_ids || t->device_ids[0] != id->dev_id ||
            (id->flash_kib && fw_target_flash_size(t) != (uint64_t)id->flash_kib * 1024))
            continue;
        const fw_region *ram = fw_target_region_of_kind(t, FW_REGION_RAM);
        uint64_t size = ram ? ram->size : 0, base = ram ? ram->base : 0;
        uint32_t v;
        if (size <= best_size)
            continue;
        int r = fw_probe_read_word(p, (uint32_t)(base + size - 4), &v, quiet);
        if (r == FW_OK) {
            best = t;
            best_size = size;
        } else if (r != FW_EDEVICE) { /* the probe itself failed, not the address */
            fw_diag_append(d, quiet);
            rc = r;
            break;
        }
    }
    fw_diag_free(quiet);
    id->target = best;
    return rc;
}

int fw_probe_identify(fw_probe *p, const fw_target_db *db, fw_chip_id *id, fw_diag *d)
{
    memset(id, 0, sizeof(*id));
    int rc = fw_probe_read_word(p, CPUID, &id->cpuid, d);
    if (rc)
        return rc;
    if (id->cpuid >> 24 != 0x41) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-TARGET", NULL,
                                       "CPUID reads 0x%08x: no Arm Cortex-M core answers", id->cpuid);
        fw_diagnostic_set_hint(e, "the chip may be asleep or its SWD pins reused: try --connect under-reset");
        return FW_EDEVICE;
    }
    unsigned partno = (id->cpuid >> 4) & 0xFFF;
    uint32_t dbgmcu = partno == 0xC20 || partno == 0xC60 ? 0x40015800u          /* M0, M0+ */
                      : partno == 0xC27 && (fw_probe_dp_idcode(p) >> 24) == 0x6B ? 0x5C001000u /* H7 */
                      : partno == 0xD21 ? 0xE0044000u                           /* M33 */
                                        : 0xE0042000u;
    if ((rc = fw_probe_read_word(p, dbgmcu, &id->idcode, d)))
        return rc;
    id->dev_id = id->idcode & 0xFFF;
    id->rev_id = (uint16_t)(id->idcode >> 16);
    if (id->dev_id == 0x411 && partno == 0xC24)
        id->dev_id = 0x413; /* F4 rev A reports the F2's id (stlink-org/stlink chipid.c) */
    size_t n = 0;
    const fw_target *first = fw_target_find_by_id(db, id->dev_id, 0, &n);
    if (first && first->has_flash_size_register) {
        uint32_t reg = (uint32_t)first->flash_size_register, word;
        if (!fw_probe_read_word(p, reg & ~3u, &word, d))
            id->flash_kib = (word >> (8 * (reg & 3))) & 0xFFFF;
    }
    id->target = id->flash_kib ? fw_target_find_by_id(db, id->dev_id, (uint64_t)id->flash_kib * 1024, &id->candidates)
                               : NULL;
    if (!id->target) {
        id->target = first;
        id->candidates = n;
    }
    return id->candidates > 1 ? by_ram(p, db, id, d) : FW_OK;
}
