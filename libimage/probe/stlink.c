/* SPDX-License-Identifier: MIT */
/* The ST-Link command protocol over a transport (command blocks, versions,
 * modes, memory commands and their status, debug registers, clocks, connect
 * and reset), as the peers use it: OpenOCD src/jtag/drivers/stlink_usb.c,
 * stlink-org/stlink src/stlink-lib/usb.c and commands.h, pyOCD
 * pyocd/probe/stlink/stlink.py. Debug registers: ARMv7-M ARM C1.6. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fwkit/bytes.h"
#include "fwkit/core.h"
#include "fwkit/probe.h"
#include "transport.h"

enum {
    CMD_GET_VERSION = 0xF1, CMD_DEBUG = 0xF2, CMD_DFU = 0xF3, CMD_GET_CURRENT_MODE = 0xF5,
    CMD_GET_TARGET_VOLTAGE = 0xF7, CMD_GET_VERSION_EX = 0xFB,
};
enum {
    DBG_READMEM_32 = 0x07,
    DBG_WRITEMEM_32 = 0x08,
    DBG_READMEM_8 = 0x0C,
    DBG_WRITEMEM_8 = 0x0D,
    DBG_EXIT = 0x21,
    DBG_ENTER = 0x30,
    DBG_READ_IDCODES = 0x31,
    DBG_READREG = 0x33,
    DBG_WRITEREG = 0x34,
    DBG_WRITEDEBUGREG = 0x35,
    DBG_READDEBUGREG = 0x36,
    DBG_GETLASTRWSTATUS = 0x3B,
    DBG_DRIVE_NRST = 0x3C,
    DBG_GETLASTRWSTATUS2 = 0x3E,
    DBG_SWD_SET_FREQ = 0x43,
    DBG_JTAG_SET_FREQ = 0x44,
    DBG_READMEM_16 = 0x47,
    DBG_WRITEMEM_16 = 0x48,
    DBG_READ_DAP_REG = 0x45,
    DBG_INIT_AP = 0x4B,
    DBG_SET_COM_FREQ = 0x61,
    DBG_GET_COM_FREQ = 0x62,
};
enum { ST_OK = 0x80, ST_AP_WAIT = 0x10, ST_DP_WAIT = 0x14, ST_AP_FAULT = 0x11 };
enum { MODE_DFU = 0, MODE_MASS = 1, MODE_DEBUG = 2 };

#define DHCSR FW_CORE_DHCSR
#define DEMCR FW_CORE_DEMCR
#define AIRCR FW_CORE_AIRCR
#define DBGKEY FW_DHCSR_KEY
#define MAX_BLOCK 6144u /* the probe's buffer (OpenOCD's stlink_usb.c) */
#define WAIT_RETRIES 8  /* as OpenOCD: 1 to 128 ms (OpenOCD's stlink_usb.c) */

struct fw_probe {
    struct fw_transport *t;
    fw_probe_info info;
    unsigned hw, jtag_version, mv, khz;
    uint32_t dp_idcode;
    bool jtag, has_rwstatus2, has_16bit, has_voltage;
    uint32_t tar_block; /* JTAG: the MEM-AP's auto-increment block, which no memory command may cross */
    bool loaders_failed; /* code run from the chip's SRAM failed once: not again this session */
    uint32_t core_khz;   /* the clock fw_flash_prepare set, until the next reset (0: not known) */
    unsigned ap;         /* the access port word and register accesses go through (fw_probe_select_ap) */
    uint32_t open_aps;   /* the APs INIT_AP opened */
};

bool fw_probe_loaders_failed(const fw_probe *p) { return p->loaders_failed; }
void fw_probe_set_loaders_failed(fw_probe *p) { p->loaders_failed = true; }
uint32_t fw_probe_core_khz(const fw_probe *p)
{
    return p->core_khz;
}
void fw_probe_set_core_khz(fw_probe *p, uint32_t khz)
{
    p->core_khz = khz;
}

const fw_probe_info *fw_probe_info_of(const fw_probe *p) { return &p->info; }
unsigned fw_probe_voltage_mv(const fw_probe *p) { return p->mv; }
unsigned fw_probe_khz(const fw_probe *p) { return p->khz; }
uint32_t fw_probe_dp_idcode(const fw_probe *p) { return p->dp_idcode; }
bool fw_probe_has_16bit(const fw_probe *p) { return p->has_16bit; }
bool fw_probe_has_voltage(const fw_probe *p) { return p->has_voltage; }
bool fw_probe_has_rwstatus2(const fw_probe *p) { return p->has_rwstatus2; }

