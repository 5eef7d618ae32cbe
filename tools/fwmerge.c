/* SPDX-License-Identifier: MIT */
/* fwmerge: combine images (bootloader + application + settings) into one,
 * with explicit overlap and start-address rules, checksums, and a lint of the
 * result against the part. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/checksum.h"
#include "fwkit/lint.h"
#include "fwkit/merge.h"
#include "fwkit/target.h"
#include "fwkit/transform.h"
#include "report.h"
#include "transform_opts.h"

static const char usage[] =
    "Usage: fwmerge [OPTION]... IN... -o OUT\n"
    "Merge firmware images into one. Each IN is FILE with optional settings:\n"
    "  FILE@ADDR               a raw binary's load address\n"
    "  FILE,offset=DELTA       move this input (may be negative)\n"
    "  FILE,crop=START:END     keep only [START, END) of this input\n"
    "  FILE,exclude=START:END  drop [START, END) of this input\n"
    "\n"
    "  -o, --output FILE       the merged image ('-' = standard output)\n"
    "      --overlap POLICY    error (default: any shared address), same (identical\n"
    "                          bytes allowed), first or last (that input wins)\n"
    "      --start ADDR        the start address of the result\n"
    "      --start-from N      take the start address of input N (1 = the first)\n"
    "  -t, --target PART       lint the result for this part; errors stop the merge\n"
    "      --map FILE          read targets from a map file\n"
    "      --no-lint           with --target: write even when lint finds errors\n"

    "      --checksum KIND@ADDR[:START-END][,be]  compute KIND over [START, END)\n"
    "                          (default: all data but the slot) and store it at ADDR,\n"
    "                          little-endian unless ,be (repeatable; kinds as fwinfo)\n"
    OUTPUT_HELP
    "Then, on the merged image (before checksums):\n"
    TRANSFORM_HELP
    "  -q, --quiet\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Exit status: 0 ok, 1 lint or overlap errors (no output), 2 bad usage or input.\n";

#define MAX_INPUTS 32
#define MAX_CHECKSUMS 8

enum { OPT_OVERLAP = 256, OPT_START, OPT_START_FROM, OPT_MAP, OPT_NO_LINT, OPT_CHECKSUM };

struct input {
    char path[4096];
    fw_read_options ropt;
    bool has_offset, has_crop;
    int64_t offset;
    uint64_t crop_lo, crop_end;
    size_t nexclude;
    uint64_t ex_lo[4], ex_end[4];
};

struct checksum_spec {
    fw_checksum_kind kind;
    uint64_t at;
    bool has_range, big_endian;
    uint64_t lo, end;
};

static bool parse_input(const char *arg, struct input *in)
{
    memset(in, 0, sizeof(*in));
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", arg);
    char *opts = strchr(buf, ',');
    if (opts)
        *opts++ = 0;
    if (!cli_input_spec(buf, in->path, sizeof(in->path), &in->ropt))
        return false;
    for (char *tok = opts ? strtok(opts, ",") : NULL; tok; tok = strtok(NULL, ",")) {
        if (!strncmp(tok, "offset=", 7)) {
            if (!cli_parse_i64(tok + 7, &in->offset))
                return false;
            in->has_offset = true;
        } else if (!strncmp(tok, "crop=", 5)) {
            if (!cli_parse_range(tok + 5, &in->crop_lo, &in->crop_end))
                return false;
            in->has_crop = true;
        } else if (!strncmp(tok, "exclude=", 8) && in->nexclude < 4) {
            if (!cli_parse_range(tok + 8, &in->ex_lo[in->nexclude], &in->ex_end[in->nexclude]))
                return false;
            in->nexclude++;
        } else {
            return false;
        }
    }
    return true;
}

static bool parse_checksum(const char *arg, struct checksum_spec *c)
{
    memset(c, 0, sizeof(*c));
    char buf[256], kind[32];
    snprintf(buf, sizeof(buf), "%s", arg);
    size_t n = strlen(buf);
    if (n > 3 && !strcmp(buf + n - 3, ",be")) {
        c->big_endian = true;
        buf[n - 3] = 0;
    } else if (n > 3 && !strcmp(buf + n - 3, ",le")) {
        buf[n - 3] = 0;
    }
    char *at = strchr(buf, '@');
    if (!at || (size_t)(at - buf) >= sizeof(kind))
        return false;
    memcpy(kind, buf, (size_t)(at - buf));
    kind[at - buf] = 0;
    if (!fw_checksum_parse(kind, &c->kind))
        return false;
    char *colon = strchr(at + 1, ':');
    if (colon)
        *colon = 0;
    if (!cli_parse_u64(at + 1, &c->at))
        return false;
    if (!colon)
        return true;
    char *dash = strchr(colon + 1, '-');
    if (!dash)
        return false;
    *dash = 0;
    c->has_range = true;
    return cli_parse_u64(colon + 1, &c->lo) && cli_parse_u64(dash + 1, &c->end) && c->lo < c->end;
}

/* Reads and reshapes one input; NULL after printing why. */
static fw_image *load(const struct input *in)
{
    fw_image *img = cli_read(in->path, &in->ropt);
    if (!img)
        return NULL;
    fw_diag *d = fw_diag_new();
    int rc = in->has_crop ? fw_image_crop(img, in->crop_lo, in->crop_end) : FW_OK;
    for (size_t i = 0; i < in->nexclude && rc == FW_OK; i++)
        rc = fw_image_exclude(img, in->ex_lo[i], in->ex_end[i]);
    if (rc == FW_OK && in->has_offset)
        rc = fw_image_offset(img, in->offset, d);
    cli_print_diag(d);
    fw_diag_free(d);
    if (rc) {
        fprintf(stderr, "fwmerge: %s: %s\n", in->path, fw_strerror(rc));
        fw_image_free(img);
        return NULL;
    }
    return img;
}

