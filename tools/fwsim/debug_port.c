/* SPDX-License-Identifier: MIT */
/* fwsim: the debug port and the CoreSight identification (debug_port.h).
 * Facts: ADIv5 (ARM IHI 0031) §2.3 (DP: DPIDR 0x0, CTRL/STAT 0x4 with
 * CDBGPWRUPACK/CSYSPWRUPACK following their requests, SELECT 0x8, RDBUFF
 * 0xC), §7.2 (MEM-AP: CSW 0x00, TAR 0x04, DRW 0x0C with address increment,
 * BASE 0xF8, IDR 0xFC), §10 (component ID: CIDR at +0xFF0, PIDR at +0xFD0
 * and +0xFE0, a byte per word); ARMv7-M C1.2 (the ROM table at 0xE00FF000
 * and its entries for the SCS at 0xE000E000, the DWT at 0xE0001000, the FPB
 * at 0xE0002000) and the cores' TRMs for the part numbers (Cortex-M3 SCS
 * 0x000, DWT 0x002, FPB 0x003; M4 SCS 0x00C; M0/M0+ SCS 0x008, DWT 0x00A,
 * BPU 0x00B; M7 FPB 0x00E; ARMv8-M M33: class 9 components 0xD21 told apart
 * by DEVARCH at +0xFBC); the AHB-AP IDRs pyOCD 0.13's coresight/ap.py lists
 * by core. Model: the ITM, TPIU and ETM are left out of the ROM table, as
 * fwsim does not have them. */
#include "debug_port.h"

#include "core.h"
#include "emulated_chip.h"

enum { DP_DPIDR = 0x0, DP_ABORT = 0x0, DP_CTRL_STAT = 0x4, DP_SELECT = 0x8, DP_RDBUFF = 0xC };
enum { AP_CSW = 0x00, AP_TAR = 0x04, AP_DRW = 0x0C, AP_BASE = 0xF8, AP_IDR = 0xFC };
#define CDBGPWRUPREQ (1u << 28)
#define CDBGPWRUPACK (1u << 29)
#define CSYSPWRUPREQ (1u << 30)
#define CSYSPWRUPACK (1u << 31)
#define ROM_TABLE 0xE00FF000u
#define ARM_JEP106 0x43Bu /* continuation 4, code 0x3B */

struct component {
    uint32_t base;
    unsigned cls;     /* CIDR1[7:4]: 1 ROM table, 9 CoreSight, 0xE generic IP */
    unsigned part;    /* PIDR part number */
    uint32_t devarch; /* ARMv8-M components: DEVARCH at +0xFBC; 0 none */
};

/* the core's PARTNO from CPUID: which components, with which numbers */
static unsigned core_partno(uint32_t cpuid)
{
    return (cpuid >> 4) & 0xFFF;
}

static unsigned components_of(uint32_t cpuid, struct component out[4])
{
    unsigned partno = core_partno(cpuid);
    bool v6m = partno == 0xC20 || partno == 0xC60, v8m = partno == 0xD21;
    unsigned scs = v6m ? 0x008 : partno == 0xC23 ? 0x000 : 0x00C;
    unsigned rom = v6m ? 0x4C0 : partno == 0xC23 ? 0x4C3 : partno == 0xC27 ? 0x4C7 : v8m ? 0x4C9 : 0x4C4;
    out[0] = (struct component){ROM_TABLE, 1, rom, 0};
    if (v8m) {
        out[1] = (struct component){0xE000E000u, 9, 0xD21, 0x47702A04u};
        out[2] = (struct component){0xE0001000u, 9, 0xD21, 0x47701A02u};
        out[3] = (struct component){0xE0002000u, 9, 0xD21, 0x47701A03u};
    } else {
        out[1] = (struct component){0xE000E000u, 0xE, scs, 0};
        out[2] = (struct component){0xE0001000u, 0xE, v6m ? 0x00A : 0x002, 0};
        out[3] = (struct component){0xE0002000u, 0xE, v6m ? 0x00B : partno == 0xC27 ? 0x00E : 0x003, 0};
    }
    return 4;
}

/* the designer the target data gives the chip's ROM table */
static bool c_designer(const struct sim_target *t, unsigned *jep)
{
    if (!t->part || !t->part->has_designer)
        return false;
    *jep = t->part->designer;
    return true;
}

