/* SPDX-License-Identifier: MIT */
/* fwsim: each flash controller model's operations (flash_models.h), over
 * the chip emulated_chip.c builds: which part of the chip each model is
 * given (its flash, option bytes, data EEPROM), and the calls it answers. */
#include "flash_models.h"

#include <string.h>

#include "emulated_chip.h"

/* the second bank's size when there are two (0: one), the first bank's page or sector size */
static uint32_t bank1_size(const struct sim_target *s, const fw_region *bank)
{
    return bank && bank->size < s->flash->size ? (uint32_t)bank->size : 0;
}

static uint32_t page_of(const fw_region *bank)
{
    return bank && bank->erase_size ? (uint32_t)bank->erase_size : 2048;
}

static void protect_unit(struct write_protection *w, uint32_t offset, bool all)
{
    if (all)
        wrp_set_units(w->fault, 0, WRP_MAX_UNITS);
    else
        wrp_set_units(w->fault, w->unit ? offset / w->unit : 0, 1);
}

/* --- F0/F1/F3 (fpec_f0f1f3.c) --- */

static void f1_init(struct sim_target *s, const struct fw_controller *facts)
{
    (void)facts;
    const fw_region *bank = sim_target_first_bank(s);
    fpec_init(&s->ctl.f0f1f3, s->flash->bytes, s->flash->base, s->flash->size, page_of(bank), bank1_size(s, bank));
    s->ctl.f0f1f3.ob = &s->ob;
}
static void f1_reset(struct sim_target *s)
{
    fpec_reset(&s->ctl.f0f1f3);
}
static struct flash_stats *f1_stats(struct sim_target *s)
{
    return &s->ctl.f0f1f3.stats;
}
static uint64_t f1_idle_at(const struct sim_target *s)
{
    return fpec_idle_at(&s->ctl.f0f1f3);
}
static uint32_t f1_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    (void)secure;
    return fpec_read_reg(&s->ctl.f0f1f3, offset, s->now_ns);
}
static void f1_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    (void)secure;
    fpec_write_reg(&s->ctl.f0f1f3, offset, value, s->now_ns);
}
static sim_bus f1_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    (void)secure;
    return fpec_write_flash(&s->ctl.f0f1f3, addr, value, size, s->now_ns) ? SIM_BUS_OK : SIM_BUS_FAULT;
}
static sim_bus f1_write_option(struct sim_target *s, uint32_t offset, unsigned size, uint32_t value)
{
    return fpec_write_option(&s->ctl.f0f1f3, offset, value, size, s->now_ns) ? SIM_BUS_OK : SIM_BUS_FAULT;
}
static void f1_stale_flags(struct sim_target *s)
{
    for (unsigned b = 0; b < s->ctl.f0f1f3.nbanks; b++)
        s->ctl.f0f1f3.bank[b].sr |= FPEC_SR_PGERR | FPEC_SR_WRPRTERR | FPEC_SR_EOP;
}
static void f1_lock_out(struct sim_target *s)
{
    s->ctl.f0f1f3.key_locked_out = true;
}
static void f1_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    protect_unit(&s->ctl.f0f1f3.wrp, offset, all);
}

/* --- F2/F4/F7 (flash_f2f4f7.c) --- */

