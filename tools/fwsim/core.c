/* SPDX-License-Identifier: MIT */
/* fwsim: the Cortex-M core (see core.h). Register facts from
 * the ARMv7-M ARM (C1.6: DHCSR, DCRSR,
 * DCRDR, DEMCR; B3.2: AIRCR, CFSR, HFSR; C1.11 FPB; C1.8 DWT). Where the
 * manuals leave the simulator a choice, the code says "model:". */
#include "core.h"
#include "debug_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "fwkit/core.h"

#define DHCSR FW_CORE_DHCSR
#define DCRSR FW_CORE_DCRSR
#define DCRDR FW_CORE_DCRDR
#define DEMCR FW_CORE_DEMCR
#define AIRCR FW_CORE_AIRCR
#define VTOR FW_CORE_VTOR
#define CFSR FW_CORE_CFSR
#define HFSR FW_CORE_HFSR
#define DFSR FW_CORE_DFSR
#define BFAR FW_CORE_BFAR
#define FP_CTRL 0xE0002000u
#define FP_COMP0 0xE0002008u
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define DWT_COMP0 0xE0001020u /* then MASK at +4, FUNCTION at +8, every 16 bytes */
#define SCR           0xE000ED10u
#define SCR_MASK      0x16u /* SLEEPONEXIT, SLEEPDEEP, SEVONPEND (ARMv7-M B3.2.7) */
#define SCR_SLEEPDEEP (1u << 2)
#define DFSR_DWTTRAP (1u << 2)
#define DWT_MATCHED (1u << 24)

#define DBGKEY FW_DHCSR_KEY
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define C_STEP (1u << 2)
#define C_MASKINTS (1u << 3)
#define S_REGRDY (1u << 16)
#define S_HALT (1u << 17)
#define S_SLEEP (1u << 18)
#define S_LOCKUP (1u << 19)
#define S_RETIRE_ST (1u << 24)
#define S_RESET_ST (1u << 25)

#define DFSR_HALTED (1u << 0)
#define DFSR_BKPT (1u << 1)
#define DFSR_VCATCH (1u << 3)

#define VC_CORERESET (1u << 0)
#define VC_HARDERR (1u << 10)

#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE (1u << 17)
#define HFSR_FORCED (1u << 30)
#define XPSR_T (1u << 24)

/* steady-loop windows: long enough to span a delay loop of a blinky */
#define STEADY_WINDOW_INSTRUCTIONS 2000000u
/* instructions per unicorn call: bounds how long a breakpoint or a poll waits */
#define SLICE_MAX 200000u

static int unicorn_model_of(const char *core, unsigned *fpb, unsigned *dwt)
{
    *fpb = 6; /* ARMv7-M cores: 6 instruction comparators, 4 watchpoints */
    *dwt = 4;
    if (!strncmp(core, "cortex-m0", 9)) {
        *fpb = 4;
        *dwt = 2;
        return UC_CPU_ARM_CORTEX_M0;
    }
    if (!strncmp(core, "cortex-m33", 10)) {
        *fpb = 8;
        return UC_CPU_ARM_CORTEX_M33;
    }
    if (!strncmp(core, "cortex-m7", 9)) {
        *fpb = 8;
        return UC_CPU_ARM_CORTEX_M7;
    }
    if (!strncmp(core, "cortex-m4", 9))
        return UC_CPU_ARM_CORTEX_M4;
    return UC_CPU_ARM_CORTEX_M3;
}

static bool fpb_v2(const struct sim_core *c)
{
    return c->unicorn_model == UC_CPU_ARM_CORTEX_M7 || c->unicorn_model == UC_CPU_ARM_CORTEX_M33;
}

static uint32_t reg_read(struct sim_core *c, int id)
{
    uint32_t v = 0;
    uc_reg_read(c->uc, id, &v);
    return v;
}

static void reg_write(struct sim_core *c, int id, uint32_t v)
{
    uc_reg_write(c->uc, id, &v);
}

uint32_t sim_core_pc(struct sim_core *c)
{
    return reg_read(c, UC_ARM_REG_PC) & ~1u;
}

uint32_t sim_core_exception(struct sim_core *c)
{
    return reg_read(c, UC_ARM_REG_IPSR) & 0x1FF;
}

const char *sim_core_state_name(const struct sim_core *c)
{
    switch (c->state) {
    case CORE_HALTED:
        return c->halt_reason == HALT_BKPT || c->halt_reason == HALT_BREAKPOINT || c->halt_reason == HALT_WATCHPOINT
                   ? "breakpoint"
                   : "halted";
    case CORE_LOCKUP: return "fault";
    case CORE_RUNNING: break;
    }
    return c->faulted ? "fault" : "running";
}

/* --- keeping unicorn's translated code in step with memory --- */

static void mark_dirty_one(struct sim_core *c, uint32_t lo, uint32_t hi)
{
    if (c->dirty_lo >= c->dirty_hi) {
        c->dirty_lo = lo;
        c->dirty_hi = hi;
        return;
    }
    c->dirty_lo = lo < c->dirty_lo ? lo : c->dirty_lo;
    c->dirty_hi = hi > c->dirty_hi ? hi : c->dirty_hi;
}

/* memory both cores of a dual-core part may have translated changed */
static void mark_dirty(struct sim_core *c, uint32_t lo, uint32_t hi)
{
    if (lo >= hi)
        return;
    mark_dirty_one(c, lo, hi);
    struct sim_core *other = c->first ? c->first : c->second;
    if (other)
        mark_dirty_one(other, lo, hi);
}

/* the controller may have erased or programmed anywhere in flash, seen also through the alias */
static void flash_dirty(struct sim_core *c)
{
    struct sim_target *t = c->target;
    mark_dirty(c, t->flash->base, t->flash->base + t->flash->size);
    if (t->boot_alias_size)
        mark_dirty(c, 0, t->boot_alias_size);
    for (unsigned i = 0; i < t->nsecure_alias; i++)
        if (t->secure_alias[i].shows == t->flash)
            mark_dirty(c, t->secure_alias[i].base, t->secure_alias[i].base + t->secure_alias[i].size);
}

/* --- the CPU store into flash that unicorn completes after its hook --- */

static uint8_t *flash_bytes_at(struct sim_core *c, uint32_t addr);

static void apply_fixup(struct sim_core *c)
{
    if (!c->fixup_pending)
        return;
    c->fixup_pending = false;
    uint8_t *p = flash_bytes_at(c, c->fixup_addr);
    if (p) {
        memcpy(p, c->fixup_bytes, c->fixup_len);
        flash_dirty(c);
    }
}

static uint8_t *flash_bytes_at(struct sim_core *c, uint32_t addr)
{
    struct sim_target *t = c->target;
    if (addr >= t->flash->base && addr - t->flash->base < t->flash->size)
        return t->flash->bytes + (addr - t->flash->base);
    if (addr < t->boot_alias_size)
        return (t->boot_from_system && t->system ? t->system : t->flash)->bytes + addr;
    for (unsigned i = 0; i < t->nsecure_alias; i++) {
        const struct sim_secure_alias *a = &t->secure_alias[i];
        if (a->shows == t->flash && addr >= a->base && addr - a->base < a->size)
            return t->flash->bytes + (a->shows_base - t->flash->base) + (addr - a->base);
    }
    return NULL;
}

static void raise_bus_error(struct sim_core *c, uint32_t addr, bool write)
{
    if (!c->bus_error_pending) {
        c->bus_error_pending = true;
        c->bus_error_addr = addr;
        c->bus_error_write = write;
    }
    uc_emu_stop(c->uc);
}

