/* SPDX-License-Identifier: MIT */
/* fwsim: the ST-Link command protocol. Facts from the peers' protocol code
 * (OpenOCD src/jtag/drivers/stlink_usb.c, stlink-org/stlink src/stlink-lib/
 * usb.c and commands.h, pyOCD pyocd/probe/stlink/stlink.py); where the reference leaves a behaviour open, the choice
 * made here is marked "model:". */
#include "emulated_stlink.h"

#include <string.h>

#include "fwkit/bytes.h"
#include "fwkit/core.h"

enum {
    CMD_GET_VERSION = 0xF1, CMD_DEBUG = 0xF2, CMD_DFU = 0xF3, CMD_GET_CURRENT_MODE = 0xF5,
    CMD_GET_TARGET_VOLTAGE = 0xF7, CMD_GET_VERSION_EX = 0xFB,
};
enum {
    DBG_RESETSYS = 0x32,
    DBG_READMEM_32 = 0x07,
    DBG_WRITEMEM_32 = 0x08,
    DBG_READMEM_8 = 0x0C,
    DBG_WRITEMEM_8 = 0x0D,
    DBG_ENTER = 0x30,
    DBG_EXIT = 0x21,
    DBG_READ_IDCODES = 0x31,
    DBG_WRITEDEBUGREG = 0x35,
    DBG_READDEBUGREG = 0x36,
    DBG_GETLASTRWSTATUS = 0x3B,
    DBG_DRIVE_NRST = 0x3C,
    DBG_GETLASTRWSTATUS2 = 0x3E,
    DBG_START_TRACE = 0x40,
    DBG_STOP_TRACE = 0x41,
    DBG_GET_TRACE_NB = 0x42,
    DBG_SWD_SET_FREQ = 0x43,
    DBG_JTAG_SET_FREQ = 0x44,
    DBG_READMEM_16 = 0x47,
    DBG_WRITEMEM_16 = 0x48,
    DBG_INIT_AP = 0x4B,
    DBG_CLOSE_AP = 0x4C,
    DBG_SET_COM_FREQ = 0x61,
    DBG_GET_COM_FREQ = 0x62,
    DBG_GETSTATUS = 0x01,
    DBG_FORCEDEBUG = 0x02,
    DBG_RUNCORE = 0x09,
    DBG_STEPCORE = 0x0A,
    DBG_READCOREID = 0x22,
    DBG_READREG = 0x33,
    DBG_WRITEREG = 0x34,
    DBG_READALLREGS = 0x3A,
    DBG_READ_DAP_REG = 0x45,
    DBG_WRITE_DAP_REG = 0x46, /* pyOCD's pyOCD/probe/stlink/constants.py: from V2J24 */
    DBG_RW_MISC_OUT = 0x51,
    DBG_RW_MISC_IN = 0x52, /* OpenOCD's stlink_usb.c: from V2J32 and on V3 */
};
enum { ST_OK = 0x80, ST_FAULT = 0x81, ST_AP_FAULT = 0x11, ST_AP_WAIT = 0x10, ST_DP_ERROR = 0x16, ST_UNKNOWN_CMD = 0x42 };
enum { MODE_DFU = 0, MODE_MASS = 1, MODE_DEBUG = 2 };

/* firmware versions that unlock every feature of OpenOCD's stlink_usb.c (model: recent releases) */
#define V2_JTAG_VERSION 37
#define V3_JTAG_VERSION 7

/* V3 SWD frequencies (OpenOCD's stlink_usb.c: 24000 and 8000 kHz are confirmed, the rest of the list is not) */
static const uint32_t v3_swd_khz[] = {24000, 8000, 3300, 1000, 200, 50, 5};
/* V3 JTAG frequencies: OpenOCD's stlink_usb.c gives only the top, about 21333 kHz; model: the
 * SWD list below it */
static const uint32_t v3_jtag_khz[] = {21333, 8000, 3300, 1000, 200, 50, 5};

void stlink_init(struct stlink *p, stlink_kind kind, struct sim_core *core)
{
    memset(p, 0, sizeof(*p));
    p->kind = kind;
    p->core = p->access_core = core;
    p->target = core->target;
    p->mode = kind == STLINK_V2 ? MODE_DFU : MODE_MASS; /* model: what a freshly plugged probe reports */
    p->swd_divisor = 1;                                 /* 1800 kHz, the power-on default (OpenOCD's stlink_usb.c) */
    p->jtag_divisor = 32;                               /* 1125 kHz, the default (OpenOCD's stlink_usb.c) */
    p->com_khz = p->com_khz_jtag = 8000;
    p->jtag_version = kind == STLINK_V3 ? V3_JTAG_VERSION : V2_JTAG_VERSION;
    p->aux_version = kind == STLINK_V2 ? 7 : kind == STLINK_V2_1 ? 26 : 4;
    sim_dap_init(&p->dap);
}

