/* SPDX-License-Identifier: MIT */
/* fwkit's RAM flash loaders: Thumb code that programs flash from a buffer in
 * SRAM (sources in loaders/NAME.S, bytes in loaders.c, made by
 * mk/assemble-loaders.sh), and running one through the probe. */
#ifndef FWKIT_FLASH_LOADERS_H
#define FWKIT_FLASH_LOADERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct fw_loader {
    const uint8_t *code;
    size_t len;
    unsigned args; /* the host sets r0 to r(args-1) before a run, the others not (a round trip each) */
};

extern const struct fw_loader fw_loader_ring, fw_loader_ring_v7m, fw_loader_l0l1_erase, fw_loader_l4g0_erase,
    fw_loader_hash, fw_loader_hash_v7m, fw_loader_checksum;

struct fw_flash_ctx;

/* Bytes one run can take: what fits in SRAM after the loader (at most 16 KiB),
 * in whole units; 0 when the part's SRAM is too small to be worth it. */
uint32_t fw_loader_chunk(const struct fw_flash_ctx *c, unsigned unit);
/* Programs len bytes at dst through the loader: the code (once per
 * context and loader) and the data (none when data is NULL) go to SRAM,
 * r0-r4 are set (r4 = arg), the core runs until its BKPT. expect_us paces the polls. A loader that stops early is
 * FLASH-LOADER, and the driver's status check says why. */
int fw_loader_run(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t dst, const uint8_t *data, uint32_t len,
                  uint32_t arg, unsigned expect_us);

/* The SRAM the checksum routine borrows (its code and a parameter block),
 * from *base; 0 when the part's SRAM cannot take it. */
uint32_t fw_loader_checksum_footprint(const struct fw_flash_ctx *c, uint32_t *base);
/* Runs the checksum routine (loaders/checksum.S) of kind over len bytes at
 * addr, continuing *state. */
int fw_loader_checksum_run(struct fw_flash_ctx *c, uint32_t kind, uint32_t *state, uint32_t addr, uint32_t len);

/* What the ring loader (loaders/ring.S) needs to know of a controller. */
struct fw_ring_family {
    uint32_t sr;          /* the status register's offset */
    uint32_t busy, errors; /* its masks */
    uint32_t unit;        /* bytes a write unit: 2 with half-word stores, else word stores */
    unsigned unit_us;     /* the typical time of one unit */
    /* erasing ahead (fw_flash_driver.erases_ahead): the control register's
     * offset, its programming mode, the value selecting the sector at addr
     * and the bit that starts its erase */
    uint32_t cr, program_mode;
    uint32_t (*erase_select)(const struct fw_flash_ctx *c, uint32_t addr);
    uint32_t erase_start;
};
/* Sectors the ring loader erases itself, each when its programming reaches
 * it, so the flash erases while the wire carries data (families that erase
 * a sector with two writes of one control register) */
struct fw_ring_erase {
    uint32_t cr;           /* the control register */
    uint32_t program_mode; /* written to it after each erase */
    uint32_t start;        /* the bit that starts an erase, with the select value */
    uint32_t *table;       /* n sectors in address order: {address, select value} */
    uint32_t n;
    uint32_t erased;     /* out: how many it erased */
    bool failed_erasing; /* out: it stopped on an erase's error */
};
/* Ranges the ring loader hashes (as loaders/hash.S), each once programming
 * has passed its end: the verification of what it wrote, with no other
 * routine to load */
struct fw_ring_hash {
    uint32_t n;
    const uint32_t *addr, *len; /* word aligned; lengths multiples of 8, not 0 */
    uint32_t *hash;             /* out */
    bool done;                  /* out: the loader reached its end and hash holds its values */
    struct timespec began;      /* when fw_loader_ring_hash_begin started it */
};
/* The ring loader's slot size in SRAM for a unit, or 0 when SRAM is too small. */
uint32_t fw_loader_ring_slot(const struct fw_flash_ctx *c, unsigned unit);
/* Programs len bytes (whole units) at dst through the ring loader: the host
 * fills slots of SRAM ahead of the core, so the wire and the flash work at
 * once; the sectors of e (NULL: none) it erases first, each as programming
 * reaches it, and the ranges of h (NULL: none) it hashes as it passes. The
 * controller's programming mode is the caller's to set. A loader that stops
 * early is FLASH-LOADER, with the address. */
int fw_loader_stream(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t dst, const uint8_t *data,
                     uint32_t len, struct fw_ring_erase *e, struct fw_ring_hash *h);

/* The bytes fw_flash_stage can take in SRAM for a write unit, and where its
 * ring header goes; 0 when the ring loader cannot run here. */
struct fw_flash_stage;
uint32_t fw_loader_stage_room(const struct fw_flash_ctx *c, unsigned unit, uint32_t *header);
/* Puts the stage's next piece in SRAM: at most most bytes. */
int fw_loader_stage_piece(struct fw_flash_ctx *c, struct fw_flash_stage *s, uint32_t most);
/* Programs what of the stage reached SRAM through the ring loader, as one
 * slot, and says how much (*len); nothing when that is less than the ring's
 * two slots. Failures as fw_loader_stream's. */
int fw_loader_run_stage(struct fw_flash_ctx *c, const struct fw_ring_family *f, struct fw_flash_stage *s,
                        uint32_t *len);

/* The hash loaders/hash.S computes, on the host's side. */
uint32_t fw_loader_hash_of(const uint8_t *data, size_t len);
/* Runs loaders/hash.S over n ranges [addr[i], addr[i] + len[i]) (lengths
 * multiples of 4, not 0): the chip's core reads its flash back; hash[i] is
 * what it made of range i. As many runs as the table needs in SRAM. */
int fw_loader_hash_ranges(struct fw_flash_ctx *c, const uint32_t *addr, const uint32_t *len, size_t n, uint32_t *hash);
/* The same hashes from the ring loader with nothing to program (lengths
 * multiples of 8): its code stays in SRAM for the write that follows.
 * FW_EINVAL when SRAM cannot take it. */
int fw_loader_ring_hash(struct fw_flash_ctx *c, const uint32_t *addr, const uint32_t *len, size_t n, uint32_t *hash);
/* The same in two steps, so the host can work while the core hashes: the
 * ranges of h (as many as one run takes: FW_EINVAL beyond, and where it
 * cannot run) start hashing, *expect_us their typical time; _end waits
 * for the end and fills h->hash. */
int fw_loader_ring_hash_begin(struct fw_flash_ctx *c, struct fw_ring_hash *h, unsigned *expect_us);
int fw_loader_ring_hash_end(struct fw_flash_ctx *c, struct fw_ring_hash *h, unsigned expect_us);
/* The SRAM fw_loader_hash_ranges overwrites for n ranges: [*base, *base +
 * the value returned); 0 when it cannot run on this chip. */
uint32_t fw_loader_hash_footprint(const struct fw_flash_ctx *c, size_t n, uint32_t *base);

#endif
