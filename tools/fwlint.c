/* SPDX-License-Identifier: MIT */
/* fwlint: check a firmware image against the device it is for, before
 * anything is flashed. */
#include <assert.h>
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/ldscript.h"
#include "fwkit/lint.h"
#include "fwkit/target.h"
#include "report.h"

static const char usage[] =
    "Usage: fwlint [OPTION]... IMAGE [SAME-BUILD-FILE]...\n"
    "Check a firmware image against its device (and linker script) before flashing.\n"
    "More files of the same build (the ELF and the HEX made from it) are checked\n"
    "against each other.\n"
    "\n"
    "  -t, --target PART        the device: STM32L100RBT6, stm32l100rb, L100RB...\n"
    "      --map FILE           read targets from a map file (repeatable)\n"
    "      --ld FILE            the GNU ld linker script (MEMORY is read)\n"
    "  -L DIR                   where the linker script's INCLUDEs are found\n"
    "  -I, --input-format FMT   read the files as elf, ihex, srec or bin\n"
    "      --base ADDR          load address of a raw binary (default: the target's flash)\n"
    "      --core CORE          on a dual-core part, the core the image runs on: cm7, cm4, cm0plus\n"
    "                           (default: told from the image)\n"
    "      --format FMT         gcc (default), json or sarif\n"
    "  -o, --output FILE        write the report there (default: standard output)\n"
    "      --usage              print the region usage table\n"
    "      --enable RULE        turn a rule on (RULE may be an id, a prefix like VEC-, or all)\n"
    "      --disable RULE       turn a rule off (also -Wno-RULE)\n"
    "      --error RULE         report a rule as an error (also -Werror=RULE)\n"
    "  -W RULE                  the same as --enable\n"
    "      --werror             report every warning as an error\n"
    "      --ram-load           the program is meant to run from RAM\n"
    "      --allow-config       option bytes, OTP and system memory may be written\n"
    "      --vtor ADDR          where the vector table is\n"
    "      --slot START:END     the application slot the image must stay in\n"
    "      --flash-size SIZE    the part has SIZE of flash, more than its datasheet promises (an F103C8\n"
    "                           with 128K): placement uses it, data past the promise is a warning\n"
    "      --list-rules         list the rules with their id, severity and summary\n"
    "      --list-targets [PAT] list the known parts (matching PAT)\n"
    "  -q, --quiet              no summary line\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Exit status: 0 clean or warnings only, 1 an error was found, 2 bad usage or unreadable input.\n";

enum {
    OPT_MAP = 256,
    OPT_LD,
    OPT_BASE,
    OPT_FORMAT,
    OPT_USAGE,
    OPT_ENABLE,
    OPT_DISABLE,
    OPT_ERROR,
    OPT_WERROR,
    OPT_RAM_LOAD,
    OPT_ALLOW_CONFIG,
    OPT_VTOR,
    OPT_SLOT,
    OPT_LIST_RULES,
    OPT_LIST_TARGETS,
    OPT_CORE,
    OPT_FLASH_SIZE,
};

/* "cm4", "m4", "Cortex-M4" -> "cortex-m4"; "cm0plus", "cm0+" -> "cortex-m0+" */
static bool core_name(const char *user, char *out, size_t n)
{
    const char *p = user;
    if (!p)
        return false;
    if (!strncasecmp(p, "cortex-", 7))
        p += 7;
    if (tolower((unsigned char)p[0]) == 'c')
        p++;
    if (tolower((unsigned char)p[0]) != 'm' || !isdigit((unsigned char)p[1]))
        return false;
    size_t d = strspn(p + 1, "0123456789");
    const char *rest = p + 1 + d;
    const char *plus = !strcasecmp(rest, "plus") || !strcmp(rest, "+") ? "+" : !*rest ? "" : NULL;
    if (!plus)
        return false;
    snprintf(out, n, "cortex-m%.*s%s", (int)d, p + 1, plus);
    return true;
}

#define MAX_FILES 8
#define MAX_MAPS 8
#define MAX_DIRS 8

static int list_rules(void)
{
    for (size_t i = 0; i < fw_lint_rule_count(); i++) {
        const fw_lint_rule *r = fw_lint_rule_at(i);
        printf("%-22s %-8s %s\n", r->id, fw_severity_name(r->severity), r->summary);
    }
    return EXIT_OK;
}