bool sim_coresight_id_read(const struct sim_target *t, uint32_t cpuid, uint32_t addr, uint32_t *value)
{
    struct component comp[4];
    unsigned n = components_of(cpuid, comp);
    if (!cpuid)
        return false;
    for (unsigned i = 0; i < n; i++) {
        uint32_t off = addr - comp[i].base;
        if (addr < comp[i].base || off >= 0x1000)
            continue;
        if (i == 0 && off < 4 * n) { /* the ROM table's entries: offsets to each component, present, 32-bit */
            *value = off / 4 + 1 < n ? ((comp[off / 4 + 1].base - ROM_TABLE) & 0xFFFFF000u) | 3u : 0;
            return true;
        }
        static const uint8_t cidr[] = {0x0D, 0x00, 0x05, 0xB1};
        /* the ROM table names the chip's maker where the target data says
         * (ST's: designer 0x020 with the device id as its part number, as
         * Black Magic Debug reads an STM32F042's, "designer 20 Partno 440" in
         * blackmagic pull 17 of UweBonnes/blackmagic); the core's
         * components are Arm's */
        unsigned jep = ARM_JEP106, part = comp[i].part;
        if (i == 0 && c_designer(t, &jep) && jep != ARM_JEP106)
            part = t->idcode & 0xFFF;
        uint32_t pidr[8] = {jep >> 8,
                            0,
                            0,
                            0, /* PIDR4: JEP106 continuation, 4 KiB */
                            part & 0xFF,
                            (part >> 8 & 0xF) | (jep & 0xF) << 4,
                            (jep >> 4 & 0x7) | 0x8,
                            0};
        if (off >= 0xFF0 && off <= 0xFFC) {
            *value = off == 0xFF4 ? comp[i].cls << 4 : cidr[(off - 0xFF0) / 4];
            return true;
        }
        if (off >= 0xFD0 && off <= 0xFEC) {
            *value = pidr[(off - 0xFD0) / 4];
            return true;
        }
        if (off == 0xFBC) {
            *value = comp[i].devarch;
            return true;
        }
        if (off == 0xFCC) { /* DEVTYPE */
            *value = 0;
            return true;
        }
        if (i == 0) { /* the rest of the ROM table reads 0 */
            *value = 0;
            return true;
        }
    }
    return false;
}

void sim_dap_init(struct sim_dap *d)
{
    /* CSW: word size, single increment, DbgSwEnable, HPROT data */
    *d = (struct sim_dap){.csw = {0x23000052u, 0x23000052u, 0x80000042u}};
}

bool sim_dap_is_system_ap(const struct sim_target *t, unsigned ap)
{
    return t->part->has_system_ap && ap == t->part->system_ap;
}

/* the bus address of a system AP address, or false outside its window */
static bool system_ap_address(const fw_target *p, uint32_t addr, unsigned size, uint32_t *bus)
{
    if (addr < p->system_ap_base || (uint64_t)addr + size > p->system_ap_base + p->system_ap_size)
        return false;
    *bus = (uint32_t)(addr - p->system_ap_base + p->system_ap_bus_base);
    return true;
}

sim_bus sim_system_ap_read(struct sim_target *t, uint32_t addr, unsigned size, uint32_t *value)
{
    uint32_t bus;
    return system_ap_address(t->part, addr, size, &bus) ? sim_target_read(t, bus, size, value) : SIM_BUS_FAULT;
}

sim_bus sim_system_ap_write(struct sim_target *t, uint32_t addr, unsigned size, uint32_t value)
{
    uint32_t bus;
    return system_ap_address(t->part, addr, size, &bus) ? sim_target_write(t, bus, size, value) : SIM_BUS_FAULT;
}

/* The system debug AP's registers: an APB-AP (the IDR pyOCD's logs show
 * for CoreSight SoC-400's, 0x54770002; CSW with DbgSwEnable, pyOCD pull
 * 1321: the ST-Link keeps it set), word accesses only. Model: its ROM
 * table (BASE) reads as the system bus there shows it. */
static bool system_ap_reg(struct sim_dap *d, struct sim_target *t, bool write, uint16_t addr, uint32_t *value)
{
    switch (addr) {
    case AP_IDR: *value = write ? *value : 0x54770002u; return !write;
    case AP_BASE: *value = write ? *value : (uint32_t)t->part->system_ap_base | 3u; return !write;
    case AP_CSW:
        if (write)
            d->csw[2] = (d->csw[2] & ~0x30u) | (*value & 0x30u);
        else
            *value = d->csw[2];
        return true;
    case AP_TAR:
        if (write)
            d->tar[2] = *value;
        else
            *value = d->tar[2];
        return true;
    case AP_DRW: {
        sim_bus r = write ? sim_system_ap_write(t, d->tar[2], 4, *value) : sim_system_ap_read(t, d->tar[2], 4, value);
        if (r != SIM_BUS_OK)
            return false;
        if ((d->csw[2] >> 4 & 3) == 1)
            d->tar[2] += 4;
        return true;
    }
    default:
        if (!write)
            *value = 0;
        return true;
    }
}

