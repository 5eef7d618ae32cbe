/* SPDX-License-Identifier: MIT */
/* Which toolchain built an ELF, so that hints speak its language: MEMORY
 * and ENTRY() for GNU ld and LLD, load regions of a scatter file for
 * armlink, `define region` in an .icf for IAR ILINK. */
#include "lint_internal.h"

#include <string.h>

static bool has_section(const fw_elf_info *e, const char *name)
{
    return fw_elf_section_named(e, name) != NULL;
}

void lint_detect_toolchain(struct lint *l)
{
    const fw_elf_info *e = l->elf;
    l->toolchain = LINT_TC_UNKNOWN;
    if (!e)
        return;
    const char *c = e->comment ? e->comment : "";
    /* the linkers' own marks: armlink names its output regions ER_*, RW_*
     * and defines Image$$ symbols; ILINK writes "IAR ELF Linker" and its
     * start-up is __iar_program_start; LLD writes "Linker: LLD" */
    if (strstr(c, "IAR ") || fw_elf_symbol_named(e, "__iar_program_start"))
        l->toolchain = LINT_TC_IAR;
    else if (strstr(c, "ARM Compiler") || strstr(c, "Arm Compiler") || strstr(c, "armlink") ||
             has_section(e, "ER_IROM1") || has_section(e, "ER_RO") || fw_elf_symbol_named(e, "Image$$ER_IROM1$$Base"))
        l->toolchain = LINT_TC_ARMLINK;
    else if (strstr(c, "Linker: LLD") || strstr(c, "LLD "))
        l->toolchain = LINT_TC_LLD;
    else if (strstr(c, "GCC:") || strstr(c, "GNU"))
        l->toolchain = LINT_TC_GNU;
}

const char *lint_toolchain_name(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_GNU: return "GNU ld";
    case LINT_TC_LLD: return "LLVM lld";
    case LINT_TC_ARMLINK: return "armlink";
    case LINT_TC_IAR: return "IAR ILINK";
    default: return NULL;
    }
}

const char *lint_hint_memory(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_ARMLINK: return "the load and execution regions of the scatter file (.sct), or the IROM/IRAM of the "
                                 "project's target options";
    case LINT_TC_IAR: return "the `define region` lines of the linker configuration (.icf)";
    case LINT_TC_UNKNOWN:
        if (!l->elf)
            return "the linker's memory map (MEMORY in a GNU ld script, the scatter file for armlink, the .icf for "
                   "IAR)";
        /* fall through */
    default: return "MEMORY in the linker script";
    }
}

const char *lint_hint_vectors_first(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_ARMLINK: return "place the vector table first in the load region: the start-up's RESET section "
                                 "with +First in the scatter file";
    case LINT_TC_IAR: return "place .intvec at the start of ROM in the .icf (place at address mem:"
                             "__ICFEDIT_intvec_start__ { readonly section .intvec })";
    default: return "keep .isr_vector (KEEP) at the start of the flash region in the linker script";
    }
}

const char *lint_hint_cpu_flag(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_ARMLINK: return "--cpu (Arm Compiler 5) or -mcpu (Arm Compiler 6)";
    case LINT_TC_IAR: return "--cpu";
    default: return "-mcpu";
    }
}

const char *lint_hint_soft_float(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_ARMLINK: return "build without the FPU: --fpu=SoftVFP (Arm Compiler 5) or -mfloat-abi=soft "
                                 "(Arm Compiler 6)";
    case LINT_TC_IAR: return "build without the FPU: --fpu=None";
    default: return "build with -mfloat-abi=soft and no -mfpu";
    }
}

const char *lint_hint_stack_top(const struct lint *l)
{
    switch (l->toolchain) {
    case LINT_TC_ARMLINK: return "set the stack region (ARM_LIB_STACK in the scatter file, or Stack_Size in the "
                                 "start-up file) to end at the top of RAM";
    case LINT_TC_IAR: return "end the CSTACK block at the top of RAM in the .icf";
    default: return "set _estack (or __StackTop) to the end of RAM of this part";
    }
}