static void f4_init(struct sim_target *s, const struct fw_controller *facts)
{
    (void)facts;
    /* the sectors of every bank, in address order; where bank 2 starts */
    const fw_target *t = s->part;
    const fw_region *bank = sim_target_first_bank(s);
    uint32_t sizes[F4_MAX_SECTORS], n = 0, bank2_first = 0;
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *r = &t->regions[i];
        if (r->kind != FW_REGION_FLASH || !sim_target_in_bank_mode(s, r))
            continue;
        if (r != bank)
            bank2_first = n;
        for (size_t l = 0; l < r->nlayout; l++)
            for (uint32_t k = 0; k < r->layout[l].count && n < F4_MAX_SECTORS; k++)
                sizes[n++] = r->layout[l].size;
    }
    flash_f2f4f7_init(&s->ctl.f2f4f7, s->flash->bytes, s->flash->base, sizes, n);
    s->ctl.f2f4f7.ob = &s->ob;
    s->ctl.f2f4f7.bank2_first = bank2_first;
}
static void f4_reset(struct sim_target *s)
{
    flash_f2f4f7_reset(&s->ctl.f2f4f7);
}
static struct flash_stats *f4_stats(struct sim_target *s)
{
    return &s->ctl.f2f4f7.stats;
}
static uint64_t f4_idle_at(const struct sim_target *s)
{
    return s->ctl.f2f4f7.busy.busy_until_ns;
}
static uint32_t f4_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    (void)secure;
    return flash_f2f4f7_read_reg(&s->ctl.f2f4f7, offset, s->now_ns);
}
static void f4_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    (void)secure;
    flash_f2f4f7_write_reg(&s->ctl.f2f4f7, offset, value, s->now_ns);
}
static sim_bus f4_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    (void)secure;
    flash_f2f4f7_write_flash(&s->ctl.f2f4f7, addr, value, size, s->now_ns);
    return SIM_BUS_OK;
}
static void f4_stale_flags(struct sim_target *s)
{
    s->ctl.f2f4f7.sr |= F4_SR_PGSERR | F4_SR_PGPERR | F4_SR_PGAERR | F4_SR_WRPERR | F4_SR_OPERR | F4_SR_EOP;
}
static void f4_lock_out(struct sim_target *s)
{
    s->ctl.f2f4f7.key_locked_out = true;
}
static void f4_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    struct flash_f2f4f7 *f = &s->ctl.f2f4f7;
    for (uint32_t i = 0; i < f->nsectors; i++)
        if (all || (offset >= f->sector_start[i] && offset - f->sector_start[i] < f->sector_size[i]))
            f->protected_sectors |= 1u << i;
}

/* --- L0/L1 (nvm_l0l1.c) --- */

static void l1_init(struct sim_target *s, const struct fw_controller *facts)
{
    struct nvm_l0l1 *m = &s->ctl.l0l1;
    nvm_l0l1_init(m, strcmp(facts->name, "l0") ? NVM_L1 : NVM_L0, s->flash->bytes, s->flash->base, s->flash->size);
    struct sim_memory *eeprom = sim_target_memory_of_kind(s, FW_REGION_EEPROM);
    m->eeprom = eeprom ? eeprom->bytes : NULL;
    m->eeprom_size = eeprom ? eeprom->size : 0;
    m->ob = &s->ob;
}
static void l1_reset(struct sim_target *s)
{
    nvm_l0l1_reset(&s->ctl.l0l1);
}
static struct flash_stats *l1_stats(struct sim_target *s)
{
    return &s->ctl.l0l1.stats;
}
static uint64_t l1_idle_at(const struct sim_target *s)
{
    return s->ctl.l0l1.busy.busy_until_ns;
}
static uint32_t l1_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    (void)secure;
    return nvm_l0l1_read_reg(&s->ctl.l0l1, offset, s->now_ns);
}
static void l1_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    (void)secure;
    nvm_l0l1_write_reg(&s->ctl.l0l1, offset, value, s->now_ns);
}
static sim_bus l1_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    (void)secure;
    nvm_l0l1_write_flash(&s->ctl.l0l1, addr, value, size, s->now_ns);
    return SIM_BUS_OK;
}
static sim_bus l1_write_option(struct sim_target *s, uint32_t offset, unsigned size, uint32_t value)
{
    nvm_l0l1_write_option(&s->ctl.l0l1, offset, value, size, s->now_ns);
    return SIM_BUS_OK;
}
static void l1_stale_flags(struct sim_target *s)
{
    s->ctl.l0l1.sr |= NVM_SR_WRPERR | NVM_SR_PGAERR | NVM_SR_SIZERR | NVM_SR_EOP;
}
static void l1_lock_out(struct sim_target *s)
{
    s->ctl.l0l1.key_locked_out = true;
}
static void l1_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    protect_unit(&s->ctl.l0l1.wrp, offset, all);
}

