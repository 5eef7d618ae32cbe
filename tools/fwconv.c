/* SPDX-License-Identifier: MIT */
/* fwconv: convert a firmware image between formats, optionally cropping,
 * moving, filling, padding, swapping and splitting its data. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/target.h"
#include "transform_opts.h"

static const char usage[] =
    "Usage: fwconv [OPTION]... IN -o OUT\n"
    "Convert a firmware image (ELF, Intel HEX, S-record, raw binary, UF2, gzip'd) to\n"
    "Intel HEX, S-record, raw binary, UF2, a C array or Verilog $readmemh (vmem).\n"
    "The input format comes from the content.\n"
    "\n"
    "  -o, --output FILE       output file ('-' = standard output)\n"
    "  -I, --input-format FMT  read IN as elf, ihex, srec, bin or uf2\n"
    "      --base ADDR         load address of a raw binary input (default: the target's\n"
    "                          flash with --target, else 0)\n"
    "      --whole-segments    ELF: keep every byte of the load segments, the padding\n"
    "                          between sections too (default: the sections, as objcopy)\n"
    "  -t, --target PART       the part (default fill and base, --split-regions)\n"
    "      --map FILE          read targets from a map file\n"
    OUTPUT_HELP
    TRANSFORM_HELP
    "  -q, --quiet             no notes on standard error\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "Numbers take 0x (hex), 0o (octal) or decimal, and K/M/G suffixes.\n"
    "Exit status: 0 ok, 2 bad input or usage (and no output file is left).\n";

enum { OPT_BASE = 256, OPT_MAP, OPT_WHOLE_SEGMENTS };

int main(int argc, char **argv)
{
    cli_prog = "fwconv";
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"input-format", required_argument, NULL, 'I'},
        {"base", required_argument, NULL, OPT_BASE},
        {"target", required_argument, NULL, 't'},
        {"map", required_argument, NULL, OPT_MAP},
        {"whole-segments", no_argument, NULL, OPT_WHOLE_SEGMENTS},
        OUTPUT_LONGOPTS,
        TRANSFORM_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fw_read_options ropt = {0};
    fw_write_options wopt;
    fw_write_options_init(&wopt);
    struct transform_opts topt = {0};
    const char *out = NULL, *part = NULL, *map = NULL;
    bool quiet = false, has_fill = false;
    int c, t;
    while ((c = getopt_long(argc, argv, "o:O:I:t:qhV", longopts, NULL)) != -1) {
        if ((t = output_option(&wopt, &has_fill, c, optarg)) != 0 || (t = transform_option(&topt, c, optarg)) != 0) {
            if (t < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case 't': part = optarg; break;
        case OPT_MAP: map = optarg; break;
        case OPT_WHOLE_SEGMENTS: ropt.elf_whole_segments = true; break;
        case 'I':
            if ((ropt.format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN)
                return cli_usage_error("unknown input format '%s' (elf, ihex, srec, bin, uf2)", optarg);
            break;
        case OPT_BASE:
            if (!cli_parse_u64(optarg, &ropt.base))
                return cli_usage_error("--base needs an address, not '%s'", optarg);
            ropt.has_base = true;
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwconv (fwkit) %s\n", fw_version()); return EXIT_OK;
        default: return cli_usage_error("bad option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("no input file");
    if (optind + 1 < argc)
        return cli_usage_error("one input file only (to combine files, use fwmerge)");
    if (!out)
        return cli_usage_error("no output file: give -o OUT");
    if (!output_format_default(&wopt, out))
        return EXIT_USAGE;
    if (topt.split_regions && !part)
        return cli_usage_error("--split-regions needs --target");
    const char *in = argv[optind];
    int status = EXIT_USAGE;
    fw_target_db *db = NULL;
    fw_image *img = NULL;
    fw_diag *d = fw_diag_new();
    const fw_target *target = NULL;
    if (!d || (part && !(target = cli_find_target(&db, part, &map, map ? 1 : 0))))
        goto done;
    const fw_region *flash = target ? fw_target_region_of_kind(target, FW_REGION_FLASH) : NULL;
    if (flash && !ropt.has_base) {
        ropt.has_base = true;
        ropt.base = flash->base;
    }
    output_default_fill(&wopt, has_fill, target, topt.fill_gaps || topt.pad_align, quiet);
    if (!(img = cli_read(in, &ropt)))
        goto done;
    int rc = transform_apply(img, &topt, wopt.fill, d);
    if (rc == FW_OK)
        rc = transform_write(img, out, &wopt, &topt, target, d);
    cli_print_diag(d);
    if (rc && !fw_diag_count_severity(d, FW_ERROR))
        fprintf(stderr, "fwconv: %s: %s\n", out, fw_strerror(rc));
    uint64_t lo, end;
    if (rc == FW_OK && !quiet) {
        if (!fw_image_span(img, &lo, &end))
            fprintf(stderr, "fwconv: warning: %s holds no data\n", in);
        else if (wopt.format == FW_FMT_BIN && !topt.split_size && !topt.split_regions)
            fprintf(stderr, "fwconv: note: %s holds 0x%08llx-0x%08llx (%llu bytes): load it at 0x%08llx\n", out,
                    (unsigned long long)lo, (unsigned long long)(end - 1), (unsigned long long)(end - lo),
                    (unsigned long long)lo);
    }
    status = rc ? EXIT_USAGE : EXIT_OK;
done:
    fw_diag_free(d);
    fw_image_free(img);
    fw_target_db_free(db);
    return status;
}
