/* SPDX-License-Identifier: MIT */
/* ST-Link probes (V2, V2-1, V3): finding them on USB, their command
 * protocol, and memory and core access to the chip behind them. Facts from
 * the peers' protocol code (OpenOCD stlink_usb.c, stlink-org/stlink usb.c). Every failure is a diagnostic (rule ids
 * PROBE-*) that says what to do; nothing prints. */
#ifndef FWKIT_PROBE_H
#define FWKIT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FW_PROBE_SERIAL_MAX 64

typedef struct fw_probe_info {
    uint16_t pid;
    char serial[FW_PROBE_SERIAL_MAX + 1];
    char version[32];   /* "V2J37S7", "V3J7M4" (filled once opened) */
    int bus, address;
    bool loader;        /* the probe's own USB loader (DFU) is running, not its firmware */
} fw_probe_info;

/* Every ST-Link on USB; *n gets the count (may exceed max). Returns FW_EIO
 * when USB itself cannot be used. */
FW_API int fw_probe_list(fw_probe_info *out, size_t max, size_t *n, fw_diag *d);

typedef enum fw_connect_mode { FW_CONNECT_NORMAL, FW_CONNECT_UNDER_RESET, FW_CONNECT_HOT_PLUG } fw_connect_mode;

typedef struct fw_probe_options {
    const char *serial; /* NULL: the only probe there is */
    bool jtag;          /* JTAG instead of SWD */
    unsigned khz;       /* wire clock wanted; 0: the probe's default */
    fw_connect_mode mode;
} fw_probe_options;

typedef struct fw_probe fw_probe;

/* Opens the probe, leaves its DFU/mass-storage mode, reads the target
 * voltage (an unpowered target is an error), sets the clock, enters SWD or
 * JTAG and, but for hot-plug, halts the core (under reset: with NRST held). */
FW_API int fw_probe_open(const fw_probe_options *o, fw_probe **out, fw_diag *d);
/* Leaves debug mode and closes; the core stays as it is. NULL is fine. */
FW_API void fw_probe_close(fw_probe *p);

FW_API const fw_probe_info *fw_probe_info_of(const fw_probe *p);
FW_API unsigned fw_probe_voltage_mv(const fw_probe *p);
FW_API unsigned fw_probe_khz(const fw_probe *p);
FW_API uint32_t fw_probe_dp_idcode(const fw_probe *p);
FW_API bool fw_probe_has_16bit(const fw_probe *p); /* WRITEMEM_16BIT: V2 J26+, every V3 */
FW_API bool fw_probe_has_voltage(const fw_probe *p); /* GET_TARGET_VOLTAGE: V2 J13+, every V3 */
FW_API bool fw_probe_has_rwstatus2(const fw_probe *p); /* GETLASTRWSTATUS2: V2 J15+, every V3 */

/* Memory: any length; chunked to the probe's limits, every command's status
 * checked (GETLASTRWSTATUS2), WAIT answers retried with back-off. write16
 * needs fw_probe_has_16bit(). */
FW_API int fw_probe_read(fw_probe *p, uint32_t addr, void *buf, size_t len, fw_diag *d);
FW_API int fw_probe_write32(fw_probe *p, uint32_t addr, const void *buf, size_t len, fw_diag *d);
FW_API int fw_probe_write16(fw_probe *p, uint32_t addr, const void *buf, size_t len, fw_diag *d);
/* The access port the word, register, halt and run calls go through from
 * now on: 0, the main core's (the default), or a dual-core part's second
 * core's (H745/H747's CM4: 3); opened with INIT_AP where the firmware
 * needs it. Another AP than 0 needs ST-LINK/V2 firmware V2J32 or a V3:
 * FW_EDEVICE with the way out otherwise. */
FW_API int fw_probe_select_ap(fw_probe *p, unsigned ap, fw_diag *d);
/* An access port's IDR (ADIv5: 0 where no AP answers), through
 * READ_DAP_REG (V2J24 or later, or a V3). */
