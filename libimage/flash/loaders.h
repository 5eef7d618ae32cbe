/* fwkit's RAM flash loaders: Thumb code that programs flash from a buffer in
 * SRAM (sources in loaders/NAME.S, bytes in loaders.c, made by
 * mk/assemble-loaders.sh), and running one through the probe. */
#ifndef FWKIT_FLASH_LOADERS_H
#define FWKIT_FLASH_LOADERS_H

#include <stddef.h>
#include <stdint.h>

struct fw_loader {
    const uint8_t *code;
    size_t len;
};

extern const struct fw_loader fw_loader_f0f1f3, fw_loader_l0l1, fw_loader_l0l1_erase, fw_loader_l4g0_erase,
    fw_loader_hash;

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

/* The hash loaders/hash.S computes, on the host's side. */
uint32_t fw_loader_hash_of(const uint8_t *data, size_t len);
/* Runs loaders/hash.S over [addr, addr + len) (len a multiple of 4): the
 * chip's core reads its flash back; *hash is what it made of it. */
int fw_loader_hash_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t len, uint32_t *hash);

#endif
