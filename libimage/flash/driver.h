/* SPDX-License-Identifier: MIT */
/* What a flash-controller driver is, and what the drivers share: waiting
 * for BSY, and turning error flags into words. */
#ifndef FWKIT_FLASH_DRIVER_H
#define FWKIT_FLASH_DRIVER_H

#include "controllers.h"
#include "fwkit/flash.h"

/* The first bytes of the first program run, put in SRAM while the flash
 * erases (fw_flash_idle) for the ring loader to program from there: the
 * wire carries data while the flash erases, instead of after it. */
struct fw_flash_stage {
    uint32_t dst, len; /* for flash at dst, whole units */
    const uint8_t *data;
    uint32_t header;    /* the ring loader's header in SRAM; the data follows it */
    uint32_t sent;      /* bytes in SRAM so far */
    bool erasing, used; /* uploads while the flash erases; programmed once */
};

/* The sectors fw_flash_write leaves to the ring loader to erase, each as
 * programming reaches it (fw_flash_ring_program); what no loader erased,
 * the host does. */
struct fw_flash_ahead {
    const struct fw_flash_driver *drv; /* its erase, for what the loader did not */
    const uint32_t *addr, *size;       /* the sectors, in address order */
    size_t n, next;                    /* next: the first not erased yet */
    bool failed_erasing;               /* a write failed erasing, not programming */
    uint32_t *hash;                    /* each sector's hash after the last run that reached it, */
    bool *hashed;                      /* where the ring loader made one (loaders/ring.S) */
};

struct fw_flash_ctx {
    fw_probe *probe;
    const fw_target *target;
    uint32_t regs; /* the controller's register base */
    uint32_t flash_base;
    fw_diag *d;
    const struct fw_loader *in_ram; /* the loader whose code is in SRAM, or NULL */
    struct fw_flash_stage *stage;   /* fw_flash_write's, or NULL */
    struct fw_flash_ahead *ahead;   /* fw_flash_write's, or NULL */
    bool thumb_set;                 /* xPSR set for our loaders, and only they ran since */
};

/* The write protection the option bytes set: ranges of flash addresses, and
 * the same in the family's own words ("sectors 1, 2", "pages 2-5 (area A)"). */
#define FW_FLASH_WRP_RANGES 16
struct fw_flash_wrp {
    size_t n;
    struct {
        uint32_t addr, end;
    } range[FW_FLASH_WRP_RANGES];
    char text[160];
    /* flash another core keeps (STM32WB CPU2's secure area): end 0 when none */
    struct {
        uint32_t addr, end;
    } held;
    char held_by[120];
};

/* A range of flash addresses, end exclusive. */
struct fw_flash_span {
    uint32_t addr, end;
};

struct fw_flash_driver {
    const char *name;
    fw_ctl_family family; /* the controllers it drives (controllers.h) */
    unsigned (*unit)(const fw_target *t);
    int (*unlock)(struct fw_flash_ctx *c);
    int (*erase)(struct fw_flash_ctx *c, uint32_t addr, uint32_t size); /* one sector */
    int (*program)(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len); /* whole units */
    int (*lock)(struct fw_flash_ctx *c);
    /* all of the bank at once, or NULL when the family has no mass erase (L0/L1) */
    int (*mass_erase)(struct fw_flash_ctx *c);
    /* the option bytes as loaded: RDP level and write protection */
    int (*protection)(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp);
    /* read protection level 1 to 0: programs RDP level 0, which mass-erases
     * the chip first, and reloads the options where only OBL_LAUNCH does */
    int (*read_unprotect)(struct fw_flash_ctx *c);
    /* several contiguous sectors of one bank in one go, or NULL; FW_EUNSUPPORTED
     * when the run is better taken a sector at a time: erase is called for each */
    int (*erase_run)(struct fw_flash_ctx *c, uint32_t addr, uint32_t size);
    /* the bits of mask in the option word (options.c) set to value, and
     * RDP to level rdp when it is 1 or 2 (-1: kept), programmed with the
     * family's sequence; NULL where fwkit does not change options */
    int (*set_options)(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp);
    /* sectors of two banks that erase at the same time (H7), each bank's
     * next started as soon as its last is done; NULL elsewhere */
    int (*erase_banks)(struct fw_flash_ctx *c, const struct fw_flash_span *sectors, size_t n);
    unsigned unit_us; /* a write unit's typical programming time */
    /* its program() lets the ring loader erase the sectors of ctx->ahead
     * as programming reaches them (struct fw_ring_family's erase fields) */
    bool erases_ahead;
};