static void hook_flash_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    (void)uc;
    (void)type;
    struct sim_core *c = user;
    apply_fixup(c);
    uint32_t addr = (uint32_t)address;
    uint8_t *p = flash_bytes_at(c, addr);
    if (!p || size > 8)
        return;
    /* the controller decides what the store does; unicorn then writes the raw
     * value, which apply_fixup undoes */
    sim_bus r = SIM_BUS_OK;
    if (size == 8) {
        r = sim_target_write(c->target, addr, 4, (uint32_t)value);
        if (r == SIM_BUS_OK)
            r = sim_target_write(c->target, addr + 4, 4, (uint32_t)((uint64_t)value >> 32));
    } else {
        r = sim_target_write(c->target, addr, (unsigned)size, (uint32_t)value);
    }
    memcpy(c->fixup_bytes, p, (size_t)size);
    c->fixup_addr = addr;
    c->fixup_len = (unsigned)size;
    c->fixup_pending = true;
    if (r != SIM_BUS_OK)
        raise_bus_error(c, addr, true);
}

static void hook_flash_read(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    (void)uc;
    (void)type;
    (void)value;
    struct sim_core *c = user;
    apply_fixup(c);
    if (c->target->controller == FW_CTL_L0L1 && size > 0)
        nvm_l0l1_read_flash(&c->target->ctl.l0l1, (uint32_t)address); /* a read aborts a half-page write */
}

/* --- memory-mapped windows: everything that is not plain memory --- */

struct mmio_window {
    struct sim_core *core;
    uint32_t base;
};

static uint64_t cycle_ps(const struct sim_core *c);

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    struct mmio_window *w = user;
    struct sim_core *c = w->core;
    uint32_t addr = w->base + (uint32_t)offset, v = 0;
    apply_fixup(c);
    /* model: a CPU polling a busy flash controller spins until the operation
     * ends; the clock jumps there instead of executing the spin, but not past
     * the time the core was given: then it stops and polls again later */
    if (sim_target_is_controller(c->target, addr) && c->first) {
        /* the second core runs behind the shared clock: it stops, and polls
         * again in its next turn */
        if (sim_target_flash_idle_at(c->target) > c->target->now_ns)
            uc_emu_stop(c->uc);
    } else if (sim_target_is_controller(c->target, addr)) {
        /* the poll's own time: the slice's start and the instructions
         * before it; a wait moves the slice's start on by as much, so the
         * instructions after it count from the flash's idle time, once */
        uint64_t now = c->slice_ns + (c->instructions - c->slice_instructions) * cycle_ps(c) / 1000;
        uint64_t idle = sim_target_flash_idle_at(c->target);
        if (idle > c->run_until_ns) {
            idle = c->run_until_ns > now ? c->run_until_ns : now;
            uc_emu_stop(c->uc);
        }
        if (idle > now) {
            /* the slice's instructions were counted for the time before
             * the wait: it ends here, and the next counts from the clock */
            c->slice_ns += idle - now;
            now = idle;
            uc_emu_stop(c->uc);
        }
        c->target->now_ns = now;
    }
    if (sim_core_bus_read(c, addr, size, &v) != SIM_BUS_OK)
        raise_bus_error(c, addr, false);
    return v;
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    (void)uc;
    struct mmio_window *w = user;
    struct sim_core *c = w->core;
    uint32_t addr = w->base + (uint32_t)offset;
    apply_fixup(c);
    if (sim_core_bus_write(c, addr, size, (uint32_t)value) != SIM_BUS_OK)
        raise_bus_error(c, addr, true);
}



#define MAX_WINDOWS 32
struct core_maps {
    struct mmio_window windows[MAX_WINDOWS];
    unsigned nwindows;
};

/* mmio-maps [lo, hi) minus the plain-memory ranges already mapped */
static bool map_gaps(struct sim_core *c, struct core_maps *m, uint64_t lo, uint64_t hi, const uint64_t (*mapped)[2],
                     unsigned nmapped)
{
    uint64_t at = lo;
    while (at < hi) {
        uint64_t next = hi, skip_to = 0;
        for (unsigned i = 0; i < nmapped; i++) {
            if (mapped[i][0] <= at && at < mapped[i][1])
                skip_to = mapped[i][1];
            else if (mapped[i][0] > at && mapped[i][0] < next)
                next = mapped[i][0];
        }
        if (skip_to) {
            at = skip_to;
            continue;
        }
        if (m->nwindows == MAX_WINDOWS)
            return false;
        struct mmio_window *w = &m->windows[m->nwindows++];
        *w = (struct mmio_window){.core = c, .base = (uint32_t)at};
        if (uc_mmio_map(c->uc, at, next - at, mmio_read, w, mmio_write, w) != UC_ERR_OK)
            return false;
        at = next;
    }
    return true;
}

static bool map_memories(struct sim_core *c, const char *core)
{
    struct sim_target *t = c->target;
    struct core_maps *maps = calloc(1, sizeof(*maps));
    uint64_t mapped[3 * SIM_MAX_MEMORIES + 1][2]; /* memories, the boot alias, secure aliases, one core's aliases */
    unsigned n = 0;
    bool ok = maps != NULL;
    c->maps = maps;
    for (unsigned i = 0; ok && i < t->nmem; i++) {
        struct sim_memory *mem = &t->mem[i];
        if (!sim_memory_cpu_mapped(mem))
            continue;
        uint32_t size = sim_page_round(mem->size);
        ok = uc_mem_map_ptr(c->uc, mem->base, size, UC_PROT_ALL, mem->bytes) == UC_ERR_OK;
        mapped[n][0] = mem->base;
        mapped[n][1] = (uint64_t)mem->base + size;
        n++;
        if (ok && mem == t->flash) {
            uc_hook h;
            ok = uc_hook_add(c->uc, &h, UC_HOOK_MEM_WRITE, (void *)hook_flash_write, c, mem->base,
                             (uint64_t)mem->base + size - 1) == UC_ERR_OK &&
                 uc_hook_add(c->uc, &h, UC_HOOK_MEM_READ, (void *)hook_flash_read, c, mem->base,
                             (uint64_t)mem->base + size - 1) == UC_ERR_OK;
        }
    }
    if (ok && t->boot_alias_size) {
        /* the alias shows the same bytes; stores through it reach the hook and fault */
        struct sim_memory *shown = t->boot_from_system && t->system ? t->system : t->flash;
        uint32_t size = sim_page_round(t->boot_alias_size); /* system memory is allocated as large */
        ok = uc_mem_map_ptr(c->uc, 0, size, UC_PROT_ALL, shown->bytes) == UC_ERR_OK;
        c->alias_shows = shown;
        c->alias_window = size;
        uc_hook h;
        ok = ok && uc_hook_add(c->uc, &h, UC_HOOK_MEM_WRITE, (void *)hook_flash_write, c, 0, size - 1) == UC_ERR_OK;
        mapped[n][0] = 0;
        mapped[n][1] = size;
        n++;
    }
    /* TrustZone: the secure aliases show the same bytes (stores into flash's reach the hook) */
    for (unsigned i = 0; ok && i < t->nsecure_alias && n < 2 * SIM_MAX_MEMORIES; i++) {
        const struct sim_secure_alias *a = &t->secure_alias[i];
        if (!sim_memory_cpu_mapped(a->shows) || a->base % SIM_PAGE || a->size % SIM_PAGE)
            continue;
        ok = uc_mem_map_ptr(c->uc, a->base, a->size, UC_PROT_ALL, a->shows->bytes + (a->shows_base - a->shows->base)) ==
             UC_ERR_OK;
        if (ok && a->shows == t->flash) {
            uc_hook h;
            ok = uc_hook_add(c->uc, &h, UC_HOOK_MEM_WRITE, (void *)hook_flash_write, c, a->base,
                             (uint64_t)a->base + a->size - 1) == UC_ERR_OK;
        }
        mapped[n][0] = a->base;
        mapped[n][1] = (uint64_t)a->base + a->size;
        n++;
    }
    /* what only this core sees (H745/H747's CM4: D2 SRAM again at
     * 0x10000000), memory by memory within the alias */
    for (size_t i = 0; ok && i < t->part->nregions; i++) {
        const fw_region *r = &t->part->regions[i];
        if (r->kind != FW_REGION_ALIAS || !r->core || strcmp(r->core, core) || !r->alias_of)
            continue;
        const struct sim_memory *of = NULL;
        for (unsigned k = 0; k < t->part->nregions && !of; k++)
            if (!strcmp(t->part->regions[k].name, r->alias_of))
                of = sim_target_memory_at(t, (uint32_t)t->part->regions[k].base, 1);
        for (unsigned k = 0; ok && of && k < t->nmem && n < 3 * SIM_MAX_MEMORIES; k++) {
            struct sim_memory *m = &t->mem[k];
            if (m->base < of->base || m->base + (uint64_t)m->size > of->base + r->size || m->size % SIM_PAGE)
                continue;
            uint64_t at = r->base + (m->base - of->base);
            ok = uc_mem_map_ptr(c->uc, at, m->size, UC_PROT_ALL, m->bytes) == UC_ERR_OK;
            mapped[n][0] = at;
            mapped[n][1] = at + m->size;
            n++;
        }
    }
    ok = ok && map_gaps(c, maps, 0x00000000u, 0x60000000u, mapped, n) &&
         map_gaps(c, maps, 0xE0000000u, 0xE0100000u, mapped, n);
    return ok;
}