bool stlink_set_version(struct stlink *p, const char *v)
{
    unsigned hw, j, aux = 0;
    char kind = 0, end;
    int n = sscanf(v, "V%uJ%u%c%u%c", &hw, &j, &kind, &aux, &end);
    bool v2 = hw == 2 && n == 4 && (kind == 'S' || kind == 'M'), v3 = hw == 3 && (n == 2 || (n == 4 && kind == 'M'));
    if ((!v2 && !v3) || j == 0 || j > 63 || aux > 63)
        return false;
    p->kind = v3 ? STLINK_V3 : kind == 'S' ? STLINK_V2 : STLINK_V2_1;
    p->jtag_version = j;
    p->aux_version = n == 4 ? aux : 4; /* a V3 named without its MSC version: a current one */
    p->mode = p->kind == STLINK_V2 ? MODE_DFU : MODE_MASS;
    return true;
}

unsigned stlink_command_min_jtag(uint8_t cmd, uint8_t sub)
{
    if (cmd == CMD_GET_TARGET_VOLTAGE)
        return 13;
    if (cmd != CMD_DEBUG)
        return 0;
    switch (sub) {
    case DBG_GETLASTRWSTATUS2: return 15;
    case DBG_SWD_SET_FREQ: return 22;
    case DBG_JTAG_SET_FREQ:
    case DBG_READ_DAP_REG:
    case DBG_WRITE_DAP_REG: return 24;
    case DBG_READMEM_16:
    case DBG_WRITEMEM_16: return 26;
    case DBG_INIT_AP:
    case DBG_CLOSE_AP: return 28;
    case DBG_RW_MISC_OUT:
    case DBG_RW_MISC_IN: return 32;
    default: return 0;
    }
}

/* Whether this firmware lacks the command (a V2 older than its gate). */
static bool lacks(const struct stlink *p, uint8_t cmd, uint8_t sub)
{
    return p->kind != STLINK_V3 && p->jtag_version < stlink_command_min_jtag(cmd, sub);
}

uint16_t stlink_pid(const struct stlink *p)
{
    if (p->usb_loader)
        return 0x374D; /* the V3's USB loader (stlink-org/stlink usb.h, OpenOCD interface/stlink.cfg) */
    return p->kind == STLINK_V2 ? 0x3748 : p->kind == STLINK_V2_1 ? 0x374B : 0x374E;
}

/* --- the modelled time of a transfer (constants documented in README.md) --- */

/* USB 2.0 §5.3.3: a full-speed frame is 1 ms, a high-speed microframe
 * 125 us; a probe's reply is taken at the earliest in the next (micro)frame,
 * so each transfer of a command/reply exchange costs half of one. */
#define FS_TRANSFER_NS 500000u
#define HS_TRANSFER_NS 62500u
/* bulk payload: full speed carries at most 19 packets of 64 B per frame
 * (1216 B/ms), high speed 13 of 512 B per microframe (53 248 B/ms) */
#define FS_PS_PER_BYTE 822000u
#define HS_PS_PER_BYTE 18800u
/* ADIv5 §4.2: one SWD access is 8 request bits, a turnaround, 3 ACK bits,
 * 32 data bits, parity and a turnaround: 46 clock cycles */
#define SWD_CYCLES_PER_ACCESS 46u
/* ADIv5 §3.4: one JTAG access is a DR scan of DPACC or APACC, 35 bits (3
 * ACK/address bits and 32 data), from Run-Test/Idle through Select-DR,
 * Capture-DR, Exit1-DR and Update-DR back to Idle (5 more cycles), plus the
 * STM32's boundary-scan TAP in BYPASS on the chain (1 bit): 41 cycles;
 * model: the IR scans between DPACC and APACC are left out */
#define JTAG_CYCLES_PER_ACCESS 41u

uint64_t stlink_usb_ns(const struct stlink *p, size_t len)
{
    bool hs = p->kind == STLINK_V3;
    return (hs ? HS_TRANSFER_NS : FS_TRANSFER_NS) + (uint64_t)len * (hs ? HS_PS_PER_BYTE : FS_PS_PER_BYTE) / 1000;
}

uint32_t stlink_wire_khz(const struct stlink *p)
{
    if (p->kind == STLINK_V3)
        return p->jtag ? p->com_khz_jtag : p->com_khz;
    if (p->jtag) {
        /* V2 JTAG_SET_FREQ divisors (OpenOCD's stlink_usb.c): 2 is 18000 kHz, 4 is 9000, ... 256 is 140 */
        uint32_t khz = 36000u / (p->jtag_divisor ? p->jtag_divisor : 1u);
        return khz ? khz : 1;
    }
    /* V2 divisors (OpenOCD's stlink_usb.c); others as the divisor's formula suggests */
    static const uint16_t div[] = {0, 1, 2, 3, 7, 15, 31, 40, 79, 158, 265, 798};
    static const uint16_t khz[] = {4000, 1800, 1200, 950, 480, 240, 125, 100, 50, 25, 15, 5};
    for (size_t i = 0; i < sizeof(div) / sizeof(div[0]); i++)
        if (p->swd_divisor == div[i])
            return khz[i];
    return 3600u / (p->swd_divisor + 1u) ? 3600u / (p->swd_divisor + 1u) : 1;
}

/* The debug port's IDCODE on the wire entered: SW-DP or JTAG-DP. */
static uint32_t dp_idcode(const struct stlink *p)
{
    return p->jtag ? p->target->jtag_idcode : p->target->dp_idcode;
}