/* --- L4/G0/G4/WB/WL/C0/U0 (flash_l4g0.c) --- */

static void l4_init(struct sim_target *s, const struct fw_controller *facts)
{
    const fw_region *bank = sim_target_first_bank(s);
    flash_l4g0_init(&s->ctl.l4g0, s->flash->bytes, s->flash->base, s->flash->size, page_of(bank), facts->pnb_bits);
    s->ctl.l4g0.ob = &s->ob;
    s->ctl.l4g0.bker = facts->bker;
    s->ctl.l4g0.has_bsy2 = facts->bsy2 != 0;
    s->ctl.l4g0.bank_size = bank1_size(s, bank); /* a second bank follows the first */
    const fw_target *t = s->part;
    if (t->has_cpu2_area && t->has_flash_registers && t->cpu2_factory_bytes < s->flash->size) {
        /* STM32WB from the factory: the FUS in the top of flash, CPU2's (cpu2-area line) */
        struct flash_l4g0 *f = &s->ctl.l4g0;
        f->sfr_offset = (uint32_t)(t->cpu2_area_reg - t->flash_registers);
        f->sfsa_mask = t->cpu2_sfsa_mask;
        f->fsd_mask = t->cpu2_fsd_mask;
        f->sfr = (s->flash->size - t->cpu2_factory_bytes) / f->page_size * (f->sfsa_mask & -f->sfsa_mask);
    }
}
static void l4_reset(struct sim_target *s)
{
    flash_l4g0_reset(&s->ctl.l4g0);
}
static struct flash_stats *l4_stats(struct sim_target *s)
{
    return &s->ctl.l4g0.stats;
}
static uint64_t l4_idle_at(const struct sim_target *s)
{
    return s->ctl.l4g0.busy.busy_until_ns;
}
static uint32_t l4_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    (void)secure;
    return flash_l4g0_read_reg(&s->ctl.l4g0, offset, s->now_ns);
}
static void l4_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    (void)secure;
    flash_l4g0_write_reg(&s->ctl.l4g0, offset, value, s->now_ns);
}
static sim_bus l4_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    (void)secure;
    flash_l4g0_write_flash(&s->ctl.l4g0, addr, value, size, s->now_ns);
    return SIM_BUS_OK;
}
static void l4_stale_flags(struct sim_target *s)
{
    s->ctl.l4g0.sr |=
        L4_SR_PROGERR | L4_SR_WRPERR | L4_SR_PGAERR | L4_SR_SIZERR | L4_SR_PGSERR | L4_SR_OPERR | L4_SR_EOP;
}
static void l4_lock_out(struct sim_target *s)
{
    s->ctl.l4g0.key_locked_out = true;
}
static void l4_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    protect_unit(&s->ctl.l4g0.wrp, offset, all);
}

/* --- H7 (flash_h7.c) --- */

