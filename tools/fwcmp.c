/* SPDX-License-Identifier: MIT */
/* fwcmp: are two images the same bytes at the same addresses? */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/compare.h"

static const char usage[] =
    "Usage: fwcmp [OPTION]... A B\n"
    "Compare two firmware images as address -> byte maps, whatever their formats\n"
    "(ELF, Intel HEX, S-record, raw binary as FILE@ADDR, gzip'd).\n"
    "\n"
    "      --range START-END  compare only [START, END)\n"
    "      --fill BYTE        an address present in one image only is compared with\n"
    "                         BYTE (a binary padded with 0xFF equals its sparse HEX)\n"
    "      --max-runs N       list at most N differing ranges (default 20; 0 = all)\n"
    "      --json             the result as JSON\n"
    "  -q, --quiet            print nothing; the exit status tells\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Exit status: 0 equal, 1 different, 2 bad usage or unreadable input.\n";

struct printer {
    const char *a, *b;
    bool json, quiet;
    uint64_t shown, max;
};

static const char *kind_name(fw_diff_kind k)
{
    return k == FW_DIFF_CHANGED ? "changed" : k == FW_DIFF_ONLY_A ? "only_a" : "only_b";
}

static int print_run(const fw_diff_run *r, void *user)
{
    struct printer *p = user;
    if (p->quiet || (p->max && p->shown >= p->max))
        return 0;
    uint64_t n = r->end - r->lo;
    if (p->json) {
        printf("%s\n  {\"kind\": \"%s\", \"start\": \"0x%08llx\", \"end\": \"0x%08llx\", \"bytes\": %llu", p->shown ? "," : "",
               kind_name(r->kind), (unsigned long long)r->lo, (unsigned long long)(r->end - 1), (unsigned long long)n);
        if (r->kind == FW_DIFF_CHANGED) {
            printf(", \"a\": \"");
            for (size_t i = 0; i < r->nshown; i++)
                printf("%02x", r->a[i]);
            printf("\", \"b\": \"");
            for (size_t i = 0; i < r->nshown; i++)
                printf("%02x", r->b[i]);
            printf("\"");
        }
        printf("}");
    } else {
        const char *what = r->kind == FW_DIFF_CHANGED ? "changed" : r->kind == FW_DIFF_ONLY_A ? "only in A" : "only in B";
        printf("  %-10s 0x%08llx-0x%08llx %10llu byte%s", what, (unsigned long long)r->lo,
               (unsigned long long)(r->end - 1), (unsigned long long)n, n == 1 ? " " : "s");
        if (r->kind == FW_DIFF_CHANGED) {
            printf("  A:");
            for (size_t i = 0; i < r->nshown; i++)
                printf(" %02X", r->a[i]);
            printf("%s  B:", n > r->nshown ? " ..." : "");
            for (size_t i = 0; i < r->nshown; i++)
                printf(" %02X", r->b[i]);
            printf("%s", n > r->nshown ? " ..." : "");
        }
        printf("\n");
    }
    p->shown++;
    return 0;
}

int main(int argc, char **argv)
{
    cli_prog = "fwcmp";
    static const struct option longopts[] = {
        {"range", required_argument, NULL, 'r'}, {"fill", required_argument, NULL, 'f'},
        {"max-runs", required_argument, NULL, 'm'}, {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
    };
    uint64_t lo = 0, end = UINT64_MAX, v, max = 20;
    int fill = -1, c;
    bool json = false, quiet = false;
    while ((c = getopt_long(argc, argv, "qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': {
            char a[64];
            const char *dash = strchr(optarg, '-');
            if (!dash || (size_t)(dash - optarg) >= sizeof(a))
                return cli_usage_error("--range needs START-END, not '%s'", optarg);
            memcpy(a, optarg, (size_t)(dash - optarg));
            a[dash - optarg] = 0;
            if (!cli_parse_u64(a, &lo) || !cli_parse_u64(dash + 1, &end) || lo >= end)
                return cli_usage_error("--range needs START-END with START < END, not '%s'", optarg);
            break;
        }
        case 'f':
            if (!cli_parse_u64(optarg, &v) || v > 0xFF)
                return cli_usage_error("--fill needs a byte 0..0xFF, not '%s'", optarg);
            fill = (int)v;
            break;
        case 'm':
            if (!cli_parse_u64(optarg, &max))
                return cli_usage_error("--max-runs needs a number, not '%s'", optarg);
            break;
        case 'j': json = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwcmp (fwkit) %s\n", fw_version()); return EXIT_OK;
        default: return cli_usage_error("bad option");
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("two images to compare");
    cli_quiet = quiet;
    char path[2][4096];
    fw_image *img[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        fw_read_options opt = {0};
        if (!cli_input_spec(argv[optind + i], path[i], sizeof(path[i]), &opt))
            return cli_usage_error("'%s': the address after @ is not a number", argv[optind + i]);
        if (!(img[i] = cli_read(path[i], &opt))) {
            fw_image_free(img[0]);
            return EXIT_USAGE;
        }
    }
    struct printer p = {argv[optind], argv[optind + 1], json, quiet, 0, max};
    fw_diff_totals t;
    if (json && !quiet) {
        printf("{\"a\": ");
        cli_json_string(stdout, p.a);
        printf(", \"b\": ");
        cli_json_string(stdout, p.b);
        printf(", \"runs\": [");
    } else if (!quiet) {
        printf("A: %s\nB: %s\n", p.a, p.b);
    }
    int differ = fw_image_diff(img[0], img[1], lo, end, fill, print_run, &p, &t);
    if (json && !quiet) {
        printf("], \"equal\": %s, \"changed_bytes\": %llu, \"only_a_bytes\": %llu, \"only_b_bytes\": %llu}\n",
               differ ? "false" : "true", (unsigned long long)t.changed, (unsigned long long)t.only_a,
               (unsigned long long)t.only_b);
    } else if (!quiet) {
        uint64_t runs = t.runs[0] + t.runs[1] + t.runs[2];
        if (max && runs > p.shown)
            printf("  ... %llu more ranges (--max-runs 0 lists them all)\n", (unsigned long long)(runs - p.shown));
        if (differ)
            printf("different: %llu bytes changed in %llu ranges, %llu only in A, %llu only in B\n",
                   (unsigned long long)t.changed, (unsigned long long)t.runs[0], (unsigned long long)t.only_a,
                   (unsigned long long)t.only_b);
        else
            printf("equal: the same bytes at the same addresses\n");
    }
    fw_image_free(img[0]);
    fw_image_free(img[1]);
    return differ ? EXIT_FINDINGS : EXIT_OK;
}