FW_API int fw_probe_read_ap_idr(fw_probe *p, unsigned ap, uint32_t *idr, fw_diag *d);
/* One 32-bit access (READDEBUGREG / WRITEDEBUGREG; a memory command on another AP). */
FW_API int fw_probe_read_word(fw_probe *p, uint32_t addr, uint32_t *value, fw_diag *d);
FW_API int fw_probe_write_word(fw_probe *p, uint32_t addr, uint32_t value, fw_diag *d);

/* Core registers by DCRSR number (0-15, 16 xPSR, 17 MSP, 18 PSP). */
FW_API int fw_probe_read_reg(fw_probe *p, unsigned reg, uint32_t *value, fw_diag *d);
FW_API int fw_probe_write_reg(fw_probe *p, unsigned reg, uint32_t value, fw_diag *d);

FW_API int fw_probe_halt(fw_probe *p, fw_diag *d);
FW_API int fw_probe_run(fw_probe *p, fw_diag *d);
/* A system reset (AIRCR SYSRESETREQ); halt: stop on the reset vector. */
FW_API int fw_probe_reset(fw_probe *p, bool halt, fw_diag *d);
/* The chip left to itself as a user expects after a write: the vector
 * catches off and C_DEBUGEN clear (so a BKPT in the firmware is its own
 * fault, not a halt), the core running. */
FW_API int fw_probe_detach(fw_probe *p, fw_diag *d);
/* Whether the debug port answers now (its IDCODE reads). */
FW_API bool fw_probe_target_answers(fw_probe *p);
/* Debug mode entered again after the link went down (an option-byte
 * reload, OpenOCD's stm32l4x.c: ST-Link answers SWD_DP_ERROR until then). */
FW_API int fw_probe_reattach(fw_probe *p, fw_diag *d);
/* Whether the core is halted (DHCSR S_HALT). */
FW_API int fw_probe_is_halted(fw_probe *p, bool *halted, fw_diag *d);

/* What the chip says it is (stlink-org/stlink's stlink_chip_id; the reference manuals' DBGMCU sections): CPUID, DBGMCU IDCODE at the
 * core's address, the flash-size register, and the part they make in the
 * target database (NULL when none matches; *candidates says how many do). */
typedef struct fw_chip_id {
    uint32_t cpuid, idcode;
    uint16_t dev_id, rev_id;
    uint32_t flash_kib; /* 0 when unread */
    const struct fw_target *target;
    size_t candidates;
    /* what the chip is called: target's name, or when several parts share
     * its device id, flash and SRAM, the group ("STM32F405/407/415/417") */
    char name[64];
    /* Clones (libimage/target/clones.map): read only where parts of
     * several makers share the device id. The SW-DP IDCODE, the ROM
     * table's JEP106 designer, the identify words read; whether the facts
     * fit no part (target is then the nearest, and not to be trusted); and
     * in words what tells the part found from the genuine one ("DP IDCODE
     * 0x2BA01477 where ST's is 0x1BA01477"), empty for a genuine part. */
    uint32_t dp_idcode;
    bool has_designer;
    uint16_t designer;
    size_t nwords;
    struct {
        uint32_t addr, value;
    } words[4];
    bool unmatched;
    char how[200];
} fw_chip_id;

struct fw_target_db;
FW_API int fw_probe_identify(fw_probe *p, const struct fw_target_db *db, fw_chip_id *id, fw_diag *d);
/* Whether a part's declared identity (designer, DP IDCODE, whole IDCODE,
 * identify words) fits what fw_probe_identify read; facts it did not read
 * do not count against the part. */
FW_API bool fw_chip_id_fits(const fw_chip_id *id, const struct fw_target *t);
/* The chip's 96-bit unique ID, its three words read at the target data's
 * uid addresses, each little-endian, low word first (as the chip holds it). */
FW_API int fw_probe_read_uid(fw_probe *p, const struct fw_target *t, uint8_t uid[12], fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