/* --- faults and exceptions --- */

static bool read32(struct sim_core *c, uint32_t addr, uint32_t *v)
{
    return sim_target_read(c->target, addr, 4, v) == SIM_BUS_OK;
}

static void lockup(struct sim_core *c)
{
    c->state = CORE_LOCKUP;
}

/* HardFault entry (ARMv7-M B1.5.6): stack the frame, LR = EXC_RETURN, PC =
 * the HardFault vector. A fault while already in HardFault, or one the
 * entry itself cannot complete, is a lockup. */
static void take_fault(struct sim_core *c, uint32_t pc, uint32_t cfsr_bits, const char *fmt, uint32_t arg)
{
    c->faulted = true;
    c->fault_pc = pc;
    snprintf(c->fault_reason, sizeof(c->fault_reason), fmt, arg);
    c->cfsr |= cfsr_bits;
    c->hfsr |= HFSR_FORCED;
    if (sim_core_exception(c) == 3) {
        lockup(c);
        return;
    }
    uint32_t sp = (reg_read(c, UC_ARM_REG_SP) - 32) & ~7u;
    uint32_t frame[8] = {reg_read(c, UC_ARM_REG_R0),  reg_read(c, UC_ARM_REG_R1), reg_read(c, UC_ARM_REG_R2),
                         reg_read(c, UC_ARM_REG_R3),  reg_read(c, UC_ARM_REG_R12), reg_read(c, UC_ARM_REG_LR),
                         pc, (reg_read(c, UC_ARM_REG_XPSR) & ~0x1FFu) | XPSR_T};
    for (unsigned i = 0; i < 8; i++)
        if (sim_target_write(c->target, sp + 4 * i, 4, frame[i]) != SIM_BUS_OK) {
            lockup(c);
            return;
        }
    uint32_t handler;
    if (!read32(c, c->vtor + 12, &handler) || !(handler & 1)) {
        lockup(c);
        return;
    }
    reg_write(c, UC_ARM_REG_SP, sp);
    reg_write(c, UC_ARM_REG_LR, 0xFFFFFFF9u);
    reg_write(c, UC_ARM_REG_XPSR, XPSR_T | 3);
    reg_write(c, UC_ARM_REG_PC, handler | 1);
    if ((c->debug_ctrl & C_DEBUGEN) && (c->demcr & VC_HARDERR)) {
        c->state = CORE_HALTED; /* vector catch: halted on the handler's first instruction */
        c->halt_reason = HALT_VCATCH;
        c->dfsr |= DFSR_VCATCH;
    }
}

static void halt(struct sim_core *c, sim_halt_reason why, uint32_t dfsr_bit)
{
    c->state = CORE_HALTED;
    c->halt_reason = why;
    c->dfsr |= dfsr_bit;
    c->sleeping = false;
    c->debug_ctrl |= C_HALT; /* entering Debug state sets C_HALT (stlink-org/stlink's flash_loader.c expects DHCSR 0x3000B after its loader's BKPT) */
}

/* --- hooks --- */

static void hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sim_core *c = user;
    if (c->watch_hit) {
        c->watch_hit = false;
        halt(c, HALT_WATCHPOINT, DFSR_DWTTRAP);
        uc_emu_stop(uc);
        return;
    }
    c->instructions += size / 2 ? size / 2 : 1; /* model: Thumb instructions of 2 bytes on average */
    uint32_t lo = (uint32_t)address, hi = lo + size;
    if (lo < c->window_lo)
        c->window_lo = lo;
    if (hi > c->window_hi)
        c->window_hi = hi;
    if (c->instructions - c->window_start >= STEADY_WINDOW_INSTRUCTIONS) {
        /* steady: this window ran only within the code span of the one before */
        c->steady = c->prev_hi > c->prev_lo && c->window_lo >= c->prev_lo && c->window_hi <= c->prev_hi;
        c->prev_lo = c->window_lo;
        c->prev_hi = c->window_hi;
        c->window_lo = UINT32_MAX;
        c->window_hi = 0;
        c->window_start = c->instructions;
    }
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct sim_core *c = user;
    enum { EXCP_SWI = 2, EXCP_BKPT = 7 };
    if (intno == EXCP_BKPT && (c->debug_ctrl & C_DEBUGEN))
        halt(c, HALT_BKPT, DFSR_BKPT);
    else if (intno == EXCP_BKPT)
        c->pending_fault = PENDING_BKPT_NO_DEBUG;
    else if (intno == EXCP_SWI)
        c->pending_fault = PENDING_SVC;
    else
        c->pending_fault = PENDING_OTHER;
    c->pending_intno = intno;
    uc_emu_stop(uc);
}

static void hook_breakpoint(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    (void)size;
    struct sim_core *c = user;
    if (c->state == CORE_RUNNING && c->skip_breakpoint_at != (uint32_t)address) {
        halt(c, HALT_BREAKPOINT, DFSR_BKPT);
        uc_emu_stop(uc);
    }
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    (void)uc;
    (void)size;
    (void)value;
    struct sim_core *c = user;
    if (!c->bus_error_pending) {
        c->bus_error_pending = true;
        c->bus_error_addr = (uint32_t)address;
        c->bus_error_write = type == UC_MEM_WRITE_UNMAPPED;
        c->bus_error_fetch = type == UC_MEM_FETCH_UNMAPPED;
    }
    return false;
}

