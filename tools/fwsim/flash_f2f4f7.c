/* SPDX-License-Identifier: MIT */
/* fwsim: the F2/F4/F7 flash controller. Facts from
 * RM0090 §3; where the reference leaves a behaviour
 * open, the choice made here is marked "model:". */
#include "flash_f2f4f7.h"

#include <string.h>

#define ERRORS (F4_SR_OPERR | F4_SR_WRPERR | F4_SR_PGAERR | F4_SR_PGPERR | F4_SR_PGSERR)

void flash_f2f4f7_init(struct flash_f2f4f7 *f, uint8_t *flash, uint32_t flash_base, const uint32_t *sizes,
                       uint32_t nsectors)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->nsectors = nsectors < F4_MAX_SECTORS ? nsectors : F4_MAX_SECTORS;
    for (uint32_t i = 0; i < f->nsectors; i++) {
        f->sector_start[i] = f->flash_size;
        f->sector_size[i] = sizes[i];
        f->flash_size += sizes[i];
    }
    flash_f2f4f7_reset(f);
}

/* OPTCR as the option bytes load it (RM0090 §3.9.10): USER/BOR [7:0], RDP
 * [15:8], nWRP [27:16], OPTLOCK set; without option bytes, the reset value */
static uint32_t loaded_optcr(const struct flash_f2f4f7 *f)
{
    if (!f->ob || f->ob->layout != OB_F2F4F7)
        return 0x0FFFAAEDu;
    const uint8_t *b = f->ob->loaded;
    /* nWRP [27:16] and, above it, SPRMOD, DB1M (F42x/F43x) or nDBANK and nDBOOT (F76x/F77x) */
    uint32_t high = b[8] | (uint32_t)b[9] << 8;
    return F4_OPTCR_OPTLOCK | (b[0] & 0xECu) | (uint32_t)b[1] << 8 | high << 16;
}

void flash_f2f4f7_reset(struct flash_f2f4f7 *f)
{
    f->cr = F4_CR_LOCK;
    f->sr = 0;
    f->optcr = loaded_optcr(f);
    /* RM0090 §3.7.4: nWRP bit n clear protects sector n of bank 1; model: bank 2's
     * bits (OPTCR1) and SPRMOD's PCROP reading of them are not decoded */
    f->option_protected = ~(f->optcr >> 16) & 0xFFFu;
    f->keys = f->opt_keys = (struct key_sequence){0};
    f->key_locked_out = false;
    f->busy = (struct flash_busy){0};
}

static uint32_t protected_sectors(const struct flash_f2f4f7 *f)
{
    return f->protected_sectors | f->option_protected;
}

uint32_t flash_f2f4f7_read_reg(struct flash_f2f4f7 *f, uint32_t offset, uint64_t now_ns)
{
    switch (offset) {
    case F4_CR: return f->cr;
    case F4_SR:
        return flash_sr_read(&f->busy, now_ns, f->sr, F4_SR_BSY, F4_SR_EOP);
    /* nWRP bit n clear protects sector n (RM0090 §3.7.4); a sector that --fault wrp
     * protects reads as protected too */
    case F4_OPTCR: return (f->optcr & ~(0xFFFu << 16)) | (f->optcr >> 16 & ~f->protected_sectors & 0xFFFu) << 16;
    default: return 0;
    }
}

static uint64_t sector_erase_ns(uint32_t size)
{
    return size <= 16384 ? 250000000ull : size <= 65536 ? 550000000ull : 1000000000ull;
}

