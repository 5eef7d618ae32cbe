/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32L5/U5/WBA flash controller (flash_l5u5.h). Facts from
 * the FLASH chapters of RM0438, RM0456 and RM0493: the two-key unlock of
 * NSKEYR and SECKEYR, each locking its own CR (LOCK, bit 31) until reset
 * after a wrong key; PER with PNB (BKER for bank 2) and STRT erases a page,
 * MER1/MER2 a bank; with PG set, writes gather a flash word (8 bytes on L5,
 * 16 on U5/WBA) programmed when its last word arrives, PROGERR when it was
 * not erased (unless the data is all zeros), SIZERR for a write that is not
 * a word, PGSERR without PG, PGAERR for a write outside the word under way;
 * WRPERR for a page in a WRP area and, with TrustZone on, for a page of the
 * other security (secure: inside SECWMx_PSTRT..PEND or its SECBBxRy bit
 * set; the volatile SECBB registers clear at reset); the secure registers
 * read as zero and ignore writes unless the access is secure (and TZEN=1).
 * Choices where the manuals leave it open are marked "model:". */
#include "flash_l5u5.h"

#include <string.h>

#define ERRORS (L5_SR_OPERR | L5_SR_PROGERR | L5_SR_WRPERR | L5_SR_PGAERR | L5_SR_SIZERR | L5_SR_PGSERR)

static uint32_t page_field(const struct flash_l5u5 *f)
{
    return (1u << f->pnb_bits) - 1;
}

void flash_l5u5_set_trustzone(struct flash_l5u5 *f, bool on)
{
    uint32_t all = page_field(f), last = f->bank_size / f->page_size - 1;
    /* model: the factory option bytes as the manuals' reset values give
     * them: RDP level 0 (0xAA), the user bits set, L5's DBANK (bit 22) set;
     * no WRP area (start above end), no secure area; boot at 0x08000000, or
     * the bootloader in system memory with BOOT0 high */
    f->optr = f->optr_stored = 0x7FEFF8AAu | (on ? L5_OPTR_TZEN : 0);
    f->nsbootadd[0] = 0x08000000u;
    f->nsbootadd[1] = 0x0BF90000u;
    f->secbootadd0 = 0x0C000000u;
    for (int b = 0; b < 2; b++) {
        /* TZEN set: the whole of each bank is secure by its watermark, as the
         * manuals give SECWMx's value after TrustZone is turned on */
        f->secwm[b][0] = on ? last << 16 : all;
        f->secwm[b][1] = 0;
        f->wrp[b][0] = f->wrp[b][1] = all;
    }
}

void flash_l5u5_init(struct flash_l5u5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                     uint32_t page_size, uint32_t word_size, unsigned pnb_bits, uint32_t bker)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->bank_size = bank_size && bank_size < flash_size ? bank_size : flash_size;
    f->page_size = page_size ? page_size : 2048;
    f->word_size = word_size == 16 ? 16 : 8;
    f->pnb_bits = pnb_bits ? pnb_bits : 7;
    f->bker = bker;
    f->fault_wrp.unit = f->page_size;
    flash_l5u5_set_trustzone(f, false);
    flash_l5u5_reset(f);
}

void flash_l5u5_reset(struct flash_l5u5 *f)
{
    for (int s = 0; s < 2; s++) {
        struct flash_l5u5_side *k = &f->side[s];
        k->cr = L5_CR_LOCK | (s ? 0 : L5_CR_OPTLOCK);
        k->sr = 0;
        k->keys = (struct key_sequence){0};
        k->locked_out = false;
        k->word_filled = 0;
    }
    f->opt_keys = (struct key_sequence){0};
    memset(f->secbb, 0, sizeof(f->secbb));
    f->busy = (struct flash_busy){0};
}

static bool tzen(const struct flash_l5u5 *f)
{
    return f->optr & L5_OPTR_TZEN;
}

/* whether an area register (pages start..end, none when start > end) holds the page */
static bool in_area(const struct flash_l5u5 *f, uint32_t area, uint32_t page)
{
    uint32_t start = area & page_field(f), end = area >> 16 & page_field(f);
    return start <= end && page >= start && page <= end;
}

static bool page_secure(const struct flash_l5u5 *f, int bank, uint32_t page)
{
    return tzen(f) && (in_area(f, f->secwm[bank][0], page) ||
                       (page / 32 < L5_SECBB_REGS && (f->secbb[bank][page / 32] >> (page % 32) & 1)));
}

bool flash_l5u5_secure_at(const struct flash_l5u5 *f, uint32_t offset)
{
    int bank = offset >= f->bank_size;
    return page_secure(f, bank, (offset - (uint32_t)bank * f->bank_size) / f->page_size);
}

/* WRPERR for an operation from side s on the page at offset: a WRP area, a
 * --fault wrp page, or a page of the other security */
