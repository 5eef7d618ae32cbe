/* SPDX-License-Identifier: MIT */
/* fwinfo: what is in a firmware image, and where each part came from. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/bytes.h"
#include "fwkit/checksum.h"

static const char usage[] =
    "Usage: fwinfo [OPTION]... FILE...\n"
    "Show the format, data ranges and their origin, start address, Cortex-M\n"
    "vector table, CRC-32 and ELF build-id of each firmware image.\n"
    "\n"
    "  -I, --input-format FMT  read as elf, ihex, srec or bin (default: from the content)\n"
    "      --base ADDR         load address of a raw binary (default 0)\n"
    "      --json              print a JSON array with one object per file\n"
    "      --checksum KIND[:START-END]  print a checksum of the data (END exclusive;\n"
    "                          default: the whole span), gaps read as --fill; KIND is\n"
    "                          crc32, crc32-mpeg2 (STM32 CRC unit), crc16-ccitt, crc16-xmodem,\n"
    "                          sum8/16/32, sum8/16/32-neg, adler32 (repeatable)\n"
    "      --fill BYTE         gap value for --checksum (default 0xFF)\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "Exit status: 0 ok, 2 a file could not be read or bad usage.\n";

struct origin_summary {
    char text[256];
};

/* The origins of one chunk: "file lines A-B", "offset 0x..-0x..", or the
 * ELF sections it holds. */
static void describe_origin(const fw_image *img, const fw_chunk *c, struct origin_summary *out)
{
    out->text[0] = 0;
    uint64_t addr = c->addr, end = c->addr + c->len, run_end;
    fw_origin o;
    if (!fw_image_origin_run(img, addr, &o, &run_end))
        return;
    bool elf = fw_image_elf(img) != NULL, lines = o.has_line;
    uint64_t lo = UINT64_MAX, hi = 0; /* lines or offsets, over every run */
    size_t used = 0;
    const char *prev_section = NULL;
    for (;;) {
        if (elf && o.section && (!prev_section || strcmp(prev_section, o.section))) {
            int n = snprintf(out->text + used, sizeof(out->text) - used, "%s%s", used ? " " : "", o.section);
            if (n > 0 && (size_t)n < sizeof(out->text) - used)
                used += (size_t)n;
            prev_section = o.section;
        }
        uint64_t first = lines ? o.line : o.offset;
        fw_origin last;
        uint64_t stop = run_end < end ? run_end : end;
        fw_image_origin_at(img, stop - 1, &last);
        uint64_t final = lines ? last.line : last.offset;
        lo = first < lo ? first : lo;
        hi = final > hi ? final : hi;
        if (run_end >= end || !fw_image_origin_run(img, run_end, &o, &run_end))
            break;
    }
    if (elf)
        return;
    if (lines)
        snprintf(out->text, sizeof(out->text), "lines %llu-%llu", (unsigned long long)lo, (unsigned long long)hi);
    else
        snprintf(out->text, sizeof(out->text), "offset 0x%llx-0x%llx", (unsigned long long)lo,
                 (unsigned long long)hi);
}

struct vectors {
    bool present;
    uint32_t sp, reset;
};

/* A Cortex-M image starts with the initial stack pointer and the reset
 * handler's address (odd: Thumb), which points into the image. */
static struct vectors find_vectors(const fw_image *img)
{
    struct vectors v = {0};
    const fw_elf_info *elf = fw_image_elf(img);
    if (elf && elf->machine != 40 /* EM_ARM */)
        return v;
    if (fw_image_is_empty(img))
        return v;
    const fw_chunk *c = fw_image_chunk(img, 0);
    if (c->len < 8)
        return v;
    uint32_t sp = fw_get_le32(c->data), reset = fw_get_le32(c->data + 4);
    if (sp == 0 || sp == 0xFFFFFFFF || (sp & 3) || !(reset & 1) || fw_image_find(img, reset & ~1u) < 0)
        return v;
    v.present = true;
    v.sp = sp;
    v.reset = reset;
    return v;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case 3: return "x86";
    case 8: return "MIPS";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 83: return "AVR";
    case 105: return "MSP430";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    case 69: return "68HC12";
    case 71: return "68HC08";
    case 70: return "68HC11";
    case 94: return "Xtensa";
    default: return "other";
    }
}

static const char *elf_type_name(unsigned t)
{
    static const char *names[] = {"none", "relocatable", "executable", "shared object", "core"};
    return t < 5 ? names[t] : "other";
}

