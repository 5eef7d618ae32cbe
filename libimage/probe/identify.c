/* SPDX-License-Identifier: MIT */
/* Which chip is behind the probe: the identification chain of stlink-org/
 * stlink's stlink_chip_id (src/stlink-lib/common.c; CPUID, ARMv7-M ARM B4.1.2,
 * DBGMCU_IDCODE by core, F_SIZE read as the aligned word when its address
 * has bit 1 set) against the target database. */
#include <stdio.h>
#include <string.h>

#include "fwkit/core.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"
#include "transport.h"

#define CPUID FW_CORE_CPUID

/* Parts with one device id and flash size can differ in SRAM (F101C8 10 KiB,
 * F103C8 20 KiB): the largest whose last SRAM word reads without a fault. */
/* A part that may be id's (same device id, flash size and core count). */
static bool ram_candidate(const fw_chip_id *id, const fw_target *t)
{
    return t->ndevice_ids && t->device_ids[0] == id->dev_id &&
           (!id->flash_kib || fw_target_flash_size(t) == (uint64_t)id->flash_kib * 1024) &&
           (id->unmatched || fw_chip_id_fits(id, t)) &&
           (!id->target || t->has_second_core == id->target->has_second_core); /* by_second_core's answer stands */
}

static uint64_t ram_size(const fw_target *t)
{
    const fw_region *ram = fw_target_region_of_kind(t, FW_REGION_RAM);
    return ram ? ram->size : 0;
}

static int by_ram(fw_probe *p, const fw_target_db *db, fw_chip_id *id, fw_diag *d)
{
    /* when every candidate has the same SRAM, no read tells them apart */
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (ram_candidate(id, t)) {
            lo = ram_size(t) < lo ? ram_size(t) : lo;
            hi = ram_size(t) > hi ? ram_size(t) : hi;
        }
    }
    if (lo >= hi)
        return FW_OK;
    const fw_target *best = id->target;
    int rc = FW_OK;
    uint64_t best_size = 0;
    fw_diag *quiet = fw_diag_new();
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!ram_candidate(id, t))
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

/* Single- and dual-core parts share a device id and flash size (H743 and
 * H745: 0x450, 2 MiB); the second core's access port tells them apart,
 * an AHB-AP there or none (IDR 0, ADIv5 §7.6.2). Nothing is decided when
 * the probe cannot read it. */
static void by_second_core(fw_probe *p, const fw_target_db *db, fw_chip_id *id)
{
    const fw_target *dual = NULL, *single = NULL;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!t->ndevice_ids || t->device_ids[0] != id->dev_id ||
            fw_target_flash_size(t) != (uint64_t)id->flash_kib * 1024 || !fw_chip_id_fits(id, t))
            continue;
        if (t->has_second_core)
            dual = dual ? dual : t;
        else
            single = single ? single : t;
    }
    if (!dual || !single)
        return;
    uint32_t idr = 0;
    fw_diag *quiet = fw_diag_new();
    int rc = quiet ? fw_probe_read_ap_idr(p, dual->second_core_ap, &idr, quiet) : FW_ENOMEM;
    fw_diag_free(quiet);
    if (rc)
        return;
    const fw_target *now = idr ? dual : single;
    if (id->target->has_second_core != now->has_second_core)
        id->target = now;
    id->candidates = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        id->candidates += t->ndevice_ids && t->device_ids[0] == id->dev_id &&
                          fw_target_flash_size(t) == (uint64_t)id->flash_kib * 1024 && fw_chip_id_fits(id, t) &&
                          t->has_second_core == now->has_second_core;
    }
}

/* CPUID's PARTNO of each core name the target data uses (ARMv6-M and
 * ARMv7-M B4.1.2, ARMv8-M D1.2.3) */
static unsigned partno_of(const char *core)
{
    static const struct {
        const char *name;
        unsigned partno;
    } cores[] = {{"cortex-m0+", 0xC60}, {"cortex-m0", 0xC20}, {"cortex-m3", 0xC23}, {"cortex-m4", 0xC24},
                 {"cortex-m7", 0xC27}, {"cortex-m33", 0xD21}, {"cortex-m55", 0xD22}, {"cortex-m85", 0xD23}};
    for (size_t i = 0; core && i < sizeof(cores) / sizeof(cores[0]); i++) {
        size_t n = strlen(cores[i].name);
        if (!strncmp(core, cores[i].name, n) && (core[n] == '\0' || core[n] == ','))
            return cores[i].partno;
    }
    return 0;
}