/* --- FPB --- */

static bool fpb_target(const struct sim_core *c, uint32_t comp, uint32_t *addr)
{
    if (!(comp & 1) || !(c->fp_ctrl & 1))
        return false;
    if (fpb_v2(c)) {
        *addr = comp & ~1u;
        return true;
    }
    uint32_t replace = comp >> 30;
    if (!replace)
        return false; /* a literal remap, not a breakpoint */
    *addr = (comp & 0x1FFFFFFCu) + (replace == 2 ? 2 : 0);
    return true;
}

static void update_breakpoints(struct sim_core *c)
{
    uint32_t addr;
    for (unsigned i = 0; i < c->fpb_comparators; i++) {
        if (c->fpb_hooks[i]) {
            uc_hook_del(c->uc, (uc_hook)c->fpb_hooks[i]);
            c->fpb_hooks[i] = 0;
        }
        if (fpb_target(c, c->fp_comp[i], &addr)) {
            uc_hook h;
            if (uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)hook_breakpoint, c, addr, addr) == UC_ERR_OK)
                c->fpb_hooks[i] = (uintptr_t)h;
            mark_dirty(c, addr, addr + 4); /* translations made before the hook do not call it */
        }
    }
    /* a comparator turned off: its address may sit in a translation that calls the hook */
    for (unsigned i = 0; i < c->fpb_comparators; i++)
        if (c->fp_comp[i] & 1)
            mark_dirty(c, c->fp_comp[i] & 0x1FFFFFFCu, (c->fp_comp[i] & 0x1FFFFFFCu) + 4);
}

/* --- DWT watchpoints (ARMv7-M C1.8.7: FUNCTION 5 read, 6 write, 7 either;
 * the comparator matches COMP with the low MASK bits ignored) --- */

static void hook_watchpoint(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    (void)type;
    (void)address;
    (void)size;
    (void)value;
    struct sim_core *c = user;
    for (unsigned i = 0; i < c->dwt_comparators; i++) {
        uint32_t fn = c->dwt_function[i] & 0xF, mask = (1u << (c->dwt_mask[i] & 0x1F)) - 1;
        bool write = type == UC_MEM_WRITE;
        if ((fn == 7 || fn == (write ? 6u : 5u)) && ((uint32_t)address & ~mask) == (c->dwt_comp[i] & ~mask))
            c->dwt_function[i] |= DWT_MATCHED;
    }
    /* model: the halt comes at the next block, after the access's instruction
     * (stopping inside the hook would leave it half done) */
    if (c->state == CORE_RUNNING && (c->debug_ctrl & C_DEBUGEN))
        c->watch_hit = true;
    (void)uc;
}

static void update_watchpoints(struct sim_core *c)
{
    for (unsigned i = 0; i < c->dwt_comparators; i++) {
        if (c->dwt_hooks[i]) {
            uc_hook_del(c->uc, (uc_hook)c->dwt_hooks[i]);
            c->dwt_hooks[i] = 0;
        }
        uint32_t fn = c->dwt_function[i] & 0xF, mask = (1u << (c->dwt_mask[i] & 0x1F)) - 1;
        if (fn < 5 || fn > 7)
            continue;
        int kinds = fn == 5 ? UC_HOOK_MEM_READ : fn == 6 ? UC_HOOK_MEM_WRITE : UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE;
        uint32_t lo = c->dwt_comp[i] & ~mask;
        uc_hook h;
        if (uc_hook_add(c->uc, &h, kinds, (void *)hook_watchpoint, c, lo, (uint64_t)lo + mask) == UC_ERR_OK)
            c->dwt_hooks[i] = (uintptr_t)h;
        mark_dirty(c, 0, 0xFFFFFFFFu); /* code translated before the hook does not call it */
    }
}

/* --- life cycle --- */

/* One core's CPU emulator on the target's bus. */
static bool core_open(struct sim_core *c, struct sim_target *t, const char *core, uint32_t cpuid)
{
    c->target = t;
    c->cpuid = cpuid;
    c->run_until_ns = UINT64_MAX;
    c->unicorn_model = unicorn_model_of(core, &c->fpb_comparators, &c->dwt_comparators);
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &c->uc) != UC_ERR_OK) {
        c->uc = NULL;
        return false;
    }
    uc_hook h;
    c->state = CORE_RUNNING;
    return uc_ctl_set_cpu_model(c->uc, c->unicorn_model) == UC_ERR_OK && map_memories(c, core) &&
           uc_hook_add(c->uc, &h, UC_HOOK_BLOCK, (void *)hook_block, c, 1, 0) == UC_ERR_OK &&
           uc_hook_add(c->uc, &h, UC_HOOK_INTR, (void *)hook_intr, c, 1, 0) == UC_ERR_OK &&
           uc_hook_add(c->uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped, c, 1, 0) == UC_ERR_OK;
}

bool sim_core_init(struct sim_core *c, struct sim_target *t)
{
    memset(c, 0, sizeof(*c));
    const char *cores = t->part->core ? t->part->core : "";
    if (!core_open(c, t, cores, t->cpuid))
        goto fail;
    if (t->part->has_second_core) {
        const char *name = fw_target_second_core(t->part);
        c->second = calloc(1, sizeof(*c->second));
        if (!c->second || !core_open(c->second, t, name, sim_cpuid_of(t->part, name)))
            goto fail;
        c->second->first = c;
    }
    sim_core_system_reset(c);
    c->reset_sticky = false; /* power-on: the debugger's first DHCSR read sees no reset since */
    if (c->second)
        c->second->reset_sticky = false;
    return true;
fail:
    sim_core_free(c);
    return false;
}

void sim_core_free(struct sim_core *c)
{
    if (c->second) {
        sim_core_free(c->second);
        free(c->second);
        c->second = NULL;
    }
    if (c->uc)
        uc_close(c->uc);
    c->uc = NULL;
    free(c->maps);
    c->maps = NULL;
}

/* The boot alias shows what the reset booted: the window at 0 maps the
 * other memory's bytes (system memory is allocated as large as flash). */
static void follow_boot_alias(struct sim_core *c)
{
    struct sim_target *t = c->target;
    const struct sim_memory *shown = t->boot_from_system && t->system ? t->system : t->flash;
    if (!c->alias_shows || shown == c->alias_shows)
        return;
    if (uc_mem_unmap(c->uc, 0, c->alias_window) == UC_ERR_OK &&
        uc_mem_map_ptr(c->uc, 0, c->alias_window, UC_PROT_ALL, shown->bytes) == UC_ERR_OK)
        c->alias_shows = shown;
}

static void reset_core(struct sim_core *c, uint32_t vtor);

/* The second core at a system reset: its vectors from the boot address
 * register the BOOT0 pin picks; it runs at once when the option bit lets
 * it boot, else it waits for the main core to release it. */
static void reset_second(struct sim_core *c)
{
    struct sim_target *t = c->target;
    const fw_target *p = t->part;
    uint32_t boot = 0, gate = 0;
    sim_target_read(t, (uint32_t)p->second_boot_reg, 4, &boot);
    sim_target_read(t, (uint32_t)p->second_gate_reg, 4, &gate);
    apply_fixup(c);
    reset_core(c, (t->boot0_pin ? boot >> 16 : boot & 0xFFFF) << p->second_boot_shift);
    c->gated = !(gate & p->second_gate_mask);
    c->owed_ps = 0;
}

