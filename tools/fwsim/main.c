/* SPDX-License-Identifier: MIT */
/* fwsim: runs a command with emulated ST-Link probes plugged in, each with
 * an STM32 behind it, on a fake USB bus (umockdev) that any libusb program
 * uses as a real one. Exits with the command's status. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "fwkit/version.h"
#include "fwkit/diag.h"
#include "fwkit/format.h"
#include "fwkit/image.h"
#include "fwkit/target.h"

#include "../cli.h"
#include "core.h"
#include "faults.h"
#include "outfile.h"
#include "state.h"
#include "stats.h"
#include "emulated_stlink.h"
#include "emulated_chip.h"
#include "emulated_usb.h"

#define PRELOAD "libumockdev-preload.so.0"
#define MAX_PROBES 8
#define DEFAULT_TARGET "STM32L100RB"
/* how long the chip runs on after the command ends, so that an image just
 * reset has booted when --stats looks (virtual time) */
#define SETTLE_NS 3000000000ull

struct chip {
    stlink_kind kind;
    char serial[25];
    struct sim_target target;
    struct sim_core core;
    struct stlink link;
    bool target_ok, core_ok;
    uint64_t command_end_ns; /* the virtual clock when the command ended, before the chip runs on */
    const char *state;       /* where the chip's memories are kept between runs, or NULL */
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fwsim [--target PART] [--probe v2|v2-1|v3|v3-loader]... [--serial SN]... [--state FILE]\n"
            "             [--flash IMAGE] [--flash-size SIZE] [--rdp 1|2] [--boot0 0|1] [--boot-option NAME=0|1]...\n"
            "             [--fault KIND@N|KIND@0xADDR]... [--quirk NAME]...\n"
            "             [--probe-version V2JnnSmm|V2JnnMmm|V3Jnn]\n"
            "             [--stats FILE] -- COMMAND [ARG...]\n"
            "Runs COMMAND with emulated ST-Link probes plugged in (default: an ST-Link/V2 with an STM32L100RB)\n"
            "and exits with its status.\n"
            "  --target PART    the chip behind the probe (any part of fwlint --list-targets)\n"
            "  --probe KIND     plug in a probe: v2 (0483:3748), v2-1 (0483:374b), v3 (0483:374e), or a V3\n"
            "                   in its USB loader, v3-loader (0483:374d); repeatable. Each a board of its own:\n"
            "                   KIND[,target=PART][,serial=SN][,rdp=LEVEL][,state=FILE][,flash=IMAGE]\n"
            "  --serial SN      the probe's 24-character serial; one per --probe, in order\n"
            "  --state FILE     keep the chip's memories in FILE between runs (one probe)\n"
            "  --flash IMAGE    put IMAGE into the chip's memories before the command starts\n"
            "  --flash-size SIZE  the chip has SIZE of flash while its flash-size register says what its\n"
            "                   datasheet promises (an F103C8 with 128K)\n"
            "  --rdp LEVEL      the chip arrives read-protected at LEVEL (1, or 2 where the family has it)\n"
            "  --boot0 1        the BOOT0 pin is held high: the chip boots its system memory (or BOOT_ADD1)\n"
            "  --boot-option NAME=V  G0/C0: the option bit nBOOT_SEL, nBOOT0 or nBOOT1 arrives programmed to V;\n"
            "                        L5/U5/WBA/H5: TZEN=1 turns TrustZone on (all flash secure, booting 0x0C000000);\n"
            "                        H5: PRODUCT_STATE=Closed or =Locked closes the debug port (its APs refuse)\n"
            "  --fault SPEC     inject a fault at the Nth USB transfer or at the first command touching ADDR:\n"
            "                   stall, timeout, unplug, ap-wait, dp-wait, ap-fault, wrp, power-loss;\n"
            "                   or a condition from the start (no @): unpowered, no-target, claimed,\n"
            "                   loader-hang, loader-fault (code started from SRAM spins, or faults)\n"
            "  --quirk NAME     a condition of real boards and probes (repeatable; see --list-quirks)\n"
            "  --probe-version V  the probes report firmware V (V2JnnSmm, V2JnnMmm, V3Jnn); commands it\n"
            "                   lacks answer as unknown ones\n"
            "  --list-quirks    list the quirks, one per line\n"
            "  --stats FILE     write USB, command, flash, time and core figures as JSON\n"
            "  --help, --version\n");
}