static bool refused(const struct flash_l5u5 *f, int s, uint32_t offset)
{
    int bank = offset >= f->bank_size;
    uint32_t page = (offset - (uint32_t)bank * f->bank_size) / f->page_size;
    return in_area(f, f->wrp[bank][0], page) || in_area(f, f->wrp[bank][1], page) ||
           wrp_unit_protected(&f->fault_wrp, offset / f->page_size) || page_secure(f, bank, page) != (s == 1);
}

/* a secure register reached by a non-secure access, or with TrustZone off: RAZ/WI */
static bool hidden(const struct flash_l5u5 *f, uint32_t offset, bool secure)
{
    bool secure_reg = offset == L5_SECKEYR || offset == L5_SECSR || offset == L5_SECCR ||
                      (offset >= L5_SECBB1R1 && offset < L5_SECBB2R1 + 4 * L5_SECBB_REGS);
    return secure_reg && !(secure && tzen(f));
}

uint32_t flash_l5u5_read_reg(struct flash_l5u5 *f, uint32_t offset, bool secure, uint64_t now_ns)
{
    if (hidden(f, offset, secure))
        return 0;
    switch (offset) {
    case L5_NSSR:
    case L5_SECSR: {
        const struct flash_l5u5_side *k = &f->side[offset == L5_SECSR];
        return flash_sr_read(&f->busy, now_ns, k->sr, L5_SR_BSY, L5_SR_EOP) |
               (k->word_filled && f->word_size == 16 ? L5_SR_WDW : 0);
    }
    case L5_NSCR: return f->side[0].cr;
    case L5_SECCR: return f->side[1].cr;
    case L5_OPTR: return f->optr;
    case L5_NSBOOTADD0R: return f->nsbootadd[0];
    case L5_NSBOOTADD1R: return f->nsbootadd[1];
    case L5_SECBOOTADD0R: return f->secbootadd0;
    case L5_SECWM1R1: return f->secwm[0][0];
    case L5_SECWM1R2: return f->secwm[0][1];
    case L5_WRP1AR: return f->wrp[0][0];
    case L5_WRP1BR: return f->wrp[0][1];
    case L5_SECWM2R1: return f->secwm[1][0];
    case L5_SECWM2R2: return f->secwm[1][1];
    case L5_WRP2AR: return f->wrp[1][0];
    case L5_WRP2BR: return f->wrp[1][1];
    default: break;
    }
    if (offset >= L5_SECBB1R1 && offset < L5_SECBB1R1 + 4 * L5_SECBB_REGS)
        return f->secbb[0][(offset - L5_SECBB1R1) / 4];
    if (offset >= L5_SECBB2R1 && offset < L5_SECBB2R1 + 4 * L5_SECBB_REGS)
        return f->secbb[1][(offset - L5_SECBB2R1) / 4];
    return 0;
}

static void erase_pages(struct flash_l5u5 *f, int s, uint32_t offset, uint32_t size, uint64_t now_ns)
{
    struct flash_l5u5_side *k = &f->side[s];
    for (uint32_t o = offset; o < offset + size; o += f->page_size)
        if (refused(f, s, o)) {
            k->sr |= L5_SR_WRPERR; /* nothing erased */
            return;
        }
    memset(f->flash + offset, 0xFF, size);
    f->stats.erases++;
    /* model: a bank takes as long as a page (as L4's mass erase in its datasheet) */
    flash_start_operation(&f->busy, &f->stats, now_ns, L5_ERASE_NS(f->page_size));
    k->sr |= L5_SR_EOP;
}

static void start_operation(struct flash_l5u5 *f, int s, uint64_t now_ns)
{
    struct flash_l5u5_side *k = &f->side[s];
    if (k->sr & ERRORS) {
        k->sr |= L5_SR_PGSERR; /* an error flag left set: the next operation is a sequence error (as L4) */
        return;
    }
    if (k->cr & L5_CR_PER) {
        int bank = f->bker && (k->cr & f->bker) ? 1 : 0;
        uint32_t page = k->cr >> 3 & page_field(f), offset = (uint32_t)bank * f->bank_size + page * f->page_size;
        if ((bank && f->bank_size == f->flash_size) || page * f->page_size >= f->bank_size) {
            k->sr |= L5_SR_OPERR; /* model: a page the bank does not have */
            return;
        }
        erase_pages(f, s, offset, f->page_size, now_ns);
    } else if (k->cr & (L5_CR_MER1 | L5_CR_MER2)) {
        if (k->cr & L5_CR_MER1)
            erase_pages(f, s, 0, f->bank_size, now_ns);
        if ((k->cr & L5_CR_MER2) && f->bank_size < f->flash_size && !(k->sr & L5_SR_WRPERR))
            erase_pages(f, s, f->bank_size, f->flash_size - f->bank_size, now_ns);
    } else {
        k->sr |= L5_SR_PGSERR; /* model: STRT with no operation chosen */
    }
}

