/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32F0/F1/F3 FPEC. Facts from RM0008 §3 and PM0075 §2;
 * where the reference leaves a behaviour open, the choice made here is
 * marked "model:". */
#include "fpec_f0f1f3.h"

#include <string.h>

void fpec_init(struct fpec *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t page_size,
               uint32_t bank1_size)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->page_size = page_size;
    f->wrp.unit = 4096;
    f->nbanks = bank1_size && bank1_size < flash_size ? 2 : 1;
    f->bank[0].size = f->nbanks == 2 ? bank1_size : flash_size;
    f->bank[1].offset = f->bank[0].size;
    f->bank[1].size = flash_size - f->bank[0].size;
    fpec_reset(f);
}

void fpec_reset(struct fpec *f)
{
    for (unsigned i = 0; i < 2; i++) {
        struct fpec_bank *b = &f->bank[i];
        b->cr = FPEC_CR_LOCK;
        b->sr = b->ar = 0;
        b->keys = (struct key_sequence){0};
        b->busy = (struct flash_busy){0};
    }
    f->opt_keys = (struct key_sequence){0};
    f->key_locked_out = false;
    ob_load_write_protection(f->ob, f->flash_size, 0, &f->wrp);
}

uint64_t fpec_idle_at(const struct fpec *f)
{
    uint64_t a = f->bank[0].busy.busy_until_ns, b = f->bank[1].busy.busy_until_ns;
    return a > b ? a : b;
}

/* The bank whose register is at offset, which becomes the register's offset
 * in a bank (KEYR, SR, CR, AR repeat at +0x40); NULL for bank 2's on a part
 * without one. */
static struct fpec_bank *bank_of_reg(struct fpec *f, uint32_t *offset)
{
    if (*offset >= FPEC_BANK2 + FPEC_KEYR && *offset <= FPEC_BANK2 + FPEC_AR && *offset != FPEC_BANK2 + FPEC_OPTKEYR) {
        *offset -= FPEC_BANK2;
        return f->nbanks == 2 ? &f->bank[1] : NULL;
    }
    return &f->bank[0];
}

/* The bank that holds flash offset off. */
static struct fpec_bank *bank_at(struct fpec *f, uint32_t off)
{
    return f->nbanks == 2 && off >= f->bank[1].offset ? &f->bank[1] : &f->bank[0];
}

/* OBR, the option bytes as loaded: F1 (PM0075 §2.5): OPTERR b0, RDPRT b1,
 * USER [9:2], DATA0 [17:10], DATA1 [25:18]; F0/F3 (RM0091 §3.5.6): OPTERR
 * b0, RDPRT [2:1] (01 level 1, 11 level 2), USER [15:8], DATA0 [23:16],
 * DATA1 [31:24]. Without option bytes: level 0, every option 0xFF. */
static uint32_t obr(const struct fpec *f)
{
    if (!f->ob || f->ob->layout == OB_NONE)
        return 0x03FFFFFCu;
    const uint8_t *b = f->ob->loaded;
    uint32_t v = f->ob->load_error ? 1u : 0u;
    if (f->ob->layout == OB_F1)
        return v | (f->ob->rdp_level ? 2u : 0u) | (uint32_t)b[2] << 2 | (uint32_t)b[4] << 10 | (uint32_t)b[6] << 18;
    v |= f->ob->rdp_level == 2 ? 6u : f->ob->rdp_level == 1 ? 2u : 0u;
    return v | (uint32_t)b[2] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[6] << 24;
}

uint32_t fpec_read_reg(struct fpec *f, uint32_t offset, uint64_t now_ns)
{
    struct fpec_bank *b = bank_of_reg(f, &offset);
    if (!b)
        return 0;
    switch (offset) {
    case FPEC_CR: return b->cr;
    case FPEC_AR: return b->ar;
    case FPEC_SR:
        return flash_sr_read(&b->busy, now_ns, b->sr, FPEC_SR_BSY, FPEC_SR_EOP);
    case FPEC_OBR: return obr(f);
    case FPEC_WRPR: return ~(f->wrp.fault[0] | f->wrp.options[0]); /* bit n clear: unit n protected */
    default: return 0;
    }
}