int main(int argc, char **argv)
{
    cli_prog = "fwmerge";
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},      OUTPUT_LONGOPTS,
        {"overlap", required_argument, NULL, OPT_OVERLAP}, {"start", required_argument, NULL, OPT_START},
        {"start-from", required_argument, NULL, OPT_START_FROM}, {"target", required_argument, NULL, 't'},
        {"map", required_argument, NULL, OPT_MAP},      {"no-lint", no_argument, NULL, OPT_NO_LINT},
        {"checksum", required_argument, NULL, OPT_CHECKSUM}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},               {"version", no_argument, NULL, 'V'},
        TRANSFORM_LONGOPTS,                             {NULL, 0, NULL, 0},
    };
    fw_write_options wopt;
    fw_write_options_init(&wopt);
    const char *out = NULL, *part = NULL, *map = NULL;
    fw_overlap_policy policy = FW_OVERLAP_ERROR;
    bool has_start = false, no_lint = false, quiet = false, has_fill = false;
    uint64_t start = 0, start_from = 0;
    struct checksum_spec cks[MAX_CHECKSUMS];
    size_t ncks = 0;
    struct transform_opts topt = {0};
    int c, t;
    while ((c = getopt_long(argc, argv, "o:O:t:qhV", longopts, NULL)) != -1) {
        if ((t = output_option(&wopt, &has_fill, c, optarg)) != 0 || (t = transform_option(&topt, c, optarg)) != 0) {
            if (t < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_OVERLAP:
            if (!strcmp(optarg, "error"))
                policy = FW_OVERLAP_ERROR;
            else if (!strcmp(optarg, "same"))
                policy = FW_OVERLAP_SAME;
            else if (!strcmp(optarg, "first"))
                policy = FW_OVERLAP_FIRST;
            else if (!strcmp(optarg, "last"))
                policy = FW_OVERLAP_LAST;
            else
                return cli_usage_error("--overlap is error, same, first or last, not '%s'", optarg);
            break;
        case OPT_START:
            if (!cli_parse_u64(optarg, &start))
                return cli_usage_error("--start needs an address, not '%s'", optarg);
            has_start = true;
            break;
        case OPT_START_FROM:
            if (!cli_parse_u64(optarg, &start_from) || !start_from)
                return cli_usage_error("--start-from needs an input number (1 = the first), not '%s'", optarg);
            break;
        case 't': part = optarg; break;
        case OPT_MAP: map = optarg; break;
        case OPT_NO_LINT: no_lint = true; break;
        case OPT_CHECKSUM:
            if (ncks == MAX_CHECKSUMS)
                return cli_usage_error("at most %d --checksum", MAX_CHECKSUMS);
            if (!parse_checksum(optarg, &cks[ncks++]))
                return cli_usage_error("--checksum needs KIND@ADDR[:START-END][,be], not '%s'", optarg);
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwmerge (fwkit) %s\n", fw_version()); return EXIT_OK;
        default: return cli_usage_error("bad option");
        }
    }
    size_t ninputs = (size_t)(argc - optind);
    if (!ninputs)
        return cli_usage_error("no input files");
    if (ninputs > MAX_INPUTS)
        return cli_usage_error("at most %d inputs", MAX_INPUTS);
    if (!out)
        return cli_usage_error("no output file: give -o OUT");
    if (start_from > ninputs)
        return cli_usage_error("--start-from %llu: there are %zu inputs", (unsigned long long)start_from, ninputs);
    if (!output_format_default(&wopt, out))
        return EXIT_USAGE;
    static struct input inputs[MAX_INPUTS];
    for (size_t i = 0; i < ninputs; i++)
        if (!parse_input(argv[optind + (int)i], &inputs[i]))
            return cli_usage_error("'%s': expected FILE[@ADDR][,offset=N][,crop=A:B][,exclude=A:B]",
                                   argv[optind + (int)i]);

    int status = EXIT_USAGE;
    fw_target_db *db = NULL;
    const fw_target *target = NULL;
    fw_image *merged = fw_image_new();
    fw_diag *d = fw_diag_new();
    if (!merged || !d)
        goto done;
    if (part && !(target = cli_find_target(&db, part, &map, map ? 1 : 0)))
        goto done;
    output_default_fill(&wopt, has_fill, target, ncks > 0 || topt.fill_gaps || topt.pad_align, quiet);
    /* the start address: from the inputs that have one, unless decided */
    fw_start chosen = {0};
    size_t chosen_from = 0;
    for (size_t i = 0; i < ninputs; i++) {
        const struct input *in = &inputs[i];
        fw_start s;
        int rc;
        if (!in->has_offset && !in->has_crop && !in->nexclude &&
            (policy == FW_OVERLAP_ERROR || policy == FW_OVERLAP_SAME)) {
            /* straight into the result: no copy of the input is ever held */
            fw_image_merge_mode(merged, policy);
            rc = fw_read_file_into(in->path, &in->ropt, merged, &s, d);
        } else {
            fw_image *img = load(in);
            if (!img)
                goto done;
            s = *fw_image_start(img);
            rc = fw_image_merge(merged, img, policy, d);
            fw_image_free(img);
        }
        if (rc) {
            status = rc == FW_EOVERLAP ? EXIT_FINDINGS : EXIT_USAGE;
            goto print;
        }
        if (s.kind != FW_START_NONE && (start_from ? start_from == i + 1 : true)) {
            if (chosen.kind != FW_START_NONE && chosen.addr != s.addr && !has_start && !start_from) {
                cli_print_diag(d);
                fw_diag_free(d);
                d = fw_diag_new();
                fprintf(stderr,
                        "fwmerge: %s starts at 0x%08llx but %s at 0x%08llx: choose with --start ADDR or --start-from N\n",
                        inputs[chosen_from].path, (unsigned long long)chosen.addr, in->path,
                        (unsigned long long)s.addr);
                status = EXIT_FINDINGS;
                goto done;
            }
            if (chosen.kind == FW_START_NONE) {
                chosen = s;
                chosen_from = i;
            }
        }
    }
    if (has_start)
        chosen = (fw_start){.kind = FW_START_LINEAR, .addr = start};
    fw_image_set_start(merged, &chosen);
    if (topt.split_regions && !target) {
        status = cli_usage_error("--split-regions needs --target");
        goto done;
    }
    if (transform_apply(merged, &topt, wopt.fill, d) != FW_OK)
        goto print;
    for (size_t i = 0; i < ncks; i++) {
        unsigned w = fw_checksum_width(cks[i].kind);
        uint64_t lo = cks[i].lo, end = cks[i].end;
        if (!cks[i].has_range && !fw_image_span(merged, &lo, &end)) {
            fprintf(stderr, "fwmerge: nothing to checksum\n");
            goto done;
        }
        uint32_t value;
        if (fw_checksum_range(merged, cks[i].kind, lo, end, wopt.fill, cks[i].at, cks[i].at + w, &value, d) ||
            fw_checksum_store(merged, cks[i].at, value, w, cks[i].big_endian))
            goto print;
        if (!quiet)
            fprintf(stderr, "fwmerge: %s 0x%0*X of 0x%08llx-0x%08llx stored at 0x%08llx (%s-endian)\n",
                    fw_checksum_name(cks[i].kind), (int)w * 2, value, (unsigned long long)lo,
                    (unsigned long long)(end - 1), (unsigned long long)cks[i].at, cks[i].big_endian ? "big" : "little");
    }
    if (target && !no_lint) {
        fw_lint_input in = {.main = {.image = merged, .path = out}, .target = target};
        fw_diag *report = fw_diag_new();
        if (!report || fw_lint_run(&in, NULL, report) != FW_OK) {
            fw_diag_free(report);
            goto done;
        }
        struct report_context ctx = {"fwmerge", target->name, NULL, 0, NULL, 0};
        bool errors = fw_diag_count_severity(report, FW_ERROR) > 0;
        if (errors || !quiet)
            report_print(stderr, REPORT_GCC, report, &ctx);
        fw_diag_free(report);
        if (errors) {
            fprintf(stderr, "fwmerge: the result fails lint for %s: nothing written (--no-lint writes it anyway)\n",
                    target->name);
            status = EXIT_FINDINGS;
            goto print;
        }
    }
    if (transform_write(merged, out, &wopt, &topt, target, d) != FW_OK)
        goto print;
    status = EXIT_OK;
print:
    cli_print_diag(d);
done:
    fw_diag_free(d);
    fw_image_free(merged);
    fw_target_db_free(db);
    return status;
}