int fw_probe_list(fw_probe_info *out, size_t max, size_t *n, fw_diag *d)
{
    return fw_usb_list(out, max, n, d);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A 16-byte command block, then a reply of exactly reply_len bytes (none when 0). */
static int command(fw_probe *p, const uint8_t *cdb, size_t n, void *reply, size_t reply_len, fw_diag *d)
{
    uint8_t block[16] = {0};
    memcpy(block, cdb, n);
    int rc = p->t->ops->send(p->t, block, sizeof(block), d);
    if (rc || !reply_len)
        return rc;
    /* a reply shorter than asked (or written where memcheck cannot see, as
     * through umockdev) leaves no stale bytes behind */
    memset(reply, 0, reply_len);
    size_t got = 0;
    rc = p->t->ops->recv(p->t, reply, reply_len, &got, d);
    if (rc)
        return rc;
    if (got != reply_len) {
        fw_diag_add(d, FW_ERROR, "PROBE-USB", NULL, "the probe answered command 0x%02X 0x%02X with %zu bytes, not %zu",
                    block[0], block[1], got, reply_len);
        return FW_EIO;
    }
    return FW_OK;
}

static const char *status_text(unsigned st)
{
    switch (st) {
    case ST_AP_WAIT: return "the target kept answering WAIT (AP)";
    case ST_DP_WAIT: return "the target kept answering WAIT (DP): asleep in WFI/STOP? try --connect under-reset";
    case ST_AP_FAULT: return "AP fault: nothing answers at that address, or the bus refused the access";
    case 0x05: return "no target answers on the wire: check SWDIO/SWCLK/GND and the target's power";
    case 0x81: return "SWD fault";
    case 0x0C: return "write error";
    default: return "error";
    }
}

/* The status of the last memory command (GETLASTRWSTATUS2 where the firmware has it). */
static int last_status(fw_probe *p, unsigned *st, uint32_t *fault_addr, fw_diag *d)
{
    uint8_t r[12] = {0};
    uint8_t cdb[2] = {CMD_DEBUG, p->has_rwstatus2 ? DBG_GETLASTRWSTATUS2 : DBG_GETLASTRWSTATUS};
    int rc = command(p, cdb, sizeof(cdb), r, p->has_rwstatus2 ? 12 : 2, d);
    *st = r[0] | (p->has_rwstatus2 ? r[1] << 8 : 0);
    *fault_addr = p->has_rwstatus2 ? fw_get_le32(r + 4) : 0;
    return rc;
}

static int memory_failed(fw_diag *d, const char *what, uint32_t addr, size_t len, unsigned st, uint32_t fault)
{
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-MEMORY", NULL, "%s of %zu bytes at 0x%08x failed: %s (status 0x%02X)%s",
                                   what, len, addr, status_text(st), st, "");
    if (e && fault)
        fw_diagnostic_set_range(e, fault, fault + 1);
    return FW_EDEVICE;
}

/* Without GETLASTRWSTATUS2 (before V2J15) a WAIT does not say where a write
 * block stopped: the units that hold what was sent landed (a unit that was
 * not sent but already held it is no loss). Read back; 0 when that fails. */
static size_t landed_prefix(fw_probe *p, uint32_t addr, const void *buf, size_t len, unsigned unit)
{
    uint8_t *back = malloc(len);
    fw_diag *quiet = fw_diag_new();
    size_t n = 0;
    if (back && quiet && fw_probe_read(p, addr, back, len, quiet) == FW_OK)
        while (n + unit <= len && !memcmp(back + n, (const uint8_t *)buf + n, unit))
            n += unit;
    fw_diag_free(quiet);
    free(back);
    return n;
}

/* One memory command with its status, WAIT retried with back-off. A write
 * that met WAIT part way resumes at the first access that did not land
 * (GETLASTRWSTATUS2's address, or what reads back without it): flash
 * must never be programmed twice. */
static int memory_command(fw_probe *p, uint8_t sub, uint32_t addr, void *buf, size_t len, fw_diag *d)
{
    bool write = sub == DBG_WRITEMEM_32 || sub == DBG_WRITEMEM_16 || sub == DBG_WRITEMEM_8;
    unsigned unit = sub == DBG_WRITEMEM_32 ? 4 : sub == DBG_WRITEMEM_16 ? 2 : 1;
    for (unsigned attempt = 0;; attempt++) {
        /* byte 8: the access port (OpenOCD's stlink_usb.c, from V2J32 and on V3) */
        uint8_t cdb[9] = {CMD_DEBUG, sub, [8] = (uint8_t)p->ap};
        fw_put_le32(cdb + 2, addr);
        cdb[6] = (uint8_t)len;
        cdb[7] = (uint8_t)(len >> 8);
        int rc;
        if (write) {
            rc = command(p, cdb, sizeof(cdb), NULL, 0, d);
            if (!rc)
                rc = p->t->ops->send(p->t, buf, len, d);
        } else {
            uint8_t tmp[2];
            /* an 8-bit read of one byte answers two (OpenOCD's stlink_usb.c) */
            rc = command(p, cdb, sizeof(cdb), sub == DBG_READMEM_8 && len == 1 ? tmp : buf,
                         sub == DBG_READMEM_8 && len == 1 ? 2 : len, d);
            if (!rc && sub == DBG_READMEM_8 && len == 1)
                *(uint8_t *)buf = tmp[0];
        }
        if (rc)
            return rc;
        unsigned st;
        uint32_t fault;
        if ((rc = last_status(p, &st, &fault, d)))
            return rc;
        if (st == ST_OK)
            return FW_OK;
        if ((st == ST_AP_WAIT || st == ST_DP_WAIT) && attempt < WAIT_RETRIES) {
            size_t landed = 0;
            if (write && p->has_rwstatus2 && fault > addr && fault < addr + len && (fault - addr) % unit == 0)
                landed = fault - addr;
            else if (write && !p->has_rwstatus2 && len > unit)
                landed = landed_prefix(p, addr, buf, len, unit);
            if (landed == len)
                return FW_OK; /* all of it reads back: it landed before the WAIT */
            buf = (uint8_t *)buf + landed;
            len -= landed;
            addr += (uint32_t)landed;
            sleep_ms(1u << attempt);
            continue;
        }
        return memory_failed(d, write ? "writing" : "reading", addr, len, st, fault);
    }
}