/* Time passes on the wire: the running core executes meanwhile. */
static void spend(struct stlink *p, uint64_t ns)
{
    sim_core_run_for(p->core, ns);
}

static void spend_wire(struct stlink *p, uint32_t accesses)
{
    uint32_t cycles = p->jtag ? JTAG_CYCLES_PER_ACCESS : SWD_CYCLES_PER_ACCESS;
    spend(p, (uint64_t)accesses * cycles * 1000000u / stlink_wire_khz(p));
}

static void put16le(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static uint8_t *reply(struct stlink *p, size_t len)
{
    memset(p->reply, 0, len);
    p->reply_len = len;
    return p->reply;
}

static void status_reply(struct stlink *p, size_t len, uint8_t status)
{
    reply(p, len)[0] = status;
}

static void get_version(struct stlink *p)
{
    uint8_t *r = reply(p, 6);
    uint16_t v;
    if (p->kind == STLINK_V3)
        v = 3u << 12; /* J = S = 0: the host asks GET_VERSION_EX */
    else
        v = (uint16_t)(2u << 12 | (p->jtag_version & 0x3F) << 6 | (p->aux_version & 0x3F));
    r[0] = (uint8_t)(v >> 8); /* big-endian (OpenOCD's stlink_usb.c) */
    r[1] = (uint8_t)v;
    put16le(r + 2, STLINK_VID);
    put16le(r + 4, stlink_pid(p));
}

static void get_version_ex(struct stlink *p)
{
    if (p->kind != STLINK_V3) {
        p->reply_len = 0; /* model: a V2 does not answer a command it does not know */
        return;
    }
    uint8_t *r = reply(p, 12);
    r[0] = 3;               /* hardware */
    r[1] = 1;               /* SWIM */
    r[2] = (uint8_t)p->jtag_version; /* JTAG/SWD */
    r[3] = (uint8_t)p->aux_version;  /* MSC/VCP */
    r[4] = 3;               /* bridge */
    put16le(r + 8, STLINK_VID);
    put16le(r + 10, stlink_pid(p));
}

/* An access through the debug port: the read protection may refuse it,
 * where the CPU's own accesses go through. */
static sim_bus debug_read(struct stlink *p, uint32_t addr, unsigned size, uint32_t *v)
{
    if (sim_target_debug_closed(p->target))
        return SIM_BUS_FAULT;
    if (p->access_system_ap)
        return sim_system_ap_read(p->target, addr, size, v);
    if (sim_target_debug_denied(p->core->target, addr, size))
        return SIM_BUS_FAULT;
    if (sim_target_debug_reads_zero(p->core->target, addr, size)) {
        *v = 0;
        return SIM_BUS_OK;
    }
    return sim_core_bus_read(p->access_core, addr, size, v);
}

static sim_bus debug_write(struct stlink *p, uint32_t addr, unsigned size, uint32_t v)
{
    if (sim_target_debug_closed(p->target))
        return SIM_BUS_FAULT;
    if (p->access_system_ap)
        return sim_system_ap_write(p->target, addr, size, v);
    if (sim_target_debug_denied(p->core->target, addr, size))
        return SIM_BUS_FAULT;
    uint32_t reloads = p->target->obl_reloads;
    sim_bus r = sim_core_bus_write(p->access_core, addr, size, v);
    /* --quirk obl-drop: the reset of an option-byte reload takes the link down */
    if (p->target->obl_reloads != reloads && sim_quirk_on(p->quirks, QUIRK_OBL_DROP))
        p->link_dropped = true;
    return r;
}

/* The address of a block's access at offset o. In JTAG mode the probe
 * leaves the MEM-AP's TAR to auto-increment, which it does only within its
 * block (ADIv5, ARM IHI 0031C §7.2.2: at least 1 KiB; 4 KiB on Cortex-M3
 * and M4, as OpenOCD's cortex_m.c and stlink_usb.c use it): past the
 * boundary the address wraps to the block's start. OpenOCD's stlink_usb.c:
 * "When in jtag mode the stlink uses the auto-increment functionality ...
 * it expects us to pass the data correctly, this includes alignment and any
 * page boundaries"; in SWD mode it makes single accesses. */
static uint32_t access_addr(const struct stlink *p, uint32_t start, uint32_t o)
{
    if (!p->jtag)
        return start + o;
    unsigned partno = (p->target->cpuid >> 4) & 0xFFF;
    uint32_t block = partno == 0xC23 || partno == 0xC24 ? 4096 : 1024;
    return (start & ~(block - 1)) | ((start + o) & (block - 1));
}

/* The core a command reaches: a memory command's AP byte (when this
 * firmware reads it) picks one; every other command is the main core's.
 * False when the AP is not there or INIT_AP did not open it. */
static bool memory_core(struct stlink *p, uint8_t sub, uint8_t ap)
{
    bool memory = sub == DBG_READMEM_32 || sub == DBG_READMEM_16 || sub == DBG_READMEM_8 || sub == DBG_WRITEMEM_32 ||
                  sub == DBG_WRITEMEM_16 || sub == DBG_WRITEMEM_8;
    p->access_core = p->core;
    p->access_system_ap = false;
    if (!memory || ap == 0 || (p->kind != STLINK_V3 && p->jtag_version < 32))
        return true; /* older firmware reads no AP byte: AP 0 */
    bool opened = (p->kind != STLINK_V3 && p->jtag_version < 28) || (ap < 32 && (p->open_aps >> ap & 1));
    p->access_system_ap = opened && sim_dap_is_system_ap(p->target, ap);
    if (p->access_system_ap)
        return true;
    p->access_core = opened ? sim_dap_core_of(p->core, ap) : NULL;
    if (!p->access_core) {
        p->access_core = p->core;
        return false;
    }
    return true;
}

/* RW_MISC_OUT's queue (OpenOCD's stlink_usb.c, stlink_usb_misc_rw_segment):
 * a byte per item (1 ADDRESS, 2 WRITE, 3 READ, 5 APNUM), padded to a word,
 * then a word per item (the address, the data, the address to read, the
 * AP); RW_MISC_IN answers a word per item (what a READ read), then a
 * status word per item (0x80 OK). Model: an item after a failed one is
 * not done, and fails too. */
enum { MISC_ADDRESS = 1, MISC_WRITE = 2, MISC_READ = 3, MISC_APNUM = 5 };
static bool wire_dead(const struct stlink *p);
static void misc_run(struct stlink *p)
{
    uint32_t items = p->misc_items, addr = 0, vals = (items + 3) / 4 * 4;
    uint8_t ap = 0;
    bool failed = false;
    memset(p->misc_reply, 0, sizeof(p->misc_reply));
    for (uint32_t i = 0; i < items; i++) {
        uint32_t v = fw_get_le32(p->write_data + vals + 4 * i), out = 0;
        uint8_t *value = p->misc_reply + 4 * i, *status = p->misc_reply + 4 * items + 4 * i;
        bool ok = !failed && !wire_dead(p);
        switch (p->write_data[i]) {
        case MISC_APNUM:
            ap = (uint8_t)v;
            ok = ok && memory_core(p, DBG_READMEM_32, ap);
            break;
        case MISC_ADDRESS: addr = v; break;
        case MISC_WRITE:
            spend_wire(p, 2);
            ok = ok && memory_core(p, DBG_WRITEMEM_32, ap) && debug_write(p, addr, 4, v) == SIM_BUS_OK;
            break;
        case MISC_READ:
            spend_wire(p, 2);
            ok = ok && memory_core(p, DBG_READMEM_32, ap) && debug_read(p, v, 4, &out) == SIM_BUS_OK;
            break;
        default: ok = false; break;
        }
        failed |= !ok;
        fw_put_le32(value, out);
        fw_put_le32(status, ok ? ST_OK : ST_AP_FAULT);
    }
    p->access_core = p->core;
    p->access_system_ap = false;
}

/* A memory command's accesses; the first fault ends it and is kept for GETLASTRWSTATUS2. */
static void memory_read(struct stlink *p, uint32_t addr, uint32_t len, unsigned unit, size_t reply_len)
{
    uint8_t *r = reply(p, reply_len);
    p->last_status = ST_OK;
    for (uint32_t o = 0; o < len; o += unit) {
        uint32_t v;
        if (debug_read(p, access_addr(p, addr, o), unit, &v) != SIM_BUS_OK) {
            p->last_status = ST_AP_FAULT;
            p->last_fault_addr = access_addr(p, addr, o);
            return;
        }
        for (unsigned i = 0; i < unit; i++)
            r[o + i] = (uint8_t)(v >> (8 * i));
    }
}

/* An access to the flash array while the controller is busy stalls the bus
 * until it is done (RM0008 §3.3.3, RM0090 §3.5.4, RM0351 §3.3.5): the probe's
 * access waits, and so does the rest of its command. */
static void stall_while_flash_busy(struct stlink *p, uint32_t addr, uint32_t len)
{
    const struct sim_memory *flash = p->target->flash;
    if (addr + (uint64_t)len <= flash->base || addr >= (uint64_t)flash->base + flash->size)
        return;
    uint64_t idle = sim_target_flash_idle_at(p->target);
    if (idle > p->target->now_ns)
        spend(p, idle - p->target->now_ns);
}

/* Each access of a write takes its wire time, then lands: programming
 * overlaps the wire, and an access that meets a busy flash waits. */
static void memory_write(struct stlink *p, const uint8_t *data)
{
    unsigned unit = p->pending_write == DBG_WRITEMEM_32 ? 4 : p->pending_write == DBG_WRITEMEM_16 ? 2 : 1;
    p->last_status = ST_OK;
    spend_wire(p, 1); /* the address (TAR) */
    const struct sim_memory *flash = p->target->flash;
    uint32_t end = p->write_len;
    bool wait_midway = sim_quirk_on(p->quirks, QUIRK_WAIT_PARTIAL) && !p->wait_partial_done && p->write_len >= 16 &&
                       p->write_addr >= flash->base && p->write_addr - flash->base < flash->size;
    if (wait_midway) {
        end = p->write_len / 2 / unit * unit; /* the first half lands, then the AP answers WAIT */
        p->wait_partial_done = true;
    }
    uint32_t o = 0;
    for (; o + unit <= end; o += unit) {
        uint32_t v = 0;
        for (unsigned i = 0; i < unit; i++)
            v |= (uint32_t)data[o + i] << (8 * i);
        spend_wire(p, 1);
        uint32_t at = access_addr(p, p->write_addr, o);
        stall_while_flash_busy(p, at, unit);
        if (debug_write(p, at, unit, v) != SIM_BUS_OK) {
            p->last_status = ST_AP_FAULT;
            p->last_fault_addr = at;
            o += unit;
            break;
        }
        if (p->link_dropped) { /* it landed; the link went with it */
            p->last_status = ST_DP_ERROR;
            p->last_fault_addr = p->write_addr + o;
            o += unit;
            break;
        }
    }
    if (wait_midway && p->last_status == ST_OK) {
        p->last_status = ST_AP_WAIT;
        p->last_fault_addr = p->write_addr + o;
    }
    spend_wire(p, (p->write_len - o) / unit); /* model: the probe sends the rest of the block anyway */
    p->pending_write = 0;
}

static uint32_t max_len(const struct stlink *p, uint8_t sub)
{
    if (sub == DBG_READMEM_8 || sub == DBG_WRITEMEM_8)
        return p->kind == STLINK_V3 ? 512 : 64; /* OpenOCD's stlink_usb.c */
    /* model: reads stop at the 6144-byte buffer (OpenOCD's stlink_usb.c); 32- and 16-bit writes
     * stream through it, as st-flash 1.7.0's 8 and 16 KiB loader buffers to
     * F4/L4 parts (which program on real probes) show */
    if (sub == DBG_WRITEMEM_32 || sub == DBG_WRITEMEM_16)
        return 0xFFFF;
    return STLINK_MAX_REPLY;
}

bool stlink_command_range(const uint8_t *c, size_t len, uint32_t *addr, uint32_t *bytes)
{
    if (len != 16 || c[0] != CMD_DEBUG)
        return false;
    *addr = fw_get_le32(c + 2);
    switch (c[1]) {
    case DBG_READMEM_32:
    case DBG_READMEM_16:
    case DBG_READMEM_8:
    case DBG_WRITEMEM_32:
    case DBG_WRITEMEM_16:
    case DBG_WRITEMEM_8: *bytes = (uint32_t)c[6] | (uint32_t)c[7] << 8; return true;
    case DBG_READDEBUGREG:
    case DBG_WRITEDEBUGREG: *bytes = 4; return true;
    default: return false;
    }
}

/* An injected WAIT or fault: the command does nothing and says so. */
static bool injected_failure(struct stlink *p, uint8_t sub, uint32_t len, uint8_t st)
{
    switch (sub) {
    case DBG_READMEM_32:
    case DBG_READMEM_16:
    case DBG_READMEM_8:
        reply(p, sub == DBG_READMEM_8 && len == 1 ? 2 : len);
        break;
    case DBG_WRITEMEM_32:
    case DBG_WRITEMEM_16:
    case DBG_WRITEMEM_8:
        p->reply_len = 0;
        p->pending_write = sub;
        p->write_len = len;
        p->write_got = 0;
        p->write_dropped = true; /* the data phase still comes, and is lost */
        break;
    case DBG_READDEBUGREG:
    case DBG_READREG: status_reply(p, 8, st); break;
    case DBG_WRITEDEBUGREG:
    case DBG_WRITEREG: status_reply(p, 2, st); break;
    default: return false;
    }
    p->inject_status = 0;
    p->last_status = st;
    p->last_fault_addr = 0;
    return true;
}

/* Whether anything answers on the wire: not without power or a target, nor
 * while the firmware keeps the debug port off (--quirk swd-lost), nor at
 * read protection level 2, which disables the debug port for good
 * (RM0090 §3.7.3, RM0351 §3.5.1: "JTAG, SWV (single-wire viewer), ETM,
 * boundary scan disabled"; users of every probe meet it as "unable to
 * connect"). */
static bool wire_dead(const struct stlink *p)
{
    return p->unpowered || p->no_target || !sim_target_debug_port_on(p->target) || p->target->ob.rdp_level == 2;
}

static void debug_command(struct stlink *p, const uint8_t *c)
{
    uint8_t sub = c[1];
    uint32_t addr = fw_get_le32(c + 2), len = (uint32_t)c[6] | (uint32_t)c[7] << 8;
    p->stats.commands[sub < 0xF0 ? sub : 0xEF]++;
    if (sub == DBG_ENTER)
        p->link_dropped = false; /* entering debug mode sets the link up again */
    if (lacks(p, CMD_DEBUG, sub)) {
        /* model: as a command it does not know; a write's data phase still comes, and is lost */
        p->stats.unsupported++;
        if (sub == DBG_WRITEMEM_16 && len) {
            p->reply_len = 0;
            p->pending_write = sub;
            p->write_len = len;
            p->write_got = 0;
            p->write_dropped = true;
            p->last_status = ST_UNKNOWN_CMD;
        } else {
            status_reply(p, 2, ST_UNKNOWN_CMD);
        }
        return;
    }
    uint8_t fails = p->inject_status;
    if (!fails && wire_dead(p))
        fails = ST_AP_FAULT; /* nothing on the wire answers a memory or register access */
    else if (!fails && p->link_dropped)
        fails = ST_DP_ERROR; /* --quirk obl-drop: every access until debug mode is entered again */
    if (fails && injected_failure(p, sub, len, fails))
        return;
    if (!memory_core(p, sub, c[8])) {
        /* model: no such AP, or one INIT_AP did not open: the access fails, a write's data phase is lost */
        p->last_status = ST_AP_FAULT;
        p->last_fault_addr = addr;
        if (sub == DBG_WRITEMEM_32 || sub == DBG_WRITEMEM_16 || sub == DBG_WRITEMEM_8) {
            p->reply_len = 0;
            p->pending_write = len ? sub : 0;
            p->write_len = len;
            p->write_got = 0;
            p->write_dropped = true;
        } else if (len <= max_len(p, sub)) {
            reply(p, sub == DBG_READMEM_8 && len == 1 ? 2 : len); /* zeros */
        } else {
            p->reply_len = 0; /* an impossible request reads nothing, as below */
        }
        return;
    }
    /* an H5 in product state Closed or Locked: the DP answers, no AP does */
    bool closed = sim_target_debug_closed(p->target);
    switch (sub) {
    case DBG_ENTER:
        p->mode = MODE_DEBUG;
        p->jtag = c[2] != 0xA3;
        status_reply(p, 2, ST_OK);
        break;
    case DBG_EXIT: p->mode = MODE_MASS; break; /* no reply (OpenOCD's stlink_usb.c) */
    case DBG_READ_IDCODES:
        /* model: with nothing on the wire the DP read fails and the id reads 0 */
        status_reply(p, 12, wire_dead(p) ? ST_FAULT : ST_OK);
        fw_put_le32(p->reply + 4, wire_dead(p) ? 0 : dp_idcode(p));
        break;
    case DBG_READMEM_32:
    case DBG_READMEM_16:
    case DBG_READMEM_8: {
        unsigned unit = sub == DBG_READMEM_32 ? 4 : sub == DBG_READMEM_16 ? 2 : 1;
        if (len > max_len(p, sub) || len % unit || addr % unit) {
            p->reply_len = 0; /* model: an impossible request reads nothing */
            p->last_status = 0x0A; /* alignment error (OpenOCD's stlink_usb.c) */
            break;
        }
        stall_while_flash_busy(p, addr, len);
        spend_wire(p, 1 + len / unit);
        memory_read(p, addr, len, unit, sub == DBG_READMEM_8 && len == 1 ? 2 : len);
        break;
    }
    case DBG_WRITEMEM_32:
    case DBG_WRITEMEM_16:
    case DBG_WRITEMEM_8:
        p->reply_len = 0;
        if (len > max_len(p, sub)) {
            p->last_status = 0x0A;
            break;
        }
        if (!len)
            break; /* model: nothing to write, no data phase */
        p->pending_write = sub;
        p->write_addr = addr;
        p->write_len = len;
        p->write_got = 0;
        break;
    case DBG_WRITEDEBUGREG: {
        spend_wire(p, 2);
        sim_bus r = debug_write(p, addr, 4, fw_get_le32(c + 6));
        status_reply(p, 2, r != SIM_BUS_OK ? ST_AP_FAULT : p->link_dropped ? ST_DP_ERROR : ST_OK);
        break;
    }
    case DBG_READDEBUGREG: {
        uint32_t v = 0;
        spend_wire(p, 2);
        status_reply(p, 8, debug_read(p, addr, 4, &v) == SIM_BUS_OK ? ST_OK : ST_AP_FAULT);
        fw_put_le32(p->reply + 4, v);
        break;
    }
    case DBG_READREG: {
        uint32_t v = 0;
        spend_wire(p, 4);
        status_reply(p, 8, closed ? ST_AP_FAULT : sim_core_read_reg(p->core, c[2], &v) ? ST_OK : ST_FAULT);
        fw_put_le32(p->reply + 4, v);
        break;
    }
    case DBG_WRITEREG:
        spend_wire(p, 4);
        status_reply(p, 2,
                     closed                                                  ? ST_AP_FAULT
                     : sim_core_write_reg(p->core, c[2], fw_get_le32(c + 3)) ? ST_OK
                                                                             : ST_FAULT);
        break;
    case DBG_READALLREGS: {
        /* status word, R0-R15, xPSR, MSP, PSP, the special registers packed, one unknown word */
        static const uint8_t order[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20};
        spend_wire(p, 4 * sizeof(order));
        bool ok = true;
        status_reply(p, 88, ST_OK);
        for (size_t i = 0; i < sizeof(order); i++) {
            uint32_t v = 0;
            ok = !closed && sim_core_read_reg(p->core, order[i], &v) && ok;
            fw_put_le32(p->reply + 4 + 4 * i, v);
        }
        p->reply[0] = ok ? ST_OK : ST_FAULT;
        break;
    }
    case DBG_READ_DAP_REG: {
        /* port (0xFFFF: the DP) and register, 16 bits each; the reply as
         * READDEBUGREG's: status, then the value at +4 (pyOCD's stlink.py) */
        uint32_t v = 0;
        spend_wire(p, 2);
        uint16_t port = (uint16_t)(c[2] | c[3] << 8);
        bool ok = !wire_dead(p) && (port == 0xFFFF || !closed) &&
                  sim_dap_read(&p->dap, p->core, port, (uint16_t)(c[4] | c[5] << 8), &v);
        status_reply(p, 8, ok ? ST_OK : ST_AP_FAULT);
        fw_put_le32(p->reply + 4, v);
        break;
    }
    case DBG_WRITE_DAP_REG: {
        spend_wire(p, 2);
        uint16_t port = (uint16_t)(c[2] | c[3] << 8);
        bool ok = !wire_dead(p) && (port == 0xFFFF || !closed) &&
                  sim_dap_write(&p->dap, p->core, port, (uint16_t)(c[4] | c[5] << 8), fw_get_le32(c + 6));
        status_reply(p, 2, ok ? ST_OK : ST_AP_FAULT);
        break;
    }
    case DBG_GETSTATUS: status_reply(p, 2, p->core->state == CORE_RUNNING ? ST_OK : ST_FAULT); break;
    case DBG_FORCEDEBUG:
    case DBG_RUNCORE:
    case DBG_STEPCORE: {
        uint32_t ctrl = sub == DBG_FORCEDEBUG ? 3 : sub == DBG_STEPCORE ? 5 : 1; /* C_DEBUGEN | C_HALT / C_STEP */
        spend_wire(p, 2);
        if (!closed)
            sim_core_bus_write(p->core, FW_CORE_DHCSR, 4, FW_DHCSR_KEY | ctrl);
        status_reply(p, 2, closed ? ST_AP_FAULT : ST_OK);
        break;
    }
    case DBG_READCOREID:
        reply(p, 4);
        fw_put_le32(p->reply, dp_idcode(p));
        break;
    case DBG_GETLASTRWSTATUS: status_reply(p, 2, (uint8_t)p->last_status); break;
    case DBG_GETLASTRWSTATUS2:
        reply(p, 12);
        put16le(p->reply, p->last_status);
        fw_put_le32(p->reply + 4, p->last_status == ST_OK ? 0 : p->last_fault_addr);
        break;
    case DBG_RESETSYS:
        sim_core_system_reset(p->core);
        status_reply(p, 2, ST_OK);
        break;
    case DBG_DRIVE_NRST:
        /* an unwired NRST: the probe drives its pin and says OK, the chip sees nothing */
        if (!sim_quirk_on(p->quirks, QUIRK_NRST_UNWIRED)) {
            if (c[2] != 1) /* asserted or pulsed */
                sim_core_system_reset(p->core);
            p->core->held_in_reset = c[2] == 0;
        }
        status_reply(p, 2, ST_OK);
        break;
    case DBG_SWD_SET_FREQ:
    case DBG_JTAG_SET_FREQ:
        if (p->kind == STLINK_V3) {
            status_reply(p, 2, ST_UNKNOWN_CMD);
            break;
        }
        if (sub == DBG_SWD_SET_FREQ)
            p->swd_divisor = (uint16_t)(c[2] | c[3] << 8);
        else
            p->jtag_divisor = (uint16_t)(c[2] | c[3] << 8);
        status_reply(p, 2, ST_OK);
        break;
    case DBG_GET_COM_FREQ:
    case DBG_SET_COM_FREQ: {
        if (p->kind != STLINK_V3) {
            status_reply(p, 2, ST_UNKNOWN_CMD);
            break;
        }
        /* byte 2: 0 SWD, 1 JTAG (OpenOCD's stlink_usb.c); the two lists are as long */
        bool jtag = c[2] == 1;
        const uint32_t *list = jtag ? v3_jtag_khz : v3_swd_khz;
        uint32_t *clock = jtag ? &p->com_khz_jtag : &p->com_khz;
        size_t n = sizeof(v3_swd_khz) / sizeof(v3_swd_khz[0]);
        if (sub == DBG_SET_COM_FREQ) {
            uint32_t want = fw_get_le32(c + 4), pick = list[n - 1];
            for (size_t i = 0; i < n; i++) /* the fastest not above what was asked */
                if (list[i] <= want) {
                    pick = list[i];
                    break;
                }
            *clock = pick;
            status_reply(p, 8, ST_OK);
            fw_put_le32(p->reply + 4, pick);
            break;
        }
        status_reply(p, 52, ST_OK);
        fw_put_le32(p->reply + 4, *clock);
        fw_put_le32(p->reply + 8, (uint32_t)n);
        for (size_t i = 0; i < n; i++)
            fw_put_le32(p->reply + 12 + 4 * i, list[i]);
        break;
    }
    case DBG_RW_MISC_OUT: {
        uint32_t items = fw_get_le32(c + 2);
        p->reply_len = 0;
        p->misc_items = items <= (p->kind == STLINK_V3 ? STLINK_MISC_ITEMS : 64u) ? items : 0;
        if (!p->misc_items)
            break; /* model: a queue longer than the probe's, or empty: nothing done */
        p->pending_write = sub;
        p->write_len = (items + 3) / 4 * 4 + 4 * items;
        p->write_got = 0;
        break;
    }
    case DBG_RW_MISC_IN: memcpy(reply(p, 8 * (size_t)p->misc_items), p->misc_reply, 8 * (size_t)p->misc_items); break;
    case DBG_INIT_AP:
    case DBG_CLOSE_AP: {
        /* the AP number in byte 2 (OpenOCD's stlink_usb.c); model: an AP
         * that is not there is not opened, and the answer is OK either way */
        uint8_t ap = c[2];
        if (ap < 32 && (sim_dap_core_of(p->core, ap) || sim_dap_is_system_ap(p->target, ap)))
            p->open_aps = sub == DBG_INIT_AP ? p->open_aps | 1u << ap : p->open_aps & ~(1u << ap);
        status_reply(p, 2, ST_OK);
        break;
    }
    case DBG_START_TRACE:
    case DBG_STOP_TRACE: status_reply(p, 2, ST_OK); break;
    case DBG_GET_TRACE_NB: reply(p, 2); break; /* no trace bytes */
    default: status_reply(p, 2, ST_UNKNOWN_CMD); break; /* model: unknown or not yet modelled (the core) */
    }
}

void stlink_out(struct stlink *p, const uint8_t *buf, size_t len)
{
    p->stats.transfers++;
    p->stats.bytes_out += len;
    spend(p, stlink_usb_ns(p, len));
    if (p->pending_write) {
        size_t take = len < p->write_len - p->write_got ? len : p->write_len - p->write_got;
        memcpy(p->write_data + p->write_got, buf, take);
        p->write_got += (uint32_t)take;
        if (p->write_got < p->write_len)
            return; /* more of the data phase to come */
        unsigned unit = p->pending_write == DBG_WRITEMEM_32 ? 4 : p->pending_write == DBG_WRITEMEM_16 ? 2 : 1;
        uint32_t accesses = 1 + p->write_len / unit;
        if (p->write_dropped) {
            p->write_dropped = false;
            p->pending_write = 0;
            spend_wire(p, accesses);
        } else if (p->pending_write == DBG_RW_MISC_OUT) {
            p->pending_write = 0;
            misc_run(p);
        } else {
            memory_write(p, p->write_data);
        }
        return;
    }
    if (len != 16) {
        p->reply_len = 0; /* only exact 16-byte command blocks are taken (every peer sends 16) */
        return;
    }
    p->stats.commands[0xF0 | (buf[0] & 0x0F)]++;
    switch (buf[0]) {
    case CMD_GET_VERSION: get_version(p); break;
    case CMD_GET_VERSION_EX: get_version_ex(p); break;
    case CMD_GET_CURRENT_MODE:
        reply(p, 2)[0] = p->mode;
        break;
    case CMD_DFU:
        if (buf[1] == 0x07) /* DFU_EXIT: no reply */
            p->mode = MODE_MASS;
        p->reply_len = 0;
        break;
    case CMD_GET_TARGET_VOLTAGE:
        if (lacks(p, CMD_GET_TARGET_VOLTAGE, 0)) {
            p->stats.unsupported++;
            p->reply_len = 0; /* model: a V2 does not answer a command it does not know */
            break;
        }
        reply(p, 8);
        /* 2400 * a1 / a0 = 3300 mV, 0 V unpowered, 10 mV on a pin nobody wired */
        fw_put_le32(p->reply, 1200);
        fw_put_le32(p->reply + 4, p->unpowered ? 0 : sim_quirk_on(p->quirks, QUIRK_VDD_UNSENSED) ? 5 : 1650);
        break;
    case CMD_DEBUG: debug_command(p, buf); break;
    default: p->reply_len = 0; break;
    }
}

void stlink_set_quirks(struct stlink *p, sim_quirks quirks)
{
    p->quirks = quirks;
    if (sim_quirk_on(quirks, QUIRK_STALE_REPLY)) {
        /* the status of a DEBUG command whose reply the last session never read */
        p->stale[0] = ST_OK;
        p->stale[1] = 0;
        p->stale_len = 2;
    }
}

void stlink_usb_reset(struct stlink *p)
{
    p->stale_len = 0;
    p->reply_len = 0;
    p->pending_write = 0;
    p->write_got = 0;
}

bool stlink_has_reply(const struct stlink *p)
{
    return p->reply_len || p->stale_len;
}

size_t stlink_in(struct stlink *p, uint8_t *buf, size_t max)
{
    size_t n;
    if (p->stale_len) {
        /* it sits in the endpoint ahead of any new reply: one short packet */
        n = p->stale_len < max ? p->stale_len : max;
        memcpy(buf, p->stale, n);
        p->stale_len = 0;
    } else {
        n = p->reply_len < max ? p->reply_len : max;
        memcpy(buf, p->reply, n);
        memmove(p->reply, p->reply + n, p->reply_len - n);
        p->reply_len -= n;
    }
    spend(p, stlink_usb_ns(p, n));
    p->stats.transfers++;
    p->stats.bytes_in += n;
    return n;
}