static bool parse_probe(const char *s, stlink_kind *k)
{
    if (!strcmp(s, "v2"))
        *k = STLINK_V2;
    else if (!strcmp(s, "v2-1"))
        *k = STLINK_V2_1;
    else if (!strcmp(s, "v3") || !strcmp(s, "v3-loader"))
        *k = STLINK_V3;
    else
        return false;
    return true;
}

static bool valid_serial(const char *s)
{
    if (strlen(s) != 24)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
            return false;
    return true;
}

/* the preload makes /sys and /dev/bus/usb the testbed's for us and the command */
static void reexec_under_preload(char **argv)
{
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "libumockdev-preload"))
        return;
    char *value = pre && *pre ? g_strdup_printf(PRELOAD ":%s", pre) : g_strdup(PRELOAD);
    setenv("LD_PRELOAD", value, 1);
    g_free(value);
#ifdef __SANITIZE_ADDRESS__
    /* the test build: ASan's runtime is linked in, and the preload goes first */
    const char *asan = getenv("ASAN_OPTIONS");
    char *opts = g_strdup_printf("%s%sverify_asan_link_order=0", asan ? asan : "", asan && *asan ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    g_free(opts);
#endif
    execv("/proc/self/exe", argv);
    fprintf(stderr, "fwsim: cannot re-execute under %s: %s\n", PRELOAD, strerror(errno));
    exit(EXIT_USAGE);
}

static bool load_image(struct sim_target *t, const char *path)
{
    fw_read_options opt = {.format = FW_FMT_UNKNOWN, .has_base = true, .base = t->flash->base};
    fw_image *img = cli_read(path, &opt);
    if (!img)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < fw_image_chunk_count(img); i++) {
        const fw_chunk *ch = fw_image_chunk(img, i);
        for (size_t done = 0; ok && done < ch->len;) {
            bool secure;
            uint64_t a = ch->addr + done <= UINT32_MAX ? sim_target_unalias(t, (uint32_t)(ch->addr + done), &secure)
                                                       : ch->addr + done;
            struct sim_memory *m = a <= UINT32_MAX ? sim_target_memory_at(t, (uint32_t)a, 1) : NULL;
            if (!m) {
                fprintf(stderr, "fwsim: %s: data at 0x%08llx is outside every memory of the %s\n", path,
                        (unsigned long long)(ch->addr + done), t->part->name);
                ok = false;
                break;
            }
            size_t n = ch->len - done;
            if (n > m->base + (uint64_t)m->size - a)
                n = (size_t)(m->base + (uint64_t)m->size - a);
            memcpy(m->bytes + (a - m->base), ch->data + done, n);
            done += n;
        }
    }
    fw_image_free(img);
    return ok;
}

static bool store_rdp(struct sim_target *t, int level)
{
    if (t->ob.layout == OB_NONE) {
        fprintf(stderr, "fwsim: --rdp: the %s's option bytes are not modelled\n", t->part->name);
        return false;
    }
    if (level == 2 && t->ob.layout == OB_F1) {
        fprintf(stderr, "fwsim: --rdp 2: the %s has no read-protection level 2\n", t->part->name);
        return false;
    }
    ob_store_rdp_level(&t->ob, level);
    return true;
}

/* --boot-option NAME=V: G0/C0's boot option bits in the stored OPTR, as
 * if programmed before (RM0444 FLASH_OPTR); TZEN on the TrustZone parts. */