/* The bytes of a block a memory command may take from addr: in JTAG mode
 * the ST-Link lets the MEM-AP's TAR auto-increment, which it does only
 * within its block, and leaves splitting there to the host (OpenOCD's
 * stlink_usb.c: "it expects us to pass the data correctly, this includes
 * alignment and any page boundaries"); in SWD mode it makes single accesses. */
static size_t block_room(const fw_probe *p, uint32_t addr, size_t n)
{
    if (!p->jtag || !p->tar_block)
        return n;
    size_t room = p->tar_block - (addr & (p->tar_block - 1));
    return n < room ? n : room;
}

int fw_probe_read(fw_probe *p, uint32_t addr, void *buf, size_t len, fw_diag *d)
{
    uint8_t *out = buf;
    while (len) {
        /* aligned words by the 32-bit command, an odd head or tail by bytes */
        if (addr % 4 || len < 4) {
            size_t n = addr % 4 ? 4 - addr % 4 : len;
            n = n > len ? len : n;
            int rc = memory_command(p, DBG_READMEM_8, addr, out, n, d);
            if (rc)
                return rc;
            addr += (uint32_t)n, out += n, len -= n;
            continue;
        }
        size_t n = len / 4 * 4;
        n = block_room(p, addr, n > MAX_BLOCK ? MAX_BLOCK : n);
        int rc = memory_command(p, DBG_READMEM_32, addr, out, n, d);
        if (rc)
            return rc;
        addr += (uint32_t)n, out += n, len -= n;
    }
    return FW_OK;
}

static int write_units(fw_probe *p, uint8_t sub, unsigned unit, uint32_t addr, const void *buf, size_t len, fw_diag *d)
{
    if (addr % unit || len % unit) {
        fw_diag_add(d, FW_ERROR, "PROBE-ALIGN", NULL, "a %u-bit write at 0x%08x of %zu bytes is not aligned", 8 * unit,
                    addr, len);
        return FW_EINVAL;
    }
    const uint8_t *in = buf;
    while (len) {
        size_t n = block_room(p, addr, len > MAX_BLOCK ? MAX_BLOCK : len);
        int rc = memory_command(p, sub, addr, (void *)in, n, d);
        if (rc)
            return rc;
        addr += (uint32_t)n, in += n, len -= n;
    }
    return FW_OK;
}

int fw_probe_write32(fw_probe *p, uint32_t addr, const void *buf, size_t len, fw_diag *d)
{
    return write_units(p, DBG_WRITEMEM_32, 4, addr, buf, len, d);
}

int fw_probe_write16(fw_probe *p, uint32_t addr, const void *buf, size_t len, fw_diag *d)
{
    if (!p->has_16bit) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-FIRMWARE", NULL,
                                       "the probe's firmware (%s) has no 16-bit memory access, which this chip's flash needs",
                                       p->info.version);
        fw_diagnostic_set_hint(e, "update the ST-Link firmware to V2J26 or later with STM32CubeProgrammer (Firmware "
                                  "upgrade) or ST's ST-LINK upgrade tool (STSW-LINK007)");
        return FW_EDEVICE;
    }
    return write_units(p, DBG_WRITEMEM_16, 2, addr, buf, len, d);
}

static int status_command(fw_probe *p, const uint8_t *cdb, size_t n, uint8_t *r, size_t rlen, const char *what,
                          fw_diag *d)
{
    for (unsigned attempt = 0;; attempt++) {
        int rc = command(p, cdb, n, r, rlen, d);
        if (rc)
            return rc;
        if (r[0] == ST_OK)
            return FW_OK;
        if ((r[0] == ST_AP_WAIT || r[0] == ST_DP_WAIT) && attempt < WAIT_RETRIES) {
            sleep_ms(1u << attempt);
            continue;
        }
        fw_diag_add(d, FW_ERROR, "PROBE-DEBUG", NULL, "%s failed: %s (status 0x%02X)", what, status_text(r[0]), r[0]);
        return FW_EDEVICE;
    }
}

/* From V2J28 and on V3 an AP is opened before use (OpenOCD's
 * stlink_usb.c: "API required to init AP before any AP access"); once. */
static int open_ap(fw_probe *p, unsigned ap, fw_diag *d)
{
    if (!ap || ap >= 32 || (p->open_aps >> ap & 1) || (p->hw < 3 && p->jtag_version < 28))
        return FW_OK;
    uint8_t cdb[3] = {CMD_DEBUG, DBG_INIT_AP, (uint8_t)ap}, r[2];
    char what[48];
    snprintf(what, sizeof(what), "opening access port %u", ap);
    int rc = status_command(p, cdb, sizeof(cdb), r, sizeof(r), what, d);
    if (!rc)
        p->open_aps |= 1u << ap;
    return rc;
}