/* After an option-byte change: a system reset with the core halted (the
 * options load on F0-F7; OBL_LAUNCH did on L0/L1 and L4/G0), entering debug
 * mode again where the link went down, and the protection read as loaded. */
int fw_flash_after_option_reload(fw_probe *p, const fw_flash_driver *drv, struct fw_flash_ctx *c, int *level,
                                 struct fw_flash_wrp *wrp, fw_diag *d);

/* RDP levels as the byte reads on F0/F3, F2/F4/F7, L0/L1, L4/G0: 0xAA level 0, 0xCC level 2, else 1 */
int fw_flash_rdp_level(uint8_t rdp);
/* ... and the byte to program for a level (F1's level 0 is 0xA5: not this) */
uint8_t fw_flash_rdp_code(int level);
/* The context for driving the target's controller through probe p. */
struct fw_flash_ctx fw_flash_ctx_for(fw_probe *p, const fw_target *t, fw_diag *d);
/* A register write that resets the chip (OBL_LAUNCH): silicon may drop the
 * debug link before the probe answers, so its status is not an error. */
void fw_flash_write_resetting(struct fw_flash_ctx *c, uint32_t reg, uint32_t value);
/* Whether addr is in a flash bank after the target's first (bank 2). */
bool fw_flash_in_second_bank(const fw_target *t, uint32_t addr);
/* Whether the target's flash goes on past its first bank. */
bool fw_flash_dual_bank(const fw_target *t);
/* The option bytes' base address from the target data, or FLASH-OPTIONS and 0. */
uint32_t fw_flash_option_base(struct fw_flash_ctx *c, uint32_t need_size);
/* "none", or the numbers of the set bits of mask as "what 0, 3, 4" */
void fw_flash_list_bits(uint32_t mask, const char *what, char *out, size_t cap);
/* The flash's write unit in bytes from the target data, else fallback. */
unsigned fw_flash_write_unit(const fw_target *t, unsigned fallback);
/* TrustZone controllers: the register at offset ns, or on a secure view
 * (fw_flash_security_view) its secure twin at offset sec in the registers'
 * secure alias (controllers.c's secure_regs). */
uint32_t fw_flash_secure_reg(const struct fw_flash_ctx *c, uint32_t ns, uint32_t sec);
/* The volatile block-based security registers SECBBxRy (bank 1's from
 * offset secbb1, bank 2's bank2_offset after) to value for every page of
 * each bank: all ones makes them secure, 0 non-secure again. */
int fw_flash_set_block_security(struct fw_flash_ctx *c, uint32_t secbb1, uint32_t bank2_offset, uint32_t value);
/* The target's flash bank b (0 or 1) in its memory map's variant, or NULL. */
const fw_region *fw_flash_bank_region(const fw_target *t, int b);
/* Bank b's write protection as a register gives it, one bit per group of
 * `group` sectors, protected when clear (H7 WPSN, H5 WRPSG): the sectors
 * added to wrp, and "bank 2: sectors 3, 4" appended to its text. */
void fw_flash_wrp_by_groups(const fw_target *t, int b, uint32_t bits, unsigned group, struct fw_flash_wrp *wrp);
/* FLASH-UNSUPPORTED for unlock on a family whose read protection fwkit does
 * not remove yet: why, in words, and the way out with another tool. */
int fw_flash_unprotect_not_done(struct fw_flash_ctx *c, const char *why, const char *hint);
/* Adds [addr, addr + len) to wrp's ranges, joined to the last one when they touch. */
void fw_flash_wrp_add(struct fw_flash_wrp *wrp, uint32_t addr, uint32_t len);
/* FLASH-WRP, before anything is erased, when one of the n spans meets flash
 * that the option bytes write-protect (the controller would refuse there). */
int fw_flash_require_writable(struct fw_flash_ctx *c, const fw_flash_driver *drv, const struct fw_flash_span *need,
                              size_t n);
/* The same against protection already read (drv->protection). */
int fw_flash_check_writable(struct fw_flash_ctx *c, const struct fw_flash_wrp *wrp, const struct fw_flash_span *need,
                            size_t n);

extern const struct fw_flash_driver fw_flash_drv_f0f1f3, fw_flash_drv_f2f4f7, fw_flash_drv_l0l1, fw_flash_drv_l4g0,
    fw_flash_drv_h7, fw_flash_drv_l5u5, fw_flash_drv_h5;

/* Reloads the independent watchdog (a no-op where it does not run): the
 * waits on a running loader call it now and then. */
void fw_flash_feed_watchdog(struct fw_flash_ctx *c);

/* An error flag of a status register and what it means. */
struct fw_flash_error_bit {
    uint32_t bit;
    const char *meaning;
};