void sim_core_system_reset(struct sim_core *c)
{
    if (c->first) { /* the second core's SYSRESETREQ resets the whole chip */
        sim_core_system_reset(c->first);
        return;
    }
    apply_fixup(c);
    sim_target_reset(c->target);
    follow_boot_alias(c);
    reset_core(c, c->target->reset_vtor);
    if (c->second)
        reset_second(c->second);
}

/* A core's registers at reset, with its vector table at vtor. */
static void reset_core(struct sim_core *c, uint32_t vtor)
{
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
        reg_write(c, r, 0);
    reg_write(c, UC_ARM_REG_CONTROL, 0);
    reg_write(c, UC_ARM_REG_PRIMASK, 0);
    reg_write(c, UC_ARM_REG_XPSR, XPSR_T);
    /* VTOR resets to 0, or on H7 to the boot address the BOOT pin chose */
    c->vtor = vtor;
    c->cfsr = c->hfsr = c->bfar = 0;
    uint32_t sp = 0, pc = 0;
    read32(c, c->vtor, &sp);
    read32(c, c->vtor + 4, &pc);
    reg_write(c, UC_ARM_REG_MSP, sp & ~3u);
    reg_write(c, UC_ARM_REG_LR, 0xFFFFFFFFu);
    reg_write(c, UC_ARM_REG_PC, pc | 1);
    c->reset_pc_invalid = !(pc & 1); /* an even reset vector faults on the first fetch */
    /* --quirk blank-l1: EPSR.T is bit 0 of the reset vector (ARMv7-M
     * B1.5.5), and only a write of xPSR changes it; on a blank L0/L1 it is 0 */
    c->epsr_t_clear = !(pc & 1) && sim_quirk_on(c->target->quirks, QUIRK_BLANK_L1) &&
                      c->target->controller == FW_CTL_L0L1;
    c->reset_sticky = true;
    c->sleeping = false;
    c->scr = 0;
    c->faulted = false;
    c->fault_reason[0] = '\0';
    c->bus_error_pending = false;
    c->watch_hit = false;
    c->pending_fault = PENDING_NONE;
    flash_dirty(c); /* the boot alias may show other bytes now */
    c->steady = false;
    c->prev_lo = c->prev_hi = 0;
    c->window_lo = UINT32_MAX;
    c->window_hi = 0;
    c->window_start = c->instructions;
    /* a core reset clears C_HALT, the rest of DHCSR stays ("C_HALT always
     * clears on a core reset. To halt on a reset, DEMCR.VC_CORERESET and
     * C_DEBUGEN must be enabled": the DHCSR description of TI's
     * CC13x2/CC26x2 Cortex-M4) */
    c->debug_ctrl &= ~C_HALT;
    if (c->target->ob.rdp_level == 2)
        c->debug_ctrl = 0; /* level 2 disables halting debug with the debug port (RM0090 §3.7.3) */
    if ((c->debug_ctrl & C_DEBUGEN) && (c->demcr & VC_CORERESET))
        halt(c, HALT_VCATCH, DFSR_VCATCH);
    else
        c->state = CORE_RUNNING;
    c->firmware_running = true;
}

/* One instruction's time at the core's clock (one instruction a cycle), in
 * picoseconds: the target's clock, the reset one or --quirk slow-clock's. */
static uint64_t cycle_ps(const struct sim_core *c)
{
    return 1000000000ull / c->target->core_khz;
}

/* --- execution --- */

static bool at_wait_for_interrupt(struct sim_core *c)
{
    uint32_t pc = sim_core_pc(c), op;
    if (pc < 2 || sim_target_read(c->target, pc - 2, 2, &op) != SIM_BUS_OK)
        return false;
    return op == 0xBF30 || op == 0xBF20; /* WFI, WFE */
}

/* The 16-bit hint just before pc: WFE 0xBF20, YIELD 0xBF10, SEV 0xBF40
 * (0 for any other instruction). */
static uint32_t wait_hint(struct sim_core *c, uint32_t pc)
{
    uint32_t op;
    if (pc < 2 || sim_target_read(c->target, pc - 2, 2, &op) != SIM_BUS_OK)
        return 0;
    return op == 0xBF20 || op == 0xBF10 || op == 0xBF40 ? op : 0;
}

/* An exception unicorn raised (its EXCP_* numbers, from QEMU's ARM target). */
static void fault_from_exception(struct sim_core *c, uint32_t pc, uint32_t intno)
{
    switch (intno) {
    case 1: take_fault(c, pc, CFSR_UNDEFINSTR, "undefined instruction at 0x%08x", pc); break;
    case 3: take_fault(c, pc, CFSR_IBUSERR, "instruction fetch fault at 0x%08x", pc); break;
    case 4: take_fault(c, pc, CFSR_PRECISERR, "data access fault at 0x%08x", pc); break;
    case 16: take_fault(c, pc, 1u << 19, "coprocessor instruction with the FPU off at 0x%08x", pc); break;
    case 17: take_fault(c, pc, CFSR_INVSTATE, "invalid state (Thumb bit clear) at 0x%08x", pc); break;
    case 21: take_fault(c, pc, 1u << 24, "unaligned access at 0x%08x", pc); break;
    default: take_fault(c, pc, CFSR_UNDEFINSTR, "CPU exception %u", intno); break;
    }
}

static void remove_cache_within(struct sim_core *c, uint32_t base, uint32_t size)
{
    uint64_t lo = c->dirty_lo > base ? c->dirty_lo : base, end = (uint64_t)base + size;
    uint64_t hi = c->dirty_hi < end ? c->dirty_hi : end;
    if (lo < hi)
        uc_ctl_remove_cache(c->uc, lo, hi);
}

/* Drops unicorn's translations of the code that changed, one mapped
 * window at a time: a range spanning several windows (the boot alias at 0
 * and SRAM, merged by mark_dirty) is not invalidated whole by unicorn,
 * which left a RAM loader running the code of the one before it. */
static void remove_dirty_translations(struct sim_core *c)
{
    if (c->dirty_lo >= c->dirty_hi)
        return;
    const struct sim_target *t = c->target;
    for (unsigned i = 0; i < t->nmem; i++)
        if (sim_memory_cpu_mapped(&t->mem[i]))
            remove_cache_within(c, t->mem[i].base, sim_page_round(t->mem[i].size));
    if (c->alias_shows)
        remove_cache_within(c, 0, c->alias_window);
    for (unsigned i = 0; i < t->nsecure_alias; i++)
        remove_cache_within(c, t->secure_alias[i].base, t->secure_alias[i].size);
    c->dirty_lo = c->dirty_hi = 0;
}

