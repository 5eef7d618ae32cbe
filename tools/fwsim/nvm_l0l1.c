/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32L0/L1 NVM controller. Facts from RM0038 §3 and
 * RM0377 §3; where the reference leaves a behaviour open, the choice made
 * here is marked "model:" so it can be checked against silicon later. */
#include "nvm_l0l1.h"

#include <string.h>

#define LOCK_BITS (NVM_PECR_PELOCK | NVM_PECR_PRGLOCK | NVM_PECR_OPTLOCK)
#define ERROR_BITS (NVM_SR_WRPERR | NVM_SR_PGAERR | NVM_SR_SIZERR | NVM_SR_OPTVERR | NVM_SR_NOTZEROERR)

void nvm_l0l1_init(struct nvm_l0l1 *m, nvm_family family, uint8_t *flash, uint32_t flash_base, uint32_t flash_size)
{
    memset(m, 0, sizeof(*m));
    m->family = family;
    m->flash = flash;
    m->flash_base = flash_base;
    m->flash_size = flash_size;
    m->page_size = family == NVM_L0 ? 128 : 256;
    m->half_page_words = family == NVM_L0 ? 16 : 32;
    m->wrp.unit = 4096;
    nvm_l0l1_reset(m);
}

void nvm_l0l1_reset(struct nvm_l0l1 *m)
{
    m->pecr = LOCK_BITS; /* reset value: every lock set (RM0038 §3 PECR) */
    m->sr = NVM_SR_ENDHV | NVM_SR_READY;
    if (m->ob && m->ob->load_error)
        m->sr |= NVM_SR_OPTVERR; /* RM0038 §3.9.9: an option and its complement disagreed */
    m->pe_keys = m->prg_keys = m->opt_keys = (struct key_sequence){0};
    m->key_locked_out = false;
    m->half_page_count = 0;
    m->busy = (struct flash_busy){0};
    ob_load_write_protection(m->ob, m->flash_size, 0, &m->wrp);
}

/* BSY for the operation's time, then EOP (which reads as set only once BSY
 * has cleared). */
static void start_operation(struct nvm_l0l1 *m, uint64_t now_ns)
{
    flash_start_operation(&m->busy, &m->stats, now_ns, NVM_L0L1_OP_NS);
    m->sr |= NVM_SR_EOP;
}

/* OBR (RM0038 §3.9.9): RDPRT [7:0] and SPRMOD b8 from the first option
 * word, the USER byte at [23:16]; without option bytes, level 0 with BOR off
 * and the user bits set */
static uint32_t obr(const struct nvm_l0l1 *m)
{
    if (!m->ob || m->ob->layout != OB_L0L1)
        return 0x00F800AAu;
    const uint8_t *b = m->ob->loaded;
    uint32_t rdp = m->ob->load_error ? 0x00 : b[0] | (uint32_t)(b[1] & 1) << 8;
    return rdp | (uint32_t)b[4] << 16;
}

uint32_t nvm_l0l1_read_reg(struct nvm_l0l1 *m, uint32_t offset, uint64_t now_ns)
{
    switch (offset) {
    case NVM_PECR: return m->pecr;
    case NVM_SR:
        return flash_sr_read(&m->busy, now_ns, m->sr, NVM_SR_BSY, NVM_SR_EOP | NVM_SR_READY);
    case NVM_WRPR: return m->wrp.fault[0] | m->wrp.options[0]; /* bit n set: sector n protected */
    case NVM_OBR: return obr(m);
    default: return 0; /* keys read as zero; ACR and WRPR2+ are not modelled yet */
    }
}

/* RM0038 §3: a wrong key, or a key sequence written while already unlocked,
 * locks the controller until the next reset. */
static void key(struct nvm_l0l1 *m, struct key_sequence *k, uint32_t key1, uint32_t key2, bool allowed,
                uint32_t unlocks, uint32_t value)
{
    if (key_sequence_step(k, &m->key_locked_out, key1, key2, allowed, value) == KEY_UNLOCKED)
        m->pecr &= ~unlocks;
    else if (m->key_locked_out)
        m->pecr |= LOCK_BITS;
}