/* Whether a part with this core keeps DBGMCU_IDCODE at addr and has dev_id. */
static bool idcode_fits(const fw_target_db *db, unsigned partno, uint32_t addr, uint32_t dev_id)
{
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (t->has_dbgmcu_idcode && t->dbgmcu_idcode == addr && partno_of(t->core) == partno && t->ndevice_ids &&
            t->device_ids[0] == dev_id)
            return true;
    }
    return false;
}

/* DBGMCU_IDCODE, at the address the target data gives the parts with this
 * core (0xE0042000 on most, 0x40015800 on M0/M0+, 0x5C001000 on H7,
 * 0xE0044000 on L5/U5, 0x44024000 on H5...): each address those parts use
 * is read, most used first, until one reads a device id of a part there.
 * A read that faults is no answer; the first address is kept when none fits. */
static int read_idcode(fw_probe *p, const fw_target_db *db, unsigned partno, fw_chip_id *id, fw_diag *d)
{
    uint32_t addrs[16];
    size_t uses[16], n = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!t->has_dbgmcu_idcode || partno_of(t->core) != partno)
            continue;
        size_t k = 0;
        while (k < n && addrs[k] != (uint32_t)t->dbgmcu_idcode)
            k++;
        if (k == n && n < 16) {
            addrs[n] = (uint32_t)t->dbgmcu_idcode;
            uses[n++] = 0;
        }
        if (k < n)
            uses[k]++;
    }
    for (size_t a = 1; a < n; a++) /* most used first */
        for (size_t b = a; b > 0 && uses[b] > uses[b - 1]; b--) {
            uint32_t ta = addrs[b];
            size_t tu = uses[b];
            addrs[b] = addrs[b - 1], uses[b] = uses[b - 1];
            addrs[b - 1] = ta, uses[b - 1] = tu;
        }
    if (!n) {
        addrs[n++] = 0xE0042000u; /* a core no part of the data has: where most keep it */
    }
    fw_diag *quiet = fw_diag_new();
    if (!quiet)
        return FW_ENOMEM;
    uint32_t first = 0;
    int rc = FW_OK;
    for (size_t k = 0; k < n; k++) {
        uint32_t v = 0;
        int r = fw_probe_read_word(p, addrs[k], &v, quiet);
        if (r && r != FW_EDEVICE) { /* the probe itself failed, not the address */
            fw_diag_append(d, quiet);
            rc = r;
            break;
        }
        if (k == 0)
            first = r ? 0 : v;
        if (!r && idcode_fits(db, partno, addrs[k], v & 0xFFF)) {
            id->idcode = v;
            fw_diag_free(quiet);
            return FW_OK;
        }
    }
    fw_diag_free(quiet);
    id->idcode = first;
    return rc;
}

/* A part declaring any fact that tells makers apart (clones.map). */
static bool has_identity(const fw_target *t)
{
    return t->has_designer || t->has_idcode || t->nidentify;
}

bool fw_chip_id_fits(const fw_chip_id *id, const fw_target *t)
{
    unsigned core = partno_of(t->core);
    if (core && id->cpuid && core != ((id->cpuid >> 4) & 0xFFF)) /* a GD32F303 is a Cortex-M4 behind ST's F1 ids */
        return false;
    if (t->has_designer && id->has_designer && t->designer != id->designer)
        return false;
    if (t->has_dp_idcode && id->dp_idcode && t->dp_idcode_swd != id->dp_idcode &&
        (!t->dp_idcode_jtag || t->dp_idcode_jtag != id->dp_idcode)) /* the SW-DP's, or over JTAG the JTAG-DP's */
        return false;
    if (t->has_idcode && (id->idcode & t->idcode_mask) != (t->idcode_value & t->idcode_mask))
        return false;
    for (size_t i = 0; i < t->nidentify; i++)
        for (size_t k = 0; k < id->nwords; k++)
            if (id->words[k].addr == (uint32_t)t->identify[i].addr &&
                (id->words[k].value & t->identify[i].mask) != t->identify[i].value)
                return false;
    return true;
}

