/* SPDX-License-Identifier: MIT */
/* An image for another kind of core given a Cortex-M part: one finding that
 * says what it looks like and why, instead of vector-table findings phrased
 * as if it were Cortex-M code. An ELF says its machine (ELF-TARGET); a HEX,
 * S-record or binary says it by the shape of its first words. */
#include "lint_internal.h"
#include "fwkit/bytes.h"

#include <stdio.h>

/* What the first bytes of the lowest data look like, or NULL for nothing
 * foreign (Cortex-M, or unknown); *arm_state says it is ARM7/ARM9 code. */
static const char *looks_like(const struct lint *l, char *why, size_t n, bool *arm_state)
{
    *arm_state = false;
    /* where the vector table would be (the boot address, or the start of
     * the data in flash), else the lowest data */
    long at = l->vt.nwords ? fw_image_find(l->img, l->vt.addr) : -1;
    const fw_chunk *c = fw_image_chunk(l->img, at >= 0 ? (size_t)at : 0);
    uint64_t lo, end;
    fw_image_span(l->img, &lo, &end);
    size_t off = at >= 0 ? (size_t)(l->vt.addr - c->addr) : 0;
    if (c->len - off < 8)
        return NULL;
    const uint8_t *b = c->data + off;
    uint32_t w0 = fw_get_le32(b), w1 = fw_get_le32(b + 4);
    /* Cortex-M: an initial stack pointer in RAM space, a Thumb reset vector
     * (ARMv7-M B1.5.3) */
    if ((w1 & 1) && !(w0 & 3) && w0 >= 0x10000000 && w0 < 0x40000000)
        return NULL;
    unsigned h0 = b[0] | b[1] << 8, h2 = b[4] | b[5] << 8;
    if ((w0 & 0xFFFFF000u) == 0xE59FF000u || (w0 & 0xFF000000u) == 0xEA000000u) {
        snprintf(why, n, "its first word 0x%08x is an ARM-state %s, as an ARM7/ARM9 exception vector, where Cortex-M "
                         "has a stack pointer and a Thumb reset vector",
                 w0, (w0 & 0xFF000000u) == 0xEA000000u ? "branch (B)" : "load of the PC (LDR PC, [PC, #])");
        *arm_state = true;
        return "ARM7/ARM9 (ARM-state) code";
    }
    if ((h0 == 0x940C || h0 == 0x940D) && (h2 == 0x940C || h2 == 0x940D)) {
        snprintf(why, n, "its interrupt vectors at 0x%08llx are AVR JMP instructions (0x%04x)", (unsigned long long)c->addr, h0);
        return "AVR code";
    }
    if ((h0 & 0xF000) == 0xC000 && ((b[2] | b[3] << 8) & 0xF000) == 0xC000 && (h2 & 0xF000) == 0xC000) {
        snprintf(why, n, "its interrupt vectors at 0x%08llx are AVR RJMP instructions (0x%04x)", (unsigned long long)c->addr, h0);
        return "AVR code";
    }
    if (c->addr == 0 && b[0] == 0x02 && (uint64_t)(b[1] << 8 | b[2]) < end) {
        snprintf(why, n, "it starts at 0x0000 with an 8051 long jump (LJMP 0x%04x) into its own code", b[1] << 8 | b[2]);
        return "8051 code";
    }
    if (b[0] == 0xE9 && b[1] >= 1 && b[1] <= 16) {
        snprintf(why, n, "it starts with the Espressif image header (magic 0xE9, %u segments)", b[1]);
        return "an ESP32/ESP8266 (Xtensa or RISC-V) image";
    }
    unsigned op0 = w0 & 0x7F, op1 = w1 & 0x7F;
    bool rv0 = (w0 & 3) == 3 && (op0 == 0x6F || op0 == 0x37 || op0 == 0x17 || op0 == 0x13 || op0 == 0x73),
         rv1 = (w1 & 3) == 3 && (op1 == 0x6F || op1 == 0x37 || op1 == 0x17 || op1 == 0x13 || op1 == 0x73 ||
                                 op1 == 0x67 || op1 == 0x03 || op1 == 0x23 || op1 == 0x33);
    if (rv0 && rv1) {
        snprintf(why, n, "its first words 0x%08x 0x%08x decode as RISC-V instructions, where Cortex-M has a stack "
                         "pointer and a Thumb reset vector",
                 w0, w1);
        return "RISC-V code";
    }
    /* compressed RISC-V (the C extension): start-up code of c.li, c.addi,
     * c.lui, c.j, c.jal, c.mv/c.add (quadrants 1 and 2, RISC-V ISA manual
     * "C" chapter); Thumb never shows a run of these where a stack pointer
     * should be */
    size_t rvc = 0, distinct = 0;
    for (size_t i = 0; i < 8 && off + 2 * i + 1 < c->len; i++) {
        unsigned h = b[2 * i] | b[2 * i + 1] << 8, q = h & 0xE003;
        rvc += q == 0x0001 || q == 0x2001 || q == 0x4001 || q == 0x6001 || q == 0xA001 || q == 0x8002;
        distinct += !i || h != (unsigned)(b[2 * i - 2] | b[2 * i - 1] << 8);
    }
    if (rvc >= 6 && distinct >= 4) { /* instructions, not a fill pattern */
        snprintf(why, n, "its first half-words (0x%04x 0x%04x ...) decode as compressed RISC-V instructions, where "
                         "Cortex-M has a stack pointer and a Thumb reset vector",
                 h0, b[2] | b[3] << 8);
        return "RISC-V code";
    }
    uint8_t rv[2];
    if (end <= 0x10000 && fw_image_read(l->img, 0xFFFE, rv, 2)) {
        snprintf(why, n, "all its data lies below 64 KiB with a reset vector at 0xFFFE (0x%02x%02x), as 8-bit parts "
                         "(HC08/S08, 68HC11, 6502) place it",
                 rv[0], rv[1]);
        return "an 8-bit microcontroller's image";
    }
    return NULL;
}

bool lint_foreign_rules(struct lint *l)
{
    if (!l->arm || !l->in->target || fw_image_is_empty(l->img))
        return false;
    char why[256];
    bool arm_state;
    const char *what = looks_like(l, why, sizeof(why), &arm_state);
    /* an ELF says it itself: ELF-TARGET (its machine), ARM-STATE (ARM7 code) */
    if (l->elf)
        return l->elf->machine != 40 || arm_state;
    if (!what)
        return false;
    fw_location loc = lint_where(l, fw_image_chunk(l->img, 0)->addr);
    fw_diagnostic *e = lint_emit(l, "IMG-FOREIGN", &loc, "this looks like %s, not Cortex-M code for %s: %s", what,
                                 l->t->name, why);
    fw_diagnostic_set_hint(e, "it was built for another chip: check the build directory, the toolchain and the "
                              "file you meant to flash");
    return true;
}