/* The error flags an earlier session left in the status register at sr
 * (errors: the family's table): cleared by writing 1, with a note naming
 * them. Drivers call it from unlock, before the first operation: on L4/G0 a
 * flag left set makes the next operation a sequence error (RM0351 §3.3.7),
 * and every family's checks would take it for a failure of ours. */
int fw_flash_clear_stale_errors(struct fw_flash_ctx *c, uint32_t sr, const struct fw_flash_error_bit *errors);
/* The same where a register of its own clears the flags (H7's CCR). */
int fw_flash_clear_stale_errors_at(struct fw_flash_ctx *c, uint32_t sr, uint32_t clear,
                                   const struct fw_flash_error_bit *errors);

/* Polls the status register at sr until busy_mask clears; FLASH-TIMEOUT
 * after timeout_ms. expect_us, the operation's typical time, paces the
 * polls (each poll is a USB round trip). The value last read goes to *sr_value. */
int fw_flash_wait(struct fw_flash_ctx *c, uint32_t sr, uint32_t busy_mask, unsigned timeout_ms, unsigned expect_us,
                  uint32_t *sr_value);
/* FLASH-ERROR naming each flag of errors set in sr_value, for the operation
 * what at addr; clears them (write one to clear). FW_OK when none is set. */
int fw_flash_check(struct fw_flash_ctx *c, uint32_t sr, uint32_t sr_value, const struct fw_flash_error_bit *errors,
                   const char *what, uint32_t addr);
/* One controller operation: CR = op, then op | start, wait for busy_mask
 * in SR to clear, check the error flags, CR = 0. */
struct fw_flash_op {
    uint32_t cr, sr, busy_mask, start;
    unsigned timeout_ms, expect_us;
    const struct fw_flash_error_bit *errors;
};
int fw_flash_run_op(struct fw_flash_ctx *c, const struct fw_flash_op *how, uint32_t op, const char *what, uint32_t addr);

/* Programming by streaming data into flash through the probe: each write
 * stalls on the bus while BSY, so programming overlaps the wire and the
 * blocks go back to back; after each block only the error flags are read
 * (they are sticky), and BSY is waited for once, at the end. */
struct fw_flash_stream {
    uint32_t sr, busy_mask;
    const struct fw_flash_error_bit *errors;
    int (*write)(fw_probe *p, uint32_t addr, const void *buf, size_t len, fw_diag *d);
    uint32_t block;        /* bytes per write command */
    unsigned us_per_block; /* typical programming time of a block */
};
int fw_flash_stream(struct fw_flash_ctx *c, const struct fw_flash_stream *how, uint32_t addr, const uint8_t *data,
                    uint32_t len);

/* Programming through the ring loader (loaders/ring.S) when the part's SRAM
 * holds its slots and there are at least two units; *done is how many bytes
 * from addr it programmed: len, or 0 when it was not used, or where the
 * loader failed (the first unit that does not hold the image, and holds
 * the erased value: never a unit programmed twice). The driver programs
 * the rest another way. A failure names the controller's error flags. */
struct fw_ring_family;
int fw_flash_ring_program(struct fw_flash_ctx *c, const struct fw_ring_family *f,
                          const struct fw_flash_error_bit *errors, uint32_t addr, const uint8_t *data, uint32_t len,
                          uint32_t *done);

/* A two-key unlock of a register at keyr, checked through lock_reg's lock_bit. */
int fw_flash_unlock_keys(struct fw_flash_ctx *c, uint32_t keyr, uint32_t key1, uint32_t key2, uint32_t lock_reg,
                         uint32_t lock_bit, const char *what);

/* The sector of flash region r holding addr: its index in the region, its
 * start and size (from the region's layout; without one, erase_size). */
uint32_t fw_flash_sector(const fw_region *r, uint64_t addr, uint64_t *start, uint32_t *size);
/* The page or sector index of addr in the target's flash (0 outside it). */
uint32_t fw_flash_sector_index(const fw_target *t, uint32_t addr);
/* Sleeps us microseconds: the drivers' pacing between polls. */
void fw_flash_sleep_us(unsigned us);
/* A wait of about us microseconds for the flash: a piece of the stage goes
 * to SRAM instead while the flash erases and some is left, else a sleep;
 * *used: the microseconds it took (for a piece, as the wire's speed says) */
int fw_flash_idle(struct fw_flash_ctx *c, unsigned us, unsigned *used);
/* The bytes a second the wire carries to SRAM, from the probe's SWD clock. */
uint64_t fw_flash_wire_bytes_per_s(const struct fw_flash_ctx *c);
/* A monotonic clock in milliseconds, for deadlines. */
uint64_t fw_flash_now_ms(void);

#endif
