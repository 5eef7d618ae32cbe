/* fwsim: the STM32F0/F1/F3 FPEC. Facts from shared/reference/stlink.md §4.1;
 * where the reference leaves a behaviour open, the choice made here is
 * marked "model:". */
#include "fpec_f0f1f3.h"

#include <string.h>

void fpec_init(struct fpec *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t page_size)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->page_size = page_size;
    f->wrp.unit = 4096;
    fpec_reset(f);
}

void fpec_reset(struct fpec *f)
{
    f->cr = FPEC_CR_LOCK;
    f->sr = 0;
    f->ar = 0;
    f->keys = (struct key_sequence){0};
    f->key_locked_out = false;
    f->busy = (struct flash_busy){0};
}

uint32_t fpec_read_reg(struct fpec *f, uint32_t offset, uint64_t now_ns)
{
    switch (offset) {
    case FPEC_CR: return f->cr;
    case FPEC_AR: return f->ar;
    case FPEC_SR:
        return flash_sr_read(&f->busy, now_ns, f->sr, FPEC_SR_BSY, FPEC_SR_EOP);
    /* the option bytes as loaded (RM0008 §3.4.6-7): RDPRT clear (level 0), the
     * user options at their defaults; WRPR bit n clear protects unit n */
    case FPEC_OBR: return 0x03FFFFFCu;
    case FPEC_WRPR: return ~f->wrp.mask[0];
    default: return 0;
    }
}

static void erase(struct fpec *f, uint32_t offset, uint32_t len, uint64_t now_ns)
{
    if (write_protected(&f->wrp, offset, len)) {
        f->sr |= FPEC_SR_WRPRTERR;
        return;
    }
    memset(f->flash + offset, FPEC_ERASED, len);
    f->stats.erases++;
    flash_start_operation(&f->busy, &f->stats, now_ns, FPEC_ERASE_NS);
    f->sr |= FPEC_SR_EOP;
}

static void write_cr(struct fpec *f, uint32_t value, uint64_t now_ns)
{
    if (f->cr & FPEC_CR_LOCK) {
        f->cr |= value & FPEC_CR_LOCK; /* locked: nothing else can be written */
        return;
    }
    f->cr = value & ~FPEC_CR_STRT;
    if (!(value & FPEC_CR_STRT))
        return;
    if (value & FPEC_CR_MER)
        erase(f, 0, f->flash_size, now_ns);
    else if (value & FPEC_CR_PER)
        erase(f, (f->ar - f->flash_base) / f->page_size * f->page_size, f->page_size, now_ns);
}

void fpec_write_reg(struct fpec *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    switch (offset) {
    case FPEC_KEYR:
        f->cr = flash_keyr_write(&f->keys, &f->key_locked_out, f->cr, FPEC_CR_LOCK, value);
        break;
    case FPEC_CR: write_cr(f, value, now_ns); break;
    case FPEC_AR:
        if (value >= f->flash_base && value - f->flash_base < f->flash_size)
            f->ar = value;
        break;
    case FPEC_SR: f->sr &= ~(value & (FPEC_SR_PGERR | FPEC_SR_WRPRTERR | FPEC_SR_EOP)); break;
    default: break;
    }
}

bool fpec_write_flash(struct fpec *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return true;
    uint32_t offset = addr - f->flash_base;
    if (!(f->cr & FPEC_CR_PG)) {
        f->sr |= FPEC_SR_PGERR; /* model: a write without PG is ignored with PGERR */
        return true;
    }
    if (size != 2 || offset % 2)
        return false; /* model (§4.1 Errors): with PG set, only half-word writes; others fault the bus */
    if (write_protected(&f->wrp, offset, 2)) {
        f->sr |= FPEC_SR_WRPRTERR;
        return true;
    }
    uint8_t *p = f->flash + offset;
    if (p[0] != FPEC_ERASED || p[1] != FPEC_ERASED) {
        f->sr |= FPEC_SR_PGERR; /* §4.1: the half-word was not 0xFFFF */
        return true;
    }
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
    f->stats.programs++;
    flash_start_operation(&f->busy, &f->stats, now_ns, FPEC_PROGRAM_NS);
    f->sr |= FPEC_SR_EOP;
    return true;
}