/* Runs up to max instructions; returns how many ran. */
static uint64_t run_slice(struct sim_core *c, uint64_t max)
{
    c->slice_ns = c->target->now_ns;
    c->slice_instructions = c->instructions;
    remove_dirty_translations(c);
    uint32_t pc = sim_core_pc(c);
    if (c->epsr_t_clear) {
        /* ARMv7-M B1.4.2: executing with EPSR.T 0 is an INVSTATE UsageFault
         * (a HardFault while UsageFault is not enabled) */
        take_fault(c, pc, CFSR_INVSTATE, "EPSR.T is 0 (the reset vector of a blank flash): 0x%08x cannot run", pc);
        return 1;
    }
    if (c->reset_pc_invalid) {
        /* ARMv7-M B1.5.5, B1.4.2: the reset loads EPSR.T from bit 0 of the
         * reset vector; with it 0 the first instruction is an INVSTATE
         * UsageFault, before anything runs */
        c->reset_pc_invalid = false;
        take_fault(c, pc, CFSR_INVSTATE, "the reset vector 0x%08x is not a Thumb address (blank flash?)", pc);
        return 1;
    }
    if (c->sram_code_hangs || c->sram_code_faults) {
        struct sim_memory *m = sim_target_memory_at(c->target, pc & ~1u, 2);
        if (m && m->kind == FW_REGION_RAM) {
            if (c->sram_code_hangs)
                return max; /* a loop that never ends: time passes, nothing else */
            c->bfar = c->target->flash->base;
            take_fault(c, pc, CFSR_PRECISERR | CFSR_BFARVALID, "bus fault: write to 0x%08x (fwsim --fault loader-fault)",
                       c->bfar);
            return 1;
        }
    }
    uint64_t before = c->instructions;
    c->bus_error_pending = false;
    c->bus_error_fetch = false;
    c->pending_fault = PENDING_NONE;
    uc_err err = uc_emu_start(c->uc, pc | 1, 0xFFFFFFFFu, 0, max);
    apply_fixup(c);
    uint64_t ran = c->instructions - before;
    if (ran > max)
        ran = max;
    if (ran)
        c->retire_sticky = true;
    uint32_t now_pc = sim_core_pc(c);
    if (c->bus_error_pending) {
        if (c->bus_error_fetch)
            take_fault(c, c->bus_error_addr, CFSR_IBUSERR, "instruction fetch from unmapped address 0x%08x",
                       c->bus_error_addr);
        else {
            c->bfar = c->bus_error_addr;
            take_fault(c, now_pc, CFSR_PRECISERR | CFSR_BFARVALID,
                       c->bus_error_write ? "bus fault: write to 0x%08x" : "bus fault: read of 0x%08x",
                       c->bus_error_addr);
        }
        return ran;
    }
    switch (c->pending_fault) {
    case PENDING_BKPT_NO_DEBUG:
        take_fault(c, now_pc, 0, "BKPT at 0x%08x with no debugger attached", now_pc);
        return ran;
    case PENDING_SVC:
        take_fault(c, now_pc, 0, "SVC at 0x%08x (exceptions other than faults are not modelled)", now_pc);
        return ran;
    case PENDING_OTHER:
        fault_from_exception(c, now_pc, c->pending_intno);
        return ran;
    case PENDING_NONE: break;
    }
    uint32_t hint = 0;
    if ((err == UC_ERR_EXCEPTION || err == UC_ERR_INSN_INVALID) && (hint = wait_hint(c, now_pc)) != 0 &&
        hint != 0xBF40) {
        /* WFE and YIELD end unicorn 2.0.1's run as an invalid instruction,
         * the PC past them: hints, not faults (ARMv7-M A7.7.261, A7.7.263). WFE right
         * after SEV finds the event register set and goes on (ST's
         * HAL_PWREx_ClearPendingEvent: SEV, WFE), else the core sleeps as
         * at WFI; model: no event from the other core or an interrupt wakes
         * it (interrupts are not modelled) */
        if (hint == 0xBF20 && wait_hint(c, now_pc - 2) != 0xBF40)
            c->sleeping = true;
        return ran;
    }
    if (err == UC_ERR_EXCEPTION || err == UC_ERR_INSN_INVALID)
        take_fault(c, now_pc, CFSR_UNDEFINSTR, "undefined instruction at 0x%08x", now_pc);
    else if (err != UC_ERR_OK)
        take_fault(c, now_pc, CFSR_PRECISERR, "the CPU emulator stopped at 0x%08x", now_pc);
    else if (c->state == CORE_RUNNING && ran < max && at_wait_for_interrupt(c))
        c->sleeping = true;
    return ran;
}

/* What runs on the chip's clock beside the core, up to now. The watchdog
 * counts while the core runs, and while it is halted unless DBGMCU freezes
 * it; at 0 it resets the chip as SYSRESETREQ does (the debug link stays
 * up). A DMA channel left running writes SRAM. */
static void chip_time(struct sim_core *c)
{
    struct sim_target *t = c->target;
    if (t->powered_off)
        return;
    bool halted = c->state != CORE_RUNNING;
    if (t->dma.present) {
        struct sim_memory *m = sim_target_memory_at(t, t->dma.buffer, DMA_BUFFER_BYTES);
        uint64_t before = t->dma.words;
        if (m)
            dma_advance(&t->dma, t->part, &t->periph, halted, t->now_ns, m->bytes + (t->dma.buffer - m->base));
        if (t->dma.words != before)
            mark_dirty(c, t->dma.buffer, t->dma.buffer + DMA_BUFFER_BYTES);
    }
    if (t->iwdg.running && iwdg_advance(&t->iwdg, t->now_ns, halted && sim_target_watchdog_frozen(t)))
        sim_core_system_reset(c);
}

/* A sleeping core wakes when the hardware semaphores raise its interrupt
 * line (HSEM_CnMISR): ST's dual-core templates release the Cortex-M4 from
 * Stop so ("CPU1 will release CPU2 ... by means of HSEM notification",
 * STM32CubeH7's HSEM_ResourceSharing readme). model: the interrupt is not
 * taken (interrupts are not modelled), the core goes on after its WFI/WFE */
static void wake_on_notification(struct sim_core *c)
{
    if (c->sleeping && c->target->part->has_hsem && hsem_line_raised(&c->target->hsem, c->first ? 1 : 0))
        c->sleeping = false;
}

/* The main core's share of time: the shared clock advances with it. */
static void run_main_core(struct sim_core *c, uint64_t ns)
{
    struct sim_target *t = c->target;
    uint64_t end = t->now_ns + ns;
    wake_on_notification(c);
    c->run_until_ns = end;
    chip_time(c);
    while (c->state == CORE_RUNNING && !c->sleeping && !c->held_in_reset && !t->powered_off && t->now_ns < end) {
        uint64_t want = (end - t->now_ns) * 1000 / cycle_ps(c);
        if (want == 0)
            want = 1;
        if (want > SLICE_MAX)
            want = SLICE_MAX;
        uint64_t at = t->now_ns, ran = run_slice(c, want);
        t->now_ns = c->slice_ns + ran * cycle_ps(c) / 1000 + (ran ? 0 : 1);
        if (c->firmware_running)
            t->ran_since_reset_ns += t->now_ns - at;
        sim_target_firmware_check(t);
        chip_time(c);
    }
    if (t->now_ns < end) {
        if (c->firmware_running && c->state == CORE_RUNNING && !c->held_in_reset && !t->powered_off)
            t->ran_since_reset_ns += end - t->now_ns; /* asleep: the firmware's time too */
        t->now_ns = end;
    }
    sim_target_firmware_check(t);
    chip_time(c);
    c->run_until_ns = UINT64_MAX;
}

/* The second core's share: it runs the instructions of ns at the chip's
 * clock after the main core's, without moving the shared clock; its MMIO
 * sees the time the main core reached. A gated core starts once the main
 * core sets the release bit (RCC_GCR BOOT_C2, which a reset clears). */
