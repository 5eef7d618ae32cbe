/* SPDX-License-Identifier: MIT */
/* fwsim: the L4/G0/G4/WB/C0 flash controller. Facts from
 * RM0351 §3.3 and RM0444 §3.3; where the reference leaves a behaviour
 * open, the choice made here is marked "model:". */
#include "flash_l4g0.h"

#include <string.h>

#define ERRORS                                                                                                         \
    (L4_SR_OPERR | L4_SR_PROGERR | L4_SR_WRPERR | L4_SR_PGAERR | L4_SR_SIZERR | L4_SR_PGSERR | L4_SR_MISERR |        \
     L4_SR_FASTERR)

void flash_l4g0_init(struct flash_l4g0 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size,
                     uint32_t page_size, unsigned pnb_bits)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->page_size = page_size;
    f->pnb_bits = pnb_bits;
    f->wrp.unit = page_size;
    flash_l4g0_reset(f);
}

void flash_l4g0_reset(struct flash_l4g0 *f)
{
    f->cr = L4_CR_LOCK | L4_CR_OPTLOCK;
    f->sr = 0;
    f->optr = f->run_optr_set ? f->run_optr : 0xFFEFF8AAu; /* RM0351 §3.7.8: level 0, user options at their defaults */
    f->wrp_area[0] = f->wrp_area[1] = L4_WRP_NONE;
    if (f->ob && f->ob->layout == OB_L4G0) {
        f->optr = fw_get_le32(f->ob->loaded);
        if (f->ob->load_error)
            f->sr |= L4_SR_OPTVERR; /* RM0351 §3.4.2: OPTR and its complement disagreed */
        for (unsigned a = 0; a < OB_L4G0_WRP_AREAS; a++)
            if (ob_l4g0_wrp_offset(f->ob, a))
                f->wrp_area[a] = fw_get_le32(f->ob->loaded + ob_l4g0_wrp_offset(f->ob, a));
    }
    ob_load_write_protection(f->ob, f->bank_size ? f->bank_size : f->flash_size, f->pnb_bits, &f->wrp);
    f->keys = f->opt_keys = (struct key_sequence){0};
    f->key_locked_out = false;
    f->have_first_word = false;
    f->fast_words = 0;
    f->busy = (struct flash_busy){0};
    f->busy_bits = L4_SR_BSY;
}

uint32_t flash_l4g0_read_reg(struct flash_l4g0 *f, uint32_t offset, uint64_t now_ns)
{
    if (f->sfr_offset && offset == f->sfr_offset)
        return f->sfr; /* model: CPU2 alone writes it (through the FUS); read-only here */
    switch (offset) {
    case L4_CR: return f->cr;
    case L4_SR:
        return flash_sr_read(&f->busy, now_ns, f->sr, f->busy_bits, L4_SR_EOP);
    case L4_OPTR: return f->optr;
    case L4_WRP1AR:
    case L4_WRP1BR: {
        uint32_t area = f->wrp_area[offset == L4_WRP1BR];
        if (offset == L4_WRP1BR || (area & 0xFF) <= (area >> 16 & 0xFF))
            return area;
        /* model: with no area A in the options, one that --fault wrp set shows
         * there, as its first run of pages */
        uint32_t start = 0xFF, end = 0;
        for (uint32_t page = 0; page < 256; page++)
            if (f->wrp.fault[page / 32] >> (page % 32) & 1) {
                if (start == 0xFF)
                    start = end = page;
                else if (page == end + 1)
                    end = page;
            }
        return start == 0xFF ? area : (area & 0xFF00FF00u) | start | end << 16;
    }
    default: return 0;
    }
}

/* The operation on flash [offset, offset + len) runs for op_ns: BSY, or on
 * a G0 with two banks BSY1 for bank 1 and BSY2 for bank 2 (RM0444 §3.7.4).
 * model: EOP is set only while EOPIE is (RM0351's wording as recalled) */
static void finish_operation(struct flash_l4g0 *f, uint64_t now_ns, uint64_t op_ns, uint32_t offset, uint32_t len)
{
    f->busy_bits = L4_SR_BSY;
    if (f->has_bsy2 && f->bank_size)
        f->busy_bits = (offset < f->bank_size ? L4_SR_BSY : 0) | (offset + len > f->bank_size ? G0_SR_BSY2 : 0);
    flash_start_operation(&f->busy, &f->stats, now_ns, op_ns);
    if (f->cr & L4_CR_EOPIE)
        f->sr |= L4_SR_EOP;
}