static bool store_boot_option(struct sim_target *t, const char *spec)
{
    const fw_target *p = t->part;
    const char *eq = spec ? strchr(spec, '=') : NULL;
    uint32_t mask = 0;
    if (eq && eq - spec == 4 && !strncmp(spec, "TZEN", 4)) {
        if ((t->controller != FW_CTL_L5U5 && t->controller != FW_CTL_H5) || (strcmp(eq + 1, "0") && strcmp(eq + 1, "1"))) {
            fprintf(stderr, "fwsim: --boot-option '%s': TZEN=0 or =1, on an L5, U5, WBA or H5 part\n", spec);
            return false;
        }
        if (t->controller == FW_CTL_H5)
            flash_h5_set_trustzone(&t->ctl.h5, eq[1] == '1');
        else
            flash_l5u5_set_trustzone(&t->ctl.l5u5, eq[1] == '1');
        return true;
    }
    if (eq && eq - spec == 13 && !strncmp(spec, "PRODUCT_STATE", 13)) {
        /* the states fwsim models: Open (the factory's), and those that close the debug port */
        const struct fw_h5_product_state *state = fw_h5_product_state_named(eq + 1);
        if (t->controller == FW_CTL_H5 && state && (state->debug_closed || !strcmp(state->name, "Open"))) {
            flash_h5_set_product_state(&t->ctl.h5, state->code);
            return true;
        }
        fprintf(stderr,
                "fwsim: --boot-option '%s': PRODUCT_STATE=Open, =Closed or =Locked, on an H5 part (Provisioning, "
                "iROT-Provisioned and TZ-Closed are not modelled)\n",
                spec);
        return false;
    }
    if (eq && !strncmp(spec, "nBOOT_SEL", (size_t)(eq - spec)) && eq - spec == 9)
        mask = p->nboot_sel_bit;
    else if (eq && eq - spec == 6 && !strncmp(spec, "nBOOT0", 6))
        mask = p->nboot0_bit;
    else if (eq && eq - spec == 6 && !strncmp(spec, "nBOOT1", 6))
        mask = p->nboot1_bit;
    if (!p->has_boot_options || t->ob.layout != OB_L4G0) {
        fprintf(stderr, "fwsim: --boot-option: the %s has no boot option bits fwsim models (G0 and C0 have)\n", p->name);
        return false;
    }
    if (!mask || (strcmp(eq + 1, "0") && strcmp(eq + 1, "1"))) {
        fprintf(stderr, "fwsim: --boot-option '%s': expected nBOOT_SEL, nBOOT0 or nBOOT1 =0 or =1\n", spec);
        return false;
    }
    uint32_t optr = fw_get_le32(t->ob.bytes);
    ob_l4g0_store(&t->ob, 0, eq[1] == '1' ? optr | mask : optr & ~mask);
    return true;
}

static int run_command(char **cmd)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "fwsim: fork: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    if (pid == 0) {
        execvp(cmd[0], cmd);
        fprintf(stderr, "fwsim: %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "fwsim: waitpid: %s\n", strerror(errno));
            return EXIT_USAGE;
        }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static bool write_stats(const char *path, struct chip *chips, size_t n)
{
    struct outfile o;
    char err[512];
    bool ok = outfile_open(&o, path, err, sizeof(err));
    if (ok && n == 1) {
        sim_stats_write_probe(o.f, &chips[0].link, chips[0].serial, chips[0].command_end_ns);
        fputc('\n', o.f);
    } else if (ok) {
        fprintf(o.f, "{\"probes\": [\n");
        for (size_t i = 0; i < n; i++) {
            sim_stats_write_probe(o.f, &chips[i].link, chips[i].serial, chips[i].command_end_ns);
            fprintf(o.f, i + 1 < n ? ",\n" : "\n");
        }
        fprintf(o.f, "]}\n");
    }
    ok = ok && outfile_commit(&o, path, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "fwsim: %s\n", err);
    return ok;
}

/* One board: its probe and the chip behind it. --probe KIND[,target=PART]
 * [,serial=SN][,rdp=LEVEL][,state=FILE][,flash=IMAGE]; what a probe does not
 * say comes from the plain options. */
struct board {
    stlink_kind kind;
    bool loader;
    const char *part, *serial, *state, *flash; /* NULL: the plain option's; else in spec */
    int rdp;                                   /* -1: the plain option's */
    char spec[1024];                           /* the --probe argument, cut into its values */
};

