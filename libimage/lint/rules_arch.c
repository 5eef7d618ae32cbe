/* SPDX-License-Identifier: MIT */
/* F. whether an ELF was built for this kind of core at all. */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

static const char *machine_name(unsigned m)
{
    switch (m) {
    case 40: return "ARM";
    case 243: return "RISC-V";
    case 83: return "AVR";
    case 71: return "68HC08";
    case 62: return "x86-64";
    case 3: return "x86";
    case 183: return "AArch64";
    default: return "another architecture";
    }
}

static void elf_target(struct lint *l)
{
    const fw_elf_info *e = l->elf;
    fw_location loc = {.file = l->path};
    unsigned want = l->riscv ? 243 : 40;
    if (e->machine != want) {
        fw_diagnostic *d = lint_emit(l, "ELF-TARGET", &loc, "this ELF is %s code (e_machine %u), not %s code for %s",
                                     machine_name(e->machine), e->machine, l->riscv ? "RISC-V" : "Arm Cortex-M",
                                     l->in->target ? l->in->target->name : "the part");
        fw_diagnostic_set_hint(d, "it was built for another chip: check the toolchain and the build directory");
        return;
    }
    if (e->big_endian)
        lint_emit(l, "ELF-TARGET", &loc, "this ELF is big-endian; %s runs little-endian code",
                  l->in->target ? l->in->target->name : "the part");
    bool rv64 = l->in->target && l->in->target->isa && !strncmp(l->in->target->isa, "rv64", 4);
    if (e->elf_class != (rv64 ? 64 : 32))
        lint_emit(l, "ELF-TARGET", &loc, "this is a %d-bit ELF for a %d-bit core", e->elf_class, rv64 ? 64 : 32);
    if (e->type != 2 /* ET_EXEC */) {
        fw_diagnostic *d = lint_emit(l, "ELF-TARGET", &loc, "this ELF is %s, not a linked executable",
                                     e->type == 1 ? "a relocatable object (.o)" : "not an executable");
        fw_diagnostic_set_hint(d, "flash the linked program, not an object file");
    }
}

static void arm_state(struct lint *l)
{
    const fw_elf_info *e = l->elf;
    fw_location loc = {.file = l->path};
    size_t arm_symbols = 0;
    const fw_elf_symbol *first = NULL, *veneer = NULL;
    for (size_t i = 0; i < e->nsymbols; i++) {
        const char *n = e->symbols[i].name;
        size_t len = strlen(n);
        if (!strcmp(n, "$a") || !strncmp(n, "$a.", 3)) {
            arm_symbols++;
            if (!first)
                first = &e->symbols[i];
        }
        if (!veneer && ((len > 11 && !strcmp(n + len - 11, "_from_thumb")) ||
                        (len > 9 && !strcmp(n + len - 9, "_from_arm"))))
            veneer = &e->symbols[i];
    }
    const fw_elf_attributes *a = &e->attributes;
    if (arm_symbols)
        lint_emit(l, "ARM-STATE", &loc,
                  "%zu ARM-state code region%s (mapping symbol $a, first at 0x%08llx): Cortex-M executes Thumb only and "
                  "faults there",
                  arm_symbols, arm_symbols > 1 ? "s" : "", (unsigned long long)first->value);
    if (veneer) {
        fw_diagnostic *d = lint_emit(l, "ARM-STATE", &loc, "interworking veneer %s: a library was built for ARM state",
                                     veneer->name);
        fw_diagnostic_set_hint(d, "link with the same -mcpu/-mthumb flags as you compile, so the Thumb multilib is used");
    }
    if (a->cpu_arch_profile > 0 && a->cpu_arch_profile != 'M')
        lint_emit(l, "ARM-STATE", &loc, "the build attributes say the code is for the %c profile, not M (microcontroller)",
                  (char)a->cpu_arch_profile);
    else if (a->arm_isa_use > 0)
        lint_emit(l, "ARM-STATE", &loc, "the build attributes say the code uses the ARM instruction set (Tag_ARM_ISA_use)");
}

static const char *arch_name(int a)
{
    static const char *names[] = {"pre-v4", "v4", "v4T", "v5T", "v5TE", "v5TEJ", "v6", "v6KZ", "v6T2", "v6K",
                                  "v7", "v6-M", "v6S-M", "v7E-M", "v8-A", "v8-R", "v8-M.baseline", "v8-M.mainline",
                                  "v8.1-A", "v8.2-A", "v8.3-A", "v8.1-M.mainline"};
    return a >= 0 && a < (int)(sizeof(names) / sizeof(names[0])) ? names[a] : "unknown";
}

