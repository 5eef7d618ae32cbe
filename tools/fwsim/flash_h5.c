/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H5 flash controller (flash_h5.h). Facts from RM0481's
 * embedded flash memory chapter as ST's SVD describes its registers: each
 * control register (NSCR, SECCR) locked at reset and unlocked by the two
 * keys in its key register (a wrong key locks it until reset); PG, then
 * writes that fill the quad word of the one write buffer (WBNE while it
 * waits), programmed when full or when FW forces it; a byte written twice
 * into the buffer is STRBERR, a write into another quad word INCERR, a
 * write without PG PGSERR; SER with SNB, BKSEL and STRT erases a sector,
 * BER a bank, MER both; a sector whose group's WRPSG bit is clear is
 * write-protected (WRPERR, nothing done), and so, with TrustZone on, is a
 * sector of the other security; the flags are cleared by writing 1 at their
 * place in the clear register (NSCCR, SECCCR). The secure registers answer
 * secure accesses with TrustZone on only, else read as zero. Choices where
 * the manual leaves it open are marked "model:". */
#include "flash_h5.h"

#include "../../libimage/flash/controllers.h"

#include <string.h>

#define ERRORS  (H5_SR_WRPERR | H5_SR_PGSERR | H5_SR_STRBERR | H5_SR_INCERR)
#define TZEN_ON 0xB4u
/* model: OPTSR's user bits as they leave the factory, as ST's HAL names its
 * defaults: BOR level 1, software watchdogs, no reset at Stop or Standby,
 * the watchdog running in both, BOOT_UBE 0xB4 (ST's SVD: "default value") */
#define FACTORY_USER (1u << 3 | 1u << 4 | 1u << 6 | 1u << 7 | 1u << 20 | 1u << 21 | 0xB4u << 22)

void flash_h5_set_trustzone(struct flash_h5 *f, bool on)
{
    /* model: the factory option bytes: product state Open (0xED), TZEN
     * 0xC3 (off), NSBOOTADD 0x080000 with its lock byte 0xC3 (unlocked),
     * SECBOOTADD 0x0C0000, no sector group write-protected, no secure
     * watermark (start above end); with TrustZone on, TZEN 0xB4 and every
     * sector of each bank inside its watermark */
    uint32_t last = f->bank_size / f->sector_size - 1;
    f->optsr = (f->optsr & 0xFF00u) | FACTORY_USER; /* the product state stays */
    f->optsr2 = (on ? TZEN_ON : 0xC3u) << 24;
    f->nsbootr = 0x080000C3u;
    f->secbootr = 0x0C0000C3u;
    f->wrpsg[0] = f->wrpsg[1] = 0xFFFFFFFFu;
    f->secwm[0] = f->secwm[1] = on ? last << 16 : 0x7Fu;
}

void flash_h5_init(struct flash_h5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->bank_size = bank_size && bank_size < flash_size ? bank_size : flash_size;
    f->sector_size = sector_size ? sector_size : 8192;
    f->fault_wrp.unit = f->sector_size;
    f->optsr = 0xEDu << 8; /* Open */
    flash_h5_set_trustzone(f, false);
    flash_h5_reset(f);
}

void flash_h5_reset(struct flash_h5 *f)
{
    for (int s = 0; s < 2; s++)
        f->side[s] = (struct flash_h5_side){.cr = H5_CR_LOCK};
    f->word_filled = 0;
    f->optcr = H5_OPTCR_OPTLOCK;
    f->optsr_prg = f->optsr; /* the _PRG registers read the loaded values after a reset */
    f->opt_keys = (struct key_sequence){0};
    f->opt_locked_out = false;
    memset(f->secbb, 0, sizeof(f->secbb));
    f->busy = (struct flash_busy){0};
}

static bool tzen(const struct flash_h5 *f)
{
    return f->optsr2 >> 24 == TZEN_ON;
}

static bool sector_secure(const struct flash_h5 *f, int bank, uint32_t sector)
{
    uint32_t start = f->secwm[bank] & 0x7F, end = f->secwm[bank] >> 16 & 0x7F;
    return tzen(f) && ((start <= end && sector >= start && sector <= end) ||
                       (sector / 32 < H5_SECBB_REGS && (f->secbb[bank][sector / 32] >> (sector % 32) & 1)));
}

void flash_h5_set_product_state(struct flash_h5 *f, uint8_t code)
{
    f->optsr = (f->optsr & ~0xFF00u) | (uint32_t)code << 8;
}

/* Closed (0x72) and Locked (0x5C) close the debug port's way in: the SW-DP
 * still answers, every access through the access ports is refused, and
 * only ST's debug authentication opens Closed again (ST's wiki
 * "Security:Product state for STM32H5"; STM32CubeProgrammer on an H562
 * shipped closed: "Unable to get core ID ... please perform a discovery
 * using Debug Authentication", WeActStudio.STM32H5_64Pin_CoreBoard
 * issue 3). model: the firmware runs as in Open; AP0's debug-
 * authentication mailbox is not modelled. */