/* The ROM table's JEP106 designer (ADIv5 §10.2: PIDR4[3:0] the
 * continuation code, PIDR1[7:4] and PIDR2[2:0] the identity code) at the
 * Cortex-M ROM table, 0xE00FF000 (ARMv7-M C1.2, ARMv8-M D1.1). */
static int read_designer(fw_probe *p, fw_chip_id *id, fw_diag *d)
{
    uint32_t pidr4, pidr1, pidr2;
    fw_diag *quiet = fw_diag_new();
    if (!quiet)
        return FW_ENOMEM;
    int rc = fw_probe_read_word(p, 0xE00FFFD0u, &pidr4, quiet);
    if (!rc)
        rc = fw_probe_read_word(p, 0xE00FFFE4u, &pidr1, quiet);
    if (!rc)
        rc = fw_probe_read_word(p, 0xE00FFFE8u, &pidr2, quiet);
    if (!rc) {
        id->has_designer = true;
        id->designer = (uint16_t)((pidr4 & 0xF) << 8 | (pidr2 & 0x7) << 4 | (pidr1 >> 4 & 0xF));
    } else if (rc == FW_EDEVICE) { /* no ROM table there: no answer, not a failure */
        rc = FW_OK;
    } else {
        fw_diag_append(d, quiet);
    }
    fw_diag_free(quiet);
    return rc;
}

/* The words the contesting parts' identify lines name, each read once. */
static int read_words(fw_probe *p, const fw_target_db *db, fw_chip_id *id, fw_diag *d)
{
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!t->ndevice_ids || t->device_ids[0] != id->dev_id)
            continue;
        for (size_t k = 0; k < t->nidentify; k++) {
            uint32_t addr = (uint32_t)t->identify[k].addr, v;
            size_t j = 0;
            while (j < id->nwords && id->words[j].addr != addr)
                j++;
            if (j < id->nwords || id->nwords == sizeof(id->words) / sizeof(id->words[0]))
                continue;
            int rc = fw_probe_read_word(p, addr, &v, d);
            if (rc)
                return rc;
            id->words[id->nwords].addr = addr;
            id->words[id->nwords++].value = v;
        }
    }
    return FW_OK;
}

static const char *designer_name(uint16_t code)
{
    switch (code) {
    case 0x020: return "STMicroelectronics";
    case 0x43B: return "Arm";
    case 0x751: return "GigaDevice";
    default: return "a code JEP106 does not assign to anyone fwkit knows";
    }
}

/* In words, what tells the part found from the genuine one it copies (or,
 * for a compatible, what names it): the first of its declared facts that
 * differs. */
static void say_how(const fw_target_db *db, fw_chip_id *id)
{
    const fw_target *t = id->target;
    size_t n = 0;
    const fw_target *st = t->clone_of ? fw_target_find(db, t->clone_of, NULL, 0, &n) : NULL;
    if (st && t->has_dp_idcode && st->has_dp_idcode && id->dp_idcode && id->dp_idcode != st->dp_idcode_swd &&
        id->dp_idcode != st->dp_idcode_jtag)
        snprintf(id->how, sizeof(id->how), "DP IDCODE 0x%08X where ST's is 0x%08X", id->dp_idcode, st->dp_idcode_swd);
    else if (st && id->has_designer && st->has_designer && id->designer != st->designer)
        snprintf(id->how, sizeof(id->how), "its ROM table names designer 0x%03X (%s) where ST's names 0x%03X",
                 id->designer, designer_name(id->designer), st->designer);
    else if (!st && t->has_idcode && t->idcode_mask == 0xFFFFFFFFu)
        snprintf(id->how, sizeof(id->how), "its DBGMCU_IDCODE 0x%08X names it", id->idcode);
    else if (!st && id->has_designer && t->has_designer && t->designer != 0x43B)
        snprintf(id->how, sizeof(id->how), "its ROM table names designer 0x%03X (%s)", id->designer,
                 designer_name(id->designer));
    else if (t->nidentify)
        snprintf(id->how, sizeof(id->how), "%s", t->identify[0].what);
    else if (t->has_idcode)
        snprintf(id->how, sizeof(id->how), "its DBGMCU_IDCODE 0x%08X names it", id->idcode);
}