int fw_probe_select_ap(fw_probe *p, unsigned ap, fw_diag *d)
{
    if (ap == p->ap)
        return FW_OK;
    if (ap > 255 || (ap && p->hw < 3 && p->jtag_version < 32)) {
        fw_diag_add(d, FW_ERROR, "PROBE-FIRMWARE", NULL,
                    "reaching access port %u (a second core) needs ST-LINK/V2 firmware V2J32 or later, and this "
                    "probe runs %s; update it with STM32CubeProgrammer (Firmware upgrade) or ST's ST-LINK upgrade "
                    "tool (STSW-LINK007)",
                    ap, p->info.version);
        return FW_EDEVICE;
    }
    int rc = open_ap(p, ap, d);
    if (!rc)
        p->ap = ap;
    return rc;
}

int fw_probe_read_ap_idr(fw_probe *p, unsigned ap, uint32_t *idr, fw_diag *d)
{
    *idr = 0;
    if (ap > 255 || (p->hw < 3 && p->jtag_version < 24)) {
        fw_diag_add(d, FW_ERROR, "PROBE-FIRMWARE", NULL,
                    "reading an access port's IDR needs ST-LINK/V2 firmware V2J24 or later (READ_DAP_REG), and this "
                    "probe runs %s",
                    p->info.version);
        return FW_EDEVICE;
    }
    /* READ_DAP_REG: the port, then the register, 16 bits each (pyOCD's stlink.py) */
    uint8_t cdb[6] = {CMD_DEBUG, DBG_READ_DAP_REG, (uint8_t)ap, 0, 0xFC, 0}, r[8];
    int rc = open_ap(p, ap, d);
    if (!rc)
        rc = status_command(p, cdb, sizeof(cdb), r, sizeof(r), "reading an access port's IDR", d);
    *idr = rc ? 0 : fw_get_le32(r + 4);
    return rc;
}

int fw_probe_read_word(fw_probe *p, uint32_t addr, uint32_t *value, fw_diag *d)
{
    if (p->ap) { /* READDEBUGREG is AP 0's: a memory command names the port */
        uint8_t b[4] = {0};
        int rc = memory_command(p, DBG_READMEM_32, addr, b, 4, d);
        *value = rc ? 0 : fw_get_le32(b);
        return rc;
    }
    uint8_t cdb[6] = {CMD_DEBUG, DBG_READDEBUGREG}, r[8];
    fw_put_le32(cdb + 2, addr);
    char what[48];
    snprintf(what, sizeof(what), "reading the word at 0x%08x", addr);
    int rc = status_command(p, cdb, sizeof(cdb), r, sizeof(r), what, d);
    *value = rc ? 0 : fw_get_le32(r + 4);
    return rc;
}

int fw_probe_write_word(fw_probe *p, uint32_t addr, uint32_t value, fw_diag *d)
{
    if (p->ap) {
        uint8_t b[4];
        fw_put_le32(b, value);
        return memory_command(p, DBG_WRITEMEM_32, addr, b, 4, d);
    }
    uint8_t cdb[10] = {CMD_DEBUG, DBG_WRITEDEBUGREG}, r[2];
    fw_put_le32(cdb + 2, addr);
    fw_put_le32(cdb + 6, value);
    char what[48];
    snprintf(what, sizeof(what), "writing the word at 0x%08x", addr);
    return status_command(p, cdb, sizeof(cdb), r, sizeof(r), what, d);
}

/* A core register through DCRSR and DCRDR (ARMv7-M C1.6.3, C1.6.4): the
 * probe's register commands reach AP 0's core only. */
static int reg_by_dcrsr(fw_probe *p, unsigned reg, bool write, uint32_t *value, fw_diag *d)
{
    int rc = write ? fw_probe_write_word(p, FW_CORE_DCRDR, *value, d) : FW_OK;
    if (!rc)
        rc = fw_probe_write_word(p, FW_CORE_DCRSR, (reg & 0x7Fu) | (write ? 1u << 16 : 0), d);
    for (unsigned i = 0; !rc; i++) {
        uint32_t dhcsr;
        if ((rc = fw_probe_read_word(p, DHCSR, &dhcsr, d)))
            break;
        if (dhcsr & (1u << 16)) /* S_REGRDY */
            return write ? FW_OK : fw_probe_read_word(p, FW_CORE_DCRDR, value, d);
        if (i == 10) {
            fw_diag_add(d, FW_ERROR, "PROBE-DEBUG", NULL,
                        "the core on access port %u did not finish a register transfer (S_REGRDY stayed 0): is it "
                        "halted?",
                        p->ap);
            return FW_EDEVICE;
        }
    }
    return rc;
}

int fw_probe_read_reg(fw_probe *p, unsigned reg, uint32_t *value, fw_diag *d)
{
    if (p->ap)
        return reg_by_dcrsr(p, reg, false, value, d);
    uint8_t cdb[3] = {CMD_DEBUG, DBG_READREG, (uint8_t)reg}, r[8];
    int rc = status_command(p, cdb, sizeof(cdb), r, sizeof(r), "reading a core register", d);
    *value = rc ? 0 : fw_get_le32(r + 4);
    return rc;
}

int fw_probe_write_reg(fw_probe *p, unsigned reg, uint32_t value, fw_diag *d)
{
    if (p->ap)
        return reg_by_dcrsr(p, reg, true, &value, d);
    uint8_t cdb[7] = {CMD_DEBUG, DBG_WRITEREG, (uint8_t)reg}, r[2];
    fw_put_le32(cdb + 3, value);
    return status_command(p, cdb, sizeof(cdb), r, sizeof(r), "writing a core register", d);
}