static void write_pecr(struct nvm_l0l1 *m, uint32_t value)
{
    /* lock bits can be set by a write but cleared only by the keys; locking
     * PELOCK locks the program and option parts behind it too */
    uint32_t locks = (m->pecr | value) & LOCK_BITS;
    if (locks & NVM_PECR_PELOCK)
        locks = LOCK_BITS;
    uint32_t rest = m->pecr & ~LOCK_BITS;
    if (!(m->pecr & NVM_PECR_PELOCK))
        rest = value & ~LOCK_BITS; /* the other bits are writable only while PECR is unlocked */
    /* model: setting PELOCK returns PECR to its locked state, the operation
     * bits (PROG, ERASE, FPRG, DATA, FTDW) cleared. The reference is silent;
     * st-flash 1.7.0 relocks after each page erase without clearing ERASE |
     * PROG and then programs half-pages, which works on silicon only so. */
    if (!(m->pecr & NVM_PECR_PELOCK) && (value & NVM_PECR_PELOCK))
        rest &= ~(NVM_PECR_PROG | NVM_PECR_ERASE | NVM_PECR_FPRG | NVM_PECR_DATA | NVM_PECR_FTDW);
    if (!(rest & NVM_PECR_FPRG))
        m->half_page_count = 0; /* leaving half-page mode drops what was collected */
    /* RM0038 §3.9.2: OBL_LAUNCH, settable with the options unlocked, reloads
     * the option bytes and resets the chip */
    if ((rest & NVM_PECR_OBL_LAUNCH) && !(m->pecr & NVM_PECR_OPTLOCK) && m->ob)
        m->ob->obl_launch = true;
    m->pecr = locks | (rest & ~NVM_PECR_OBL_LAUNCH);
}

void nvm_l0l1_write_reg(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    (void)now_ns;
    switch (offset) {
    case NVM_PECR: write_pecr(m, value); break;
    case NVM_PEKEYR:
        key(m, &m->pe_keys, NVM_PEKEY1, NVM_PEKEY2, m->pecr & NVM_PECR_PELOCK, NVM_PECR_PELOCK, value);
        break;
    case NVM_PRGKEYR:
        key(m, &m->prg_keys, NVM_PRGKEY1, NVM_PRGKEY2,
            !(m->pecr & NVM_PECR_PELOCK) && (m->pecr & NVM_PECR_PRGLOCK), NVM_PECR_PRGLOCK, value);
        break;
    case NVM_OPTKEYR:
        key(m, &m->opt_keys, NVM_OPTKEY1, NVM_OPTKEY2,
            !(m->pecr & NVM_PECR_PELOCK) && (m->pecr & NVM_PECR_OPTLOCK), NVM_PECR_OPTLOCK, value);
        break;
    case NVM_SR: m->sr &= ~(value & (NVM_SR_EOP | ERROR_BITS)); break; /* write 1 to clear */
    default: break;
    }
}