int fw_probe_identify(fw_probe *p, const fw_target_db *db, fw_chip_id *id, fw_diag *d)
{
    memset(id, 0, sizeof(*id));
    fw_diag *said = fw_diag_new();
    int rc = said ? fw_probe_first_access(p, fw_probe_read_word(p, CPUID, &id->cpuid, said), said, d) : FW_ENOMEM;
    if (rc)
        return rc;
    if (id->cpuid >> 24 != 0x41) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-TARGET", NULL,
                                       "CPUID reads 0x%08x: no Arm Cortex-M core answers", id->cpuid);
        fw_diagnostic_set_hint(e, "the chip may be asleep or its SWD pins reused: try --connect under-reset");
        return FW_EDEVICE;
    }
    unsigned partno = (id->cpuid >> 4) & 0xFFF;
    if ((rc = read_idcode(p, db, partno, id, d)))
        return rc;
    id->dev_id = id->idcode & 0xFFF;
    id->rev_id = (uint16_t)(id->idcode >> 16);
    if (id->dev_id == 0x411 && partno == 0xC24)
        id->dev_id = 0x413; /* F4 rev A reports the F2's id (stlink-org/stlink chipid.c) */
    /* where parts of several makers share the device id (clones.map), the
     * facts that tell them apart */
    bool contested = false, designer = false;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (t->ndevice_ids && t->device_ids[0] == id->dev_id && has_identity(t)) {
            contested = true;
            designer |= t->has_designer;
        }
    }
    if (contested) {
        id->dp_idcode = fw_probe_dp_idcode(p);
        if ((designer && (rc = read_designer(p, id, d))) || (rc = read_words(p, db, id, d)))
            return rc;
    }
    /* the flash-size register of the first part with this id that fits */
    const fw_target *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (t->ndevice_ids && t->device_ids[0] == id->dev_id && fw_chip_id_fits(id, t)) {
            first = first ? first : t;
            n++;
        }
    }
    if (!first && contested) { /* a maker fwkit does not know: the nearest part, said untrusted */
        id->unmatched = true;
        first = fw_target_find_by_id(db, id->dev_id, 0, &n);
    }
    if (first && first->has_flash_size_register) {
        uint32_t reg = (uint32_t)first->flash_size_register, word;
        if (!fw_probe_read_word(p, reg & ~3u, &word, d))
            id->flash_kib = (word >> (8 * (reg & 3))) & 0xFFFF;
    }
    id->target = NULL;
    id->candidates = 0;
    for (size_t i = 0; id->flash_kib && i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (t->ndevice_ids && t->device_ids[0] == id->dev_id &&
            fw_target_flash_size(t) == (uint64_t)id->flash_kib * 1024 && (id->unmatched || fw_chip_id_fits(id, t))) {
            id->target = id->target ? id->target : t;
            id->candidates++;
        }
    }
    if (!id->target) {
        id->target = first;
        id->candidates = n;
    }
    if (id->candidates > 1 && id->flash_kib)
        by_second_core(p, db, id);
    rc = id->candidates > 1 ? by_ram(p, db, id, d) : FW_OK;
    if (id->target) {
        fw_target_group_name(db, id->target, id->name, sizeof(id->name));
        if (!id->unmatched && id->target->vendor) /* a clone or compatible: what tells it */
            say_how(db, id);
    }
    return rc;
}

int fw_probe_read_uid(fw_probe *p, const fw_target *t, uint8_t uid[12], fw_diag *d)
{
    if (!t->has_uid) {
        fw_diag_add(d, FW_ERROR, "PROBE-UID", NULL, "the %s's unique ID address is not in the target data", t->name);
        return FW_EUNSUPPORTED;
    }
    for (int i = 0; i < 3; i++) {
        uint32_t w;
        int rc = fw_probe_read_word(p, (uint32_t)t->uid_addr[i], &w, d);
        if (rc)
            return rc;
        for (int k = 0; k < 4; k++)
            uid[4 * i + k] = (uint8_t)(w >> (8 * k));
    }
    return FW_OK;
}