static void run_second_core(struct sim_core *c, uint64_t ns)
{
    struct sim_target *t = c->target;
    if (c->gated) {
        uint32_t release = 0;
        sim_target_read(t, (uint32_t)t->part->second_release_reg, 4, &release);
        if (!(release & t->part->second_release_mask))
            return;
        c->gated = false;
    }
    wake_on_notification(c);
    c->owed_ps += ns * 1000;
    c->run_until_ns = t->now_ns;
    while (c->state == CORE_RUNNING && !c->sleeping && !t->powered_off && c->owed_ps >= cycle_ps(c)) {
        uint64_t want = c->owed_ps / cycle_ps(c);
        uint64_t ran = run_slice(c, want > SLICE_MAX ? SLICE_MAX : want);
        uint64_t used = (ran ? ran : 1) * cycle_ps(c);
        c->owed_ps = used < c->owed_ps ? c->owed_ps - used : 0;
    }
    if (c->state != CORE_RUNNING || c->sleeping)
        c->owed_ps = 0; /* a core that is not running owes no time */
    c->run_until_ns = UINT64_MAX;
}

/* how long each core of a dual-core part runs before the other takes its
 * turn: short against the handshakes of dual-core firmware (ST's CM7
 * template waits some 0xFFFF loop turns for the CM4 to stop its domain) */
#define DUAL_CORE_TURN_NS 20000u

void sim_core_run_for(struct sim_core *c, uint64_t ns)
{
    if (c->first) {
        sim_core_run_for(c->first, ns);
        return;
    }
    if (!c->second) {
        run_main_core(c, ns);
        return;
    }
    while (ns) {
        uint64_t turn = ns < DUAL_CORE_TURN_NS ? ns : DUAL_CORE_TURN_NS;
        run_main_core(c, turn);
        run_second_core(c->second, turn);
        ns -= turn;
    }
}

static void step(struct sim_core *c)
{
    c->state = CORE_RUNNING;
    c->skip_breakpoint_at = sim_core_pc(c); /* a step leaves the breakpoint it stands on */
    uint64_t ran = run_slice(c, 1);
    c->skip_breakpoint_at = 1;
    c->target->now_ns = c->slice_ns + ran * cycle_ps(c) / 1000;
    if (c->state == CORE_RUNNING)
        halt(c, HALT_STEP, DFSR_HALTED);
}

/* --- registers --- */

static int unicorn_reg(unsigned regsel)
{
    if (regsel <= 12)
        return UC_ARM_REG_R0 + (int)regsel;
    switch (regsel) {
    case 13: return UC_ARM_REG_SP;
    case 14: return UC_ARM_REG_LR;
    case 15: return UC_ARM_REG_PC;
    case 16: return UC_ARM_REG_XPSR;
    case 17: return UC_ARM_REG_MSP;
    case 18: return UC_ARM_REG_PSP;
    case 0x21: return UC_ARM_REG_FPSCR;
    default: break;
    }
    if (regsel >= 0x40 && regsel < 0x60)
        return UC_ARM_REG_S0 + (int)(regsel - 0x40);
    return -1;
}

bool sim_core_read_reg(struct sim_core *c, unsigned regsel, uint32_t *value)
{
    if (c->state == CORE_RUNNING)
        return false;
    if (regsel == 20) { /* CONTROL[31:24] FAULTMASK[23:16] BASEPRI[15:8] PRIMASK[7:0] */
        *value = (reg_read(c, UC_ARM_REG_CONTROL) & 0xFF) << 24 | (reg_read(c, UC_ARM_REG_FAULTMASK) & 1) << 16 |
                 (reg_read(c, UC_ARM_REG_BASEPRI) & 0xFF) << 8 | (reg_read(c, UC_ARM_REG_PRIMASK) & 1);
        return true;
    }
    int id = unicorn_reg(regsel);
    if (id < 0)
        return false;
    *value = reg_read(c, id);
    if (regsel == 15)
        *value &= ~1u;
    if (regsel == 16)
        *value = c->epsr_t_clear ? *value & ~XPSR_T : *value | XPSR_T;
    return true;
}

bool sim_core_write_reg(struct sim_core *c, unsigned regsel, uint32_t value)
{
    if (c->state == CORE_RUNNING)
        return false;
    if (regsel == 20) {
        reg_write(c, UC_ARM_REG_PRIMASK, value & 1);
        reg_write(c, UC_ARM_REG_BASEPRI, (value >> 8) & 0xFF);
        reg_write(c, UC_ARM_REG_FAULTMASK, (value >> 16) & 1);
        reg_write(c, UC_ARM_REG_CONTROL, (value >> 24) & 0x3);
        return true;
    }
    int id = unicorn_reg(regsel);
    if (id < 0)
        return false;
    c->firmware_running = false; /* the debugger runs code of its own from here */
    if (regsel == 15) {
        value |= 1; /* M-profile executes Thumb only */
        c->reset_pc_invalid = false;
    }
    if (regsel == 16)
        c->epsr_t_clear = !(value & XPSR_T);
    reg_write(c, id, value);
    c->sleeping = false;
    return true;
}

/* --- the debugger's view of the bus --- */

static uint32_t dhcsr_read(struct sim_core *c)
{
    uint32_t v = c->debug_ctrl | S_REGRDY;
    if (c->state == CORE_HALTED)
        v |= S_HALT;
    if (c->state == CORE_LOCKUP)
        v |= S_LOCKUP;
    if (c->sleeping)
        v |= S_SLEEP;
    if (c->retire_sticky)
        v |= S_RETIRE_ST;
    if (c->reset_sticky)
        v |= S_RESET_ST;
    c->retire_sticky = c->reset_sticky = false; /* sticky bits clear on read */
    return v;
}

static void dhcsr_write(struct sim_core *c, uint32_t v)
{
    if ((v & 0xFFFF0000u) != DBGKEY)
        return; /* writes without the key are ignored */
    uint32_t ctrl = v & (C_DEBUGEN | C_HALT | C_STEP | C_MASKINTS);
    c->debug_ctrl = ctrl;
    if (!(ctrl & C_DEBUGEN)) {
        if (c->state == CORE_HALTED)
            c->state = CORE_RUNNING;
        return;
    }
    if (ctrl & C_HALT) {
        if (c->state != CORE_HALTED) /* a locked-up core halts too, and leaves lockup */
            halt(c, HALT_REQUEST, DFSR_HALTED);
        return;
    }
    if (c->state != CORE_HALTED)
        return;
    if (ctrl & C_STEP)
        step(c);
    else {
        c->state = CORE_RUNNING;
        c->halt_reason = HALT_NONE;
    }
}

static void dcrsr_write(struct sim_core *c, uint32_t v)
{
    unsigned regsel = v & 0x7F;
    if (v & (1u << 16))
        sim_core_write_reg(c, regsel, c->dcrdr);
    else
        sim_core_read_reg(c, regsel, &c->dcrdr);
}

static uint32_t cyccnt(const struct sim_core *c)
{
    return c->cyccnt_written + (uint32_t)(c->instructions - c->cyccnt_base);
}

