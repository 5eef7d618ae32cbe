/* SPDX-License-Identifier: MIT */
#include "transform_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fwkit/transform.h"

int transform_option(struct transform_opts *t, int c, const char *arg)
{
    uint64_t v;
    switch (c) {
    case TOPT_CROP:
        if (!cli_parse_range(arg, &t->crop_lo, &t->crop_end))
            return cli_usage_error("--crop needs START:END with START < END, not '%s'", arg), -1;
        t->crop = true;
        return 1;
    case TOPT_EXCLUDE:
        if (t->nexclude == TRANSFORM_MAX_EXCLUDES)
            return cli_usage_error("at most %d --exclude ranges", TRANSFORM_MAX_EXCLUDES), -1;
        if (!cli_parse_range(arg, &t->ex_lo[t->nexclude], &t->ex_end[t->nexclude]))
            return cli_usage_error("--exclude needs START:END with START < END, not '%s'", arg), -1;
        t->nexclude++;
        return 1;
    case TOPT_OFFSET:
        if (!cli_parse_i64(arg, &t->offset))
            return cli_usage_error("--offset needs a number (may be negative), not '%s'", arg), -1;
        return 1;
    case TOPT_FILL_GAPS:
        if (!cli_parse_range(arg, &t->fill_lo, &t->fill_end))
            return cli_usage_error("--fill-gaps needs START:END with START < END, not '%s'", arg), -1;
        t->fill_gaps = true;
        return 1;
    case TOPT_FILL_PATTERN: {
        size_t n = strlen(arg);
        if (n < 2 || n % 2 || n / 2 > sizeof(t->pattern))
            return cli_usage_error("--fill-pattern needs 1 to %zu bytes in hex, not '%s'", sizeof(t->pattern), arg), -1;
        for (size_t i = 0; i < n / 2; i++) {
            char b[3] = {arg[2 * i], arg[2 * i + 1], 0};
            char *e;
            t->pattern[i] = (uint8_t)strtoul(b, &e, 16);
            if (*e)
                return cli_usage_error("--fill-pattern needs hex digits, not '%s'", arg), -1;
        }
        t->plen = n / 2;
        return 1;
    }
    case TOPT_PAD_TO:
    case TOPT_PAD_CHUNKS:
        if (!cli_parse_u64(arg, &v) || !v || (v & (v - 1)))
            return cli_usage_error("--pad needs a power of two, not '%s'", arg), -1;
        t->pad_align = v;
        t->pad_each = c == TOPT_PAD_CHUNKS;
        return 1;
    case TOPT_BYTE_SWAP:
        if (strcmp(arg, "2") && strcmp(arg, "4"))
            return cli_usage_error("--byte-swap takes 2 or 4, not '%s'", arg), -1;
        t->swap = (unsigned)atoi(arg);
        return 1;
    case TOPT_SPLIT:
        if (!cli_parse_u64(arg, &t->split_size) || !t->split_size)
            return cli_usage_error("--split needs a size above 0, not '%s'", arg), -1;
        return 1;
    case TOPT_SPLIT_REGIONS: t->split_regions = true; return 1;
    default: return 0;
    }
}

int output_option(fw_write_options *w, bool *has_fill, int c, const char *arg)
{
    uint64_t v;
    switch (c) {
    case 'O':
        if ((w->format = fw_format_parse(arg)) == FW_FMT_UNKNOWN || w->format == FW_FMT_ELF)
            return cli_usage_error("unknown output format '%s' (ihex, srec, bin, uf2, c, vmem)", arg), -1;
        return 1;
    case OOPT_FILL:
        if (!cli_parse_u64(arg, &v) || v > 0xFF)
            return cli_usage_error("--fill needs a byte 0..0xFF, not '%s'", arg), -1;
        w->fill = (uint8_t)v;
        *has_fill = true;
        return 1;
    case OOPT_MAX_GAP:
        if (!cli_parse_u64(arg, &v) || v == 0)
            return cli_usage_error("--max-gap needs a size above 0, not '%s'", arg), -1;
        w->max_gap = v;
        return 1;
    case OOPT_RECORD_BYTES:
        if (!cli_parse_u64(arg, &v) || v < 1 || v > 255)
            return cli_usage_error("--record-bytes needs 1..255, not '%s'", arg), -1;
        w->record_bytes = (unsigned)v;
        return 1;
    case OOPT_CRLF: w->crlf = true; return 1;
    case OOPT_SEGMENT: w->ihex_segment = true; return 1;
    case OOPT_SREC_TYPE:
        if (!cli_parse_u64(arg, &v) || v < 1 || v > 3)
            return cli_usage_error("--srec-type needs 1, 2 or 3, not '%s'", arg), -1;
        w->srec_type = (unsigned)v;
        return 1;
    case OOPT_SREC_HEADER: w->srec_header = arg; return 1;
    case OOPT_NO_COUNT: w->srec_no_count = true; return 1;
    case OOPT_NO_START: w->no_start = true; return 1;
    case OOPT_UF2_FAMILY:
        if (!fw_uf2_family(arg, &w->uf2_family)) {
            if (!cli_parse_u64(arg, &v) || v > UINT32_MAX)
                return cli_usage_error("--uf2-family needs a family name (STM32F4...) or a 32-bit id, not '%s'", arg),
                       -1;
            w->uf2_family = (uint32_t)v;
        }
        w->has_uf2_family = true;
        return 1;
    case OOPT_C_NAME: w->c_name = arg; return 1;
    default: return 0;
    }
}

