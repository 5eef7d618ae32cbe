/* SPDX-License-Identifier: MIT */
/* fwsim: the ST-Link side of the cable: the bulk-endpoint command protocol of
 * V2, V2-1 and V3 probes (as OpenOCD's stlink_usb.c and stlink-org/stlink's
 * usb.c and commands.h send them), answering
 * from a sim_target. Pure state machine: USB transfers go in with
 * stlink_out() and the reply comes back with stlink_in(). */
#ifndef FWSIM_EMULATED_STLINK_H
#define FWSIM_EMULATED_STLINK_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "debug_port.h"
#include "quirks.h"
#include "emulated_chip.h"

typedef enum stlink_kind { STLINK_V2, STLINK_V2_1, STLINK_V3 } stlink_kind;

#define STLINK_VID 0x0483
#define STLINK_MAX_REPLY 6144 /* the probe's buffer (OpenOCD's stlink_usb.c) */
#define STLINK_MISC_ITEMS 1227 /* RW_MISC's queue on a V3 (64 on a V2; OpenOCD's stlink_usb.c) */

struct stlink {
    stlink_kind kind;
    unsigned jtag_version, aux_version; /* the firmware's J, and its S (SWIM) or M (mass storage) */
    struct sim_core *core;
    struct sim_target *target;
    /* the core the memory command in progress reaches: byte 8 of a memory
     * command names its access port (OpenOCD's stlink_usb.c, from V2J32 and
     * on V3), AP 0 the main core, a dual-core part's second core its own */
    struct sim_core *access_core;
    bool access_system_ap; /* the memory command goes through the system debug AP (H7's AP2) */
    uint32_t open_aps; /* the APs INIT_AP opened (from V2J28 and on V3 an AP other than 0 needs it) */
    uint32_t misc_items;                       /* RW_MISC_OUT's queue, run when its data phase is in */
    uint8_t misc_reply[8 * STLINK_MISC_ITEMS]; /* what RW_MISC_IN answers */
    uint8_t mode; /* GET_CURRENT_MODE */
    bool jtag;    /* entered in JTAG rather than SWD */ /* GET_CURRENT_MODE: 0 DFU, 1 mass, 2 debug */

    /* a WRITEMEM waits for its data phase */
    uint8_t pending_write; /* the subcommand, 0 when none */
    uint32_t write_addr, write_len;
    bool write_dropped;
    /* the data phase may come in several bulk transfers (libusb splits at 16 KiB) */
    uint8_t write_data[0x10000];
    uint32_t write_got;

    uint8_t reply[8 * STLINK_MISC_ITEMS + 8]; /* the largest reply: RW_MISC_IN's */
    size_t reply_len;

    /* a reply an interrupted session never read: the next IN transfer gets it first (--quirk stale-reply) */
    uint8_t stale[64];
    size_t stale_len;

    sim_quirks quirks;     /* the probe's: vdd-unsensed, nrst-unwired, stale-reply, wait-partial */
    bool wait_partial_done; /* wait-partial fires once */
    bool link_dropped;      /* obl-drop: accesses answer SWD_DP_ERROR until DBG_ENTER */
    uint8_t inject_status; /* fault injection: the next memory or register command fails with this */
    bool unpowered, no_target; /* fault conditions: 0 V on VDD; nothing answers on the wire */
    bool usb_loader;           /* a V3 in its USB loader (DFU): its own PID, no ST-Link commands */
    uint16_t last_status; /* of the last memory command, for GETLASTRWSTATUS(2) */
    uint32_t last_fault_addr;
    uint16_t swd_divisor, jtag_divisor; /* V2 */
    struct sim_dap dap;                 /* READ_DAP_REG/WRITE_DAP_REG: the DP and AP registers */
    uint32_t com_khz, com_khz_jtag;     /* V3: SWD and JTAG clocks */

    struct {
        uint64_t transfers, bytes_out, bytes_in;
        uint64_t commands[256]; /* top-level by class; DEBUG by subcommand at 0x00-0xEF */
        uint64_t unsupported;   /* commands the firmware's version does not have */
    } stats;
};

void stlink_init(struct stlink *p, stlink_kind kind, struct sim_core *core);
/* The firmware the probe reports (fwsim --probe-version): "V2JnnSmm" (an
 * ST-Link/V2), "V2JnnMmm" (V2-1), "V3Jnn"; false when v is none of them.
 * Commands that version lacks answer as a command the probe does not know. */
bool stlink_set_version(struct stlink *p, const char *v);
/* The V2 firmware (JTAG version) a command needs, 0 when any has it: the
 * gates OpenOCD's stlink_usb.c (stlink_usb_version) reads. */
unsigned stlink_command_min_jtag(uint8_t cmd, uint8_t sub);
uint16_t stlink_pid(const struct stlink *p);
/* The wire clock in kHz: the V2 divisor's or the V3's chosen frequency. */
uint32_t stlink_wire_khz(const struct stlink *p);
/* What one bulk transfer of len bytes costs on this probe's USB, in ns. */
uint64_t stlink_usb_ns(const struct stlink *p, size_t len);
/* The target range a command block touches: false when it touches none. */
bool stlink_command_range(const uint8_t *cdb, size_t len, uint32_t *addr, uint32_t *bytes);
/* One bulk OUT transfer: a 16-byte command or a WRITEMEM data phase. */
void stlink_out(struct stlink *p, const uint8_t *buf, size_t len);
/* The probe as the bench has it: its quirks (and a stale reply waiting when
 * stale-reply is among them). */
void stlink_set_quirks(struct stlink *p, sim_quirks quirks);
/* A USB port reset: replies waiting in the endpoints (stale ones too) and a
 * half-received data phase are dropped; the debug session stays. */
void stlink_usb_reset(struct stlink *p);
/* Whether an IN transfer would get bytes now. */
bool stlink_has_reply(const struct stlink *p);
/* One bulk IN transfer: up to max bytes of the pending reply; returns the count. */
size_t stlink_in(struct stlink *p, uint8_t *buf, size_t max);

#endif