/* A core register at a word address: true when addr is one. */
static bool core_register_read(struct sim_core *c, uint32_t addr, uint32_t *v)
{
    switch (addr) {
    case DHCSR: *v = dhcsr_read(c); return true;
    case DCRSR: *v = 0; return true;
    case DCRDR: *v = c->dcrdr; return true;
    case DEMCR: *v = c->demcr; return true;
    case DFSR: *v = c->dfsr; return true;
    case AIRCR: *v = 0xFA050000u; return true;
    case VTOR: *v = c->vtor; return true;
    case SCR: *v = c->scr; return true;
    case CFSR: *v = c->cfsr; return true;
    case HFSR: *v = c->hfsr; return true;
    case BFAR: *v = c->bfar; return true;
    case FP_CTRL:
        /* NUM_CODE[7:4], NUM_LIT[11:8] = 2, KEY reads 0, REV[31:28] */
        *v = (c->fp_ctrl & 1) | c->fpb_comparators << 4 | 2u << 8 | (fpb_v2(c) ? 1u << 28 : 0);
        return true;
    case DWT_CTRL: *v = c->dwt_comparators << 28 | (c->dwt_ctrl & 1); return true;
    case DWT_CYCCNT: *v = (c->dwt_ctrl & 1) ? cyccnt(c) : c->cyccnt_written; return true;
    default: break;
    }
    if (addr >= FP_COMP0 && addr < FP_COMP0 + 4 * c->fpb_comparators) {
        *v = c->fp_comp[(addr - FP_COMP0) / 4];
        return true;
    }
    if (addr >= DWT_COMP0 && addr < DWT_COMP0 + 16 * c->dwt_comparators && (addr & 0xF) < 12) {
        unsigned i = (addr - DWT_COMP0) / 16;
        uint32_t *regs[] = {&c->dwt_comp[i], &c->dwt_mask[i], &c->dwt_function[i]};
        *v = *regs[(addr & 0xF) / 4];
        if ((addr & 0xF) == 8)
            c->dwt_function[i] &= ~DWT_MATCHED; /* MATCHED clears on read */
        return true;
    }
    if (addr == 0xE000ED00u && c->first) { /* CPUID: the second core's own */
        *v = c->cpuid;
        return true;
    }
    return sim_coresight_id_read(c->target, c->cpuid, addr, v); /* the ROM table and component IDs */
}

static bool core_register_write(struct sim_core *c, uint32_t addr, uint32_t v)
{
    switch (addr) {
    case DHCSR: dhcsr_write(c, v); return true;
    case DCRSR: dcrsr_write(c, v); return true;
    case DCRDR: c->dcrdr = v; return true;
    case DEMCR: c->demcr = v & 0x010F07F1u; return true;
    case DFSR: c->dfsr &= ~v; return true; /* write one to clear */
    case CFSR: c->cfsr &= ~v; return true;
    case HFSR: c->hfsr &= ~v; return true;
    case BFAR: c->bfar = v; return true;
    case VTOR: c->vtor = v & 0xFFFFFF80u; return true;
    case SCR: c->scr = v & SCR_MASK; return true;
    case AIRCR:
        if ((v >> 16) == 0x05FA && (v & 0x5)) /* SYSRESETREQ, or VECTRESET on v7-M */
            sim_core_system_reset(c);
        return true;
    case FP_CTRL:
        if (v & 2) { /* KEY must be written as one */
            c->fp_ctrl = v & 1;
            update_breakpoints(c);
        }
        return true;
    case DWT_CTRL:
        if ((v & 1) && !(c->dwt_ctrl & 1)) {
            c->cyccnt_base = c->instructions;
        } else if (!(v & 1) && (c->dwt_ctrl & 1)) {
            c->cyccnt_written = cyccnt(c);
        }
        c->dwt_ctrl = v & 1;
        return true;
    case DWT_CYCCNT:
        c->cyccnt_written = v;
        c->cyccnt_base = c->instructions;
        return true;
    default: break;
    }
    if (addr >= FP_COMP0 && addr < FP_COMP0 + 4 * c->fpb_comparators) {
        c->fp_comp[(addr - FP_COMP0) / 4] = v;
        update_breakpoints(c);
        return true;
    }
    if (addr >= DWT_COMP0 && addr < DWT_COMP0 + 16 * c->dwt_comparators && (addr & 0xF) < 12) {
        unsigned i = (addr - DWT_COMP0) / 16;
        uint32_t *regs[] = {&c->dwt_comp[i], &c->dwt_mask[i], &c->dwt_function[i]};
        *regs[(addr & 0xF) / 4] = (addr & 0xF) == 8 ? (v & 0xF) : v;
        update_watchpoints(c);
        return true;
    }
    return false;
}

/* The hardware semaphores' offset at addr, where the target data has them. */
static bool at_hsem(const struct sim_core *c, uint32_t addr, uint32_t *offset)
{
    const fw_target *p = c->target->part;
    if (!p->has_hsem || addr < p->hsem_base || addr - p->hsem_base >= HSEM_SIZE)
        return false;
    *offset = addr - (uint32_t)p->hsem_base;
    return true;
}

/* the COREID of this core's bus accesses (and of its access port's) */
static uint32_t bus_master_id(const struct sim_core *c)
{
    return c->first ? c->target->part->hsem_second_id : c->target->part->hsem_main_id;
}

/* Whether the second core is in deep sleep (CStop): WFI or WFE with SCR's
 * SLEEPDEEP set. model: its domain then stops (RM0399: D2 in DStop) whatever
 * the main core allocated there */
static bool second_in_stop(const struct sim_core *c)
{
    const struct sim_core *main = c->first ? c->first : c, *second = main->second;
    return second && second->state == CORE_RUNNING && !second->gated && second->sleeping &&
           (second->scr & SCR_SLEEPDEEP);
}

sim_bus sim_core_bus_read(struct sim_core *c, uint32_t addr, unsigned size, uint32_t *value)
{
    uint32_t word, offset;
    const fw_target *p = c->target->part;
    sim_bus r = SIM_BUS_OK;
    if (at_hsem(c, addr, &offset)) {
        *value = hsem_read(&c->target->hsem, offset, size, bus_master_id(c));
        return SIM_BUS_OK;
    }
    bool core_register = addr >= 0xE0000000u && addr < 0xE0100000u && core_register_read(c, addr & ~3u, &word);
    if (!core_register) {
        if (!p->has_second_domain || (addr & ~3u) != (uint32_t)p->second_domain_reg)
            return sim_target_read(c->target, addr, size, value);
        /* the second core's domain clock flag: set while its domain runs */
        r = sim_target_read(c->target, addr & ~3u, 4, &word);
        word = second_in_stop(c) ? word & ~p->second_domain_mask : word | p->second_domain_mask;
    }
    /* the bytes of the word the access reads */
    *value = word >> (8 * (addr & 3));
    if (size < 4)
        *value &= (1u << (8 * size)) - 1;
    return r;
}

sim_bus sim_core_bus_write(struct sim_core *c, uint32_t addr, unsigned size, uint32_t value)
{
    if (addr >= 0xE0000000u && addr < 0xE0100000u) {
        uint32_t word = value << (8 * (addr & 3)); /* model: narrower writes land in their byte lanes */
        if (core_register_write(c, addr & ~3u, word))
            return SIM_BUS_OK;
    }
    uint32_t offset;
    if (at_hsem(c, addr, &offset)) {
        hsem_write(&c->target->hsem, offset, size, value, bus_master_id(c));
        return SIM_BUS_OK;
    }
    apply_fixup(c);
    sim_bus r = sim_target_write(c->target, addr, size, value);
    if (sim_target_take_obl_launch(c->target)) {
        sim_core_system_reset(c); /* OBL_LAUNCH: the reload resets the chip, as SYSRESETREQ does */
        return r;
    }
    /* memory that may hold code unicorn has translated changed */
    if (r == SIM_BUS_OK && sim_target_is_controller(c->target, addr))
        flash_dirty(c);
    else if (r == SIM_BUS_OK && !(addr >= 0x40000000u && addr < 0x60000000u))
        mark_dirty(c, addr, addr + size);
    return r;
}