static void put_word(struct nvm_l0l1 *m, uint32_t addr, uint32_t value)
{
    uint8_t *p = m->flash + (addr - m->flash_base);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t get_word(const struct nvm_l0l1 *m, uint32_t addr)
{
    return fw_get_le32(m->flash + (addr - m->flash_base));
}

static void fail(struct nvm_l0l1 *m, uint32_t error)
{
    m->sr |= error;
    m->half_page_count = 0; /* RM0038 §3 step 4: an error aborts the whole half-page */
}

static void half_page_word(struct nvm_l0l1 *m, uint32_t addr, uint32_t value, uint64_t now_ns)
{
    uint32_t bytes = m->half_page_words * 4;
    if (m->half_page_count == 0) {
        if (addr % bytes) {
            fail(m, NVM_SR_PGAERR);
            return;
        }
        m->half_page_addr = addr;
    } else if (addr != m->half_page_addr + 4 * m->half_page_count) {
        fail(m, NVM_SR_PGAERR); /* the words must be consecutive, inside one half-page */
        return;
    }
    m->half_page[m->half_page_count++] = value;
    if (m->half_page_count < m->half_page_words)
        return;
    /* the last word starts the programming (RM0038 §3 step 3) */
    for (uint32_t i = 0; i < m->half_page_words; i++)
        put_word(m, m->half_page_addr + 4 * i, m->half_page[i]);
    m->half_page_count = 0;
    m->stats.programs++;
    start_operation(m, now_ns);
}

void nvm_l0l1_write_flash(struct nvm_l0l1 *m, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < m->flash_base || addr - m->flash_base >= m->flash_size)
        return;
    /* model: a write while the program memory is locked is refused with WRPERR */
    if ((m->pecr & (NVM_PECR_PELOCK | NVM_PECR_PRGLOCK)) || write_protected(&m->wrp, addr - m->flash_base, size)) {
        fail(m, NVM_SR_WRPERR);
        return;
    }
    if (size != 4) {
        fail(m, NVM_SR_SIZERR); /* program memory takes 32-bit writes only */
        return;
    }
    if (addr % 4) {
        fail(m, NVM_SR_PGAERR); /* model: a misaligned word */
        return;
    }
    uint32_t mode = m->pecr & (NVM_PECR_PROG | NVM_PECR_ERASE | NVM_PECR_FPRG);
    if (mode == (NVM_PECR_ERASE | NVM_PECR_PROG)) {
        /* page erase: the word written selects the page (RM0038 §3 says to write 0
         * to its first word; model: any word of the page selects it) */
        uint32_t page = (addr - m->flash_base) / m->page_size * m->page_size;
        memset(m->flash + page, NVM_L0L1_ERASED, m->page_size);
        m->stats.erases++;
        start_operation(m, now_ns);
    } else if (mode == (NVM_PECR_FPRG | NVM_PECR_PROG)) {
        half_page_word(m, addr, value, now_ns);
    } else if (mode == 0) {
        /* word program. L0 refuses a non-erased word (NOTZEROERR); on L1 the
         * reference leaves it open (model: the word is written as given) */
        if (m->family == NVM_L0 && get_word(m, addr) != NVM_L0L1_ERASED && value != 0) {
            fail(m, NVM_SR_NOTZEROERR);
            return;
        }
        put_word(m, addr, value);
        m->stats.programs++;
        start_operation(m, now_ns);
    } else {
        /* model: ERASE or FPRG without PROG addresses data EEPROM, not this memory */
        fail(m, NVM_SR_PGAERR);
    }
}

void nvm_l0l1_write_eeprom(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (m->pecr & NVM_PECR_PELOCK) {
        fail(m, NVM_SR_WRPERR);
        return;
    }
    if (!m->eeprom || offset + size > m->eeprom_size)
        return;
    /* model: every write takes the erase + program time (FTDW's fixed time, 3.2 ms) */
    for (unsigned i = 0; i < size; i++)
        m->eeprom[offset + i] = (uint8_t)(value >> (8 * i));
    m->stats.programs++;
    start_operation(m, now_ns);
}

void nvm_l0l1_read_flash(struct nvm_l0l1 *m, uint32_t addr)
{
    (void)addr;
    /* RM0038 §3 step 4: no flash read is allowed while a half-page is collected;
     * model: the read aborts it with PGAERR */
    if (m->half_page_count)
        fail(m, NVM_SR_PGAERR);
}

void nvm_l0l1_write_option(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (!m->ob || m->ob->layout != OB_L0L1 || offset + 4 > m->ob->size)
        return;
    /* model: locked options, or options frozen at level 2, refuse with WRPERR */
    if ((m->pecr & NVM_PECR_OPTLOCK) || m->ob->rdp_level == 2) {
        fail(m, NVM_SR_WRPERR);
        return;
    }
    if (size != 4 || offset % 4) {
        fail(m, NVM_SR_SIZERR); /* model: options are written as whole words */
        return;
    }
    uint64_t op_ns = NVM_L0L1_OP_NS;
    /* RM0038 §3.7.1: level 1 to 0 erases program memory and data EEPROM.
     * model: as long as erasing each page in turn; the manual gives no time */
    bool valid = (value >> 16) == (~value & 0xFFFF);
    uint64_t regress = 0;
    if (offset == 0 && valid)
        regress = ob_regress(m->ob, (uint8_t)value, m->flash, m->flash_size, NVM_L0L1_ERASED, &m->stats,
                             (uint64_t)(m->flash_size / m->page_size) * NVM_L0L1_OP_NS);
    if (regress && m->eeprom)
        memset(m->eeprom, NVM_L0L1_ERASED, m->eeprom_size);
    op_ns += regress;
    fw_put_le32(m->ob->bytes + offset, value);
    m->stats.programs++;
    flash_start_operation(&m->busy, &m->stats, now_ns, op_ns);
    m->sr |= NVM_SR_EOP;
}