static void h7_init(struct sim_target *s, const struct fw_controller *facts)
{
    (void)facts;
    const fw_region *bank = sim_target_first_bank(s);
    flash_h7_init(&s->ctl.h7, s->flash->bytes, s->flash->base, s->flash->size, bank1_size(s, bank), page_of(bank),
                  bank && bank->write_size ? bank->write_size : 32);
    if (s->part->has_second_core) {
        /* H745/H747 from the factory (RM0399 FLASH_OPTSR_CUR, FLASH_BOOT4_CUR):
         * both cores boot (BCM7, bit 23, and BCM4, the second-core line's
         * bit), the CM4 from the boot addresses the line gives; model: the
         * CM4's watchdog (IWDG2_SW, bit 5) and D2's Stop and Standby
         * resets (bits 24, 25) as D1's, software and no reset */
        s->ctl.h7.optsr_cur = s->ctl.h7.optsr_prg |= s->part->second_gate_mask | 1u << 23 | 1u << 5 | 3u << 24;
        s->ctl.h7.boot4_curr = s->part->second_boot_factory;
    }
}
static void h7_reset(struct sim_target *s)
{
    flash_h7_reset(&s->ctl.h7);
}
static struct flash_stats *h7_stats(struct sim_target *s)
{
    return &s->ctl.h7.stats;
}
static uint64_t h7_idle_at(const struct sim_target *s)
{
    const struct flash_h7 *f = &s->ctl.h7;
    return f->bank[0].busy.busy_until_ns > f->bank[1].busy.busy_until_ns ? f->bank[0].busy.busy_until_ns
                                                                         : f->bank[1].busy.busy_until_ns;
}
static uint32_t h7_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    (void)secure;
    return flash_h7_read_reg(&s->ctl.h7, offset, s->now_ns);
}
static void h7_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    (void)secure;
    flash_h7_write_reg(&s->ctl.h7, offset, value, s->now_ns);
}
static sim_bus h7_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    (void)secure;
    flash_h7_write_flash(&s->ctl.h7, addr, value, size, s->now_ns);
    return SIM_BUS_OK;
}
static void h7_stale_flags(struct sim_target *s)
{
    for (int b = 0; b < 2; b++)
        s->ctl.h7.bank[b].sr |= H7_SR_WRPERR | H7_SR_PGSERR | H7_SR_STRBERR | H7_SR_INCERR | H7_SR_OPERR | H7_SR_EOP;
}
static void h7_lock_out(struct sim_target *s)
{
    s->ctl.h7.bank[0].locked_out = s->ctl.h7.bank[1].locked_out = true;
}
static void h7_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    struct flash_h7 *f = &s->ctl.h7;
    for (uint32_t o = 0; o < f->flash_size; o += f->sector_size)
        if (all || (offset >= o && offset - o < f->sector_size)) {
            int b = f->bank_size < f->flash_size && o >= f->bank_size;
            uint32_t sector = (o - (uint32_t)b * f->bank_size) / f->sector_size;
            f->bank[b].wpsn &= ~(1u << (f->ab_layout ? sector / 4 : sector));
        }
}

/* --- L5/U5/WBA (flash_l5u5.c) --- */

static void l5_init(struct sim_target *s, const struct fw_controller *facts)
{
    const fw_region *bank = sim_target_first_bank(s);
    flash_l5u5_init(&s->ctl.l5u5, s->flash->bytes, s->flash->base, s->flash->size, bank1_size(s, bank), page_of(bank),
                    bank && bank->write_size ? bank->write_size : 16, facts->pnb_bits, facts->bker);
}
static void l5_reset(struct sim_target *s)
{
    flash_l5u5_reset(&s->ctl.l5u5);
}
static struct flash_stats *l5_stats(struct sim_target *s)
{
    return &s->ctl.l5u5.stats;
}
static uint64_t l5_idle_at(const struct sim_target *s)
{
    return s->ctl.l5u5.busy.busy_until_ns;
}
static uint32_t l5_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    return flash_l5u5_read_reg(&s->ctl.l5u5, offset, secure, s->now_ns);
}
static void l5_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    struct flash_l5u5 *f = &s->ctl.l5u5;
    flash_l5u5_write_reg(f, offset, value, secure, s->now_ns);
    if (f->obl_requested) { /* the option bytes load and the chip resets */
        f->obl_requested = false;
        f->optr = f->optr_stored;
        s->ob.obl_launch = true;
    }
}
static sim_bus l5_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    flash_l5u5_write_flash(&s->ctl.l5u5, addr, value, size, secure, s->now_ns);
    return SIM_BUS_OK;
}
static void l5_stale_flags(struct sim_target *s)
{
    for (int k = 0; k < 2; k++)
        s->ctl.l5u5.side[k].sr |= L5_SR_PROGERR | L5_SR_WRPERR | L5_SR_PGAERR | L5_SR_PGSERR | L5_SR_EOP;
}
static void l5_lock_out(struct sim_target *s)
{
    s->ctl.l5u5.side[0].locked_out = s->ctl.l5u5.side[1].locked_out = true;
}
static void l5_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    protect_unit(&s->ctl.l5u5.fault_wrp, offset, all);
}