int fw_probe_halt(fw_probe *p, fw_diag *d)
{
    return fw_probe_write_word(p, DHCSR, DBGKEY | 3, d); /* C_DEBUGEN | C_HALT */
}

int fw_probe_run(fw_probe *p, fw_diag *d)
{
    return fw_probe_write_word(p, DHCSR, DBGKEY | 1, d);
}

int fw_probe_is_halted(fw_probe *p, bool *halted, fw_diag *d)
{
    uint32_t v;
    int rc = fw_probe_read_word(p, DHCSR, &v, d);
    *halted = !rc && (v & (1u << 17));
    return rc;
}

int fw_probe_reset(fw_probe *p, bool halt, fw_diag *d)
{
    p->core_khz = 0; /* the clocks return to their reset values */
    int rc = fw_probe_write_word(p, DHCSR, DBGKEY | (halt ? 3 : 1), d);
    if (!rc)
        rc = fw_probe_write_word(p, DEMCR, halt ? 1 : 0, d); /* VC_CORERESET */
    if (!rc)
        rc = fw_probe_write_word(p, AIRCR, 0x05FA0004u, d); /* SYSRESETREQ */
    if (!rc && !halt)
        rc = fw_probe_write_word(p, DHCSR, DBGKEY | 1, d);
    return rc;
}

int fw_probe_detach(fw_probe *p, fw_diag *d)
{
    /* DEMCR VC_CORERESET, VC_MMERR..VC_HARDERR (ARMv7-M C1.6.5) */
    uint32_t demcr;
    int rc = fw_probe_read_word(p, DEMCR, &demcr, d);
    if (!rc)
        rc = fw_probe_write_word(p, DEMCR, demcr & ~0x7F1u, d);
    /* resumed first: clearing C_DEBUGEN in Debug state is left UNPREDICTABLE
     * (ARMv7-M C1.6.3), clearing it on a running core is not */
    if (!rc)
        rc = fw_probe_write_word(p, DHCSR, DBGKEY | 1, d);
    if (!rc)
        rc = fw_probe_write_word(p, DHCSR, DBGKEY, d);
    return rc;
}

/* The DP's IDCODE (READ_IDCODES), and whether anything answered it. */
static int read_dp_idcode(fw_probe *p, uint32_t *idcode, bool *answers, fw_diag *d)
{
    uint8_t ids[2] = {CMD_DEBUG, DBG_READ_IDCODES}, r[12] = {0};
    int rc = command(p, ids, 2, r, 12, d);
    *idcode = rc ? 0 : fw_get_le32(r + 4);
    *answers = !rc && r[0] == ST_OK && *idcode && *idcode != 0xFFFFFFFFu;
    return rc;
}

bool fw_probe_target_answers(fw_probe *p)
{
    uint32_t idcode;
    bool answers;
    fw_diag *quiet = fw_diag_new();
    read_dp_idcode(p, &idcode, &answers, quiet);
    fw_diag_free(quiet);
    return answers;
}

int fw_probe_reattach(fw_probe *p, fw_diag *d)
{
    uint8_t r[12];
    uint8_t enter[3] = {CMD_DEBUG, DBG_ENTER, p->jtag ? 0xA4 : 0xA3};
    int rc = status_command(p, enter, 3, r, 2, p->jtag ? "entering JTAG again" : "entering SWD again", d);
    if (!rc && !fw_probe_target_answers(p)) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-TARGET", NULL,
                                       "the target does not answer after entering debug mode again");
        fw_diagnostic_set_hint(e, "power-cycle the board, then run fwflash again");
        rc = FW_EDEVICE;
    }
    return rc;
}

/* The wire clock: V2 divisors (OpenOCD's stlink_usb.c), V3 the nearest frequency the probe offers. */
static int set_clock(fw_probe *p, unsigned khz, fw_diag *d)
{
    uint8_t r[52];
    if (p->hw >= 3) {
        uint8_t get[3] = {CMD_DEBUG, DBG_GET_COM_FREQ, p->jtag ? 1 : 0};
        int rc = status_command(p, get, sizeof(get), r, 52, "reading the probe's clock list", d);
        if (rc)
            return rc;
        uint32_t n = fw_get_le32(r + 8), pick = 0;
        for (uint32_t i = 0; i < n && i < 10; i++) {
            uint32_t f = fw_get_le32(r + 12 + 4 * i);
            if (f <= (khz ? khz : 8000) && f > pick) /* V3 default: 8 MHz */
                pick = f;
        }
        if (!pick)
            pick = fw_get_le32(r + 12 + 4 * (n ? n - 1 : 0));
        uint8_t set[8] = {CMD_DEBUG, DBG_SET_COM_FREQ, p->jtag ? 1 : 0, 0};
        fw_put_le32(set + 4, pick);
        rc = status_command(p, set, sizeof(set), r, 8, "setting the wire clock", d);
        p->khz = rc ? 0 : fw_get_le32(r + 4);
        return rc;
    }
    static const uint16_t swd_khz[] = {4000, 1800, 1200, 950, 480, 240, 125, 100, 50, 25, 15, 5};
    static const uint16_t swd_div[] = {0, 1, 2, 3, 7, 15, 31, 40, 79, 158, 265, 798};
    static const uint16_t jtag_khz[] = {9000, 4500, 2250, 1125, 562, 281, 140};
    static const uint16_t jtag_div[] = {4, 8, 16, 32, 64, 128, 256};
    const uint16_t *fk = p->jtag ? jtag_khz : swd_khz, *dv = p->jtag ? jtag_div : swd_div;
    size_t n = p->jtag ? sizeof(jtag_khz) / 2 : sizeof(swd_khz) / 2, i = 0;
    /* default: the fastest SWD clock of a V2 (4 MHz, ST's own tools' default); JTAG's default */
    unsigned want = khz ? khz : (p->jtag ? 1125 : 4000);
    while (i + 1 < n && fk[i] > want)
        i++;
    if (p->jtag_version < (p->jtag ? 24u : 22u)) {
        p->khz = p->jtag ? 1125 : 1800; /* older firmware cannot change it */
        return FW_OK;
    }
    uint8_t cdb[4] = {CMD_DEBUG, p->jtag ? DBG_JTAG_SET_FREQ : DBG_SWD_SET_FREQ, (uint8_t)dv[i], (uint8_t)(dv[i] >> 8)};
    int rc = status_command(p, cdb, sizeof(cdb), r, 2, "setting the wire clock", d);
    p->khz = fk[i];
    return rc;
}