static void print_text(const char *path, const fw_image *img)
{
    const fw_elf_info *elf = fw_image_elf(img);
    printf("%s\n", path);
    if (elf)
        printf("  format:    ELF%d %s-endian, %s (machine %u), %s; data by %s address\n", elf->elf_class,
               elf->big_endian ? "big" : "little", machine_name(elf->machine), elf->machine,
               elf_type_name(elf->type), elf->used_vaddr ? "virtual (every physical address is 0)" : "physical (LMA)");
    else
        printf("  format:    %s\n", fw_format_description(fw_image_format(img)));
    if (fw_image_header(img))
        printf("  header:    \"%s\"\n", fw_image_header(img));
    size_t n = fw_image_chunk_count(img);
    printf("  chunks:    %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        struct origin_summary o;
        describe_origin(img, c, &o);
        printf("    0x%08llx-0x%08llx %10zu bytes  %s\n", (unsigned long long)c->addr,
               (unsigned long long)(c->addr + c->len - 1), c->len, o.text);
    }
    uint64_t lo, end;
    printf("  data:      %llu bytes\n", (unsigned long long)fw_image_data_size(img));
    if (fw_image_span(img, &lo, &end))
        printf("  span:      0x%08llx-0x%08llx (%llu bytes)\n", (unsigned long long)lo,
               (unsigned long long)(end - 1), (unsigned long long)(end - lo));
    else
        printf("  span:      none: the image holds no data\n");
    const fw_start *s = fw_image_start(img);
    if (s->kind == FW_START_SEGMENT)
        printf("  start:     0x%08llx (CS:IP %04X:%04X)\n", (unsigned long long)s->addr, s->cs, s->ip);
    else if (s->kind == FW_START_LINEAR)
        printf("  start:     0x%08llx\n", (unsigned long long)s->addr);
    else
        printf("  start:     none\n");
    struct vectors v = find_vectors(img);
    if (v.present)
        printf("  vectors:   initial SP 0x%08x, reset handler 0x%08x (Thumb)\n", v.sp, v.reset);
    printf("  crc32:     0x%08X\n", fw_image_crc32(img));
    if (elf && elf->build_id_len) {
        printf("  build-id:  ");
        for (size_t i = 0; i < elf->build_id_len; i++)
            printf("%02x", elf->build_id[i]);
        printf("\n");
    }
}

static void json_addr(const char *key, uint64_t v, bool comma)
{
    printf("\"%s\": \"0x%08llx\"%s", key, (unsigned long long)v, comma ? ", " : "");
}

static void print_json(const char *path, const fw_image *img)
{
    const fw_elf_info *elf = fw_image_elf(img);
    printf("{\"path\": ");
    cli_json_string(stdout, path);
    printf(", \"format\": \"%s\"", fw_format_name(fw_image_format(img)));
    if (fw_image_header(img)) {
        printf(", \"header\": ");
        cli_json_string(stdout, fw_image_header(img));
    }
    if (elf) {
        printf(", \"elf\": {\"class\": %d, \"endian\": \"%s\", \"machine\": %u, \"machine_name\": \"%s\", "
               "\"type\": \"%s\", ",
               elf->elf_class, elf->big_endian ? "big" : "little", elf->machine, machine_name(elf->machine),
               elf_type_name(elf->type));
        json_addr("entry", elf->entry, true);
        printf("\"load_address\": \"%s\", \"sections\": [", elf->used_vaddr ? "virtual" : "physical");
        for (size_t i = 0; i < elf->nsections; i++) {
            const fw_elf_section *sec = &elf->sections[i];
            printf("%s{\"name\": ", i ? ", " : "");
            cli_json_string(stdout, sec->name);
            printf(", \"type\": %u, \"flags\": %llu, ", sec->type, (unsigned long long)sec->flags);
            json_addr("vma", sec->vma, true);
            json_addr("lma", sec->lma, true);
            printf("\"size\": %llu}", (unsigned long long)sec->size);
        }
        printf("]}");
    }
    printf(", \"chunks\": [");
    for (size_t i = 0; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        struct origin_summary o;
        describe_origin(img, c, &o);
        printf("%s{", i ? ", " : "");
        json_addr("start", c->addr, true);
        json_addr("end", c->addr + c->len - 1, true);
        printf("\"size\": %zu, \"origin\": ", c->len);
        cli_json_string(stdout, o.text);
        printf("}");
    }
    printf("], \"data_bytes\": %llu", (unsigned long long)fw_image_data_size(img));
    uint64_t lo, end;
    if (fw_image_span(img, &lo, &end)) {
        printf(", \"span\": {");
        json_addr("start", lo, true);
        json_addr("end", end - 1, true);
        printf("\"size\": %llu}", (unsigned long long)(end - lo));
    } else {
        printf(", \"span\": null");
    }
    const fw_start *s = fw_image_start(img);
    printf(", \"start\": ");
    if (s->kind == FW_START_NONE)
        printf("null");
    else
        printf("\"0x%08llx\"", (unsigned long long)s->addr);
    struct vectors v = find_vectors(img);
    if (v.present)
        printf(", \"vectors\": {\"initial_sp\": \"0x%08x\", \"reset\": \"0x%08x\"}", v.sp, v.reset);
    else
        printf(", \"vectors\": null");
    printf(", \"crc32\": \"0x%08x\"", fw_image_crc32(img));
    printf(", \"build_id\": ");
    if (elf && elf->build_id_len) {
        printf("\"");
        for (size_t i = 0; i < elf->build_id_len; i++)
            printf("%02x", elf->build_id[i]);
        printf("\"");
    } else {
        printf("null");
    }
}