bool flash_h5_debug_closed(const struct flash_h5 *f)
{
    const struct fw_h5_product_state *state = fw_h5_product_state((uint8_t)(f->optsr >> 8));
    return state && state->debug_closed;
}

bool flash_h5_secure_at(const struct flash_h5 *f, uint32_t offset)
{
    int bank = offset >= f->bank_size;
    return sector_secure(f, bank, (offset - (uint32_t)bank * f->bank_size) / f->sector_size);
}

/* WRPERR for side s on the sector at offset: its group's WRPSG bit clear,
 * --fault wrp, or a sector of the other security */
static bool refused(const struct flash_h5 *f, int s, uint32_t offset)
{
    int bank = offset >= f->bank_size;
    uint32_t sector = (offset - (uint32_t)bank * f->bank_size) / f->sector_size;
    return !(f->wrpsg[bank] >> (sector / 4 % 32) & 1) || wrp_unit_protected(&f->fault_wrp, offset / f->sector_size) ||
           sector_secure(f, bank, sector) != (s == 1);
}

/* the register set an offset names, or -1; SECBB and the option registers are not in a set */
static int side_of(uint32_t offset)
{
    switch (offset) {
    case H5_NSKEYR:
    case H5_NSSR:
    case H5_NSCR:
    case H5_NSCCR: return 0;
    case H5_SECKEYR:
    case H5_SECSR:
    case H5_SECCR:
    case H5_SECCCR: return 1;
    default: return -1;
    }
}

static bool secbb_reg(uint32_t offset, int *bank, unsigned *i)
{
    for (int b = 0; b < 2; b++) {
        uint32_t first = H5_SECBB1R1 + (uint32_t)b * H5_BANK2_OPTIONS;
        if (offset >= first && offset < first + 4 * H5_SECBB_REGS) {
            *bank = b;
            *i = (offset - first) / 4;
            return true;
        }
    }
    return false;
}

uint32_t flash_h5_read_reg(struct flash_h5 *f, uint32_t offset, bool secure, uint64_t now_ns)
{
    int s = side_of(offset), bank;
    unsigned i;
    bool secure_only = s == 1 || secbb_reg(offset, &bank, &i);
    if (secure_only && !(secure && tzen(f)))
        return 0; /* model: RAZ, as for a non-secure access to a secure register */
    if (secbb_reg(offset, &bank, &i))
        return f->secbb[bank][i];
    switch (offset) {
    case H5_NSSR:
    case H5_SECSR:
        return flash_sr_read(&f->busy, now_ns, f->side[s].sr, H5_SR_BSY, H5_SR_EOP) |
               (f->word_filled && f->word_side == s ? H5_SR_WBNE : 0);
    case H5_NSCR:
    case H5_SECCR: return f->side[s].cr;
    case H5_OPTSR_CUR: return f->optsr;
    case H5_OPTSR_PRG: return f->optsr_prg;
    case H5_OPTCR: return f->optcr;
    case H5_OPTSR2_CUR: return f->optsr2;
    case H5_NSBOOTR_CUR: return f->nsbootr;
    case H5_SECBOOTR_CUR: return f->secbootr;
    case H5_SECWM1R_CUR: return f->secwm[0];
    case H5_SECWM1R_CUR + H5_BANK2_OPTIONS: return f->secwm[1];
    case H5_WRP1R_CUR: return f->wrpsg[0];
    case H5_WRP1R_CUR + H5_BANK2_OPTIONS: return f->wrpsg[1];
    default: return 0;
    }
}

static void erase(struct flash_h5 *f, int s, uint32_t offset, uint32_t size, uint64_t now_ns)
{
    for (uint32_t o = offset; o < offset + size; o += f->sector_size)
        if (refused(f, s, o)) {
            f->side[s].sr |= H5_SR_WRPERR;
            return;
        }
    memset(f->flash + offset, 0xFF, size);
    f->stats.erases++;
    /* model: a bank or mass erase takes as long as a sector */
    flash_start_operation(&f->busy, &f->stats, now_ns, H5_ERASE_NS);
    f->side[s].sr |= H5_SR_EOP;
}

static void start_operation(struct flash_h5 *f, int s, uint64_t now_ns)
{
    uint32_t cr = f->side[s].cr;
    int bank = cr & H5_CR_BKSEL && f->bank_size < f->flash_size ? 1 : 0;
    uint32_t base = (uint32_t)bank * f->bank_size;
    if (cr & H5_CR_MER) {
        erase(f, s, 0, f->flash_size, now_ns);
    } else if (cr & H5_CR_BER) {
        erase(f, s, base, f->bank_size, now_ns);
    } else if (cr & H5_CR_SER) {
        uint32_t sector = cr >> 6 & 0x7F;
        if ((cr & H5_CR_BKSEL && f->bank_size == f->flash_size) || (sector + 1) * f->sector_size > f->bank_size) {
            f->side[s].sr |= H5_SR_PGSERR; /* model: a sector the bank does not have */
            return;
        }
        erase(f, s, base + sector * f->sector_size, f->sector_size, now_ns);
    } else {
        f->side[s].sr |= H5_SR_PGSERR;
    }
}