static int read_version(fw_probe *p, fw_diag *d)
{
    uint8_t r[12];
    uint8_t cdb[1] = {CMD_GET_VERSION};
    int rc = command(p, cdb, 1, r, 6, d);
    if (rc)
        return rc;
    unsigned v = (unsigned)r[0] << 8 | r[1];
    p->hw = v >> 12;
    p->jtag_version = (v >> 6) & 0x3F;
    unsigned low = v & 0x3F;
    if (p->hw >= 3) {
        uint8_t ex[1] = {CMD_GET_VERSION_EX};
        if ((rc = command(p, ex, 1, r, 12, d)))
            return rc;
        p->jtag_version = r[2];
        snprintf(p->info.version, sizeof(p->info.version), "V%uJ%uM%u", r[0], r[2], r[3]);
    } else {
        bool v21 = p->info.pid != 0x3748;
        snprintf(p->info.version, sizeof(p->info.version), "V%uJ%u%c%u", p->hw, p->jtag_version, v21 ? 'M' : 'S', low);
    }
    /* the version gates of OpenOCD's stlink_usb.c (stlink_usb_version) */
    p->has_voltage = p->hw >= 3 || p->jtag_version >= 13;
    p->has_rwstatus2 = p->hw >= 3 || p->jtag_version >= 15;
    p->has_16bit = p->hw >= 3 || p->jtag_version >= 26;
    return FW_OK;
}

/* What the probe's firmware lacks, said once: each gate's fallback, and
 * how to update it. */
static void old_firmware_note(fw_probe *p, fw_diag *d)
{
    if (p->hw >= 3 || p->jtag_version >= 26)
        return;
    char lacks[400] = "";
    size_t n = 0;
    if (!p->has_voltage)
        n += (size_t)snprintf(lacks + n, sizeof(lacks) - n, "; no target voltage (J13): not measured, not weighed");
    if (!p->has_rwstatus2 && n < sizeof(lacks))
        n += (size_t)snprintf(lacks + n, sizeof(lacks) - n,
                              "; no address of a failed access (J15): a write block that meets WAIT is read back "
                              "to find where it stopped");
    if (p->jtag_version < (p->jtag ? 24u : 22u) && n < sizeof(lacks))
        n += (size_t)snprintf(lacks + n, sizeof(lacks) - n, "; no %s clock setting (J%u): it runs at %u kHz",
                              p->jtag ? "JTAG" : "SWD", p->jtag ? 24u : 22u, p->jtag ? 1125u : 1800u);
    if (n < sizeof(lacks))
        snprintf(lacks + n, sizeof(lacks) - n,
                 "; no 16-bit memory access (J26): flash written through the probe in half-words (F0/F1/F3, and "
                 "F2/F4/F7 under 2.7 V when the RAM loaders cannot run) and F1 option bytes cannot be");
    fw_diagnostic *e = fw_diag_add(d, FW_NOTE, "PROBE-FIRMWARE", NULL, "the probe's firmware %s is old%s",
                                   p->info.version, lacks);
    fw_diagnostic_set_hint(e, "update it with STM32CubeProgrammer (Firmware upgrade) or ST's ST-LINK upgrade "
                              "tool (STSW-LINK007)");
}

/* NRST held first when under reset, debug mode entered, the DP's IDCODE
 * read: answers says whether anything answered it. */
static int attach(fw_probe *p, bool jtag, fw_connect_mode mode, bool *answers, fw_diag *d)
{
    uint8_t r[12];
    int rc;
    if (mode == FW_CONNECT_UNDER_RESET) {
        uint8_t nrst[3] = {CMD_DEBUG, DBG_DRIVE_NRST, 0};
        if ((rc = status_command(p, nrst, 3, r, 2, "asserting NRST", d)))
            return rc;
    }
    uint8_t enter[3] = {CMD_DEBUG, DBG_ENTER, jtag ? 0xA4 : 0xA3};
    *answers = false;
    if ((rc = status_command(p, enter, 3, r, 2, jtag ? "entering JTAG" : "entering SWD", d)))
        return rc;
    return read_dp_idcode(p, &p->dp_idcode, answers, d);
}

