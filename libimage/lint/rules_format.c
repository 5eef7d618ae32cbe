/* SPDX-License-Identifier: MIT */
/* A. format integrity beyond what the readers check, and B. empty images. */
#include "lint_internal.h"

#include <string.h>

#include "fwkit/format.h"

static bool hex_digits(const uint8_t *p, size_t n)
{
    size_t k = n < 8 ? n : 8;
    for (size_t i = 0; i < k; i++)
        if (!strchr("0123456789ABCDEFabcdef", p[i]) || !p[i])
            return false;
    return k > 0;
}

static void kind_mismatch(struct lint *l)
{
    fw_format named = fw_format_from_extension(l->path);
    fw_format got = fw_image_format(l->img);
    fw_location loc = {.file = l->path};
    if (got == FW_FMT_UNKNOWN) /* made in memory, not read */
        return;
    if (got == FW_FMT_BIN && fw_image_is_empty(l->img)) /* a 0-byte file has no kind; IMG-EMPTY says it */
        return;
    if (named != FW_FMT_UNKNOWN && named != got) {
        fw_diagnostic *e = lint_emit(l, "FMT-KIND-MISMATCH", &loc, "the file is named like %s but holds %s",
                                     fw_format_description(named), fw_format_description(got));
        fw_diagnostic_set_hint(e, got == FW_FMT_ELF ? "a flasher that trusts the name writes the ELF file's bytes "
                                                      "as they are: give it the ELF, or convert with fwconv"
                                                    : "rename the file, or convert it with fwconv");
        return;
    }
    /* a raw binary read on purpose that starts like another format */
    if (got == FW_FMT_BIN && !fw_image_is_empty(l->img)) {
        const fw_chunk *c = fw_image_chunk(l->img, 0);
        const char *what = NULL;
        if (c->len >= 4 && !memcmp(c->data, "\x7f" "ELF", 4))
            what = "an ELF file";
        else if (c->len >= 2 && c->data[0] == ':' && hex_digits(c->data + 1, c->len - 1))
            what = "Intel HEX text";
        else if (c->len >= 2 && c->data[0] == 'S' && c->data[1] >= '0' && c->data[1] <= '9')
            what = "S-record text";
        if (what) {
            fw_diagnostic *e = lint_emit(l, "FMT-KIND-MISMATCH", &loc, "this raw binary starts like %s", what);
            fw_diagnostic_set_hint(e, "flashing it writes the file's text or headers into flash: convert it with fwconv");
        }
    }
}

static void empty(struct lint *l)
{
    fw_location loc = {.file = l->path};
    if (!fw_image_is_empty(l->img)) {
        uint64_t n = fw_image_data_size(l->img);
        if (l->arm && n < 64) {
            char b[32];
            lint_emit(l, "IMG-TINY", &loc, "the image holds only %s, less than a Cortex-M vector table (64 bytes)",
                      lint_size(n, b));
        }
        return;
    }
    fw_diagnostic *e;
    if (l->elf) {
        e = lint_emit(l, "IMG-EMPTY", &loc, "the ELF has no loadable bytes: no PT_LOAD segment has file contents");
        fw_diagnostic_set_hint(e, "check that the linker script places code in a memory region and keeps it "
                                  "(KEEP, no --gc-sections surprise); a flasher would report success and write nothing");
    } else {
        e = lint_emit(l, "IMG-EMPTY", &loc, "the image holds no data");
        fw_diagnostic_set_hint(e, "a flasher would report success and write nothing: rebuild it, and check the "
                                  "command that made it from the ELF");
    }
    const fw_elf_info *elf = l->elf;
    if (!elf)
        return;
    size_t loads = 0, with_memory = 0, alloc = 0, nobits = 0;
    for (size_t i = 0; i < elf->nsegments; i++)
        if (elf->segments[i].type == 1 /* PT_LOAD */) {
            loads++;
            with_memory += elf->segments[i].memsz > 0;
        }
    for (size_t i = 0; i < elf->nsections; i++)
        if (elf->sections[i].flags & 2 /* SHF_ALLOC */) {
            alloc++;
            nobits += elf->sections[i].type == 8 /* SHT_NOBITS */;
        }
    if ((loads && with_memory) || (alloc && alloc == nobits) || fw_elf_section_named(elf, ".gnu_debuglink")) {
        e = lint_emit(l, "ELF-DEBUG-ONLY", &loc,
                      "this ELF holds debug information only: its %zu allocated sections have no file contents", alloc);
        fw_diagnostic_set_hint(e, "this looks like an --only-keep-debug companion; flash the stripped or full ELF instead");
    }
}

void lint_format_rules(struct lint *l)
{
    kind_mismatch(l);
    empty(l);
}