bool output_format_default(fw_write_options *w, const char *out)
{
    if (w->format != FW_FMT_UNKNOWN)
        return true;
    w->format = fw_format_from_extension(out);
    if (w->format == FW_FMT_UNKNOWN || w->format == FW_FMT_ELF) {
        cli_usage_error("cannot tell the output format from '%s': give -O ihex, srec, bin, uf2, c or vmem", out);
        return false;
    }
    return true;
}

void output_default_fill(fw_write_options *w, bool has_fill, const fw_target *t, bool fills, bool quiet)
{
    const fw_region *flash = t ? fw_target_region_of_kind(t, FW_REGION_FLASH) : NULL;
    if (has_fill || !flash || flash->erased < 0)
        return;
    w->fill = (uint8_t)flash->erased;
    if (!quiet && (fills || w->format == FW_FMT_BIN || w->format == FW_FMT_UF2))
        fprintf(stderr, "%s: gaps are filled with 0x%02X, %s's erased flash\n", cli_prog, w->fill, t->name);
}

int transform_apply(fw_image *img, const struct transform_opts *t, uint8_t fill, fw_diag *d)
{
    int rc = t->crop ? fw_image_crop(img, t->crop_lo, t->crop_end) : FW_OK;
    for (size_t i = 0; i < t->nexclude && rc == FW_OK; i++)
        rc = fw_image_exclude(img, t->ex_lo[i], t->ex_end[i]);
    if (rc == FW_OK && t->offset)
        rc = fw_image_offset(img, t->offset, d);
    if (rc == FW_OK && t->fill_gaps)
        rc = fw_image_fill(img, t->fill_lo, t->fill_end, t->plen ? t->pattern : &fill, t->plen ? t->plen : 1);
    if (rc == FW_OK && t->pad_align)
        rc = fw_image_pad(img, t->pad_align, t->plen ? t->pattern[0] : fill, t->pad_each);
    if (rc == FW_OK && t->swap)
        rc = fw_image_byteswap(img, t->swap, d);
    return rc;
}

/* OUT with a suffix before its extension: fw.hex + "-2" = fw-2.hex */
static void part_name(const char *out, const char *suffix, char *buf, size_t cap)
{
    const char *slash = strrchr(out, '/');
    const char *dot = strrchr(slash ? slash : out, '.');
    if (!dot)
        snprintf(buf, cap, "%s-%s", out, suffix);
    else
        snprintf(buf, cap, "%.*s-%s%s", (int)(dot - out), out, suffix, dot);
}

int transform_write(const fw_image *img, const char *out, const fw_write_options *w, const struct transform_opts *t,
                    const fw_target *target, fw_diag *d)
{
    if (!t->split_size && !t->split_regions)
        return fw_write_file(img, out, w, d);
    uint64_t lo, end;
    if (!fw_image_span(img, &lo, &end))
        return fw_write_file(img, out, w, d);
    char name[4096], suffix[64];
    int rc = FW_OK, written = 0;
    if (t->split_regions) {
        for (size_t i = 0; target && i < target->nregions && rc == FW_OK; i++) {
            const fw_region *r = &target->regions[i];
            if (!fw_region_in_default_variant(target, r) || r->kind == FW_REGION_PERIPHERAL)
                continue;
            fw_image *part = fw_image_slice(img, r->base, r->base + r->size);
            if (!part)
                return FW_ENOMEM;
            if (!fw_image_is_empty(part)) {
                part_name(out, r->name, name, sizeof(name));
                rc = fw_write_file(part, name, w, d);
                written++;
            }
            fw_image_free(part);
        }
        return rc;
    }
    for (uint64_t a = lo, k = 1; a < end && rc == FW_OK; a += t->split_size) {
        fw_image *part = fw_image_slice(img, a, a + t->split_size > a ? a + t->split_size : UINT64_MAX);
        if (!part)
            return FW_ENOMEM;
        if (!fw_image_is_empty(part)) {
            snprintf(suffix, sizeof(suffix), "%llu", (unsigned long long)k++);
            part_name(out, suffix, name, sizeof(name));
            rc = fw_write_file(part, name, w, d);
        }
        fw_image_free(part);
    }
    return rc;
}