void flash_l5u5_write_reg(struct flash_l5u5 *f, uint32_t offset, uint32_t value, bool secure, uint64_t now_ns)
{
    if (hidden(f, offset, secure))
        return;
    switch (offset) {
    case L5_NSKEYR:
    case L5_SECKEYR: {
        struct flash_l5u5_side *k = &f->side[offset == L5_SECKEYR];
        k->cr = flash_keyr_write(&k->keys, &k->locked_out, k->cr, L5_CR_LOCK, value);
        break;
    }
    case L5_NSCR:
    case L5_SECCR: {
        int s = offset == L5_SECCR;
        struct flash_l5u5_side *k = &f->side[s];
        if (value & L5_CR_LOCK) {
            k->cr |= L5_CR_LOCK; /* setting LOCK is allowed while locked */
            break;
        }
        if (k->cr & L5_CR_LOCK)
            break; /* CR cannot be written while locked */
        bool options = !s && !(k->cr & L5_CR_OPTLOCK);
        k->cr = (value & ~(L5_CR_STRT | L5_CR_OPTLOCK | L5_CR_OPTSTRT | L5_CR_OBL_LAUNCH)) | (k->cr & L5_CR_OPTLOCK);
        if (value & L5_CR_STRT)
            start_operation(f, s, now_ns);
        if ((value & L5_CR_OPTSTRT) && options) { /* RM0438 §6.4.2: the option registers programmed */
            f->optr_stored = f->optr;
            f->stats.programs++;
            flash_start_operation(&f->busy, &f->stats, now_ns, L5_ERASE_NS(f->page_size)); /* model: a page erase */
            k->sr |= L5_SR_EOP;
        }
        if ((value & L5_CR_OBL_LAUNCH) && options)
            f->obl_requested = true;
        break;
    }
    case L5_OPTKEYR:
        /* RM0438 §6.4.2: the option keys clear OPTLOCK once NSCR's LOCK is clear */
        if (key_sequence_step(&f->opt_keys, &f->side[0].locked_out, FLASH_OPTKEY1, FLASH_OPTKEY2,
                              !(f->side[0].cr & L5_CR_LOCK) && (f->side[0].cr & L5_CR_OPTLOCK), value) == KEY_UNLOCKED)
            f->side[0].cr &= ~L5_CR_OPTLOCK;
        else if (f->side[0].locked_out)
            f->side[0].cr |= L5_CR_LOCK | L5_CR_OPTLOCK;
        break;
    case L5_OPTR:
        if (!(f->side[0].cr & L5_CR_OPTLOCK))
            f->optr = (value & ~L5_OPTR_TZEN) | (f->optr & L5_OPTR_TZEN);
        break;
    case L5_NSSR:
    case L5_SECSR: f->side[offset == L5_SECSR].sr &= ~(value & (ERRORS | L5_SR_EOP)); break;
    default:
        if (offset >= L5_SECBB1R1 && offset < L5_SECBB1R1 + 4 * L5_SECBB_REGS)
            f->secbb[0][(offset - L5_SECBB1R1) / 4] = value;
        else if (offset >= L5_SECBB2R1 && offset < L5_SECBB2R1 + 4 * L5_SECBB_REGS)
            f->secbb[1][(offset - L5_SECBB2R1) / 4] = value;
        break; /* model: the option registers are read-only here */
    }
}

static void program_word(struct flash_l5u5 *f, int s, uint64_t now_ns)
{
    struct flash_l5u5_side *k = &f->side[s];
    uint8_t *at = f->flash + k->word_offset;
    bool erased = true, zeros = true;
    for (uint32_t i = 0; i < f->word_size; i++) {
        erased = erased && at[i] == 0xFF;
        zeros = zeros && k->word[i] == 0;
    }
    k->word_filled = 0;
    if (refused(f, s, k->word_offset)) {
        k->sr |= L5_SR_WRPERR;
        return;
    }
    if (!erased && !zeros) {
        k->sr |= L5_SR_PROGERR;
        return;
    }
    for (uint32_t i = 0; i < f->word_size; i++)
        at[i] &= k->word[i];
    f->stats.programs++;
    flash_start_operation(&f->busy, &f->stats, now_ns, L5_WORD_NS);
    k->sr |= L5_SR_EOP;
}

void flash_l5u5_write_flash(struct flash_l5u5 *f, uint32_t addr, uint32_t value, unsigned size, bool secure,
                            uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    int s = secure && tzen(f);
    struct flash_l5u5_side *k = &f->side[s];
    uint32_t offset = addr - f->flash_base;
    if (!(k->cr & L5_CR_PG) || (k->cr & L5_CR_LOCK)) {
        k->sr |= L5_SR_PGSERR;
        return;
    }
    if (size != 4 || (offset & 3)) {
        k->sr |= L5_SR_SIZERR;
        k->word_filled = 0;
        return;
    }
    uint32_t word = offset / f->word_size * f->word_size;
    if (k->word_filled && word != k->word_offset) {
        k->sr |= L5_SR_PGAERR;
        k->word_filled = 0;
        return;
    }
    k->word_offset = word;
    for (unsigned i = 0; i < 4; i++)
        k->word[offset - word + i] = (uint8_t)(value >> (8 * i));
    k->word_filled |= 0xFu << (offset - word);
    if (k->word_filled == (f->word_size == 16 ? 0xFFFFu : 0xFFu))
        program_word(f, s, now_ns);
}