static void erase(struct fpec *f, struct fpec_bank *b, uint32_t offset, uint32_t len, uint64_t now_ns)
{
    if (write_protected(&f->wrp, offset, len)) {
        b->sr |= FPEC_SR_WRPRTERR;
        return;
    }
    memset(f->flash + offset, FPEC_ERASED, len);
    f->stats.erases++;
    flash_start_operation(&b->busy, &f->stats, now_ns, FPEC_ERASE_NS);
    b->sr |= FPEC_SR_EOP;
}

/* the option bytes may change: OPTWRE set, and not frozen at level 2 (RM0091 §3.3.1) */
static bool options_writable(struct fpec *f)
{
    if (!f->ob || f->ob->layout == OB_NONE)
        return false;
    if (!(f->bank[0].cr & FPEC_CR_OPTWRE) || f->ob->rdp_level == 2) {
        f->bank[0].sr |= FPEC_SR_WRPRTERR; /* model: refused as a protected write */
        return false;
    }
    return true;
}

static void write_cr(struct fpec *f, struct fpec_bank *b, uint32_t value, uint64_t now_ns)
{
    if (b->cr & FPEC_CR_LOCK) {
        b->cr |= value & FPEC_CR_LOCK; /* locked: nothing else can be written */
        return;
    }
    /* the option bits are bank 1's: CR2 has none (PM0068 §3.3) */
    if (b != &f->bank[0])
        value &= FPEC_CR_PG | FPEC_CR_PER | FPEC_CR_MER | FPEC_CR_STRT | FPEC_CR_LOCK;
    /* OPTWRE is set only by the option keys; software can clear it, and
     * locking the FPEC clears it with the rest (PM0075 §3.3 FLASH_CR) */
    uint32_t optwre = b->cr & value & FPEC_CR_OPTWRE;
    if (value & FPEC_CR_LOCK)
        optwre = 0;
    b->cr = (value & ~(FPEC_CR_STRT | FPEC_CR_OPTWRE | FPEC_CR_OBL_LAUNCH)) | optwre;
    if ((value & FPEC_CR_OBL_LAUNCH) && f->ob && f->ob->layout == OB_F0F3)
        f->ob->obl_launch = true; /* RM0091 §3.5.5: reload the option bytes, which resets the chip */
    if (!(value & FPEC_CR_STRT))
        return;
    if (value & FPEC_CR_OPTER) {
        if (!options_writable(f))
            return;
        memset(f->ob->bytes, 0xFF, f->ob->size); /* PM0075 §2.4.2: the whole option area */
        f->stats.erases++;
        flash_start_operation(&b->busy, &f->stats, now_ns, FPEC_ERASE_NS);
        b->sr |= FPEC_SR_EOP;
    } else if (value & FPEC_CR_MER) {
        erase(f, b, b->offset, b->size, now_ns); /* each bank's MER erases that bank (PM0068 §2.3.5) */
    } else if (value & FPEC_CR_PER) {
        uint32_t page = (b->ar - f->flash_base) / f->page_size * f->page_size;
        if (bank_at(f, page) != b)
            b->sr |= FPEC_SR_PGERR; /* model: a page of the other bank */
        else
            erase(f, b, page, f->page_size, now_ns);
    }
}