#define MAX_CHECKSUMS 16

struct checksum_request {
    fw_checksum_kind kind;
    bool has_range;
    uint64_t lo, end;
};

static bool parse_checksum(const char *arg, struct checksum_request *r)
{
    char kind[32];
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
    if (n >= sizeof(kind))
        return false;
    memcpy(kind, arg, n);
    kind[n] = 0;
    if (!fw_checksum_parse(kind, &r->kind))
        return false;
    r->has_range = colon != NULL;
    if (!colon)
        return true;
    const char *dash = strchr(colon + 1, '-');
    char lo[32];
    if (!dash || (size_t)(dash - colon - 1) >= sizeof(lo))
        return false;
    memcpy(lo, colon + 1, (size_t)(dash - colon - 1));
    lo[dash - colon - 1] = 0;
    return cli_parse_u64(lo, &r->lo) && cli_parse_u64(dash + 1, &r->end) && r->lo < r->end;
}

/* Prints each requested checksum; false when one could not be computed. */
static bool print_checksums(const fw_image *img, const struct checksum_request *req, size_t n, uint8_t fill,
                            bool json)
{
    bool ok = true;
    if (json)
        printf(", \"checksums\": [");
    for (size_t i = 0; i < n; i++) {
        uint64_t lo = req[i].lo, end = req[i].end;
        if (!req[i].has_range && !fw_image_span(img, &lo, &end)) {
            fprintf(stderr, "fwinfo: %s: no data to checksum\n", fw_checksum_name(req[i].kind));
            ok = false;
            continue;
        }
        uint32_t v;
        fw_diag *d = fw_diag_new();
        if (fw_checksum_range(img, req[i].kind, lo, end, fill, 0, 0, &v, d) != FW_OK) {
            cli_print_diag(d);
            fw_diag_free(d);
            ok = false;
            continue;
        }
        fw_diag_free(d);
        unsigned w = fw_checksum_width(req[i].kind);
        if (json)
            printf("%s{\"kind\": \"%s\", \"start\": \"0x%08llx\", \"end\": \"0x%08llx\", \"fill\": \"0x%02x\", "
                   "\"value\": \"0x%0*x\"}",
                   i ? ", " : "", fw_checksum_name(req[i].kind), (unsigned long long)lo, (unsigned long long)(end - 1),
                   fill, (int)w * 2, v);
        else
            printf("  %-12s 0x%0*X over 0x%08llx-0x%08llx (gaps 0x%02X)\n", fw_checksum_name(req[i].kind),
                   (int)w * 2, v, (unsigned long long)lo, (unsigned long long)(end - 1), fill);
    }
    if (json)
        printf("]");
    return ok;
}

int main(int argc, char **argv)
{
    cli_prog = "fwinfo";
    static const struct option longopts[] = {
        {"input-format", required_argument, NULL, 'I'},
        {"base", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"checksum", required_argument, NULL, 'c'},
        {"fill", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fw_read_options ropt = {0};
    bool json = false;
    struct checksum_request req[MAX_CHECKSUMS];
    size_t nreq = 0;
    uint64_t fill = 0xFF;
    int c;
    while ((c = getopt_long(argc, argv, "I:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'I':
            if ((ropt.format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN)
                return cli_usage_error("unknown input format '%s' (elf, ihex, srec, bin)", optarg);
            break;
        case 'b':
            if (!cli_parse_u64(optarg, &ropt.base))
                return cli_usage_error("--base needs an address, not '%s'", optarg);
            ropt.has_base = true;
            break;
        case 'j': json = true; break;
        case 'c':
            if (nreq == MAX_CHECKSUMS)
                return cli_usage_error("at most %d --checksum", MAX_CHECKSUMS);
            if (!parse_checksum(optarg, &req[nreq++]))
                return cli_usage_error("--checksum needs KIND or KIND:START-END (see --help), not '%s'", optarg);
            break;
        case 'f':
            if (!cli_parse_u64(optarg, &fill) || fill > 0xFF)
                return cli_usage_error("--fill needs a byte 0..0xFF, not '%s'", optarg);
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwinfo (fwkit) %s\n", fw_version()); return EXIT_OK;
        default: return cli_usage_error("bad option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("no input file");
    int status = EXIT_OK;
    bool first = true;
    if (json)
        printf("[");
    for (int i = optind; i < argc; i++) {
        fw_image *img = cli_read(argv[i], &ropt);
        if (!img) {
            status = EXIT_USAGE;
            continue;
        }
        if (json) {
            printf("%s", first ? "" : ",\n ");
            print_json(argv[i], img);
            /* the object is still open for the checksums */
            if (!print_checksums(img, req, nreq, (uint8_t)fill, true))
                status = EXIT_USAGE;
            printf("}");
        } else {
            if (!first)
                printf("\n");
            print_text(argv[i], img);
            if (nreq && !print_checksums(img, req, nreq, (uint8_t)fill, false))
                status = EXIT_USAGE;
        }
        first = false;
        fw_image_free(img);
    }
    if (json)
        printf("]\n");
    return status;
}