/* MER, MER1 or both: the sectors of bank 1, bank 2, or all (RM0090 §3) */
static void mass_erase(struct flash_f2f4f7 *f, uint32_t ops, uint64_t now_ns)
{
    uint32_t split = f->bank2_first ? f->bank2_first : f->nsectors;
    uint32_t from = ops & F4_CR_MER ? 0 : split, to = ops & F4_CR_MER1 && f->bank2_first ? f->nsectors : split;
    if ((ops & F4_CR_MER1) && !f->bank2_first) {
        f->sr |= F4_SR_PGSERR; /* model: MER1 without a second bank */
        return;
    }
    uint32_t mask = (to >= 32 ? ~0u : (1u << to) - 1) & ~((1u << from) - 1);
    if (protected_sectors(f) & mask) {
        f->sr |= F4_SR_WRPERR;
        return;
    }
    uint32_t end = to < f->nsectors ? f->sector_start[to] : f->flash_size;
    memset(f->flash + f->sector_start[from], F4_ERASED, end - f->sector_start[from]);
    f->stats.erases++;
    flash_start_operation(&f->busy, &f->stats, now_ns, F4_MASS_ERASE_NS);
    f->sr |= F4_SR_EOP;
}

static void start(struct flash_f2f4f7 *f, uint64_t now_ns)
{
    uint32_t ops = f->cr & (F4_CR_SER | F4_CR_MER | F4_CR_MER1);
    if (((ops & F4_CR_SER) && (ops & (F4_CR_MER | F4_CR_MER1))) || !ops)
        return; /* RM0090 §3: with SER and MER both set nothing is erased */
    if (!(ops & F4_CR_SER)) {
        mass_erase(f, ops, now_ns);
        return;
    }
    uint32_t n = f->cr >> F4_CR_SNB_SHIFT & 0x1F;
    if (f->bank2_first) /* RM0090 §3: bank 2's sectors 12-23 are SNB 16-27 */
        n = n >= 16 ? n - 16 + f->bank2_first : n >= f->bank2_first ? UINT32_MAX : n;
    if (n >= f->nsectors) {
        f->sr |= F4_SR_PGSERR; /* model: a sector that does not exist */
        return;
    }
    if (protected_sectors(f) >> n & 1) {
        f->sr |= F4_SR_WRPERR;
        return;
    }
    memset(f->flash + f->sector_start[n], F4_ERASED, f->sector_size[n]);
    f->stats.erases++;
    flash_start_operation(&f->busy, &f->stats, now_ns, sector_erase_ns(f->sector_size[n]));
    f->sr |= F4_SR_EOP;
}

/* RM0090 §3.6.2: OPTSTRT erases the user configuration sector and programs
 * it with OPTCR's values; going from RDP level 1 to 0 mass-erases the flash
 * first (RM0090 §3.7.3). Level 2 is final. model: the options take the time of a
 * 16 KiB sector erase; level 2 refuses with WRPERR. */
static void program_options(struct flash_f2f4f7 *f, uint64_t now_ns)
{
    if (!f->ob || f->ob->layout != OB_F2F4F7)
        return;
    if (f->ob->rdp_level == 2) {
        f->sr |= F4_SR_WRPERR;
        return;
    }
    uint8_t rdp = (uint8_t)(f->optcr >> 8);
    uint64_t op_ns = sector_erase_ns(16384) +
                     ob_regress(f->ob, rdp, f->flash, f->flash_size, F4_ERASED, &f->stats, F4_MASS_ERASE_NS);
    uint8_t *b = f->ob->bytes;
    b[0] = (uint8_t)(f->optcr & 0xEC);
    b[1] = rdp;
    b[8] = (uint8_t)(f->optcr >> 16);
    b[9] = (uint8_t)((b[9] & 0xF0) | (f->optcr >> 24 & 0x0F));
    f->stats.programs++;
    flash_start_operation(&f->busy, &f->stats, now_ns, op_ns);
    f->sr |= F4_SR_EOP;
}

