/* SPDX-License-Identifier: MIT */
/* fwsim: the option bytes. Facts from PM0075 §2.4-2.5 (F1), RM0091 §4
 * (F0), RM0090 §3.6-3.7 (F4), RM0038 §3.7-3.9 (L1) and RM0351 §3.4-3.5 (L4);
 * choices of the model are marked "model:". */
#include "optbytes.h"

#include <string.h>

void ob_init(struct option_bytes *ob, ob_layout layout, uint8_t *bytes, uint32_t base, uint32_t size)
{
    memset(ob, 0, sizeof(*ob));
    /* each layout needs its first 16 bytes (L4/G0: OPTR and its complement) */
    ob->layout = bytes && size >= 16 ? layout : OB_NONE;
    ob->bytes = bytes;
    ob->base = base;
    ob->size = size < OB_MAX_SIZE ? size : OB_MAX_SIZE;
}

/* a half-word and its complement, as L0/L1 store each option */
static uint32_t with_complement16(uint32_t half)
{
    half &= 0xFFFF;
    return (~half & 0xFFFFu) << 16 | half;
}

void ob_factory(struct option_bytes *ob)
{
    if (ob->layout == OB_NONE)
        return;
    memset(ob->bytes, 0xFF, ob->size);
    switch (ob->layout) {
    case OB_F1:
    case OB_F0F3:
        /* every byte 0xFF with its complement 0x00 (no write protection,
         * user options at their defaults), then RDP at level 0 */
        for (uint32_t i = 1; i < ob->size; i += 2)
            ob->bytes[i] = 0x00;
        ob->bytes[0] = ob_level0_code(ob);
        ob->bytes[1] = (uint8_t)~ob_level0_code(ob);
        break;
    case OB_F2F4F7:
        ob->bytes[0] = 0xEC; /* RM0090 §3.9.10: OPTCR resets to 0x0FFFAAED: user bits and BOR off */
        ob->bytes[1] = 0xAA;
        ob->bytes[8] = 0xFF; /* nWRP: no sector protected */
        ob->bytes[9] = 0x0F;
        break;
    case OB_L0L1:
        fw_put_le32(ob->bytes, 0xFF5500AAu); /* RM0038 §3.9.1: level 0 */
        fw_put_le32(ob->bytes + 4, with_complement16(0x00F8)); /* BOR off, user bits set */
        for (uint32_t o = 8; o + 4 <= ob->size; o += 4)
            fw_put_le32(ob->bytes + o, with_complement16(0)); /* WRP: nothing protected */
        break;
    case OB_L4G0:
        ob_l4g0_store(ob, 0, 0xFFEFF8AAu); /* RM0351 §3.7.8: OPTR at level 0, user options at their defaults */
        for (unsigned a = 0; a < OB_L4G0_WRP_AREAS; a++)
            if (ob_l4g0_wrp_offset(ob, a))
                ob_l4g0_store(ob, ob_l4g0_wrp_offset(ob, a), L4_WRP_NONE); /* nothing protected */
        break;
    case OB_NONE: break;
    }
}

uint8_t ob_level0_code(const struct option_bytes *ob)
{
    return ob->layout == OB_F1 ? 0xA5 : 0xAA;
}

int ob_rdp_level_of(const struct option_bytes *ob, uint8_t rdp)
{
    if (rdp == ob_level0_code(ob))
        return 0;
    return rdp == 0xCC && ob->layout != OB_F1 ? 2 : 1;
}

void ob_load(struct option_bytes *ob)
{
    ob->load_error = false;
    ob->rdp_level = 0;
    if (ob->layout == OB_NONE)
        return;
    memcpy(ob->loaded, ob->bytes, ob->size);
    uint8_t rdp = ob->loaded[0];
    switch (ob->layout) {
    case OB_F1:
    case OB_F0F3:
        /* PM0075 §2.5 (OBR.OPTERR): a byte whose complement disagrees loads as 0xFF */
        for (uint32_t i = 0; i + 1 < ob->size; i += 2)
            if ((ob->loaded[i] ^ ob->loaded[i + 1]) != 0xFF) {
                ob->loaded[i] = 0xFF;
                ob->loaded[i + 1] = 0x00;
                ob->load_error = true;
            }
        rdp = ob->loaded[0];
        break;
    case OB_F2F4F7: rdp = ob->loaded[1]; break;
    case OB_L0L1:
    case OB_L4G0: {
        /* RM0038 §3.9.9, RM0351 §3.4.2: a mismatch is OPTVERR; model: the
         * protection then loads as level 1, the safe side */
        uint32_t w = fw_get_le32(ob->loaded);
        bool ok = ob->layout == OB_L0L1 ? with_complement16(w) == w : fw_get_le32(ob->loaded + 4) == ~w;
        if (!ok) {
            ob->load_error = true;
            rdp = 0x00;
        }
        break;
    }
    case OB_NONE: break;
    }
    ob->rdp_level = ob_rdp_level_of(ob, rdp);
}