static int list_targets(const fw_target_db *db, const char *pattern)
{
    size_t shown = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (pattern && !strcasestr(t->name, pattern) && !(t->family && strcasestr(t->family, pattern)))
            continue;
        char b[32];
        printf("%-16s %-10s %-12s dev 0x%03x  flash %-9s\n", t->name, t->family ? t->family : "-",
               t->core ? t->core : "-", t->ndevice_ids ? t->device_ids[0] : 0,
               fw_target_flash_size(t) ? (snprintf(b, sizeof(b), "%lluK",
                                                   (unsigned long long)(fw_target_flash_size(t) >> 10)), b) : "-");
        shown++;
    }
    if (!shown)
        fprintf(stderr, "fwlint: no part matches '%s'\n", pattern ? pattern : "");
    return shown ? EXIT_OK : EXIT_FINDINGS;
}

/* A usage error after the configuration exists: free it first. */
#define USAGE(...)                                                                                                 \
    do {                                                                                                           \
        fw_lint_config_free(cfg);                                                                                  \
        return cli_usage_error(__VA_ARGS__);                                                                       \
    } while (0)

static bool rule_option(fw_lint_config *cfg, int opt, const char *rule)
{
    if (opt == OPT_ERROR)
        return fw_lint_config_raise(cfg, rule);
    return fw_lint_config_enable(cfg, rule, opt == OPT_ENABLE);
}