/* Nothing answered: the likely causes in the order they happen on benches. */
static void no_answer_error(fw_diag *d, bool jtag, bool under_reset, bool retried)
{
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-TARGET", NULL, "no target answers on %s%s",
                                   jtag ? "JTAG" : "SWD",
                                   retried ? ", neither normally nor with NRST held"
                                           : under_reset ? " with NRST held" : "");
    char hint[700];
    snprintf(hint, sizeof(hint),
             "the likely causes, in order: (1) no power: power the board (and wire the probe's VDD pin to it); "
             "(2) wiring: %s and GND between probe and board%s; (3) firmware that turns the debug port off "
             "(a low-power mode, or the SWD pins reused): %s; (4) read protection level 2, which closes the "
             "debug port for good%s",
             jtag ? "TMS, TCK, TDI, TDO" : "SWDIO, SWCLK", under_reset ? ", and NRST" : "",
             under_reset ? "connecting under reset needs the probe's NRST wired to the chip's; without it, hold "
                           "the board's reset button while fwflash connects, or set BOOT0 high and power-cycle so "
                           "that the system bootloader runs instead of the firmware"
                         : "try --connect under-reset",
             jtag ? "; Cortex-M0/M0+ parts (STM32F0, L0, G0, C0) have no JTAG: use SWD" : "");
    fw_diagnostic_set_hint(e, hint);
}

static int enter_debug(fw_probe *p, const fw_probe_options *o, fw_diag *d)
{
    uint8_t r[12];
    uint8_t mode_cmd[1] = {CMD_GET_CURRENT_MODE};
    int rc = command(p, mode_cmd, 1, r, 2, d);
    if (rc)
        return rc;
    if (r[0] == MODE_DFU || r[0] == MODE_MASS) {
        uint8_t exit_dfu[2] = {CMD_DFU, 0x07};
        if ((rc = command(p, exit_dfu, 2, NULL, 0, d)))
            return rc;
    } else if (r[0] == MODE_DEBUG) {
        /* left in debug mode by an interrupted session (perhaps in the other
         * of SWD and JTAG): leave it first, as OpenOCD's stlink_usb_init_mode
         * does, and enter it afresh below */
        uint8_t exit_debug[2] = {CMD_DEBUG, DBG_EXIT};
        if ((rc = command(p, exit_debug, 2, NULL, 0, d)))
            return rc;
    }
    if (p->has_voltage) {
        uint8_t volt[1] = {CMD_GET_TARGET_VOLTAGE};
        if ((rc = command(p, volt, 1, r, 8, d)))
            return rc;
        uint32_t a0 = fw_get_le32(r), a1 = fw_get_le32(r + 4);
        p->mv = a0 ? (unsigned)(2400ull * a1 / a0) : 0;
    }
    old_firmware_note(p, d);
    if ((rc = set_clock(p, o->khz, d)))
        return rc;
    fw_connect_mode mode = o->mode;
    fw_diag *enter_d = fw_diag_new();
    if (!enter_d)
        return FW_ENOMEM;
    bool answers = false;
    rc = attach(p, o->jtag, mode, &answers, enter_d);
    /* firmware that turns the debug port off (a low-power mode, its SWD
     * pins reused) is reached only before it runs: hold NRST while entering
     * debug mode, as --connect under-reset does */
    bool retried = false;
    bool powered = !p->has_voltage || p->mv >= 1700; /* unmeasured: nothing says otherwise */
    if (!rc && !answers && mode == FW_CONNECT_NORMAL && powered) {
        retried = true;
        mode = FW_CONNECT_UNDER_RESET;
        rc = attach(p, o->jtag, mode, &answers, enter_d);
        if (!rc && answers)
            fw_diag_add(enter_d, FW_NOTE, "PROBE-UNDER-RESET", NULL,
                        "the chip answered only with NRST held: its firmware probably turns the debug port off "
                        "(a low-power mode, or the SWD pins reused); connected under reset");
    }
    /* the voltage decides only when nothing answers: a probe whose VDD pin
     * is not wired (a Nucleo's ST-Link on another board) reads ~0 V from a
     * powered target, and OpenOCD only prints the reading (st-flash 1.7.0
     * refuses L4 writes below its own floor) */
    if (!powered && !answers) {
        fw_diag_free(enter_d);
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-POWER", NULL,
                                       "the target is not powered: the probe measures %u.%02u V on its VDD pin",
                                       p->mv / 1000, p->mv % 1000 / 10);
        fw_diagnostic_set_hint(e, "power the board, and connect the probe's VDD (target voltage) pin to it");
        return FW_EDEVICE;
    }
    fw_diag_append(d, enter_d);
    fw_diag_free(enter_d);
    if (rc)
        return rc;
    if (!powered) {
        fw_diagnostic *e = fw_diag_add(d, FW_WARNING, "PROBE-POWER", NULL,
                                       "the probe measures %u.%02u V on its VDD pin, yet the target answers: the "
                                       "pin is probably not wired to the board",
                                       p->mv / 1000, p->mv % 1000 / 10);
        fw_diagnostic_set_hint(e, "wire the board's supply to the probe's VDD (target voltage) pin, so that a board "
                                  "without power is seen as such; going on");
    }
    if (!answers) {
        if (mode == FW_CONNECT_UNDER_RESET) { /* leave the chip running, as it was */
            uint8_t release[3] = {CMD_DEBUG, DBG_DRIVE_NRST, 1};
            fw_diag *ignored = fw_diag_new();
            status_command(p, release, 3, r, 2, "releasing NRST", ignored);
            fw_diag_free(ignored);
        }
        no_answer_error(d, o->jtag, mode == FW_CONNECT_UNDER_RESET, retried);
        return FW_EDEVICE;
    }
    /* the TAR auto-increment block: at least 1 KiB (ADIv5, ARM IHI 0031C
     * §7.2.2), 4 KiB on Cortex-M3 and M4 (OpenOCD's cortex_m.c and
     * stlink_usb.c); a one-word read crosses none */
    p->tar_block = 1024;
    uint32_t cpuid;
    if (p->jtag && !fw_probe_read_word(p, FW_CORE_CPUID, &cpuid, d)) {
        unsigned partno = (cpuid >> 4) & 0xFFF;
        if (cpuid >> 24 == 0x41 && (partno == 0xC23 || partno == 0xC24))
            p->tar_block = 4096;
    }
    if (mode != FW_CONNECT_HOT_PLUG) {
        fw_diag *said = fw_diag_new();
        if (!said || (rc = fw_probe_first_access(p, fw_probe_halt(p, said), said, d)))
            return said ? rc : FW_ENOMEM;
    }
    if (mode == FW_CONNECT_UNDER_RESET) {
        /* halted while held in reset: arm the reset catch, then let go */
        if ((rc = fw_probe_write_word(p, DEMCR, 1, d)))
            return rc;
        uint8_t nrst[3] = {CMD_DEBUG, DBG_DRIVE_NRST, 1};
        if ((rc = status_command(p, nrst, 3, r, 2, "releasing NRST", d)))
            return rc;
        rc = fw_probe_halt(p, d);
    }
    return rc;
}