/* --- H5 (flash_h5.c) --- */

static void h5_init(struct sim_target *s, const struct fw_controller *facts)
{
    (void)facts;
    const fw_region *bank = sim_target_first_bank(s);
    flash_h5_init(&s->ctl.h5, s->flash->bytes, s->flash->base, s->flash->size, bank1_size(s, bank), page_of(bank));
}
static void h5_reset(struct sim_target *s)
{
    flash_h5_reset(&s->ctl.h5);
}
static struct flash_stats *h5_stats(struct sim_target *s)
{
    return &s->ctl.h5.stats;
}
static uint64_t h5_idle_at(const struct sim_target *s)
{
    return s->ctl.h5.busy.busy_until_ns;
}
static uint32_t h5_read_reg(struct sim_target *s, uint32_t offset, bool secure)
{
    return flash_h5_read_reg(&s->ctl.h5, offset, secure, s->now_ns);
}
static void h5_write_reg(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    flash_h5_write_reg(&s->ctl.h5, offset, value, secure, s->now_ns);
}
static sim_bus h5_write_flash(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    flash_h5_write_flash(&s->ctl.h5, addr, value, size, secure, s->now_ns);
    return SIM_BUS_OK;
}
static void h5_stale_flags(struct sim_target *s)
{
    for (int k = 0; k < 2; k++)
        s->ctl.h5.side[k].sr |= H5_SR_WRPERR | H5_SR_PGSERR | H5_SR_STRBERR | H5_SR_INCERR | H5_SR_EOP;
}
static void h5_lock_out(struct sim_target *s)
{
    s->ctl.h5.side[0].locked_out = s->ctl.h5.side[1].locked_out = true;
}
static void h5_write_protect(struct sim_target *s, uint32_t offset, bool all)
{
    protect_unit(&s->ctl.h5.fault_wrp, offset, all);
}

static const struct sim_flash_model models[] = {
    {"F0/F1/F3", FW_CTL_F0F1F3, f1_init, f1_reset, f1_stats, f1_idle_at, f1_read_reg, f1_write_reg, f1_write_flash,
     f1_write_option, f1_stale_flags, f1_lock_out, f1_write_protect},
    {"F2/F4/F7", FW_CTL_F2F4F7, f4_init, f4_reset, f4_stats, f4_idle_at, f4_read_reg, f4_write_reg, f4_write_flash,
     NULL, f4_stale_flags, f4_lock_out, f4_write_protect},
    {"L0/L1", FW_CTL_L0L1, l1_init, l1_reset, l1_stats, l1_idle_at, l1_read_reg, l1_write_reg, l1_write_flash,
     l1_write_option, l1_stale_flags, l1_lock_out, l1_write_protect},
    {"L4/G0", FW_CTL_L4G0, l4_init, l4_reset, l4_stats, l4_idle_at, l4_read_reg, l4_write_reg, l4_write_flash, NULL,
     l4_stale_flags, l4_lock_out, l4_write_protect},
    {"H7", FW_CTL_H7, h7_init, h7_reset, h7_stats, h7_idle_at, h7_read_reg, h7_write_reg, h7_write_flash, NULL,
     h7_stale_flags, h7_lock_out, h7_write_protect},
    {"L5/U5/WBA", FW_CTL_L5U5, l5_init, l5_reset, l5_stats, l5_idle_at, l5_read_reg, l5_write_reg, l5_write_flash, NULL,
     l5_stale_flags, l5_lock_out, l5_write_protect},
    {"H5", FW_CTL_H5, h5_init, h5_reset, h5_stats, h5_idle_at, h5_read_reg, h5_write_reg, h5_write_flash, NULL,
     h5_stale_flags, h5_lock_out, h5_write_protect},
};

const struct sim_flash_model *sim_flash_model_for(fw_ctl_family family)
{
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
        if (models[i].family == family)
            return &models[i];
    return NULL;
}