/* RM0434 FLASH_SFR: the pages from SFSA up are CPU2's unless FSD is set;
 * CPU1 and the debugger can neither erase nor write them (ST's moderators on
 * community.st.com: "any sector above the one pointed by the SFSA option
 * byte is not accessible"). model: such an erase or write, or a mass erase
 * while the area exists, is refused with WRPERR and changes nothing. */
bool flash_l4g0_in_cpu2_area(const struct flash_l4g0 *f, uint32_t offset, uint32_t len)
{
    if (!f->sfr_offset || (f->sfr & f->fsd_mask) || !f->sfsa_mask)
        return false;
    uint64_t start = (uint64_t)((f->sfr & f->sfsa_mask) / (f->sfsa_mask & -f->sfsa_mask)) * f->page_size;
    return (uint64_t)offset + len > start;
}

static bool refused(const struct flash_l4g0 *f, uint32_t offset, uint32_t len)
{
    return write_protected(&f->wrp, offset, len) || flash_l4g0_in_cpu2_area(f, offset, len);
}

static void erase(struct flash_l4g0 *f, uint32_t offset, uint32_t len, uint64_t now_ns)
{
    if (refused(f, offset, len)) {
        f->sr |= L4_SR_WRPERR;
        return;
    }
    memset(f->flash + offset, L4_ERASED, len);
    f->stats.erases++;
    finish_operation(f, now_ns, L4_ERASE_NS, offset, len);
}

static void start(struct flash_l4g0 *f, uint64_t now_ns)
{
    uint32_t ops = f->cr & (L4_CR_PG | L4_CR_PER | L4_CR_MER1 | L4_CR_MER2);
    if (f->sr & ERRORS || (ops & L4_CR_PG) || !ops) {
        f->sr |= L4_SR_PGSERR; /* RM0351 §3.3: PG with an erase; model: also an uncleared error */
        return;
    }
    if (ops & (L4_CR_MER1 | L4_CR_MER2)) {
        if (ops & L4_CR_PER) {
            f->sr |= L4_SR_PGSERR;
            return;
        }
        /* one bank each on dual-bank parts; MER1 alone is all of a single bank */
        uint32_t split = f->bank_size ? f->bank_size : f->flash_size;
        if ((ops & L4_CR_MER1) && (ops & L4_CR_MER2))
            erase(f, 0, f->flash_size, now_ns);
        else if (ops & L4_CR_MER1)
            erase(f, 0, split, now_ns);
        else if (f->bank_size)
            erase(f, split, f->flash_size - split, now_ns);
        else
            f->sr |= L4_SR_PGSERR; /* model: MER2 without a second bank */
        return;
    }
    uint32_t page = f->cr >> L4_CR_PNB_SHIFT & ((1u << f->pnb_bits) - 1);
    if (f->bank_size && (f->cr & f->bker))
        page += f->bank_size / f->page_size; /* RM0351 §3.3: BKER picks the second bank */
    if ((uint64_t)(page + 1) * f->page_size > f->flash_size) {
        f->sr |= L4_SR_PGSERR; /* model: a page number past the end */
        return;
    }
    erase(f, page * f->page_size, f->page_size, now_ns);
}

/* RM0351 §3.4.2: OPTSTRT erases the option page and programs OPTR and its
 * complement; going from RDP level 1 to 0 mass-erases the flash first
 * (RM0351 §3.5.1). model: the option page takes a page erase's time; level 2 is
 * final and refuses with WRPERR. */