void flash_f2f4f7_write_reg(struct flash_f2f4f7 *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    switch (offset) {
    case F4_KEYR:
        f->cr = flash_keyr_write(&f->keys, &f->key_locked_out, f->cr, F4_CR_LOCK, value);
        break;
    case F4_CR:
        if (f->cr & F4_CR_LOCK) {
            f->cr |= value & F4_CR_LOCK;
            return;
        }
        f->cr = value & ~F4_CR_STRT;
        if (value & F4_CR_STRT)
            start(f, now_ns);
        break;
    case F4_SR: f->sr &= ~(value & (ERRORS | F4_SR_EOP)); break;
    case F4_OPTKEYR:
        /* RM0090 §3.6.2: the option keys clear OPTLOCK; a wrong one locks until reset */
        if (key_sequence_step(&f->opt_keys, &f->key_locked_out, FLASH_OPTKEY1, FLASH_OPTKEY2,
                              f->optcr & F4_OPTCR_OPTLOCK, value) == KEY_UNLOCKED)
            f->optcr &= ~F4_OPTCR_OPTLOCK;
        else if (f->key_locked_out) {
            f->optcr |= F4_OPTCR_OPTLOCK;
            f->cr |= F4_CR_LOCK;
        }
        break;
    case F4_OPTCR:
        if (f->optcr & F4_OPTCR_OPTLOCK)
            return;
        f->optcr = value & ~F4_OPTCR_OPTSTRT;
        if (value & F4_OPTCR_OPTSTRT)
            program_options(f, now_ns);
        break;
    default: break;
    }
}

static uint32_t sector_of(const struct flash_f2f4f7 *f, uint32_t offset)
{
    uint32_t n = 0;
    while (n + 1 < f->nsectors && offset >= f->sector_start[n + 1])
        n++;
    return n;
}

void flash_f2f4f7_write_otp(struct flash_f2f4f7 *f, uint8_t *otp, uint32_t offset, uint32_t value, unsigned size,
                            uint64_t now_ns)
{
    if (!(f->cr & F4_CR_PG)) {
        f->sr |= F4_SR_PGSERR;
        return;
    }
    if (size != 1u << (f->cr >> F4_CR_PSIZE_SHIFT & 3)) {
        f->sr |= F4_SR_PGPERR;
        return;
    }
    uint32_t data = F4_OTP_BLOCKS * F4_OTP_BLOCK;
    if (offset < data && otp[data + offset / F4_OTP_BLOCK] == 0x00) {
        f->sr |= F4_SR_WRPERR; /* model: the locked block's refusal is reported as WRPERR */
        return;
    }
    for (unsigned i = 0; i < size; i++)
        otp[offset + i] &= (uint8_t)(value >> (8 * i));
    f->stats.programs++;
    flash_start_operation(&f->busy, &f->stats, now_ns, F4_PROGRAM_NS);
    f->sr |= F4_SR_EOP;
}

void flash_f2f4f7_write_flash(struct flash_f2f4f7 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    uint32_t offset = addr - f->flash_base;
    if (!(f->cr & F4_CR_PG)) {
        f->sr |= F4_SR_PGSERR; /* RM0090 §3: PG is not set */
        return;
    }
    if (size != 1u << (f->cr >> F4_CR_PSIZE_SHIFT & 3)) {
        f->sr |= F4_SR_PGPERR; /* RM0090 §3: the access size does not match PSIZE */
        return;
    }
    if (offset % 16 + size > 16) {
        f->sr |= F4_SR_PGAERR; /* RM0090 §3: the write crosses a 128-bit row */
        return;
    }
    if (protected_sectors(f) >> sector_of(f, offset) & 1) {
        f->sr |= F4_SR_WRPERR;
        return;
    }
    /* RM0090 §3: programming again without an erase may only clear bits; model:
     * bits already at 0 stay 0 */
    for (unsigned i = 0; i < size; i++)
        f->flash[offset + i] &= (uint8_t)(value >> (8 * i));
    f->stats.programs++;
    flash_start_operation(&f->busy, &f->stats, now_ns, F4_PROGRAM_NS);
    f->sr |= F4_SR_EOP;
}