/* the write buffer into flash, missing bytes as ones (model: a quad word
 * programmed twice keeps the AND of both, no flag) */
static void program_word(struct flash_h5 *f, uint64_t now_ns)
{
    int s = f->word_side;
    if (refused(f, s, f->word_offset)) {
        f->side[s].sr |= H5_SR_WRPERR;
    } else {
        for (uint32_t i = 0; i < 16; i++)
            f->flash[f->word_offset + i] &= f->word_filled >> i & 1 ? f->word[i] : 0xFF;
        f->stats.programs++;
        flash_start_operation(&f->busy, &f->stats, now_ns, H5_WORD_NS);
        f->side[s].sr |= H5_SR_EOP;
    }
    f->word_filled = 0;
}

void flash_h5_write_reg(struct flash_h5 *f, uint32_t offset, uint32_t value, bool secure, uint64_t now_ns)
{
    int s = side_of(offset), bank;
    unsigned i;
    bool secure_only = s == 1 || secbb_reg(offset, &bank, &i);
    if (secure_only && !(secure && tzen(f)))
        return;
    if (secbb_reg(offset, &bank, &i)) {
        f->secbb[bank][i] = value;
        return;
    }
    struct flash_h5_side *k = s >= 0 ? &f->side[s] : NULL;
    switch (offset) {
    case H5_NSKEYR:
    case H5_SECKEYR: k->cr = flash_keyr_write(&k->keys, &k->locked_out, k->cr, H5_CR_LOCK, value); break;
    case H5_NSCR:
    case H5_SECCR:
        if (value & H5_CR_LOCK) {
            k->cr |= H5_CR_LOCK;
            break;
        }
        if (k->cr & H5_CR_LOCK)
            break; /* the control register cannot be written while locked */
        k->cr = value & ~(H5_CR_STRT | H5_CR_FW);
        if ((value & H5_CR_FW) && f->word_filled && f->word_side == s && (k->cr & H5_CR_PG))
            program_word(f, now_ns);
        if (value & H5_CR_STRT)
            start_operation(f, s, now_ns);
        break;
    case H5_NSCCR:
    case H5_SECCCR: k->sr &= ~(value & (ERRORS | H5_SR_EOP | 0xE00000u)); break;
    case H5_OPTKEYR:
        /* RM0481 FLASH_OPTKEYR: OPTKEY1 then OPTKEY2 clear OPTLOCK; a wrong key locks it until reset */
        if (key_sequence_step(&f->opt_keys, &f->opt_locked_out, FLASH_OPTKEY1, FLASH_OPTKEY2,
                              (f->optcr & H5_OPTCR_OPTLOCK) != 0, value) == KEY_UNLOCKED)
            f->optcr &= ~H5_OPTCR_OPTLOCK;
        break;
    case H5_OPTSR_PRG:
        if (!(f->optcr & H5_OPTCR_OPTLOCK)) /* OPTLOCK locks the _PRG registers too */
            f->optsr_prg = value;
        break;
    case H5_OPTCR:
        if (f->optcr & H5_OPTCR_OPTLOCK)
            break;
        f->optcr = value & H5_OPTCR_OPTLOCK;
        /* OPTSTRT: OPTSR_PRG into the option bytes; it cannot start while
         * OPTCHANGEERR is set (RM0481 FLASH_NSSR). model: a product-state
         * change is not modelled and fails with OPTCHANGEERR; the rest
         * loads at once and lasts the run (no option-byte memory for --state) */
        if (value & H5_OPTCR_OPTSTRT && !(f->side[0].sr & H5_SR_OPTCHANGEERR)) {
            if ((f->optsr_prg ^ f->optsr) & 0xFF00u) {
                f->side[0].sr |= H5_SR_OPTCHANGEERR;
            } else {
                f->optsr = f->optsr_prg;
                flash_start_operation(&f->busy, &f->stats, now_ns, H5_ERASE_NS);
            }
        }
        break;
    default: break; /* model: the other option registers are read-only here */
    }
}

void flash_h5_write_flash(struct flash_h5 *f, uint32_t addr, uint32_t value, unsigned size, bool secure,
                          uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    int s = secure && tzen(f);
    struct flash_h5_side *k = &f->side[s];
    uint32_t offset = addr - f->flash_base, word = offset & ~15u;
    if (!(k->cr & H5_CR_PG) || (k->cr & H5_CR_LOCK)) {
        k->sr |= H5_SR_PGSERR;
        return;
    }
    if (f->word_filled && (word != f->word_offset || f->word_side != s)) {
        k->sr |= H5_SR_INCERR;
        f->word_filled = 0;
        return;
    }
    f->word_offset = word;
    f->word_side = s;
    for (unsigned i = 0; i < size && (offset & 15) + i < 16; i++) {
        uint32_t at = (offset & 15) + i;
        if (f->word_filled >> at & 1) {
            k->sr |= H5_SR_STRBERR;
            f->word_filled = 0;
            return;
        }
        f->word[at] = (uint8_t)(value >> (8 * i));
        f->word_filled |= 1u << at;
    }
    if (f->word_filled == 0xFFFFu)
        program_word(f, now_ns);
}