/* The first access through the access port ended with rc (said holds what
 * it said, and is freed here). Where it failed, the debug port answers and
 * the access port refuses even its own ID register, the chip has closed
 * its debug access, as an STM32H5 does in product state Closed or Locked
 * (ST's wiki "Security:Product state for STM32H5"; STM32CubeProgrammer then
 * says "Unable to get core ID"): said so, with the way out, instead of an
 * AP fault at an address. */
int fw_probe_first_access(fw_probe *p, int rc, fw_diag *said, fw_diag *d)
{
    uint32_t idr;
    fw_diag *scratch = rc ? fw_diag_new() : NULL;
    bool closed = scratch && fw_probe_target_answers(p) && fw_probe_read_ap_idr(p, 0, &idr, scratch) != FW_OK &&
                  fw_diag_count(scratch) && strstr(fw_diag_at(scratch, 0)->message, "AP fault");
    fw_diag_free(scratch);
    if (!closed) {
        fw_diag_append(d, said);
        fw_diag_free(said);
        return rc;
    }
    fw_diag_free(said);
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-DEBUG-CLOSED", NULL,
                                   "the chip answers on %s (DP IDCODE 0x%08X) but its access port refuses every "
                                   "access, its own ID register too: the chip has closed its debug access, as an "
                                   "STM32H5 does in product state Closed or Locked; nothing can be read or written "
                                   "through the debugger",
                                   p->jtag ? "JTAG" : "SWD", fw_probe_dp_idcode(p));
    fw_diagnostic_set_hint(e, "a Closed STM32H5 opens again through ST's debug authentication, which erases its user "
                              "flash (STM32CubeProgrammer: -c port=SWD mode=HotPlug debugauth=2, with the password "
                              "or certificate provisioned); a Locked one never does");
    return rc;
}

int fw_probe_open(const fw_probe_options *o, fw_probe **out, fw_diag *d)
{
    struct fw_transport *t = NULL;
    fw_probe_info info;
    memset(&info, 0, sizeof(info));
    int rc = fw_usb_open(o->serial, &t, &info, d);
    return rc ? rc : fw_probe_open_transport(o, t, &info, out, d);
}

int fw_probe_open_transport(const fw_probe_options *o, struct fw_transport *t, const fw_probe_info *info,
                            fw_probe **out, fw_diag *d)
{
    fw_probe *p = calloc(1, sizeof(*p));
    if (!p) {
        t->ops->close(t);
        return FW_ENOMEM;
    }
    p->jtag = o->jtag;
    p->t = t;
    p->info = *info;
    size_t stale = p->t->ops->drain(p->t);
    if (stale)
        fw_diag_add(d, FW_NOTE, "PROBE-USB", NULL,
                    "dropped %zu bytes that an interrupted session had left unread in the probe", stale);
    int rc = read_version(p, d);
    if (!rc)
        rc = enter_debug(p, o, d);
    if (rc) {
        p->t->ops->close(p->t);
        free(p);
        return rc;
    }
    *out = p;
    return FW_OK;
}

void fw_probe_close(fw_probe *p)
{
    if (!p)
        return;
    fw_diag *quiet = fw_diag_new();
    /* the core stays as the caller left it (running after a write, halted after reset --halt) */
    uint8_t exit_cmd[2] = {CMD_DEBUG, DBG_EXIT};
    command(p, exit_cmd, 2, NULL, 0, quiet);
    fw_diag_free(quiet);
    p->t->ops->close(p->t);
    free(p);
}