static void program_options(struct flash_l4g0 *f, uint64_t now_ns)
{
    if (!f->ob || f->ob->layout != OB_L4G0) {
        /* model: no option-byte memory in the target data: the user word lasts the run; RDP is not changed */
        f->run_optr = (f->optr & ~0xFFu) | ((f->run_optr_set ? f->run_optr : 0xFFEFF8AAu) & 0xFFu);
        f->run_optr_set = true;
        f->stats.programs++;
        finish_operation(f, now_ns, L4_ERASE_NS, 0, 0);
        return;
    }
    if (f->ob->rdp_level == 2) {
        f->sr |= L4_SR_WRPERR;
        return;
    }
    uint64_t op_ns =
        L4_ERASE_NS + ob_regress(f->ob, (uint8_t)f->optr, f->flash, f->flash_size, L4_ERASED, &f->stats, L4_ERASE_NS);
    ob_l4g0_store(f->ob, 0, f->optr);
    for (unsigned a = 0; a < OB_L4G0_WRP_AREAS; a++)
        if (ob_l4g0_wrp_offset(f->ob, a))
            ob_l4g0_store(f->ob, ob_l4g0_wrp_offset(f->ob, a), f->wrp_area[a]);
    f->stats.programs++;
    finish_operation(f, now_ns, op_ns, 0, 0);
}

static void write_cr(struct flash_l4g0 *f, uint32_t value, uint64_t now_ns)
{
    if (f->cr & L4_CR_LOCK) {
        f->cr |= value & (L4_CR_LOCK | L4_CR_OPTLOCK);
        return;
    }
    if (!(value & L4_CR_PG))
        f->have_first_word = false;
    if (!(value & L4_CR_FSTPG))
        f->fast_words = 0; /* leaving fast programming drops the row collected */
    bool options = !(f->cr & L4_CR_OPTLOCK);
    f->cr = (value & ~(L4_CR_STRT | L4_CR_OPTSTRT | L4_CR_OBL_LAUNCH)) | (f->cr & L4_CR_OPTLOCK);
    if (value & L4_CR_LOCK)
        f->cr |= L4_CR_OPTLOCK; /* RM0351 §3.7.5: setting LOCK sets OPTLOCK too */
    if (value & L4_CR_STRT)
        start(f, now_ns);
    if ((value & L4_CR_OPTSTRT) && options)
        program_options(f, now_ns);
    if ((value & L4_CR_OBL_LAUNCH) && options && f->ob)
        f->ob->obl_launch = true; /* RM0351 §3.4.2: reload the option bytes, which resets the chip */
}

void flash_l4g0_write_reg(struct flash_l4g0 *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    switch (offset) {
    case L4_KEYR:
        f->cr = flash_keyr_write(&f->keys, &f->key_locked_out, f->cr, L4_CR_LOCK, value);
        break;
    case L4_OPTKEYR:
        /* RM0351 §3.4.2: the option keys clear OPTLOCK once LOCK is clear */
        if (key_sequence_step(&f->opt_keys, &f->key_locked_out, FLASH_OPTKEY1, FLASH_OPTKEY2,
                              !(f->cr & L4_CR_LOCK) && (f->cr & L4_CR_OPTLOCK), value) == KEY_UNLOCKED)
            f->cr &= ~L4_CR_OPTLOCK;
        else if (f->key_locked_out)
            f->cr |= L4_CR_LOCK | L4_CR_OPTLOCK;
        break;
    case L4_OPTR:
        if (!(f->cr & L4_CR_OPTLOCK))
            f->optr = value;
        break;
    case L4_WRP1AR:
    case L4_WRP1BR:
        /* RM0351 §3.7.9-10: written like OPTR, programmed at OPTSTRT, effective at the next load */
        if (!(f->cr & L4_CR_OPTLOCK))
            f->wrp_area[offset == L4_WRP1BR] = value;
        break;
    case L4_CR: write_cr(f, value, now_ns); break;
    case L4_SR: f->sr &= ~(value & (ERRORS | L4_SR_EOP | L4_SR_OPTVERR)); break;
    default: break;
    }
}

static void error(struct flash_l4g0 *f, uint32_t bits)
{
    f->sr |= bits;
    f->have_first_word = false;
    f->fast_words = 0;
}

/* RM0351 §3.3.7 fast programming: FSTPG alone (with PG: PGSERR), 64
 * consecutive words filling one row-aligned 256-byte row of erased flash;
 * the row programs after its last word. A gap is a data miss (MISERR), and
 * any error ends the sequence with FASTERR. */