void ob_load_write_protection(const struct option_bytes *ob, uint32_t flash_size, unsigned page_bits,
                              struct write_protection *w)
{
    memset(w->options, 0, sizeof(w->options));
    if (!ob || !w->unit)
        return;
    const uint8_t *b = ob->loaded;
    switch (ob->layout) {
    case OB_F1:
    case OB_F0F3: {
        uint32_t wrp = b[8] | (uint32_t)b[10] << 8 | (uint32_t)b[12] << 16 | (uint32_t)b[14] << 24;
        for (uint32_t n = 0; n < 32; n++)
            if (!(wrp >> n & 1))
                wrp_set_units(w->options, n, n == 31 && flash_size > 32 * 4096 ? flash_size / 4096 - 31 : 1);
        break;
    }
    case OB_L0L1: {
        bool wprmod = b[1] & 1;
        for (uint32_t k = 0; k < 2 && 12 + 4 * k <= ob->size; k++) {
            uint32_t word = fw_get_le32(b + 8 + 4 * k);
            uint32_t bits = word & 0xFFFF;
            if (with_complement16(word) != word)
                bits = 0xFFFF;
            else if (wprmod)
                bits = ~bits & 0xFFFF;
            for (uint32_t n = 0; n < 16; n++)
                if (bits >> n & 1)
                    wrp_set_units(w->options, 16 * k + n, 1);
        }
        break;
    }
    case OB_L4G0: {
        uint32_t field = page_bits >= 16 ? 0xFFFF : (1u << page_bits) - 1;
        uint32_t pages = flash_size / w->unit;
        for (unsigned a = 0; a < OB_L4G0_WRP_AREAS; a++) {
            uint32_t o = ob_l4g0_wrp_offset(ob, a);
            if (!o)
                continue;
            uint32_t area = fw_get_le32(b + o), check = fw_get_le32(b + o + 4);
            if (area == 0xFFFFFFFFu && check == 0xFFFFFFFFu)
                continue;
            if (check != ~area) {
                wrp_set_units(w->options, 0, pages);
                continue;
            }
            uint32_t start = area & field, end = area >> 16 & field;
            if (start <= end)
                wrp_set_units(w->options, start, end - start + 1);
        }
        break;
    }
    case OB_F2F4F7:
    case OB_NONE: break;
    }
}

uint32_t ob_l4g0_wrp_offset(const struct option_bytes *ob, unsigned area)
{
    uint32_t o = 0x18 + 8 * area;
    return ob->layout == OB_L4G0 && area < OB_L4G0_WRP_AREAS && o + 8 <= ob->size ? o : 0;
}

void ob_l4g0_store(struct option_bytes *ob, uint32_t offset, uint32_t value)
{
    fw_put_le32(ob->bytes + offset, value);
    fw_put_le32(ob->bytes + offset + 4, ~value);
}

bool ob_reloads_on_system_reset(const struct option_bytes *ob)
{
    return ob->layout == OB_F1 || ob->layout == OB_F0F3 || ob->layout == OB_F2F4F7;
}

uint64_t ob_regress(const struct option_bytes *ob, uint8_t new_rdp, uint8_t *flash, uint32_t size, uint8_t erased,
                    struct flash_stats *stats, uint64_t erase_ns)
{
    if (ob->rdp_level != 1 || new_rdp != ob_level0_code(ob))
        return 0;
    memset(flash, erased, size);
    stats->erases++;
    return erase_ns;
}

void ob_store_rdp_level(struct option_bytes *ob, int level)
{
    uint8_t code = level == 0 ? ob_level0_code(ob) : level == 2 && ob->layout != OB_F1 ? 0xCC : 0x00;
    switch (ob->layout) {
    case OB_F1:
    case OB_F0F3:
        ob->bytes[0] = code;
        ob->bytes[1] = (uint8_t)~code;
        break;
    case OB_F2F4F7: ob->bytes[1] = code; break;
    case OB_L0L1: fw_put_le32(ob->bytes, with_complement16((uint32_t)ob->bytes[1] << 8 | code)); break;
    case OB_L4G0: {
        uint32_t w = (fw_get_le32(ob->bytes) & ~0xFFu) | code;
        fw_put_le32(ob->bytes, w);
        fw_put_le32(ob->bytes + 4, ~w);
        break;
    }
    case OB_NONE: break;
    }
}