static void arch_level(struct lint *l)
{
    const fw_target *t = l->in->target;
    int arch = l->elf->attributes.cpu_arch;
    if (!t || !t->core || arch < 0)
        return;
    /* the Tag_CPU_arch values each core executes (Arm IHI 0045 "Addenda to
     * the ABI", Tag_CPU_arch; the Cortex-M33 executes Armv8-M mainline with
     * or without the DSP and FP extensions, which are other tags) */
    static const struct {
        const char *core;
        unsigned mask;
    } cores[] = {
        {"cortex-m0", 1u << 11 | 1u << 12},
        {"cortex-m0+", 1u << 11 | 1u << 12},
        {"cortex-m3", 1u << 10 | 1u << 11 | 1u << 12},
        {"cortex-m4", 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13},
        {"cortex-m7", 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13},
        {"cortex-m23", 1u << 11 | 1u << 12 | 1u << 16},
        {"cortex-m33", 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13 | 1u << 16 | 1u << 17},
        {"cortex-m55", 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13 | 1u << 16 | 1u << 17 | 1u << 21},
    };
    /* a dual-core part runs what either core runs, unless one is chosen */
    unsigned mask = 0;
    bool known = false;
    const char *core = l->core ? l->core : t->core;
    for (size_t i = 0; i < sizeof(cores) / sizeof(cores[0]); i++)
        if (l->core ? !strcmp(l->core, cores[i].core) : fw_target_has_core(t, cores[i].core)) {
            mask |= cores[i].mask;
            known = true;
        }
    if (known && (arch > 31 || !(mask & (1u << arch)))) {
        fw_location loc = {.file = l->path};
        fw_diagnostic *d = lint_emit(l, "ARM-ARCH-LEVEL", &loc,
                                     "the code is built for Arm%s (Tag_CPU_arch %d), which %s (%s) cannot execute",
                                     arch_name(arch), arch, t->name, core);
        fw_diagnostic_set_hint(d, "compile and link for the part's core: %s=%.*s", lint_hint_cpu_flag(l),
                               (int)strcspn(core, ","), core);
    }
}

static void float_abi(struct lint *l)
{
    const fw_target *t = l->in->target;
    const fw_elf_attributes *a = &l->elf->attributes;
    if (!t || t->fpu == FW_FPU_UNKNOWN)
        return;
    /* the second core of a dual-core part has its own FPU: the H745/H747
     * M4 single precision, the WL5x M0+ none */
    fw_fpu fpu = t->fpu;
    if (l->core && !strcmp(l->core, "cortex-m4") && fpu == FW_FPU_DP)
        fpu = FW_FPU_SP;
    else if (l->core && !strcmp(l->core, "cortex-m0+"))
        fpu = FW_FPU_NONE;
    fw_location loc = {.file = l->path};
    bool hard = (l->elf->flags & 0x400) || a->abi_vfp_args == 1;
    bool uses_fp = a->fp_arch > 0 || hard;
    bool double_precision = a->fp_arch > 0 && a->abi_hardfp_use != 1;
    if (fpu == FW_FPU_NONE && uses_fp) {
        fw_diagnostic *d = lint_emit(l, "ARM-FLOAT-ABI", &loc,
                                     "the code uses the floating-point unit (%s), but %s has none: the first FP "
                                     "instruction faults",
                                     hard ? "hard-float ABI" : "Tag_FP_arch", t->name);
        fw_diagnostic_set_hint(d, "%s", lint_hint_soft_float(l));
    } else if (fpu == FW_FPU_SP && double_precision) {
        fw_diagnostic *d = lint_emit(l, "ARM-FLOAT-ABI", &loc,
                                     "the code uses double-precision floating point, but %s's FPU is single-precision only",
                                     t->name);
        fw_diagnostic_set_hint(d, "build with the part's FPU, e.g. -mfpu=fpv4-sp-d16 or fpv5-sp-d16");
    } else if (uses_fp && fpu != FW_FPU_NONE) {
        lint_emit_as(l, FW_NOTE, "ARM-FLOAT-ABI", &loc,
                     "the code uses the FPU: the start-up must enable it (CPACR) before the first floating-point "
                     "instruction, including any in __libc_init_array");
    }
}

/* The extension letters of a RISC-V ISA string ("rv32imac" -> "imac"; g = imafd). */
static bool has_extension(const char *isa, char x)
{
    if (!isa || strlen(isa) < 5)
        return false;
    for (const char *p = isa + 4; *p && *p != '_'; p++)
        if (*p == x || (*p == 'g' && strchr("imafd", x)))
            return true;
    return false;
}

static void riscv_isa(struct lint *l)
{
    const fw_target *t = l->in->target;
    const char *isa = t ? (t->isa ? t->isa : t->core) : NULL;
    if (!isa || strncmp(isa, "rv", 2))
        return;
    uint32_t f = l->elf->flags;
    fw_location loc = {.file = l->path};
    if ((f & 1) && !has_extension(isa, 'c'))
        lint_emit(l, "RV-ISA", &loc, "the code uses compressed instructions (EF_RISCV_RVC), but the core is %s", isa);
    unsigned fabi = f & 6;
    if ((fabi == 2 && !has_extension(isa, 'f')) || (fabi >= 4 && !has_extension(isa, 'd')))
        lint_emit(l, "RV-ISA", &loc, "the code uses the %s-float ABI, but the core %s has no %s extension",
                  fabi == 2 ? "single" : "double", isa, fabi == 2 ? "F" : "D");
    bool rve = isa[4] == 'e';
    if (!!(f & 8) != rve)
        lint_emit(l, "RV-ISA", &loc, "the code is built for %s, but the core is %s", f & 8 ? "RV32E" : "RV32I", isa);
}

void lint_arch_rules(struct lint *l)
{
    if (!l->elf || !(l->arm || l->riscv) || (!l->in->target && !l->in->ld))
        return;
    elf_target(l);
    if (l->elf->machine == 40 && l->arm) {
        arm_state(l);
        arch_level(l);
        float_abi(l);
    } else if (l->elf->machine == 243 && l->riscv) {
        riscv_isa(l);
    }
}
