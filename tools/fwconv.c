/* fwconv: convert a firmware image between formats, optionally cropping,
 * excluding and moving its data. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fwkit/transform.h"
#include "transform_opts.h"

static const char usage[] =
    "Usage: fwconv [OPTION]... IN -o OUT\n"
    "Convert a firmware image (ELF, Intel HEX, S-record, raw binary, gzip'd) to\n"
    "Intel HEX, S-record, raw binary, UF2, a C array or Verilog $readmemh (vmem).\nThe input format comes from the content.\n"
    "\n"
    "  -o, --output FILE       output file ('-' = standard output)\n"
    "  -O, --output-format FMT ihex, srec or bin (default: from OUT's extension)\n"
    "  -I, --input-format FMT  read IN as elf, ihex, srec or bin\n"
    "      --base ADDR         load address of a raw binary input (default 0)\n"
    TRANSFORM_HELP
    "      --fill BYTE         gap byte for raw binary output and --fill-gaps (default: the\n"
    "                          target's erased value with --target, else 0xFF)\n"
    "  -t, --target PART       the part (for the default fill and --split-regions)\n"
    "      --map FILE          read targets from a map file\n"
    "      --max-gap N         raw binary output: largest gap to fill (default 16M)\n"
    "      --record-bytes N    data bytes per HEX or S-record record (default 16)\n"
    "      --crlf              CRLF line endings (default LF)\n"
    "      --segment-records   Intel HEX: type 02/03 records instead of 04/05\n"
    "      --srec-type N       S-record: force S1, S2 or S3 data records\n"
    "      --srec-header TEXT  S-record: S0 header text\n"
    "      --no-count          S-record: leave out the S5/S6 count record\n"
    "      --no-start          leave out the start address record\n"
    "      --uf2-family ID     UF2: the family id, a number or a name (STM32F4, STM32L1...)\n"
    "      --c-name NAME       C array: the prefix of every name (default firmware)\n"
    "  -q, --quiet             no notes on standard error\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "Numbers take 0x (hex), 0o (octal) or decimal, and K/M/G suffixes.\n"
    "Exit status: 0 ok, 2 bad input or usage (and no output file is left).\n";

enum {
    OPT_BASE = 256, OPT_FILL, OPT_MAX_GAP, OPT_RECORD_BYTES, OPT_CRLF, OPT_SEGMENT, OPT_SREC_TYPE, OPT_SREC_HEADER,
    OPT_NO_COUNT, OPT_NO_START, OPT_MAP, OPT_UF2_FAMILY, OPT_C_NAME,
};

int main(int argc, char **argv)
{
    cli_prog = "fwconv";
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"output-format", required_argument, NULL, 'O'},
        {"input-format", required_argument, NULL, 'I'},
        {"base", required_argument, NULL, OPT_BASE},
        TRANSFORM_LONGOPTS,
        {"target", required_argument, NULL, 't'},
        {"map", required_argument, NULL, OPT_MAP},
        {"fill", required_argument, NULL, OPT_FILL},
        {"max-gap", required_argument, NULL, OPT_MAX_GAP},
        {"record-bytes", required_argument, NULL, OPT_RECORD_BYTES},
        {"crlf", no_argument, NULL, OPT_CRLF},
        {"segment-records", no_argument, NULL, OPT_SEGMENT},
        {"srec-type", required_argument, NULL, OPT_SREC_TYPE},
        {"srec-header", required_argument, NULL, OPT_SREC_HEADER},
        {"no-count", no_argument, NULL, OPT_NO_COUNT},
        {"no-start", no_argument, NULL, OPT_NO_START},
        {"uf2-family", required_argument, NULL, OPT_UF2_FAMILY},
        {"c-name", required_argument, NULL, OPT_C_NAME},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fw_read_options ropt = {0};
    fw_write_options wopt;
    fw_write_options_init(&wopt);
    const char *out = NULL, *part = NULL, *map = NULL;
    bool quiet = false, has_fill = false;
    struct transform_opts topt = {0};
    uint64_t v;
    int c, t;
    while ((c = getopt_long(argc, argv, "o:O:I:t:qhV", longopts, NULL)) != -1) {
        if ((t = transform_option(&topt, c, optarg)) != 0) {
            if (t < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 't': part = optarg; break;
        case OPT_MAP: map = optarg; break;
        case 'o': out = optarg; break;
        case 'O':
            if ((wopt.format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN || wopt.format == FW_FMT_ELF)
                return cli_usage_error("unknown output format '%s' (ihex, srec, bin, uf2, c, vmem)", optarg);
            break;
        case 'I':
            if ((ropt.format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN)
                return cli_usage_error("unknown input format '%s' (elf, ihex, srec, bin)", optarg);
            break;
        case OPT_BASE:
            if (!cli_parse_u64(optarg, &ropt.base))
                return cli_usage_error("--base needs an address, not '%s'", optarg);
            ropt.has_base = true;
            break;
        case OPT_FILL:
            if (!cli_parse_u64(optarg, &v) || v > 0xFF)
                return cli_usage_error("--fill needs a byte 0..0xFF, not '%s'", optarg);
            wopt.fill = (uint8_t)v;
            has_fill = true;
            break;
        case OPT_MAX_GAP:
            if (!cli_parse_u64(optarg, &v) || v == 0)
                return cli_usage_error("--max-gap needs a size above 0, not '%s'", optarg);
            wopt.max_gap = v;
            break;
        case OPT_RECORD_BYTES:
            if (!cli_parse_u64(optarg, &v) || v < 1 || v > 255)
                return cli_usage_error("--record-bytes needs 1..255, not '%s'", optarg);
            wopt.record_bytes = (unsigned)v;
            break;
        case OPT_CRLF: wopt.crlf = true; break;
        case OPT_SEGMENT: wopt.ihex_segment = true; break;
        case OPT_SREC_TYPE:
            if (!cli_parse_u64(optarg, &v) || v < 1 || v > 3)
                return cli_usage_error("--srec-type needs 1, 2 or 3, not '%s'", optarg);
            wopt.srec_type = (unsigned)v;
            break;
        case OPT_SREC_HEADER: wopt.srec_header = optarg; break;
        case OPT_NO_COUNT: wopt.srec_no_count = true; break;
        case OPT_NO_START: wopt.no_start = true; break;
        case OPT_UF2_FAMILY:
            if (!fw_uf2_family(optarg, &wopt.uf2_family)) {
                if (!cli_parse_u64(optarg, &v) || v > UINT32_MAX)
                    return cli_usage_error("--uf2-family needs a family name (STM32F4...) or a 32-bit id, not '%s'",
                                           optarg);
                wopt.uf2_family = (uint32_t)v;
            }
            wopt.has_uf2_family = true;
            break;
        case OPT_C_NAME: wopt.c_name = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwconv (fwkit) %s\n", FWKIT_VERSION); return EXIT_OK;
        default: return cli_usage_error("bad option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("no input file");
    if (optind + 1 < argc)
        return cli_usage_error("one input file only (to combine files, use fwmerge)");
    if (!out)
        return cli_usage_error("no output file: give -o OUT");
    const char *in = argv[optind];
    if (wopt.format == FW_FMT_UNKNOWN) {
        wopt.format = fw_format_from_extension(out);
        if (wopt.format == FW_FMT_UNKNOWN || wopt.format == FW_FMT_ELF)
            return cli_usage_error("cannot tell the output format from '%s': give -O ihex, srec, bin, uf2, c or vmem", out);
    }
    fw_target_db *db = NULL;
    const fw_target *target = NULL;
    fw_diag *d = fw_diag_new();
    if (part) {
        const fw_target *cand[4];
        size_t n;
        db = fw_target_db_new();
        if (!db || !d || fw_target_db_add_builtin(db, d) || (map && fw_target_db_add_file(db, map, d)) ||
            !(target = fw_target_find(db, part, cand, 4, &n))) {
            cli_print_diag(d);
            fprintf(stderr, "fwconv: %s part '%s' (see fwlint --list-targets)\n", n ? "ambiguous" : "unknown", part);
            fw_diag_free(d);
            fw_target_db_free(db);
            return EXIT_USAGE;
        }
        const fw_region *flash = fw_target_region_of_kind(target, FW_REGION_FLASH);
        if (!ropt.has_base && flash) {
            ropt.has_base = true;
            ropt.base = flash->base;
        }
        if (!has_fill && flash && flash->erased >= 0) {
            wopt.fill = (uint8_t)flash->erased;
            if (!quiet && (wopt.format == FW_FMT_BIN || topt.fill_gaps || topt.pad_align))
                fprintf(stderr, "fwconv: gaps are filled with 0x%02X, %s's erased flash\n", wopt.fill, target->name);
        }
    }
    if (topt.split_regions && !target) {
        fw_diag_free(d);
        return cli_usage_error("--split-regions needs --target");
    }
    fw_image *img = cli_read(in, &ropt);
    if (!img) {
        fw_diag_free(d);
        fw_target_db_free(db);
        return EXIT_USAGE;
    }
    int rc = d ? FW_OK : FW_ENOMEM;
    if (rc == FW_OK)
        rc = transform_apply(img, &topt, wopt.fill, d);
    if (rc == FW_OK)
        rc = transform_write(img, out, &wopt, &topt, target, d);
    cli_print_diag(d);
    if (rc && !fw_diag_count_severity(d, FW_ERROR))
        fprintf(stderr, "fwconv: %s: %s\n", out, fw_strerror(rc));
    uint64_t lo, end;
    if (rc == FW_OK && !quiet) {
        if (!fw_image_span(img, &lo, &end))
            fprintf(stderr, "fwconv: warning: %s holds no data\n", in);
        else if (wopt.format == FW_FMT_BIN)
            fprintf(stderr, "fwconv: note: %s holds 0x%08llx-0x%08llx (%llu bytes): load it at 0x%08llx\n",
                    out, (unsigned long long)lo, (unsigned long long)(end - 1), (unsigned long long)(end - lo),
                    (unsigned long long)lo);
    }
    fw_diag_free(d);
    fw_image_free(img);
    fw_target_db_free(db);
    return rc ? EXIT_USAGE : EXIT_OK;
}