static void fast_word(struct flash_l4g0 *f, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (f->cr & L4_CR_PG) {
        error(f, L4_SR_PGSERR);
        return;
    }
    if (size != 4) {
        error(f, L4_SR_SIZERR | L4_SR_FASTERR);
        return;
    }
    if (!f->fast_words && offset % L4_FAST_ROW) {
        error(f, L4_SR_PGAERR | L4_SR_FASTERR);
        return;
    }
    if (f->fast_words && offset != f->fast_row + 4 * f->fast_words) {
        error(f, L4_SR_MISERR | L4_SR_FASTERR);
        return;
    }
    if (!f->fast_words)
        f->fast_row = offset;
    for (unsigned i = 0; i < 4; i++)
        f->fast_data[4 * f->fast_words + i] = (uint8_t)(value >> (8 * i));
    if (++f->fast_words < L4_FAST_ROW / 4)
        return;
    f->fast_words = 0;
    if (refused(f, f->fast_row, L4_FAST_ROW)) {
        error(f, L4_SR_WRPERR | L4_SR_FASTERR);
        return;
    }
    for (uint32_t i = 0; i < L4_FAST_ROW; i++)
        if (f->flash[f->fast_row + i] != L4_ERASED) {
            error(f, L4_SR_PROGERR | L4_SR_FASTERR);
            return;
        }
    memcpy(f->flash + f->fast_row, f->fast_data, L4_FAST_ROW);
    f->stats.programs++;
    finish_operation(f, now_ns, L4_FAST_ROW_NS, f->fast_row, L4_FAST_ROW);
}

/* Double-word programming (RM0351 §3.3), into flash (otp NULL) or the OTP area:
 * two word writes, the first on a double-word boundary; a double word not
 * erased refuses with PROGERR unless all of it is written zero. OTP is never
 * erased, so each of its double words takes one write (RM0351 §3.3.1). */
static void program_word(struct flash_l4g0 *f, uint8_t *otp, uint32_t offset, uint32_t value, unsigned size,
                         uint64_t now_ns)
{
    if (!(f->cr & L4_CR_PG)) {
        error(f, L4_SR_PGSERR); /* model: a write without PG is a sequence error */
        return;
    }
    if (f->sr & ERRORS) {
        /* RM0351 §3.3.7, the programming sequence: the error flags of an
         * earlier programming are to be cleared first, "if not, PGSERR is set" */
        error(f, L4_SR_PGSERR);
        return;
    }
    if (size != 4) {
        error(f, L4_SR_SIZERR); /* RM0351 §3.3: a non-word access */
        return;
    }
    if (!f->have_first_word) {
        if (offset % 8) {
            error(f, L4_SR_PGAERR); /* RM0351 §3.3: double-word aligned */
            return;
        }
        f->have_first_word = true;
        f->first_otp = otp;
        f->first_addr = offset;
        f->first_word = value;
        return;
    }
    f->have_first_word = false;
    if (offset != f->first_addr + 4 || otp != f->first_otp) {
        error(f, L4_SR_PGAERR); /* the second word belongs to the same double-word */
        return;
    }
    if (!otp && refused(f, f->first_addr, 8)) {
        error(f, L4_SR_WRPERR);
        return;
    }
    uint8_t *p = (otp ? otp : f->flash) + f->first_addr;
    bool erased = true;
    for (int i = 0; i < 8; i++)
        erased = erased && p[i] == L4_ERASED;
    /* RM0351 §3.3: PROGERR if the target is not erased, unless the whole double-word written is zero */
    if (!erased && (f->first_word || value)) {
        error(f, L4_SR_PROGERR);
        return;
    }
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(f->first_word >> (8 * i));
        p[4 + i] = (uint8_t)(value >> (8 * i));
    }
    f->stats.programs++;
    /* the second write starts it; OTP counts as bank 1 (model) */
    finish_operation(f, now_ns, L4_PROGRAM_NS, otp ? 0 : f->first_addr, 8);
}

void flash_l4g0_write_flash(struct flash_l4g0 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    uint32_t offset = addr - f->flash_base;
    if (f->cr & L4_CR_FSTPG) {
        fast_word(f, offset, value, size, now_ns);
        return;
    }
    program_word(f, NULL, offset, value, size, now_ns);
}

void flash_l4g0_write_otp(struct flash_l4g0 *f, uint8_t *otp, uint32_t offset, uint32_t value, unsigned size,
                          uint64_t now_ns)
{
    if (f->cr & L4_CR_FSTPG) {
        error(f, L4_SR_PGSERR); /* model: fast programming is for main flash rows only */
        return;
    }
    program_word(f, otp, offset, value, size, now_ns);
}