static bool parse_board(const char *arg, struct board *b, char *err, size_t n)
{
    *b = (struct board){.rdp = -1};
    char *save = NULL;
    if (strlen(arg) >= sizeof(b->spec)) {
        snprintf(err, n, "--probe: at most %zu characters", sizeof(b->spec) - 1);
        return false;
    }
    snprintf(b->spec, sizeof(b->spec), "%s", arg);
    char *kind = strtok_r(b->spec, ",", &save);
    if (!kind || !parse_probe(kind, &b->kind)) {
        snprintf(err, n,
                 "--probe '%s': expected v2, v2-1, v3 or v3-loader, then ,target=PART ,serial=SN ,rdp=LEVEL "
                 ",state=FILE ,flash=IMAGE",
                 arg);
        return false;
    }
    b->loader = !strcmp(kind, "v3-loader");
    for (char *kv; (kv = strtok_r(NULL, ",", &save));) {
        char *eq = strchr(kv, '=');
        const char *v = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        if (!eq || !*v) {
            snprintf(err, n, "--probe '%s': '%s' needs a value (KEY=VALUE)", arg, kv);
            return false;
        }
        if (!strcmp(kv, "target"))
            b->part = v;
        else if (!strcmp(kv, "serial") && valid_serial(v))
            b->serial = v;
        else if (!strcmp(kv, "rdp") && (!strcmp(v, "0") || !strcmp(v, "1") || !strcmp(v, "2")))
            b->rdp = v[0] - '0';
        else if (!strcmp(kv, "state"))
            b->state = v;
        else if (!strcmp(kv, "flash"))
            b->flash = v;
        else {
            snprintf(err, n,
                     "--probe '%s': %s=%s: expected target=PART, serial=SN (24 letters or digits), rdp=0|1|2, "
                     "state=FILE or flash=IMAGE",
                     arg, kv, v);
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    cli_prog = "fwsim";
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0); /* measured: halves the cost of each emulated ioctl */
    const char *part = DEFAULT_TARGET, *state = NULL, *flash = NULL, *stats = NULL;
    int rdp_level = -1;
    struct board boards[MAX_PROBES];
    const char *serials[MAX_PROBES] = {0};
    size_t nprobes = 0, nserials = 0;
    static struct sim_faults faults;
    sim_quirks quirks = 0;
    const char *probe_version = NULL, *boot_options[3] = {0};
    size_t nboot_options = 0;
    uint64_t flash_size = 0;
    bool boot0 = false;
    char err[512];
    static const struct option longopts[] = {
        {"target", required_argument, 0, 't'},
        {"probe", required_argument, 0, 'p'},
        {"serial", required_argument, 0, 's'},
        {"state", required_argument, 0, 'S'},
        {"flash", required_argument, 0, 'f'},
        {"fault", required_argument, 0, 'F'},
        {"stats", required_argument, 0, 'x'},
        {"rdp", required_argument, 0, 'r'},
        {"boot0", required_argument, 0, 'B'},
        {"boot-option", required_argument, 0, 'O'},
        {"probe-version", required_argument, 0, 'P'},
        {"quirk", required_argument, 0, 'q'},
        {"list-quirks", no_argument, 0, 'L'},
        {"flash-size", required_argument, 0, 'z'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (opt) {
        case 't': part = optarg; break;
        case 'p':
            if (nprobes == MAX_PROBES)
                return cli_usage_error("at most %d probes", MAX_PROBES);
            if (!parse_board(optarg, &boards[nprobes++], err, sizeof(err)))
                return cli_usage_error("%s", err);
            break;
        case 's':
            if (nserials == MAX_PROBES)
                return cli_usage_error("at most %d serials", MAX_PROBES);
            if (!valid_serial(optarg))
                return cli_usage_error("--serial '%s': a probe's serial is 24 letters or digits", optarg);
            serials[nserials++] = optarg;
            break;
        case 'S': state = optarg; break;
        case 'f': flash = optarg; break;
        case 'z':
            if (!cli_parse_u64(optarg, &flash_size) || !flash_size)
                return cli_usage_error("--flash-size '%s': a size like 128K", optarg);
            break;
        case 'F':
            if (!sim_faults_add(&faults, optarg, err, sizeof(err)))
                return cli_usage_error("%s", err);
            break;
        case 'x': stats = optarg; break;
        case 'q':
            if (!sim_quirks_add(&quirks, optarg))
                return cli_usage_error("--quirk '%s': no such quirk (fwsim --list-quirks names them)", optarg);
            break;
        case 'L': sim_quirks_list(stdout); return EXIT_OK;
        case 'P': {
            struct stlink probe_check;
            memset(&probe_check, 0, sizeof(probe_check));
            if (!stlink_set_version(&probe_check, optarg))
                return cli_usage_error("--probe-version '%s': expected V2JnnSmm (ST-Link/V2), V2JnnMmm (V2-1) or V3Jnn",
                                       optarg);
            probe_version = optarg;
            break;
        }
        case 'r':
            if (strcmp(optarg, "1") && strcmp(optarg, "2"))
                return cli_usage_error("--rdp '%s': expected 1 or 2", optarg);
            rdp_level = optarg[0] - '0';
            break;
        case 'B':
            if (strcmp(optarg, "0") && strcmp(optarg, "1"))
                return cli_usage_error("--boot0 '%s': expected 0 or 1", optarg);
            boot0 = optarg[0] == '1';
            break;
        case 'O':
            if (nboot_options == sizeof(boot_options) / sizeof(boot_options[0]))
                return cli_usage_error("at most 3 --boot-option");
            boot_options[nboot_options++] = optarg;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("fwsim %s\n", fw_version()); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("no command to run (fwsim [OPTIONS] -- COMMAND [ARG...])");
    if (!nprobes)
        boards[nprobes++] = (struct board){.kind = STLINK_V2, .rdp = -1};
    if (nserials > nprobes)
        return cli_usage_error("%zu serials for %zu probes", nserials, nprobes);
    if (state && nprobes > 1)
        return cli_usage_error("--state keeps one chip; give one --probe with it, or state=FILE to each --probe");
    for (size_t i = 0; i < nprobes; i++) { /* the plain options are the defaults */
        struct board *b = &boards[i];
        b->part = b->part ? b->part : part;
        b->serial = b->serial ? b->serial : serials[i];
        b->state = b->state ? b->state : state;
        b->flash = b->flash ? b->flash : flash;
        b->rdp = b->rdp >= 0 ? b->rdp : rdp_level;
        for (size_t k = 0; k < i; k++)
            if (b->state && boards[k].state && !strcmp(b->state, boards[k].state))
                return cli_usage_error("two probes keep their chips in one state file, %s", b->state);
    }

    reexec_under_preload(argv);

    fw_target_db *db = NULL;
    const fw_target *parts[MAX_PROBES];
    for (size_t i = 0; i < nprobes; i++) {
        const fw_target *t = NULL;
        for (size_t k = 0; k < i && !t; k++) /* the same database for every board */
            if (!strcasecmp(boards[k].part, boards[i].part))
                t = parts[k];
        if (!t && db) { /* another part: found as cli_find_target finds it, and with its messages */
            fw_target_db *one = NULL;
            const fw_target *o = cli_find_target(&one, boards[i].part, NULL, 0);
            for (size_t k = 0; o && k < fw_target_db_count(db) && !t; k++)
                if (!strcmp(fw_target_db_at(db, k)->name, o->name))
                    t = fw_target_db_at(db, k);
            fw_target_db_free(one);
        } else if (!t) {
            t = cli_find_target(&db, boards[i].part, NULL, 0);
        }
        if (!t) {
            fw_target_db_free(db);
            return EXIT_USAGE;
        }
        /* silicon with more flash than its flash-size register says (the same grown part fwflash
           --flash-size uses) */
        if (flash_size) {
            const fw_target *big =
                flash_size < fw_target_flash_size(t) ? NULL : fw_target_db_with_flash_size(db, t, flash_size);
            if (!big) {
                fw_target_db_free(db);
                return cli_usage_error("--flash-size: the %s's flash cannot be %llu bytes (one bank grown by whole "
                                       "pages)",
                                       t->name, (unsigned long long)flash_size);
            }
            t = big;
        }
        parts[i] = t;
    }
    int rc = EXIT_USAGE;
    struct chip *chips = calloc(nprobes, sizeof(*chips));
    struct sim_usb *usb = NULL;
    bool state_loaded = false;
    if (!chips)
        goto out;
    for (size_t i = 0; i < nprobes; i++) {
        struct chip *c = &chips[i];
        const struct board *b = &boards[i];
        const fw_target *t = parts[i];
        c->kind = b->kind;
        snprintf(c->serial, sizeof(c->serial), "%s", b->serial ? b->serial : "");
        if (!b->serial)
            snprintf(c->serial, sizeof(c->serial), "46574B49543353494D%06u", (unsigned)(i + 1) % 1000000u); /* "FWKIT3SIM" in hex */
        if (!(c->target_ok = sim_target_init(&c->target, t, 0x1000))) {
            fprintf(stderr, "fwsim: the %s's memory map cannot be simulated\n", t->name);
            goto out;
        }
        c->state = b->state;
        if (b->state && !sim_state_load(&c->target, b->state, &state_loaded, err, sizeof(err))) {
            fprintf(stderr, "fwsim: %s\n", err);
            goto out;
        }
        sim_target_set_uid(&c->target, c->serial); /* each chip its own, from its probe's serial */
        if (b->flash && !load_image(&c->target, b->flash))
            goto out;
        if (b->rdp > 0 && !store_rdp(&c->target, b->rdp))
            goto out;
        for (size_t k = 0; k < nboot_options; k++)
            if (!store_boot_option(&c->target, boot_options[k]))
                goto out;
        c->target.boot0_pin = boot0;
        sim_target_power_on(&c->target); /* the option bytes as --state, --flash and --rdp left them */
        for (size_t k = 0; i == 0 && k < faults.n; k++)
            if (faults.list[k].kind == FAULT_WRP && faults.list[k].at_address) {
                sim_target_write_protect(&c->target, (uint32_t)faults.list[k].where, false);
                faults.list[k].fired = true; /* a property of the chip, not an event */
            }
        if (!(c->core_ok = sim_core_init(&c->core, &c->target))) {
            fprintf(stderr, "fwsim: the CPU emulator (unicorn) cannot model the %s's core\n", t->name);
            goto out;
        }
        /* after the core's power-on reset: what an earlier session left */
        sim_target_arrive_with(&c->target, quirks);
        c->core.sram_code_hangs = i == 0 && sim_faults_condition(&faults, FAULT_LOADER_HANG);
        c->core.sram_code_faults = i == 0 && sim_faults_condition(&faults, FAULT_LOADER_FAULT);
        stlink_init(&c->link, c->kind, &c->core);
        stlink_set_quirks(&c->link, quirks);
        if (probe_version)
            stlink_set_version(&c->link, probe_version); /* checked when parsed */
        c->link.usb_loader = boards[i].loader;
        c->link.unpowered = i == 0 && sim_faults_condition(&faults, FAULT_UNPOWERED);
        c->link.no_target = i == 0 && sim_faults_condition(&faults, FAULT_NO_TARGET);
    }
    usb = sim_usb_new(err, sizeof(err));
    if (!usb) {
        fprintf(stderr, "fwsim: %s\n", err);
        goto out;
    }
    for (size_t i = 0; i < nprobes; i++)
        if (!sim_usb_plug(usb, &chips[i].link, chips[i].serial, i == 0 ? &faults : NULL, err, sizeof(err))) {
            fprintf(stderr, "fwsim: %s\n", err);
            goto out;
        }
    rc = run_command(argv + optind);
    /* the clients are gone: the models are ours again */
    for (size_t i = 0; i < nprobes; i++) {
        struct sim_core *core = &chips[i].core;
        chips[i].command_end_ns = chips[i].target.now_ns;
        for (uint64_t spent = 0; spent < SETTLE_NS && core->state == CORE_RUNNING && !core->steady; spent += 100000000)
            sim_core_run_for(core, 100000000);
    }
    for (size_t i = 0; i < nprobes; i++)
        if (chips[i].state && !sim_state_save(&chips[i].target, chips[i].state, err, sizeof(err))) {
            fprintf(stderr, "fwsim: %s\n", err);
            if (rc == 0)
                rc = EXIT_USAGE;
        }
    if (stats && !write_stats(stats, chips, nprobes) && rc == 0)
        rc = EXIT_USAGE;
out:
    sim_usb_free(usb);
    for (size_t i = 0; chips && i < nprobes; i++) {
        if (chips[i].core_ok)
            sim_core_free(&chips[i].core);
        if (chips[i].target_ok)
            sim_target_free(&chips[i].target);
    }
    free(chips);
    fw_target_db_free(db);
    return rc;
}