void fpec_write_reg(struct fpec *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    struct fpec_bank *b = bank_of_reg(f, &offset);
    if (!b)
        return;
    switch (offset) {
    /* model: keys written to an unlocked FPEC, or option keys once OPTWRE is
     * set, are ignored: OpenOCD 0.12 writes both pairs a second time in its
     * F1 option-byte sequence, which works on silicon */
    case FPEC_KEYR:
        if (b->cr & FPEC_CR_LOCK)
            b->cr = flash_keyr_write(&b->keys, &f->key_locked_out, b->cr, FPEC_CR_LOCK, value);
        if (f->key_locked_out)
            for (unsigned i = 0; i < 2; i++)
                f->bank[i].cr |= FPEC_CR_LOCK;
        break;
    case FPEC_OPTKEYR:
        /* PM0075 §2.4.3: the same keys as KEYR, accepted while the FPEC is
         * unlocked; they set OPTWRE */
        if (b->cr & FPEC_CR_OPTWRE)
            break;
        if (key_sequence_step(&f->opt_keys, &f->key_locked_out, FPEC_KEY1, FPEC_KEY2, !(b->cr & FPEC_CR_LOCK),
                              value) == KEY_UNLOCKED)
            b->cr |= FPEC_CR_OPTWRE;
        else if (f->key_locked_out)
            b->cr = (b->cr | FPEC_CR_LOCK) & ~FPEC_CR_OPTWRE;
        break;
    case FPEC_CR: write_cr(f, b, value, now_ns); break;
    case FPEC_AR:
        if (value >= f->flash_base && value - f->flash_base < f->flash_size)
            b->ar = value;
        break;
    case FPEC_SR: b->sr &= ~(value & (FPEC_SR_PGERR | FPEC_SR_WRPRTERR | FPEC_SR_EOP)); break;
    default: break;
    }
}

bool fpec_write_flash(struct fpec *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return true;
    uint32_t offset = addr - f->flash_base;
    struct fpec_bank *b = bank_at(f, offset); /* its own bank's PG (PM0068 §2.3.3) */
    if (!(b->cr & FPEC_CR_PG)) {
        b->sr |= FPEC_SR_PGERR; /* model: a write without PG is ignored with PGERR */
        return true;
    }
    if (size != 2 || offset % 2)
        return false; /* model (PM0075 §2 Errors): with PG set, only half-word writes; others fault the bus */
    if (write_protected(&f->wrp, offset, 2)) {
        b->sr |= FPEC_SR_WRPRTERR;
        return true;
    }
    uint8_t *p = f->flash + offset;
    if (p[0] != FPEC_ERASED || p[1] != FPEC_ERASED) {
        b->sr |= FPEC_SR_PGERR; /* PM0075 §2: the half-word was not 0xFFFF */
        return true;
    }
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
    f->stats.programs++;
    flash_start_operation(&b->busy, &f->stats, now_ns, FPEC_PROGRAM_NS);
    b->sr |= FPEC_SR_EOP;
    return true;
}

bool fpec_write_option(struct fpec *f, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (!(f->bank[0].cr & FPEC_CR_OPTPG)) {
        f->bank[0].sr |= FPEC_SR_PGERR; /* model: as a flash write without PG */
        return true;
    }
    if (size != 2 || offset % 2)
        return false; /* as flash: half-word writes only */
    if (!options_writable(f) || offset + 2 > f->ob->size)
        return true;
    uint8_t *p = f->ob->bytes + offset;
    if (p[0] != 0xFF || p[1] != 0xFF) {
        f->bank[0].sr |= FPEC_SR_PGERR; /* the option half-word is not erased */
        return true;
    }
    uint8_t byte = (uint8_t)value;
    /* PM0075 §2.4.1: programming the level-0 code first forces a mass erase */
    uint64_t op_ns = FPEC_PROGRAM_NS;
    if (offset == 0)
        op_ns += ob_regress(f->ob, byte, f->flash, f->flash_size, FPEC_ERASED, &f->stats, FPEC_ERASE_NS);
    p[0] = byte;
    p[1] = (uint8_t)~byte; /* the complement is the hardware's */
    f->stats.programs++;
    flash_start_operation(&f->bank[0].busy, &f->stats, now_ns, op_ns);
    f->bank[0].sr |= FPEC_SR_EOP;
    return true;
}