struct sim_core *sim_dap_core_of(struct sim_core *c, unsigned ap)
{
    if (ap == 0)
        return c;
    return c->second && ap == c->target->part->second_core_ap ? c->second : NULL;
}

static uint32_t ahb_ap_idr(uint32_t cpuid)
{
    switch (core_partno(cpuid)) {
    case 0xC20: return 0x04770021u; /* M0 */
    case 0xC60: return 0x04770031u; /* M0+ */
    case 0xC27: return 0x64770001u; /* M7 */
    case 0xD21: return 0x14770005u; /* M33: AHB5-AP */
    default: return 0x24770011u;    /* M3, M4 */
    }
}

static unsigned csw_size(uint32_t csw)
{
    return 1u << (csw & 7);
}

bool sim_dap_read(struct sim_dap *d, struct sim_core *c, uint16_t port, uint16_t addr, uint32_t *value)
{
    *value = 0;
    if (port == SIM_DAP_DP_PORT) {
        switch (addr) {
        case DP_DPIDR: *value = c->target->dp_idcode; return true;
        case DP_CTRL_STAT:
            *value = d->ctrl_stat | (d->ctrl_stat & CDBGPWRUPREQ ? CDBGPWRUPACK : 0) |
                     (d->ctrl_stat & CSYSPWRUPREQ ? CSYSPWRUPACK : 0);
            return true;
        case DP_SELECT: *value = d->select; return true;
        case DP_RDBUFF: return true;
        default: return false;
        }
    }
    if (sim_dap_is_system_ap(c->target, port))
        return system_ap_reg(d, c->target, false, addr, value);
    struct sim_core *ap = sim_dap_core_of(c, port);
    if (!ap)
        return addr == AP_IDR; /* no AP there: IDR reads 0, which ends a debugger's scan */
    unsigned i = ap != c;
    switch (addr) {
    case AP_IDR: *value = ahb_ap_idr(ap->cpuid); return true;
    case AP_BASE: *value = ROM_TABLE | 3u; return true; /* present, ADIv5 format */
    case AP_CSW: *value = d->csw[i]; return true;
    case AP_TAR: *value = d->tar[i]; return true;
    case AP_DRW: {
        unsigned size = csw_size(d->csw[i]);
        if (size > 4 || sim_core_bus_read(ap, d->tar[i], size, value) != SIM_BUS_OK)
            return false;
        *value <<= 8 * (d->tar[i] & 3); /* the byte lanes of the address */
        if ((d->csw[i] >> 4 & 3) == 1)
            d->tar[i] += size;
        return true;
    }
    default: return true; /* banked data registers and the rest: model: 0 */
    }
}

bool sim_dap_write(struct sim_dap *d, struct sim_core *c, uint16_t port, uint16_t addr, uint32_t value)
{
    if (port == SIM_DAP_DP_PORT) {
        switch (addr) {
        case DP_ABORT: return true; /* sticky errors cleared: fwsim keeps none */
        case DP_CTRL_STAT: d->ctrl_stat = value & ~(CDBGPWRUPACK | CSYSPWRUPACK); return true;
        case DP_SELECT: d->select = value; return true;
        default: return false;
        }
    }
    if (sim_dap_is_system_ap(c->target, port))
        return system_ap_reg(d, c->target, true, addr, &value);
    struct sim_core *ap = sim_dap_core_of(c, port);
    if (!ap)
        return false;
    unsigned i = ap != c;
    switch (addr) {
    case AP_CSW: d->csw[i] = (d->csw[i] & ~0x37u) | (value & 0x37u); return true; /* Size and AddrInc are ours */
    case AP_TAR: d->tar[i] = value; return true;
    case AP_DRW: {
        unsigned size = csw_size(d->csw[i]);
        if (size > 4 || sim_core_bus_write(ap, d->tar[i], size, value >> (8 * (d->tar[i] & 3))) != SIM_BUS_OK)
            return false;
        if ((d->csw[i] >> 4 & 3) == 1)
            d->tar[i] += size;
        return true;
    }
    default: return true;
    }
}