int main(int argc, char **argv)
{
    cli_prog = "fwlint";
    static const struct option longopts[] = {
        {"target", required_argument, NULL, 't'},
        {"map", required_argument, NULL, OPT_MAP},
        {"ld", required_argument, NULL, OPT_LD},
        {"input-format", required_argument, NULL, 'I'},
        {"base", required_argument, NULL, OPT_BASE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"usage", no_argument, NULL, OPT_USAGE},
        {"enable", required_argument, NULL, OPT_ENABLE},
        {"disable", required_argument, NULL, OPT_DISABLE},
        {"error", required_argument, NULL, OPT_ERROR},
        {"werror", no_argument, NULL, OPT_WERROR},
        {"ram-load", no_argument, NULL, OPT_RAM_LOAD},
        {"allow-config", no_argument, NULL, OPT_ALLOW_CONFIG},
        {"vtor", required_argument, NULL, OPT_VTOR},
        {"slot", required_argument, NULL, OPT_SLOT},
        {"core", required_argument, NULL, OPT_CORE},
        {"flash-size", required_argument, NULL, OPT_FLASH_SIZE},
        {"list-rules", no_argument, NULL, OPT_LIST_RULES},
        {"list-targets", optional_argument, NULL, OPT_LIST_TARGETS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *part = NULL, *ld_path = NULL, *out_path = NULL, *maps[MAX_MAPS], *dirs[MAX_DIRS];
    size_t nmaps = 0, ndirs = 0;
    fw_read_options ropt = {0};
    report_format fmt = REPORT_GCC;
    char core[24] = "";
    bool show_usage = false, quiet = false, list_t = false, werror = false, base_assumed = false;
    const char *list_pattern = NULL, *flash_size_arg = NULL;
    uint64_t flash_size = 0;
    fw_lint_config *cfg = fw_lint_config_new();
    uint64_t v, v2;
    int c;
    if (!cfg)
        return EXIT_USAGE;
    while ((c = getopt_long(argc, argv, "t:I:o:L:W:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 't': part = optarg; break;
        case OPT_MAP:
            if (nmaps == MAX_MAPS)
                USAGE("at most %d --map files", MAX_MAPS);
            maps[nmaps++] = optarg;
            break;
        case OPT_LD: ld_path = optarg; break;
        case 'L':
            if (ndirs == MAX_DIRS)
                USAGE("at most %d -L folders", MAX_DIRS);
            dirs[ndirs++] = optarg;
            break;
        case 'I':
            if ((ropt.format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN)
                USAGE("unknown input format '%s' (elf, ihex, srec, bin)", optarg);
            break;
        case OPT_BASE:
            if (!cli_parse_u64(optarg, &ropt.base))
                USAGE("--base needs an address, not '%s'", optarg);
            ropt.has_base = true;
            break;
        case OPT_FORMAT:
            if (!report_parse_format(optarg, &fmt))
                USAGE("--format is gcc, json or sarif, not '%s'", optarg);
            break;
        case 'o': out_path = optarg; break;
        case OPT_USAGE: show_usage = true; break;
        case 'W':
            assert(optarg); /* "W:" takes an argument */
            if (!strncmp(optarg, "no-", 3)) {
                if (!rule_option(cfg, OPT_DISABLE, optarg + 3))
                    USAGE("no rule matches '%s' (see --list-rules)", optarg + 3);
            } else if (!strncmp(optarg, "error=", 6)) {
                if (!rule_option(cfg, OPT_ERROR, optarg + 6))
                    USAGE("no rule matches '%s' (see --list-rules)", optarg + 6);
            } else if (!strcmp(optarg, "error")) {
                werror = true;
            } else if (!rule_option(cfg, OPT_ENABLE, optarg)) {
                USAGE("no rule matches '%s' (see --list-rules)", optarg);
            }
            break;
        case OPT_ENABLE:
        case OPT_DISABLE:
        case OPT_ERROR:
            if (!rule_option(cfg, c, optarg))
                USAGE("no rule matches '%s' (see --list-rules)", optarg);
            break;
        case OPT_WERROR: werror = true; break;
        case OPT_RAM_LOAD: fw_lint_config_ram_load(cfg, true); break;
        case OPT_ALLOW_CONFIG: fw_lint_config_allow_config(cfg, true); break;
        case OPT_VTOR:
            if (!cli_parse_u64(optarg, &v))
                USAGE("--vtor needs an address, not '%s'", optarg);
            fw_lint_config_vtor(cfg, v);
            break;
        case OPT_SLOT:
            if (!cli_parse_range(optarg, &v, &v2))
                USAGE("--slot needs START:END with START < END, not '%s'", optarg);
            fw_lint_config_slot(cfg, v, v2);
            break;
        case OPT_FLASH_SIZE:
            if (!cli_parse_u64(optarg, &flash_size) || !flash_size)
                USAGE("--flash-size needs a size like 128K, not '%s'", optarg);
            flash_size_arg = optarg;
            break;
        case OPT_CORE:
            if (!core_name(optarg, core, sizeof(core)))
                USAGE("--core needs a core like cm7, cm4 or cm0plus, not '%s'", optarg);
            break;
        case OPT_LIST_RULES: fw_lint_config_free(cfg); return list_rules();
        case OPT_LIST_TARGETS:
            list_t = true;
            list_pattern = optarg ? optarg : (optind < argc && argv[optind][0] != '-' ? argv[optind] : NULL);
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); fw_lint_config_free(cfg); return EXIT_OK;
        case 'V': printf("fwlint (fwkit) %s\n", fw_version()); fw_lint_config_free(cfg); return EXIT_OK;
        default: USAGE("bad option");
        }
    }

    int status = EXIT_USAGE;
    fw_target_db *db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    fw_ld_script *ld = NULL;
    fw_image *images[MAX_FILES] = {0};
    fw_diag *read_diags[MAX_FILES] = {0};
    fw_lint_artifact arts[MAX_FILES];
    const fw_target *target = NULL;
    FILE *out = stdout;
    if (!db || !d)
        goto done;
    if (fw_target_db_add_builtin(db, d) != FW_OK)
        goto print;
    for (size_t i = 0; i < nmaps; i++)
        if (fw_target_db_add_file(db, maps[i], d) != FW_OK)
            goto print;
    if (list_t) {
        status = list_targets(db, list_pattern);
        goto done;
    }
    size_t nfiles = (size_t)(argc - optind);
    if (!nfiles) {
        status = cli_usage_error("no image to lint");
        goto done;
    }
    if (nfiles > MAX_FILES) {
        status = cli_usage_error("at most %d files", MAX_FILES);
        goto done;
    }
    if (part) {
        fw_target_db_free(db);
        if (!(target = cli_find_target(&db, part, maps, nmaps)))
            goto done;
        const fw_region *flash = fw_target_region_of_kind(target, FW_REGION_FLASH);
        if (!ropt.has_base && flash) {
            ropt.has_base = true;
            ropt.base = flash->base;
            base_assumed = true;
        }
    }
    if (flash_size_arg) {
        /* more flash than the datasheet promises, as the chip may have it:
         * placement uses it, and data past the promise is said */
        const fw_target *big = target ? fw_target_db_with_flash_size(db, target, flash_size) : NULL;
        if (!big) {
            status = cli_usage_error("--flash-size %s: %s", flash_size_arg,
                                     !target ? "no part given (-t)"
                                     : flash_size < fw_target_flash_size(target)
                                         ? "smaller than the part's flash"
                                         : "the part's flash cannot grow so (one bank of equal pages, whole pages)");
            goto done;
        }
        target = big;
    }
    if (core[0]) {
        /* the core must be one of the part's: "cortex-m7,cortex-m4" */
        if (!target || !fw_target_has_core(target, core)) {
            status = cli_usage_error("--core %s: %s has %s", core, target ? target->name : "no part given (-t)",
                                     target && target->core ? target->core : "no such core");
            goto done;
        }
    }
    if (ld_path && fw_ld_read(ld_path, dirs, ndirs, &ld, d) != FW_OK)
        goto print;
    bool unreadable = false;
    for (size_t i = 0; i < nfiles; i++) {
        const char *path = argv[optind + (int)i];
        read_diags[i] = fw_diag_new();
        if (!read_diags[i])
            goto done;
        int rc = fw_read_file(path, &ropt, &images[i], read_diags[i]);
        memset(&arts[i], 0, sizeof(arts[i]));
        arts[i].path = path;
        arts[i].read_diag = read_diags[i];
        arts[i].image = images[i];
        arts[i].bin_without_base = images[i] && fw_image_format(images[i]) == FW_FMT_BIN && !ropt.has_base;
        arts[i].base_assumed = images[i] && fw_image_format(images[i]) == FW_FMT_BIN && base_assumed;
        struct stat st;
        if (strcmp(path, "-") && stat(path, &st) == 0) {
            arts[i].has_mtime = true;
            arts[i].mtime = st.st_mtim;
        }
        if (rc) {
            /* what the reader found is the report */
            fw_diag_append(d, read_diags[i]);
            unreadable = true;
        }
    }
    if (!unreadable) {
        fw_lint_input in = {.main = arts[0], .others = arts + 1, .nothers = nfiles - 1, .target = target, .ld = ld,
                            .core = core[0] ? core : NULL};
        if (fw_lint_run(&in, cfg, d) != FW_OK)
            goto print;
        status = EXIT_OK;
    }
print:
    if (out_path && strcmp(out_path, "-") && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "fwlint: cannot write %s\n", out_path);
        out = stdout;
        status = EXIT_USAGE;
    }
    {
        fw_lint_usage rows[64];
        size_t nrows = 0;
        if (show_usage && images[0]) {
            fw_lint_input in = {.main = arts[0], .target = target, .ld = ld};
            nrows = fw_lint_usage_rows(&in, rows, 64);
            if (nrows > 64)
                nrows = 64;
        }
        struct report_context ctx = {"fwlint", target ? target->name : NULL, (const char *const *)argv + optind,
                                     (size_t)(argc - optind), show_usage ? rows : NULL, nrows};
        if (werror) {
            /* recount warnings as errors, keeping what they say */
            fw_diag *raised = fw_diag_new();
            for (size_t i = 0; raised && i < fw_diag_count(d); i++) {
                const fw_diagnostic *e = fw_diag_at(d, i);
                fw_diag_copy(raised, e, e->severity == FW_WARNING ? FW_ERROR : e->severity);
            }
            if (raised) {
                fw_diag_free(d);
                d = raised;
            }
        }
        report_print(out, fmt, d, &ctx);
        if (fmt == REPORT_GCC && show_usage && nrows)
            report_usage_table(out, rows, nrows);
        fflush(out);
        if (!quiet && fmt == REPORT_GCC)
            report_summary(stderr, d, &ctx);
    }
    if (status == EXIT_OK && fw_diag_count_severity(d, FW_ERROR))
        status = EXIT_FINDINGS;
done:
    if (out && out != stdout)
        fclose(out);
    for (size_t i = 0; i < MAX_FILES; i++) {
        fw_image_free(images[i]);
        fw_diag_free(read_diags[i]);
    }
    fw_ld_free(ld);
    fw_diag_free(d);
    fw_target_db_free(db);
    fw_lint_config_free(cfg);
    return status;
}
