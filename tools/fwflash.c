/* SPDX-License-Identifier: MIT */
/* fwflash: programs only images that pass lint for the chip it finds behind
 * an ST-Link, verifies them by read-back, and says what went wrong. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fwkit/bytes.h"
#include "fwkit/checksum.h"
#include "fwkit/core.h"
#include "fwkit/diagnose.h"
#include "fwkit/version.h"
#include "cli.h"
#include "fwkit/flash.h"
#include "fwkit/lint.h"
#include "fwkit/probe.h"
#include "fwkit/stamp.h"
#include "line.h"
#include "report.h"

static const char usage[] =
    "Usage: fwflash [OPTION]... COMMAND [ARG]...\n"
    "Program STM32 flash over an ST-Link (V2, V2-1, V3), only with images that pass\n"
    "fwlint for the chip found, and verify what was written (the chip hashes its own\n"
    "flash; --verify-readback reads it all through the probe).\n"
    "\n"
    "Commands:\n"
    "  probes                 list the ST-Links on USB (serial, firmware, target voltage)\n"
    "  info                   the chip: part, device id, flash and RAM, erased value, what flash holds,\n"
    "                         core state\n"
    "  diagnose [FILE]        what is on the chip and why it does not run, in words: which sectors hold\n"
    "                         data, what boots after reset, the vector table there, the core, the\n"
    "                         protection, and whether the chip holds FILE; changes nothing (the core is\n"
    "                         halted a moment to be read and let go again)\n"
    "  write FILE             lint, erase what the image touches, program, verify, reset and run\n"
    "  verify FILE            compare the chip's flash with the image\n"
    "  read -o FILE [--range START:LEN]   read memory (default: all of flash) into any format\n"
    "  options [--set NAME=VALUE,...]     the user option bytes in the family's words (BOR level,\n"
    "                         watchdogs, reset on Stop/Standby, boot bits, parity, bank mode, RDP,\n"
    "                         WRP), or changed: old and new shown, programmed, reloaded, read back\n"
    "  checksum [--range START-END|START:LEN] [--kind KIND,...]   a checksum of the chip's flash\n"
    "                         (default all of it, crc32) as fwinfo --checksum KIND:START-END --fill\n"
    "                         ERASED gives for the image it holds; the chip's core computes it\n"
    "  erase --all | START:LEN            erase all of flash, or the sectors of a range\n"
    "  reset [--halt]         reset the chip (and keep the core halted)\n"
    "  unlock --yes-erase-everything      remove read protection (RDP level 1 to 0): this\n"
    "                         erases all of flash (and data EEPROM on L0/L1) first\n"
    "\n"
    "Options:\n"
    "      --serial SN        the probe to use (with several plugged in); for write and verify,\n"
    "                         SN,SN,... or all: every one listed or attached, at once, each board\n"
    "                         on its own (a summary, exit 0 only when every board passed)\n"
    "      --jtag             JTAG instead of SWD\n"
    "      --freq KHZ         wire clock (the nearest the probe offers)\n"
    "      --connect MODE     normal (default: under reset when nothing answers), under-reset or hot-plug\n"
    "  -t, --target PART      the chip you expect (an error when another is found, a clone too)\n"
    "      --flash-size SIZE  write and verify: the chip has SIZE of flash, more than its datasheet\n"
    "                         promises (an F103C8 with 128K); its last page is proven first\n"
    "      --accept-clone     program a chip whose identity fits no part fwkit knows (an unknown\n"
    "                         clone) with the driver of the part its device id names\n"
    "      --base ADDR        load address of a raw binary (default: the start of flash)\n"
    "      --force            write even when lint finds errors (says so)\n"
    "      --no-skip          erase and program sectors that already match\n"
    "      --preserve         keep the bytes of touched sectors the image leaves out\n"
    "      --no-reset         leave the core halted after write\n"
    "      --verify-readback  after write, read every byte back through the probe (default: the\n"
    "                         chip's core hashes what it holds, a mismatch is then read back)\n"
    "      --verify-on-chip   verify FILE as write does: fast, but it uses SRAM and leaves the core halted\n"
    "      --check-boot       after the reset (write, reset): let the image run a moment, halt it,\n"
    "                         and say whether it runs or sits in a fault handler (exit 1 then)\n"
    "      --stamp KIND@ADDR[,OPT]  write: put per-board data into the image before lint and\n"
    "                         verify (repeatable): uid[,crc32]; counter:FILE[,width=N][,be][,ascii]\n"
    "                         (the file's next number, taken under a lock); time[,width=4|8];\n"
    "                         crc32:START-END (after the others, as fwmerge --checksum)\n"
    "      --options NAME=VALUE,...  write: set option bytes after the image verified (as options --set)\n"
    "      --yes-lock-forever allow RDP=2: the debug port is then off for good\n"
    "      --log FILE         write and verify: append one JSON line per board (chip, UID, image,\n"
    "                         stamps, result, the phase that failed, the time of each phase)\n"
    "      --station NAME     the station named in --log records (default: the host name)\n"
    "      --summary          with --log FILE and no command: boards per day and per result\n"
    "  -o FILE                output of read (format from the name, or -O)\n"
    "  -O FORMAT              ihex, srec or bin\n"
    "  -q, --quiet            only errors\n"
    "      --json             print a JSON report of everything done on stdout (and nothing else there)\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Exit status: 0 done and verified, 1 refused by lint, a mismatch, or the probe or\n"
    "chip failed (the message names the phase), or diagnose found a cause; 2 bad\n"
    "usage or unreadable input.\n";

enum {
    OPT_SERIAL = 256,
    OPT_JTAG,
    OPT_FREQ,
    OPT_CONNECT,
    OPT_BASE,
    OPT_FORCE,
    OPT_NO_SKIP,
    OPT_PRESERVE,
    OPT_RANGE,
    OPT_ALL,
    OPT_HALT,
    OPT_NO_RESET,
    OPT_CHECK_BOOT,
    OPT_JSON,
    OPT_YES_ERASE,
    OPT_VERIFY_READBACK,
    OPT_VERIFY_ON_CHIP,
    OPT_ACCEPT_CLONE,
    OPT_FLASH_SIZE,
    OPT_STAMP,
    OPT_KIND,
    OPT_SET,
    OPT_OPTIONS,
    OPT_LOCK_FOREVER,
    OPT_LOG,
    OPT_STATION,
    OPT_SUMMARY
};

struct options {
    fw_probe_options probe;
    const char *part, *out, *range;
    fw_format out_format;
    bool has_base, force, no_skip, preserve, all, halt, no_reset, quiet, check_boot, yes_erase_everything,
        verify_readback, verify_on_chip, accept_clone, summary;
    uint64_t base, flash_size;
    const char *log, *station; /* --log FILE: a record per board; --station NAME in it */
    fw_stamp stamps[8];        /* --stamp, in the order given */
    size_t nstamps;
    fw_checksum_kind kinds[FW_CK_COUNT]; /* checksum --kind */
    size_t nkinds;
    const char *set[16]; /* options --set and write --options: NAME=VALUE */
    size_t nset;
    bool lock_forever; /* --yes-lock-forever: RDP level 2 may be set */
    bool options_given, set_given;
};

static bool quiet;

/* what --json reports: filled in as the command goes */
struct report {
    bool on;
    const char *command, *failed_phase, *image;
    char part[64], probe_version[32], probe_serial[FW_PROBE_SERIAL_MAX + 1], build_id[129], boot[640];
    char failed_phase_kept[96]; /* failed()'s phase, which failed_phase points at */
    char maker[64], clone_of[32], told_by[200]; /* a clone's (clones.map); maker empty for ST's parts */
    bool have_uid;
    uint8_t uid[12];
    /* the phases of a write or verify, wall-clock seconds since the epoch:
     * boards running at once show it in the log */
    struct phase {
        const char *name;
        double start, end;
    } phases[12];
    size_t nphases;
    double started;
    bool have_chip, have_image, have_result, verified, reset, boot_ok, unlocked;
    uint32_t dev_id, rev_id, flash_kib, crc32, mv, khz, pc;
    int erased, rdp_level; /* rdp_level: as found, -1 when not read */
    char *diagnose_json;   /* diagnose's findings, a JSON object, or NULL */
    char *checksums_json;  /* checksum's values, a JSON array, or NULL */
    char options_written[96]; /* write --options: the option word before and after */
    uint64_t image_bytes, bytes_programmed;
    size_t lint_errors, lint_warnings, sectors_erased, sectors_skipped;
};

/* One run of the tool: what was asked, the target data, and what it
 * reports; handed to every command, no global state beside -q. */
struct run {
    struct options o;
    const fw_target_db *db;
    struct report rep;
};

static void hex_bytes(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02X", b[i]);
}

static void stamps_json(FILE *f, const struct run *r, bool failed_board);
static void say_options(const fw_option_bytes *o, const fw_option_bytes *before);

static void json_report(const struct run *r, int status)
{
    const struct report *rp = &r->rep;
    FILE *f = stdout;
    fprintf(f, "{\"command\": ");
    cli_json_string(f, rp->command);
    fprintf(f, ", \"status\": \"%s\", \"exit\": %d, \"failed_phase\": ", status ? "failed" : "ok", status);
    if (rp->failed_phase)
        cli_json_string(f, rp->failed_phase);
    else
        fprintf(f, "null");
    if (rp->have_chip) {
        fprintf(f, ",\n \"chip\": {\"part\": ");
        cli_json_string(f, rp->part);
        fprintf(f, ", \"device_id\": \"0x%03x\", \"rev_id\": \"0x%04x\", \"flash_kib\": %u, \"erased\": \"0x%02X\"",
                rp->dev_id, rp->rev_id, rp->flash_kib, rp->erased);
        if (rp->have_uid) {
            char uid[25];
            hex_bytes(rp->uid, 12, uid);
            fprintf(f, ", \"uid\": \"%s\"", uid);
        }
        if (*rp->maker) { /* a clone or compatible: who made it, what it copies, what told it */
            fprintf(f, ", \"maker\": ");
            cli_json_string(f, rp->maker);
            fprintf(f, ", \"clone_of\": ");
            if (*rp->clone_of)
                cli_json_string(f, rp->clone_of);
            else
                fprintf(f, "null");
            fprintf(f, ", \"told_by\": ");
            cli_json_string(f, rp->told_by);
        }
        fprintf(f, "}");
        fprintf(f, ",\n \"probe\": {\"version\": ");
        cli_json_string(f, rp->probe_version);
        fprintf(f, ", \"serial\": ");
        cli_json_string(f, rp->probe_serial);
        fprintf(f, ", \"target_mv\": %u, \"khz\": %u}", rp->mv, rp->khz);
    }
    if (rp->have_image) {
        fprintf(f, ",\n \"image\": {\"path\": ");
        cli_json_string(f, rp->image);
        fprintf(f, ", \"bytes\": %" PRIu64 ", \"crc32\": \"0x%08X\", \"build_id\": ", rp->image_bytes, rp->crc32);
        if (*rp->build_id)
            cli_json_string(f, rp->build_id);
        else
            fprintf(f, "null");
        fprintf(f, ", \"lint_errors\": %zu, \"lint_warnings\": %zu}", rp->lint_errors, rp->lint_warnings);
    }
    if (rp->have_result)
        fprintf(f, ",\n \"write\": {\"sectors_erased\": %zu, \"sectors_skipped\": %zu, \"bytes_programmed\": %" PRIu64 "}",
                rp->sectors_erased, rp->sectors_skipped, rp->bytes_programmed);
    fprintf(f, ",\n \"read_protection\": ");
    if (rp->rdp_level >= 0)
        fprintf(f, "%d", rp->rdp_level);
    else
        fprintf(f, "null");
    fprintf(f, ", \"unlocked\": %s", rp->unlocked ? "true" : "false");
    fprintf(f, ",\n \"verified\": %s, \"reset\": %s, \"boot\": ", rp->verified ? "true" : "false",
            rp->reset ? "true" : "false");
    if (*rp->boot) {
        fprintf(f, "{\"runs\": %s, \"pc\": \"0x%08x\", \"detail\": ", rp->boot_ok ? "true" : "false", rp->pc);
        cli_json_string(f, rp->boot);
        fprintf(f, "}");
    } else {
        fprintf(f, "null");
    }
    if (r->o.nstamps) {
        fprintf(f, ",\n \"stamps\": ");
        stamps_json(f, r, status != 0);
    }
    if (rp->diagnose_json)
        fprintf(f, ",\n \"diagnose\": %s", rp->diagnose_json);
    if (rp->checksums_json)
        fprintf(f, ",\n \"checksums\": %s", rp->checksums_json);
    fprintf(f, "}\n");
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    if (quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

/* Prints what went wrong, naming the phase; returns 1. */
static int failed(struct run *r, const char *phase, fw_diag *d)
{
    snprintf(r->rep.failed_phase_kept, sizeof(r->rep.failed_phase_kept), "%s", phase);
    r->rep.failed_phase = r->rep.failed_phase_kept;
    cli_print_diag(d);
    fprintf(stderr, "fwflash: %s failed\n", phase);
    return EXIT_FINDINGS;
}

/* The progress bar: on a terminal only. */
static void progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    (void)ctx;
    const char *board = getenv("FWKIT_BOARD");
    if (board && !strcmp(board, "lines") && total) { /* for line.c: a line per tenth, and one per change of phase */
        static unsigned last = 11;
        static char last_phase[16];
        unsigned tenth = (unsigned)(done * 10 / total);
        if (tenth != last || done == total || strcmp(what, last_phase))
            printf("progress: %s %u%% %" PRIu64 "/%" PRIu64 " bytes\n", what, (unsigned)(done * 100 / total), done,
                   total);
        last = tenth;
        snprintf(last_phase, sizeof(last_phase), "%s", what);
        fflush(stdout);
        return;
    }
    const char *phase = what;
    if (quiet || !isatty(STDERR_FILENO) || !total)
        return;
    int width = 30, filled = (int)(done * (uint64_t)width / total);
    fprintf(stderr, "\r%-8s [%.*s%*s] %3u%% %" PRIu64 "/%" PRIu64 " bytes", phase, filled,
            "##############################", width - filled, "", (unsigned)(done * 100 / total), done, total);
    if (done == total)
        fputc('\n', stderr);
}

/* What went well but is worth saying (notes and warnings: a probe pin not
 * wired, flags an earlier session left, a lock-out recovered): printed once,
 * unless -q; errors are failed()'s. Copied out of d first, so that a later
 * failure does not print them twice. */
static void say_findings(fw_diag **d)
{
    fw_diag *rest = fw_diag_new(), *shown = fw_diag_new();
    if (!rest || !shown) {
        fw_diag_free(rest);
        fw_diag_free(shown);
        return;
    }
    for (size_t i = 0; i < fw_diag_count(*d); i++) {
        const fw_diagnostic *e = fw_diag_at(*d, i);
        fw_diag_copy(e->severity == FW_ERROR ? rest : shown, e, e->severity);
    }
    if (!quiet && fw_diag_count(shown))
        cli_print_diag(shown);
    fw_diag_free(shown);
    fw_diag_free(*d);
    *d = rest;
}

/* The chip in words: its name, and for a clone or compatible who made it
 * and what tells it from ST's part ("CKS32F103C8 (a clone of the
 * STM32F103C8: DP IDCODE 0x2BA01477 where ST's is 0x1BA01477)"). */
static void chip_words(const fw_chip_id *id, char *out, size_t cap)
{
    const fw_target *t = id->target;
    if (t && t->clone_of)
        snprintf(out, cap, "%s (a clone of the %s by %s: %s)", id->name, t->clone_of, t->vendor ? t->vendor : "?",
                 *id->how ? id->how : "told apart by the facts in clones.map");
    else if (t && t->vendor)
        snprintf(out, cap, "%s (made by %s, not an STM32: %s)", id->name, t->vendor,
                 *id->how ? id->how : "told apart by the facts in clones.map");
    else
        snprintf(out, cap, "%s", id->name);
}

static int open_chip(struct run *r, fw_probe **p, fw_chip_id *id, fw_diag *d)
{
    const struct options *o = &r->o;
    const fw_target_db *db = r->db;
    int rc = fw_probe_open(&o->probe, p, d);
    if (rc)
        return failed(r, "connecting to the probe", d);
    if (fw_probe_identify(*p, db, id, d)) {
        fw_probe_close(*p);
        *p = NULL;
        return failed(r, "identifying the chip", d);
    }
    if (!id->target) {
        fw_diag_add(d, FW_ERROR, "FLASH-UNKNOWN-CHIP", NULL,
                    "the chip's device id 0x%03x (DBGMCU_IDCODE 0x%08x) is not in the target database", id->dev_id,
                    id->idcode);
        fw_probe_close(*p);
        *p = NULL;
        return failed(r, "identifying the chip", d);
    }
    if (o->part) {
        const fw_target *want = fw_target_find(db, o->part, NULL, 0, &(size_t){0});
        /* the same maker too: an STM32 named where a clone answers is not it */
        bool same = want && want->ndevice_ids && want->device_ids[0] == id->dev_id &&
                    (!id->flash_kib || fw_target_flash_size(want) == (uint64_t)id->flash_kib * 1024) &&
                    (id->unmatched || fw_chip_id_fits(id, want));
        if (same) {
            id->target = want; /* the user names which of the parts with this id and flash it is */
            snprintf(id->name, sizeof(id->name), "%s", want->name);
        }
        if (!same) {
            char what[320];
            chip_words(id, what, sizeof(what));
            fprintf(stderr,
                    "fwflash: error: --target %s, but the chip found is %s (device id 0x%03x, %u KiB flash) "
                    "[FLASH-TARGET-MISMATCH]\n",
                    o->part, what, id->dev_id, id->flash_kib);
            fw_probe_close(*p);
            *p = NULL;
            return EXIT_FINDINGS;
        }
    }
    if (id->unmatched && !o->accept_clone) {
        fprintf(stderr,
                "fwflash: error: the chip reads device id 0x%03x like the %s, but its identity fits no part fwkit "
                "knows (SW-DP IDCODE 0x%08X%s) [FLASH-UNKNOWN-CLONE]\n"
                "  hint: an unknown clone: --accept-clone programs it with the %s's driver at your risk\n",
                id->dev_id, id->name, id->dp_idcode, id->has_designer ? ", ROM table designer given" : "",
                id->target->name);
        fw_probe_close(*p);
        *p = NULL;
        return EXIT_FINDINGS;
    }
    /* before any sector is planned: the layout the bank-mode option chose,
     * and with TrustZone on, flash at its secure alias */
    if (fw_flash_bank_mode(*p, db, &id->target, d) || fw_flash_security_view(*p, db, &id->target, d)) {
        fw_probe_close(*p);
        *p = NULL;
        return failed(r, "reading the option bytes", d);
    }
    return EXIT_OK;
}

/* open_chip for a look that changes nothing: connected hot-plug (no reset,
 * the core not halted) unless another connect mode was asked for */
static int open_chip_to_look(struct run *r, fw_probe **p, fw_chip_id *id, fw_diag *d)
{
    fw_connect_mode asked = r->o.probe.mode;
    if (asked == FW_CONNECT_NORMAL)
        r->o.probe.mode = FW_CONNECT_HOT_PLUG;
    int status = open_chip(r, p, id, d);
    r->o.probe.mode = asked;
    return status;
}

static void print_identity(struct run *r, const char *path, const fw_image *img)
{
    struct stat st;
    char when[64] = "?";
    if (stat(path, &st) == 0)
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&st.st_mtime));
    r->rep.have_image = true;
    r->rep.image = path;
    r->rep.image_bytes = fw_image_data_size(img);
    r->rep.crc32 = fw_image_crc32(img);
    const fw_elf_info *elf = fw_image_elf(img);
    for (size_t i = 0; elf && i < elf->build_id_len && i < 64; i++)
        snprintf(r->rep.build_id + 2 * i, 3, "%02x", elf->build_id[i]);
    say("image:    %s\n  modified %s, %" PRIu64 " bytes of data, CRC-32 0x%08X%s%s\n", path, when, r->rep.image_bytes,
        r->rep.crc32, *r->rep.build_id ? ", build-id " : "", r->rep.build_id);
}

static void print_chip(struct run *r, fw_probe *p, const fw_chip_id *id)
{
    const fw_target *t = id->target;
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    r->rep.have_chip = true;
    snprintf(r->rep.part, sizeof(r->rep.part), "%s", id->name);
    r->rep.dev_id = id->dev_id;
    r->rep.rev_id = id->rev_id;
    r->rep.flash_kib = id->flash_kib ? id->flash_kib : (uint32_t)(fw_target_flash_size(t) / 1024);
    r->rep.erased = flash && flash->erased >= 0 ? flash->erased : 0xFF;
    snprintf(r->rep.maker, sizeof(r->rep.maker), "%s", t->vendor ? t->vendor : "");
    snprintf(r->rep.clone_of, sizeof(r->rep.clone_of), "%s", t->clone_of ? t->clone_of : "");
    snprintf(r->rep.told_by, sizeof(r->rep.told_by), "%s", id->how);
    snprintf(r->rep.probe_version, sizeof(r->rep.probe_version), "%s", fw_probe_info_of(p)->version);
    snprintf(r->rep.probe_serial, sizeof(r->rep.probe_serial), "%s", fw_probe_info_of(p)->serial);
    r->rep.mv = fw_probe_voltage_mv(p);
    r->rep.khz = fw_probe_khz(p);
    uint64_t ram = 0;
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].kind == FW_REGION_RAM && fw_region_in_default_variant(t, &t->regions[i]))
            ram += t->regions[i].size;
    char what[320];
    chip_words(id, what, sizeof(what));
    if (t->vendor)
        say("chip:     %s\n", what);
    say("%s %s (%s), device id 0x%03x rev 0x%04x, %u KiB flash, %" PRIu64 " KiB RAM, erased flash reads 0x%02X\n",
        t->vendor ? "         " : "chip:    ", id->name, t->family ? t->family : "?", id->dev_id, id->rev_id,
        id->flash_kib ? id->flash_kib : (unsigned)(fw_target_flash_size(t) / 1024), ram / 1024,
        flash && flash->erased >= 0 ? flash->erased : 0xFF);
    if (strcmp(id->name, t->name))
        say("          (these parts share the device id, flash and SRAM size: a probe cannot tell them apart; --target "
            "names yours)\n");
    const fw_probe_info *info = fw_probe_info_of(p);
    if (fw_probe_has_voltage(p))
        say("probe:    ST-Link %s, serial %s, target at %u.%02u V, %u kHz\n", info->version, info->serial,
            fw_probe_voltage_mv(p) / 1000, fw_probe_voltage_mv(p) % 1000 / 10, fw_probe_khz(p));
    else
        say("probe:    ST-Link %s, serial %s, target voltage not measured (firmware before J13), %u kHz\n",
            info->version, info->serial, fw_probe_khz(p));
}

/* The lint gate (the library decides: errors refuse unless --force); the
 * findings are printed here. */
static int lint_gate(struct run *r, const char *path, const fw_image *img, const fw_diag *read_diag,
                     const fw_chip_id *id)
{
    bool force = r->o.force;
    fw_lint_artifact art = {.image = img, .path = path, .read_diag = read_diag,
                            .base_assumed = !r->o.has_base && fw_image_format(img) == FW_FMT_BIN};
    struct stat st;
    if (stat(path, &st) == 0) {
        art.has_mtime = true;
        art.mtime = st.st_mtim;
    }
    fw_lint_input in = {.main = art, .target = id->target};
    fw_diag *report = fw_diag_new();
    fw_gate gate;
    int rc = report ? fw_lint_gate(&in, force, &gate, report) : FW_ENOMEM;
    if (rc) {
        fw_diag_free(report);
        return EXIT_USAGE;
    }
    const char *files[] = {path};
    struct report_context ctx = {"fwlint", id->name, files, 1, NULL, 0};
    r->rep.lint_errors = gate.errors;
    r->rep.lint_warnings = gate.warnings;
    if (gate.errors || !quiet) {
        report_print(stderr, REPORT_GCC, report, &ctx);
        if (gate.errors)
            report_summary(stderr, report, &ctx);
    }
    fw_diag_free(report);
    switch (gate.verdict) {
    case FW_GATE_REFUSED:
        r->rep.failed_phase = "lint";
        fprintf(stderr, "fwflash: refused: the image has %zu lint error%s for the %s; nothing was written (--force overrides)\n",
                gate.errors, gate.errors == 1 ? "" : "s", id->name);
        return EXIT_FINDINGS;
    case FW_GATE_FORCED:
        fprintf(stderr, "fwflash: warning: --force: writing despite %zu lint error%s\n", gate.errors,
                gate.errors == 1 ? "" : "s");
        return EXIT_OK;
    case FW_GATE_PASS: break;
    }
    return EXIT_OK;
}

static fw_image *read_image(const char *path, const struct options *o, const fw_target *t, fw_diag *read_diag)
{
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    /* a private copy: the file may be rebuilt while the chip is programmed */
    fw_read_options ro = {.has_base = true, .base = o->has_base ? o->base : flash ? flash->base : 0,
                          .private_copy = true};
    fw_image *img = NULL;
    int rc = fw_read_file(path, &ro, &img, read_diag);
    if (rc) {
        cli_print_diag(read_diag);
        if (!fw_diag_count_severity(read_diag, FW_ERROR))
            fprintf(stderr, "fwflash: %s: %s\n", path, fw_strerror(rc));
        return NULL;
    }
    return img;
}

/* A dual-core part's second core, and its main core (the first of the
 * core list), as Arm writes them ("Cortex-M4"). */
static void second_core_name(const fw_target *t, char *out, size_t cap)
{
    const char *n = fw_target_second_core(t);
    n = n ? n : "second core";
    fw_core_arm_name(n, strlen(n), out, cap);
}

static void main_core_name(const fw_target *t, char *out, size_t cap)
{
    const char *n = t->core ? t->core : "main core";
    fw_core_arm_name(n, strcspn(n, ","), out, cap);
}

/* --check-boot on a dual-core part: the second core as the reset left it.
 * Its own image not running is an error; no image of its own where it
 * boots (blank flash: it locks up) is said, since firmware that waits for
 * it stops there. */
static int check_second_boot(struct run *r, fw_probe *p, const fw_target *t, const fw_image *img)
{
    fw_second_core_check b;
    char name[32];
    second_core_name(t, name, sizeof(name));
    fw_diag *sd = fw_diag_new();
    int rc = sd ? fw_core_check_second(p, t, &b, sd) : FW_ENOMEM;
    if (rc) {
        /* the main core's boot stands; the second's was not seen (an old probe, a core that does not answer) */
        const fw_diagnostic *e = sd && fw_diag_count(sd) ? fw_diag_at(sd, 0) : NULL;
        fprintf(stderr, "fwflash: warning: the %s's boot was not checked: %s [FLASH-BOOT-UNSEEN]\n", name,
                e ? e->message : fw_strerror(rc));
        fw_diag_free(sd);
        return EXIT_OK;
    }
    fw_diag_free(sd);
    if (b.held) {
        say("boot:     the %s is held (its boot option bit is clear) until the main core's firmware releases it\n",
            name);
        return EXIT_OK;
    }
    uint32_t word;
    bool has_own = img && fw_image_read(img, b.boot_address, &word, 4);
    if (b.verdict == FW_BOOT_RUNS) {
        say("boot:     the %s runs %s (PC 0x%08x)\n", name, has_own ? "its image" : "what flash held", b.state.pc);
        return EXIT_OK;
    }
    if (has_own) {
        r->rep.failed_phase = "boot";
        fprintf(stderr, "fwflash: error: the %s's image (vectors at 0x%08x) does not run: the %s is %s [FLASH-BOOT]\n",
                name, b.boot_address, name, b.said);
        return EXIT_FINDINGS;
    }
    fprintf(stderr,
            "fwflash: warning: the %s boots from 0x%08x (its boot option bit is set), where this image writes "
            "nothing: it is %s; firmware that waits for it stops there (ST's dual-core templates wait for the %s to "
            "stop its domain) [FLASH-BOOT-SECOND-CORE]\n"
            "  hint: write the %s's image too (fwmerge the two ELF files into one), or clear its boot option bit "
            "and have the main core release it (RCC_GCR BOOT_C2)\n",
            name, b.boot_address, b.said, name, name);
    return EXIT_OK;
}

/* A dual-core part's main core, not running: whether the image holds its
 * vectors where it boots. An image for the second core alone leaves a blank
 * main core locked up, which is said, not blamed on the image. */
static bool main_core_has_image(fw_probe *p, const fw_target *t, const fw_image *img, const fw_boot_check *b)
{
    fw_chip_boot cb;
    fw_diag *scratch = fw_diag_new();
    uint32_t word;
    bool read = scratch && !fw_chip_read_boot(p, t, &b->state, &cb, scratch) && cb.address;
    fw_diag_free(scratch);
    if (!read || fw_image_read(img, cb.address, &word, 4))
        return true;
    char name[32], second[32];
    main_core_name(t, name, sizeof(name));
    second_core_name(t, second, sizeof(second));
    fprintf(stderr,
            "fwflash: warning: the %s boots from 0x%08x, where this image writes nothing: it is %s; the %s's image "
            "is checked alone [FLASH-BOOT-MAIN-CORE]\n"
            "  hint: write the %s's image too (fwmerge the two ELF files into one); firmware that has the %s wait "
            "for the %s stops there\n",
            name, cb.address, b->said, second, name, second, name);
    return false;
}

/* The loops firmware ends in when something failed, by the function's
 * name in the image's symbols, and what finding the core there means. */
static const struct {
    const char *name, *meaning;
} error_paths[] = {
    {"Error_Handler", "STM32CubeMX's error path: a HAL call in the set-up returned an error or a bounded wait ran "
                      "out (a clock that did not start; on a dual-core part, the other core that did not stop its "
                      "domain)"},
    {"_Error_Handler", "STM32CubeMX's error path: a HAL call in the set-up returned an error"},
    {"assert_failed", "a HAL parameter check failed (USE_FULL_ASSERT)"},
    {"__assert_func", "an assert() failed"},
    {"abort", "the firmware called abort()"},
    {"_exit", "main returned, or exit() was called, and the C library's _exit loops"},
    {"Default_Handler", "an interrupt was enabled with no handler of its own: the start-up's Default_Handler caught "
                        "it and loops"},
};

/* The core at pc in an image with ELF symbols: ", in FUNCTION" appended
 * to where; its name into fn when it is an error path, and what that means
 * returned (else NULL). */
static const char *boot_function(const fw_image *img, uint32_t pc, char *where, size_t cap, const char **fn)
{
    const fw_elf_symbol *s = img ? fw_elf_function_at(fw_image_elf(img), pc) : NULL;
    if (!s)
        return NULL;
    size_t n = strlen(where);
    snprintf(where + n, cap - n, ", in %s", s->name);
    for (size_t i = 0; i < sizeof(error_paths) / sizeof(error_paths[0]); i++)
        if (!strcmp(s->name, error_paths[i].name)) {
            *fn = s->name;
            return error_paths[i].meaning;
        }
    return NULL;
}

/* --check-boot: the image runs a moment, then the core is halted and read. */
static int check_boot(struct run *r, fw_probe *p, const fw_target *t, const fw_image *img, fw_diag *d)
{
    fw_boot_check b;
    if (fw_core_check_boot(p, 200, &b, d)) /* 200 ms: past the start-up of any sane image */
        return failed(r, "checking the boot", d);
    switch (b.verdict) {
    case FW_BOOT_UNSEEN:
        snprintf(r->rep.boot, sizeof(r->rep.boot), "not checked: %s", b.said);
        fprintf(stderr, "fwflash: warning: the boot was not checked: %s, as firmware does that enters a low-power "
                        "mode without the DBGMCU debug bits or reuses the SWD pins [FLASH-BOOT-UNSEEN]\n"
                        "  hint: the next fwflash connects under reset by itself; to see the boot, let debug builds keep "
                        "the debug port (DBGMCU DBG_STOP/DBG_STANDBY set, the SWD pins left alone)\n",
                b.said);
        return EXIT_OK;
    case FW_BOOT_FAULT:
        r->rep.pc = b.state.pc;
        snprintf(r->rep.boot, sizeof(r->rep.boot), "%s", b.said);
        if (t && t->has_second_core && img && !main_core_has_image(p, t, img, &b)) {
            /* the second core's image is the one to judge */
            snprintf(r->rep.boot, sizeof(r->rep.boot), "the main core has no image at its boot address: %.500s",
                     b.said);
            int status = check_second_boot(r, p, t, img);
            r->rep.boot_ok = status == EXIT_OK;
            return status;
        }
        r->rep.failed_phase = "boot";
        fprintf(stderr, "fwflash: error: the image does not run: the core is %s [FLASH-BOOT]\n", b.said);
        return EXIT_FINDINGS;
    case FW_BOOT_RUNS: break;
    }
    char where[160];
    const char *fn = NULL;
    snprintf(where, sizeof(where), "%s", b.state.ipsr ? "in an interrupt handler" : "thread mode");
    const char *meaning = boot_function(img, b.state.pc, where, sizeof(where), &fn);
    r->rep.pc = b.state.pc;
    r->rep.boot_ok = true;
    snprintf(r->rep.boot, sizeof(r->rep.boot), "%s", where);
    say("boot:     the core runs the image (PC 0x%08x, %s)\n", b.state.pc, where);
    if (meaning)
        fprintf(stderr,
                "fwflash: warning: the core runs, but in %s: %s [FLASH-BOOT-ERROR-PATH]\n"
                "  hint: the image was written and verified; run it under a debugger with a breakpoint on %s to see "
                "what led there\n",
                fn, meaning, fn);
    if (t && t->has_second_core) {
        int status = check_second_boot(r, p, t, img);
        r->rep.boot_ok = status == EXIT_OK;
        return status;
    }
    return EXIT_OK;
}

/* After options that set read protection level 2: the chip answers no more (write --options and options --set). */
static void say_locked_for_good(const fw_option_bytes *after)
{
    say("options:  programmed: read protection level 2 (%s); the chip no longer answers the debugger\n", after->reg);
}

/* The read-protection gate before flash is touched: FLASH-RDP, with the way out. */
static int require_unprotected(struct run *r, fw_probe *p, const fw_flash_driver *drv, const fw_chip_id *id,
                               fw_diag *d)
{
    int rc = fw_flash_require_unprotected(p, drv, id->target, d);
    if (rc)
        return failed(r, "checking read protection", d);
    r->rep.rdp_level = 0;
    return EXIT_OK;
}

/* Wall-clock seconds: the log's phase times compare across boards and stations. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends the current phase and starts name (NULL: only ends it). */
static void phase(struct run *r, const char *name)
{
    struct report *rp = &r->rep;
    double t = now_s();
    if (rp->nphases && !rp->phases[rp->nphases - 1].end)
        rp->phases[rp->nphases - 1].end = t;
    if (name && rp->nphases < sizeof(rp->phases) / sizeof(rp->phases[0]))
        rp->phases[rp->nphases++] = (struct phase){name, t, 0};
}

/* The stamps in JSON (the log record and --json). */
static void stamps_json(FILE *f, const struct run *r, bool failed_board)
{
    fprintf(f, "[");
    for (size_t i = 0; i < r->o.nstamps; i++) {
        const fw_stamp *st = &r->o.stamps[i];
        static const char *const kinds[] = {"uid", "counter", "time", "crc32"};
        char said[200];
        bool none = st->kind == FW_STAMP_COUNTER && !st->taken; /* refused before programming: no number consumed */
        fw_stamp_describe(st, said, sizeof(said));
        fprintf(f, "%s{\"kind\": \"%s\", \"at\": \"0x%08llX\", \"value\": ", i ? ", " : "", kinds[st->kind],
                (unsigned long long)st->addr);
        if (none)
            fprintf(f, "null");
        else
            fprintf(f, "%llu", (unsigned long long)st->value);
        fprintf(f, ", \"said\": ");
        cli_json_string(f, none ? "no counter number taken: the board stopped before programming" : said);
        if (st->kind == FW_STAMP_COUNTER)
            fprintf(f, ", \"file\": \"%s\", \"taken\": %s, \"burnt\": %s", st->file, st->taken ? "true" : "false",
                    st->taken && failed_board ? "true" : "false");
        fprintf(f, "}");
    }
    fprintf(f, "]");
}

/* --log: one line per board, whatever happened (a failed board's counter
 * number is logged as burnt: it is never handed out again). */
static void log_board(struct run *r, const char *path, int status)
{
    const struct report *rp = &r->rep;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    time_t secs = (time_t)rp->started;
    struct tm tm;
    char when[40], host[128] = "?", uid[25] = "";
    gmtime_r(&secs, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!r->o.station && gethostname(host, sizeof(host)))
        snprintf(host, sizeof(host), "?");
    host[sizeof(host) - 1] = '\0';
    fprintf(f, "{\"time\": \"%s.%03dZ\", \"station\": ", when, (int)((rp->started - (double)secs) * 1000));
    cli_json_string(f, r->o.station ? r->o.station : host);
    fprintf(f, ", \"fwkit\": \"%s\", \"command\": \"%s\", \"result\": \"%s\", \"exit\": %d, \"failed_phase\": ",
            fw_version(), rp->command, status ? "failed" : "ok", status);
    cli_json_string(f, status ? (rp->failed_phase ? rp->failed_phase : "refused") : NULL);
    fprintf(f, ", \"probe\": {\"serial\": ");
    cli_json_string(f, rp->have_chip ? rp->probe_serial : r->o.probe.serial);
    fprintf(f, ", \"firmware\": ");
    cli_json_string(f, rp->have_chip ? rp->probe_version : NULL);
    fprintf(f, "}, \"chip\": ");
    if (rp->have_chip) {
        if (rp->have_uid)
            hex_bytes(rp->uid, 12, uid);
        fprintf(f, "{\"part\": ");
        cli_json_string(f, rp->part);
        fprintf(f, ", \"device_id\": \"0x%03x\", \"rev_id\": \"0x%04x\", \"uid\": ", rp->dev_id, rp->rev_id);
        cli_json_string(f, rp->have_uid ? uid : NULL);
        fprintf(f, ", \"flash_kib\": %u}", rp->flash_kib);
    } else {
        fprintf(f, "null");
    }
    fprintf(f, ", \"image\": ");
    if (rp->have_image) {
        fprintf(f, "{\"path\": ");
        cli_json_string(f, path);
        fprintf(f, ", \"bytes\": %" PRIu64 ", \"crc32\": \"0x%08X\", \"build_id\": ", rp->image_bytes, rp->crc32);
        cli_json_string(f, *rp->build_id ? rp->build_id : NULL);
        fprintf(f, "}");
    } else {
        fprintf(f, "null");
    }
    fprintf(f, ", \"stamps\": ");
    stamps_json(f, r, status != 0);
    fprintf(f, ", \"options\": [");
    for (size_t i = 0; *rp->options_written && i < r->o.nset; i++) {
        fprintf(f, "%s", i ? ", " : "");
        cli_json_string(f, r->o.set[i]);
    }
    fprintf(f, "], \"option_word\": ");
    cli_json_string(f, *rp->options_written ? rp->options_written : NULL);
    fprintf(f, ", \"phases\": [");
    for (size_t i = 0; i < rp->nphases; i++)
        fprintf(f, "%s{\"name\": \"%s\", \"start\": %.3f, \"seconds\": %.3f}", i ? ", " : "", rp->phases[i].name,
                rp->phases[i].start, rp->phases[i].end - rp->phases[i].start);
    fprintf(f, "]}");
    fclose(f);
    line_log_append(r->o.log, buf);
    free(buf);
}

/* --stamp: each stamp into the image in the order given, CRC-32s last so
 * they cover the others. final: counters take their number (consumed under
 * the file's lock, written back before anything is programmed); else they
 * show the number they would take, for the lint gate, so a board refused
 * before programming consumes none. */
static int apply_stamps(struct run *r, fw_image *img, const fw_chip_id *id, bool final, fw_diag *d)
{
    uint64_t now = (uint64_t)time(NULL);
    const fw_region *flash = fw_target_region_of_kind(id->target, FW_REGION_FLASH);
    uint8_t fill = flash && flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    for (size_t i = 0; i < r->o.nstamps; i++) {
        fw_stamp *st = &r->o.stamps[i];
        if (st->kind == FW_STAMP_UID && !r->rep.have_uid) {
            fw_diag_add(d, FW_ERROR, "STAMP", NULL, "uid@0x%08llX: the %s's unique ID was not read",
                        (unsigned long long)st->addr, id->name);
            return failed(r, "stamping", d);
        }
        if (st->kind == FW_STAMP_COUNTER && (final ? fw_stamp_counter_take(st, d) : fw_stamp_counter_peek(st, d)))
            return failed(r, "taking a counter number", d);
    }
    for (int last = 0; last < 2; last++)
        for (size_t i = 0; i < r->o.nstamps; i++) {
            fw_stamp *st = &r->o.stamps[i];
            if ((st->kind == FW_STAMP_CRC32) != (last == 1))
                continue;
            uint64_t when = final && st->kind == FW_STAMP_TIME ? st->value : now; /* the second the gate saw */
            if (fw_stamp_apply(img, st, r->rep.uid, when, fill, d))
                return failed(r, "stamping", d);
            char said[200];
            fw_stamp_describe(st, said, sizeof(said));
            if (final)
                say("stamp:    %s\n", said);
        }
    return EXIT_OK;
}

/* --flash-size: more flash than the chip's flash-size register says (an
 * F103C8 with 128 KiB). Proven on this chip (its last page takes a pattern
 * and gets its bytes back) before the lint gate and the plan use it. */
static int prove_flash_size(struct run *r, fw_probe *p, fw_chip_id *id, bool write, fw_diag *d)
{
    const fw_target *t = id->target, *big = fw_target_db_with_flash_size(r->db, t, r->o.flash_size);
    if (!big) {
        fprintf(stderr, "fwflash: error: --flash-size %lluK: %s [FLASH-SIZE]\n",
                (unsigned long long)(r->o.flash_size / 1024),
                r->o.flash_size < fw_target_flash_size(t)
                    ? "smaller than the flash the chip says it has"
                    : "this part's flash cannot grow so (one bank of equal pages, whole pages)");
        return EXIT_USAGE;
    }
    if (big == t)
        return EXIT_OK;
    if (!write) { /* verify only reads: the size is taken as given */
        say("flash:    %llu KiB as --flash-size gives (not proven by verify); the %s's datasheet promises %llu KiB\n",
            (unsigned long long)(fw_target_flash_size(big) / 1024), big->name,
            (unsigned long long)(big->documented_flash / 1024));
        id->target = big;
        return EXIT_OK;
    }
    const fw_flash_driver *drv = fw_flash_driver_for(big, d);
    if (!drv)
        return failed(r, "choosing a flash driver", d);
    if (require_unprotected(r, p, drv, id, d))
        return EXIT_FINDINGS;
    if (fw_flash_prepare(p, big, d))
        return failed(r, "prepare", d);
    fw_flash_size_check c;
    if (fw_flash_check_size(p, drv, big, &c, d))
        return failed(r, "checking the flash beyond the datasheet", d);
    say("flash:    %llu KiB: the last page, at 0x%08x, took a test pattern and got its bytes back; the %s's datasheet "
        "promises %llu KiB, so another chip of the same marking may not have the rest\n",
        (unsigned long long)(fw_target_flash_size(big) / 1024), c.page, big->name,
        (unsigned long long)(big->documented_flash / 1024));
    id->target = big;
    r->rep.flash_kib = (uint32_t)(fw_target_flash_size(big) / 1024);
    return EXIT_OK;
}

static int cmd_write_or_verify(struct run *r, const char *path, bool write)
{
    const struct options *o = &r->o;
    fw_diag *d = fw_diag_new(), *read_diag = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    fw_image *img = NULL;
    fw_flash_plan *plan = NULL;
    r->rep.started = now_s();
    phase(r, "connect");
    int status = open_chip(r, &p, &id, d);
    if (status)
        goto out;
    print_chip(r, p, &id);
    say_findings(&d);
    bool need_uid = false;
    for (size_t i = 0; i < o->nstamps; i++)
        need_uid |= o->stamps[i].kind == FW_STAMP_UID;
    if ((need_uid || o->log) && id.target->has_uid) { /* the log names each board by its UID */
        if (fw_probe_read_uid(p, id.target, r->rep.uid, d) == FW_OK) {
            r->rep.have_uid = true;
        } else if (need_uid) {
            status = failed(r, "reading the unique ID", d);
            goto out;
        }
    }
    if (o->flash_size && (status = prove_flash_size(r, p, &id, write, d)))
        goto out;
    status = EXIT_USAGE;
    if (!(img = read_image(path, o, id.target, read_diag)))
        goto out;
    print_identity(r, path, img);
    if (o->nstamps) {
        phase(r, "stamp");
        if ((status = apply_stamps(r, img, &id, false, d)))
            goto out;
    }
    phase(r, "lint");
    if (write && (status = lint_gate(r, path, img, read_diag, &id)))
        goto out;
    phase(r, "plan");
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
    status = EXIT_FINDINGS;
    if (!drv) {
        failed(r, "choosing a flash driver", d);
        goto out;
    }
    if (id.target->flash_compatible) /* said once: a clone programmed with an ST driver, and why that is right */
        say("driver:   programming with the STM32 %s driver: the %s's %s\n", fw_flash_driver_name(drv), id.name,
            id.target->flash_compatible);
    if (require_unprotected(r, p, drv, &id, d))
        goto out;
    /* the board passed the gates: counters take their numbers now (the
       values go into the slots the gate judged) */
    if (o->nstamps && (status = apply_stamps(r, img, &id, true, d)))
        goto out;
    status = EXIT_FINDINGS;
    if (fw_flash_plan_make(img, id.target, drv, &plan, d)) {
        failed(r, "planning", d);
        goto out;
    }
    if (write)
        phase(r, "prepare");
    if (write && fw_flash_prepare(p, id.target, d)) {
        failed(r, "prepare", d);
        goto out;
    }
    if (write) {
        phase(r, "write");
        fw_flash_options fo = {.no_skip = o->no_skip, .preserve = o->preserve, .progress = progress};
        fw_flash_result wr;
        if (fw_flash_write(p, drv, plan, &fo, &wr, d)) {
            char phase[96];
            snprintf(phase, sizeof(phase), "%s (%s driver)", wr.failed_phase ? wr.failed_phase : "writing",
                     fw_flash_driver_name(drv));
            failed(r, phase, d);
            goto out;
        }
        r->rep.have_result = true;
        r->rep.sectors_erased = wr.sectors_erased;
        r->rep.sectors_skipped = wr.sectors_skipped;
        r->rep.bytes_programmed = wr.bytes_programmed;
        say("written:  %zu sector%s erased and programmed (%" PRIu64 " bytes), %zu already matched%s\n",
            wr.sectors_erased, wr.sectors_erased == 1 ? "" : "s", wr.bytes_programmed, wr.sectors_skipped,
            wr.sectors_skipped && !wr.sectors_erased ? ": nothing to do" : "");
    }
    /* after a write the core is ours (halted, SRAM used by the loaders, reset
     * next): it hashes the flash itself; verify alone only reads, unless asked */
    bool on_chip = write ? !o->verify_readback : o->verify_on_chip;
    phase(r, "verify");
    if (on_chip ? fw_flash_verify_on_chip(p, plan, d) : fw_flash_verify(p, plan, d)) {
        failed(r, "verify", d);
        goto out;
    }
    r->rep.verified = true;
    say("verified: the chip's flash matches %s\n", path);
    if (write && o->nset) { /* write --options: on a verified image, before its reset */
        phase(r, "options");
        fw_option_bytes before, after;
        if (fw_flash_options_set(p, drv, id.target, o->set, o->nset, o->lock_forever, &before, &after, d)) {
            failed(r, "changing the option bytes", d);
            goto out;
        }
        if (after.rdp == 2) { /* the debug port closed for good: no reset, no boot check through it */
            r->rep.rdp_level = 2;
            snprintf(r->rep.options_written, sizeof(r->rep.options_written), "%s: read protection level 2", after.reg);
            say_locked_for_good(&after);
            if (o->check_boot)
                fprintf(stderr, "fwflash: warning: the boot was not checked: read protection level 2 closed the "
                                "debug port [FLASH-BOOT-UNSEEN]\n");
            status = EXIT_OK;
            say_findings(&d);
            goto out;
        }
        say_options(&after, &before);
        snprintf(r->rep.options_written, sizeof(r->rep.options_written), "%s 0x%08X -> 0x%08X", after.reg, before.word,
                 after.word);
        say("options:  programmed, reloaded and read back: %s\n", r->rep.options_written);
    }
    if (write && !o->no_reset) {
        phase(r, "reset");
        if (fw_probe_reset(p, false, d)) {
            failed(r, "reset", d);
            goto out;
        }
        r->rep.reset = true;
        say("reset:    the core runs the new image\n");
        if (o->check_boot)
            phase(r, "boot");
        if (o->check_boot && (status = check_boot(r, p, id.target, img, d)))
            goto out;
        if (!o->check_boot && fw_probe_detach(p, d)) {
            failed(r, "reset", d);
            goto out;
        }
    }
    status = EXIT_OK;
    say_findings(&d);
out:
    phase(r, NULL);
    if (o->log)
        log_board(r, path, status);
    fw_flash_plan_free(plan);
    fw_image_free(img);
    fw_probe_close(p);
    fw_diag_free(d);
    fw_diag_free(read_diag);
    return status;
}

/* The flash survey in one line: blank with the erased value named, or the
 * ranges that hold data (fwflash info and diagnose). */
static void flash_summary(const fw_flash_survey *sv, const fw_target *t, char *out, size_t cap)
{
    const char *fam = t->family ? t->family : t->name;
    size_t len;
    if (!sv->with_data) {
        len = (size_t)snprintf(out, cap, "blank: all %zu sectors read 0x%02X, the erased value%s%s", sv->nsectors,
                               sv->erased, sv->erased == 0 ? " on " : "", sv->erased == 0 ? fam : "");
    } else {
        char ranges[200];
        size_t n = fw_flash_survey_ranges(sv, ranges, sizeof(ranges));
        len = (size_t)snprintf(out, cap, "%zu of %zu sectors hold data (%s%s); the rest read 0x%02X, erased",
                               sv->with_data, sv->nsectors, ranges, n > 4 ? "..." : "", sv->erased);
    }
    if (sv->held_end && len < cap)
        snprintf(out + len, cap - len, "; 0x%08x-0x%08x is %s, not readable", sv->held_addr, sv->held_end - 1,
                 sv->held_by);
}

static int cmd_info(struct run *r)
{
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    int status = open_chip_to_look(r, &p, &id, d);
    if (!status) {
        print_chip(r, p, &id);
    say_findings(&d);
        const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
        int rdp;
        char wrp[256];
        if (drv && fw_flash_protection(p, drv, id.target, &rdp, wrp, sizeof(wrp), d) == FW_OK) {
            r->rep.rdp_level = rdp;
            say("options:  read protection level %d (%s), write protection: %s\n", rdp,
                rdp == 0 ? "none: the debugger reads flash" : rdp == 1 ? "flash hidden from the debugger"
                                                               : "permanent: the debug port is closed for good",
                wrp);
        }
        /* what flash holds, from diagnose's survey (the core halted a moment, and let go) */
        fw_chip_look look;
        fw_flash_survey *sv = NULL;
        /* (not read, where fwkit has no driver: the survey then finds out) */
        if (r->rep.rdp_level <= 0 && fw_chip_look_begin(p, id.target, &look, d) == FW_OK) {
            if (fw_flash_survey_make(&look, &sv, d) == FW_OK) {
                char line[400];
                flash_summary(sv, id.target, line, sizeof(line));
                say("flash:    %s\n", line);
            }
            fw_chip_look_end(&look, d);
            fw_flash_survey_free(sv);
        }
        uint32_t dhcsr = 0;
        if (fw_probe_read_word(p, FW_CORE_DHCSR, &dhcsr, d) == FW_OK) {
            uint32_t pc = 0;
            bool halted = dhcsr & (1u << 17); /* S_HALT */
            say("core:     %s (CPUID 0x%08x)",
                dhcsr & FW_DHCSR_S_LOCKUP ? "locked up"
                : halted                  ? "halted"
                                          : "running",
                id.cpuid);
            if (halted && fw_probe_read_reg(p, 15, &pc, d) == FW_OK)
                say(" at 0x%08x", pc);
            say("\n");
        }
        char second[120], name[32];
        if (id.target && id.target->has_second_core) {
            /* an old probe cannot reach its AP: said, not an error of info */
            fw_diag *sd = fw_diag_new();
            second_core_name(id.target, name, sizeof(name));
            if (sd && fw_core_second_state(p, id.target, second, sizeof(second), sd) == FW_OK)
                say("core 2:   the %s (AP%u): %s\n", name, id.target->second_core_ap, second);
            else if (sd && fw_diag_count(sd))
                say("core 2:   the %s: not read: %s\n", name, fw_diag_at(sd, 0)->message);
            fw_diag_free(sd);
        }
    }
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

/* What diagnose found, gathered before the verdict is chosen. */
struct findings {
    const fw_target *t;
    int rdp;
    char wrp[256];
    bool have_survey, have_boot, have_vectors, vectors_ok, have_file, file_blank, core_read;
    fw_flash_survey *survey;
    fw_chip_boot boot;
    uint32_t vec_sp, vec_reset;
    char vec_problem[400];
    fw_chip_look look;
    char core_words[600];
    const char *core_meaning; /* the core was in an error path of the file's (its name in core_fn): what it means */
    char core_fn[64];
    size_t file_sectors, differ, first_differ, last_differ;
    char file_build_id[129], chip_build_id[129];
    size_t lint_errors, lint_warnings;
    bool ok;
    char verdict[700], way_out[400];
};

static const char *core_state_word(const struct findings *f)
{
    const fw_chip_look *l = &f->look;
    if (l->was_locked_up || l->core.locked_up)
        return "locked up";
    if (fw_core_in_fault(&l->core))
        return "in a fault handler";
    if (l->was_halted)
        return "halted";
    return l->was_sleeping ? "sleeping" : "running";
}

/* The likely cause and the way out, in order: what keeps the debugger out,
 * an empty flash, a boot from elsewhere, another image, a fault, a bad
 * vector table, a halted core. */
static void choose_verdict(struct findings *f, const char *path)
{
    const fw_target *t = f->t;
    const char *fam = t->family ? t->family : t->name;
    f->ok = false;
    f->way_out[0] = '\0';
    if (f->rdp >= 1) {
        snprintf(f->verdict, sizeof(f->verdict), "read protection level %d: the debug port cannot read flash, so what it holds is "
                 "unknown", f->rdp);
        snprintf(f->way_out, sizeof(f->way_out), f->rdp == 1 ? "fwflash unlock --yes-erase-everything removes it (and erases the flash)"
                                                             : "level 2 is final: the chip cannot be debugged again");
        return;
    }
    bool boots_flash = !f->have_boot || f->boot.memory == FW_BOOTS_FLASH || f->boot.memory == FW_BOOTS_UNKNOWN;
    if (f->have_survey && !f->survey->with_data) {
        snprintf(f->verdict, sizeof(f->verdict), "the flash is blank: nothing was written to this chip%s%s%s",
                 f->survey->erased == 0 ? " (on " : "", f->survey->erased == 0 ? fam : "",
                 f->survey->erased == 0 ? " all-zero flash is erased flash)" : "");
        snprintf(f->way_out, sizeof(f->way_out), "program it: fwflash write%s%s", path ? " " : " FILE", path ? path : "");
        return;
    }
    if (f->have_boot && (f->boot.memory == FW_BOOTS_SYSTEM || f->boot.memory == FW_BOOTS_SRAM)) {
        snprintf(f->verdict, sizeof(f->verdict), "the chip boots %s, not flash: %s",
                 f->boot.memory == FW_BOOTS_SYSTEM ? "its system bootloader" : "from SRAM", f->boot.cause);
        if (f->boot.empty_check && !f->boot.boot0_high)
            snprintf(f->way_out, sizeof(f->way_out), "power-cycle the board: the empty check runs at power-on and at an "
                     "option-byte reload, not at a reset");
        else if (f->boot.by_option)
            snprintf(f->way_out, sizeof(f->way_out), "program the option bit nBOOT0 to 1 (or nBOOT_SEL to 0, with the BOOT0 "
                     "pin low) and reset the chip");
        else
            snprintf(f->way_out, sizeof(f->way_out), "pull BOOT0 low (a jumper or a pull-down; floating reads high on some "
                     "boards) and reset the chip");
        return;
    }
    if (f->have_file && f->differ) {
        if (*f->chip_build_id && *f->file_build_id && strcmp(f->chip_build_id, f->file_build_id))
            snprintf(f->verdict, sizeof(f->verdict), "the chip holds another image, not %s: its build-id is %s, the file's %s",
                     path, f->chip_build_id, f->file_build_id);
        else if (f->file_blank)
            snprintf(f->verdict, sizeof(f->verdict), "the image on the chip is not %s: where it has data, the chip reads the "
                     "erased value", path);
        else if (f->differ == f->file_sectors)
            snprintf(f->verdict, sizeof(f->verdict), "the chip holds another image, not %s: every one of its %zu sectors differs",
                     path, f->file_sectors);
        else
            snprintf(f->verdict, sizeof(f->verdict), "the image on the chip is not %s: %zu of its %zu sectors differ (sectors %zu to %zu "
                     "of the chip)", path, f->differ, f->file_sectors, f->first_differ, f->last_differ);
        snprintf(f->way_out, sizeof(f->way_out), "fwflash write %s (a stale file, or another build on the chip)", path);
        return;
    }
    if (f->core_read && (f->look.was_locked_up || fw_core_in_fault(&f->look.core))) {
        snprintf(f->verdict, sizeof(f->verdict), "the core sits %s: %s", f->look.was_locked_up ? "locked up" : "in a fault handler",
                 f->core_words);
        snprintf(f->way_out, sizeof(f->way_out), "the image faults at start-up: the fault came from the address above "
                 "(arm-none-eabi-addr2line -e FILE.elf ADDRESS names the line)");
        return;
    }
    if (boots_flash && f->have_vectors && !f->vectors_ok) {
        snprintf(f->verdict, sizeof(f->verdict), "the vector table the chip boots is not valid: %s", f->vec_problem);
        snprintf(f->way_out, sizeof(f->way_out), "fwlint the image for %s: it was linked for another address or part", t->name);
        return;
    }
    if (f->core_read && f->look.was_halted) {
        snprintf(f->verdict, sizeof(f->verdict), "the core is halted (a debugger stopped it, or fwflash write --no-reset) at 0x%08x",
                 f->look.core.pc);
        snprintf(f->way_out, sizeof(f->way_out), "fwflash reset runs it");
        return;
    }
    if (f->core_meaning) {
        snprintf(f->verdict, sizeof(f->verdict), "the chip holds %s and boots it, but the core sits in %s: %s", path,
                 f->core_fn, f->core_meaning);
        snprintf(f->way_out, sizeof(f->way_out),
                 "run it under a debugger with a breakpoint on %s to see what led there", f->core_fn);
        return;
    }
    f->ok = true;
    snprintf(f->verdict, sizeof(f->verdict), "%s%s, the chip boots it from flash and the core runs it",
             path ? "the chip holds " : "flash holds an image", path ? path : "");
}

static void diagnose_json(struct run *r, const struct findings *f, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return;
    fprintf(m, "{\"flash\": ");
    if (f->have_survey) {
        char ranges[1024];
        fw_flash_survey_ranges(f->survey, ranges, sizeof(ranges));
        fprintf(m, "{\"sectors\": %zu, \"with_data\": %zu, \"blank\": %s, \"erased\": \"0x%02X\", \"hashed_on_chip\": %s, \"ranges\": ",
                f->survey->nsectors, f->survey->with_data, f->survey->with_data ? "false" : "true", f->survey->erased,
                f->survey->on_chip ? "true" : "false");
        cli_json_string(m, ranges);
        fprintf(m, ", \"held\": ");
        if (f->survey->held_end) { /* another core's flash, not surveyed (STM32WB CPU2) */
            fprintf(m, "{\"from\": \"0x%08x\", \"to\": \"0x%08x\", \"by\": ", f->survey->held_addr,
                    f->survey->held_end - 1);
            cli_json_string(m, f->survey->held_by);
            fprintf(m, "}");
        } else {
            fprintf(m, "null");
        }
        fprintf(m, "}");
    } else {
        fprintf(m, "null");
    }
    fprintf(m, ",\n  \"boot\": ");
    if (f->have_boot) {
        fprintf(m, "{\"memory\": \"%s\", \"address\": \"0x%08x\", \"empty_check\": %s, \"how\": ", fw_boot_memory_name(f->boot.memory),
                f->boot.address, f->boot.empty_check ? "true" : "false");
        cli_json_string(m, f->boot.how);
        fprintf(m, "}");
    } else {
        fprintf(m, "null");
    }
    fprintf(m, ",\n  \"vectors\": ");
    if (f->have_vectors) {
        fprintf(m, "{\"sp\": \"0x%08x\", \"reset\": \"0x%08x\", \"valid\": %s, \"problem\": ", f->vec_sp, f->vec_reset,
                f->vectors_ok ? "true" : "false");
        if (f->vectors_ok)
            fprintf(m, "null");
        else
            cli_json_string(m, f->vec_problem);
        fprintf(m, "}");
    } else {
        fprintf(m, "null");
    }
    fprintf(m, ",\n  \"core\": ");
    if (f->core_read) {
        const fw_region *pc_in = fw_target_region_at(f->t, f->look.core.pc);
        fprintf(m, "{\"state\": \"%s\", \"pc\": \"0x%08x\", \"pc_region\": ", core_state_word(f), f->look.core.pc);
        if (pc_in)
            cli_json_string(m, pc_in->name);
        else
            fprintf(m, "null");
        fprintf(m, ", \"cfsr\": \"0x%08x\", \"hfsr\": \"0x%08x\", \"detail\": ", f->look.core.cfsr, f->look.core.hfsr);
        cli_json_string(m, f->core_words);
        fprintf(m, "}");
    } else {
        fprintf(m, "null");
    }
    fprintf(m, ",\n  \"write_protection\": ");
    cli_json_string(m, f->wrp);
    fprintf(m, ",\n  \"file\": ");
    if (f->have_file) {
        fprintf(m, "{\"path\": ");
        cli_json_string(m, path);
        fprintf(m, ", \"sectors\": %zu, \"sectors_differing\": %zu, \"on_chip\": \"%s\", \"chip_build_id\": ", f->file_sectors,
                f->differ, !f->differ ? "identical" : f->differ == f->file_sectors ? "another image" : "differs");
        if (*f->chip_build_id)
            cli_json_string(m, f->chip_build_id);
        else
            fprintf(m, "null");
        fprintf(m, "}");
    } else {
        fprintf(m, "null");
    }
    fprintf(m, ",\n  \"verdict\": {\"ok\": %s, \"cause\": ", f->ok ? "true" : "false");
    cli_json_string(m, f->verdict);
    fprintf(m, ", \"way_out\": ");
    if (*f->way_out)
        cli_json_string(m, f->way_out);
    else
        fprintf(m, "null");
    fprintf(m, "}}");
    fclose(m);
    r->rep.diagnose_json = buf;
}

/* The image of FILE against the chip: lint verdict for this chip, which
 * planned sectors the chip holds, the build-id of both. */
static int diagnose_file(struct run *r, const char *path, const fw_chip_id *id, struct findings *f, fw_diag *d)
{
    fw_diag *read_diag = fw_diag_new(), *report = fw_diag_new();
    fw_image *img = read_image(path, &r->o, id->target, read_diag);
    fw_flash_plan *plan = NULL;
    bool *holds = NULL;
    int status = EXIT_USAGE;
    if (!img || !report)
        goto out;
    print_identity(r, path, img);
    fw_lint_artifact art = {.image = img, .path = path, .read_diag = read_diag,
                            .base_assumed = !r->o.has_base && fw_image_format(img) == FW_FMT_BIN};
    fw_lint_input in = {.main = art, .target = id->target};
    fw_gate gate;
    if (fw_lint_gate(&in, false, &gate, report))
        goto out;
    f->lint_errors = r->rep.lint_errors = gate.errors;
    f->lint_warnings = r->rep.lint_warnings = gate.warnings;
    say("  fwlint for the %s: %zu error%s, %zu warning%s%s\n", id->name, gate.errors, gate.errors == 1 ? "" : "s",
        gate.warnings, gate.warnings == 1 ? "" : "s", gate.errors ? " (fwflash write refuses it; fwlint says why)" : "");
    status = EXIT_FINDINGS;
    const fw_flash_driver *drv = fw_flash_driver_for(id->target, NULL);
    if (fw_flash_plan_make(img, id->target, drv, &plan, d)) {
        failed(r, "planning", d);
        goto out;
    }
    holds = calloc(plan->nsectors + 1, sizeof(*holds));
    if (!holds || fw_chip_compare(&f->look, plan, holds, d)) {
        failed(r, "comparing with the chip", d);
        goto out;
    }
    f->have_file = true;
    f->file_sectors = plan->nsectors;
    f->file_blank = true;
    for (size_t i = 0; i < plan->nsectors; i++) {
        if (holds[i])
            continue;
        if (!f->differ++)
            f->first_differ = fw_flash_sector_number(id->target, plan->sectors[i].addr);
        f->last_differ = fw_flash_sector_number(id->target, plan->sectors[i].addr);
    }
    /* does the chip read the erased value where the image has data? */
    for (size_t i = 0; f->differ && i < plan->nsectors && f->have_survey; i++)
        for (size_t k = 0; k < f->survey->nsectors; k++)
            if (f->survey->sectors[k].addr == plan->sectors[i].addr && f->survey->sectors[k].data)
                f->file_blank = false;
    if (!f->have_survey)
        f->file_blank = false;
    if (!f->differ) {
        /* the chip holds the file: its symbols name the code the core was in */
        const char *fn = NULL;
        f->core_meaning = boot_function(img, f->look.core.pc, f->core_words, sizeof(f->core_words), &fn);
        if (f->core_meaning)
            snprintf(f->core_fn, sizeof(f->core_fn), "%s", fn);
    }
    const fw_elf_info *elf = fw_image_elf(img);
    const fw_elf_section *note = elf ? fw_elf_section_named(elf, ".note.gnu.build-id") : NULL;
    snprintf(f->file_build_id, sizeof(f->file_build_id), "%s", r->rep.build_id);
    if (note && f->differ)
        fw_chip_build_id(f->look.probe, (uint32_t)note->lma, f->chip_build_id, sizeof(f->chip_build_id), d);
    status = EXIT_OK;
out:
    free(holds);
    fw_flash_plan_free(plan);
    fw_image_free(img);
    fw_diag_free(read_diag);
    fw_diag_free(report);
    return status;
}

static int cmd_diagnose(struct run *r, const char *path)
{
    fw_diag *d = fw_diag_new(), *vec = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    struct findings f = {.rdp = -1};
    bool looking = false;
    int status = open_chip_to_look(r, &p, &id, d);
    if (status)
        goto out;
    f.t = id.target;
    print_chip(r, p, &id);
    say_findings(&d);
    status = EXIT_FINDINGS;
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, NULL);
    snprintf(f.wrp, sizeof(f.wrp), "not read: fwkit has no flash driver for the %s yet", id.name);
    if (drv && fw_flash_protection(p, drv, id.target, &f.rdp, f.wrp, sizeof(f.wrp), d)) {
        failed(r, "reading the option bytes", d);
        goto out;
    }
    r->rep.rdp_level = f.rdp;
    if (fw_chip_look_begin(p, id.target, &f.look, d)) {
        failed(r, "halting the core to read it", d);
        goto out;
    }
    looking = f.core_read = true;
    fw_core_describe(&f.look.core, f.core_words, sizeof(f.core_words));
    if (f.rdp < 1) {
        if (fw_flash_survey_make(&f.look, &f.survey, d)) {
            failed(r, "surveying the flash", d);
            goto out;
        }
        f.have_survey = true;
    }
    if (fw_chip_read_boot(p, id.target, &f.look.core, &f.boot, d)) {
        failed(r, "reading the boot configuration", d);
        goto out;
    }
    f.have_boot = true;
    if (f.rdp < 1 && f.boot.address && f.boot.memory != FW_BOOTS_SYSTEM) {
        if (fw_chip_check_vectors(p, id.target, f.boot.address, &f.vec_sp, &f.vec_reset, &f.have_vectors, vec, d)) {
            failed(r, "checking the vector table", d);
            goto out;
        }
        f.vectors_ok = !fw_diag_count_severity(vec, FW_ERROR);
        for (size_t i = 0; i < fw_diag_count(vec) && !f.vectors_ok; i++)
            if (fw_diag_at(vec, i)->severity == FW_ERROR) {
                snprintf(f.vec_problem, sizeof(f.vec_problem), "%s [%s]", fw_diag_at(vec, i)->message,
                         fw_diag_at(vec, i)->rule);
                break;
            }
    }
    if (path && f.rdp < 1 && (status = diagnose_file(r, path, &id, &f, d)))
        goto out;
    looking = false;
    if (fw_chip_look_end(&f.look, d)) {
        failed(r, "letting the core go", d);
        status = EXIT_FINDINGS;
        goto out;
    }
    say_findings(&d); /* notes: a hash routine that could not run, and the read that replaced it */
    /* the report */
    const char *rdp_words[] = {"none: the debugger reads flash", "flash hidden from the debugger",
                               "permanent: the debug port is closed for good"};
    char line[800];
    if (f.have_survey) {
        flash_summary(f.survey, id.target, line, sizeof(line));
        say("flash:    %s%s\n", line, f.survey->on_chip ? " (hashed by the chip)" : "");
    }
    say("boot:     %s at 0x%08x: %s\n", fw_boot_memory_name(f.boot.memory), f.boot.address, f.boot.how);
    if (f.have_vectors)
        say("vectors:  SP 0x%08x, reset 0x%08x: %s\n", f.vec_sp, f.vec_reset, f.vectors_ok ? "valid" : f.vec_problem);
    const fw_region *pc_in = fw_target_region_at(id.target, f.look.core.pc);
    say("core:     %s%s; %s (%s%s%s)\n", core_state_word(&f),
        f.look.was_halted ? "" : " (halted a moment to be read, then let go)", f.core_words,
        pc_in ? pc_in->name : "no memory of the part", pc_in ? ", " : "", pc_in ? fw_region_kind_name(pc_in->kind) : "");
    if (f.rdp >= 0)
        say("options:  read protection level %d (%s), write protection: %s\n", f.rdp, rdp_words[f.rdp > 2 ? 2 : f.rdp],
            f.wrp);
    else
        say("options:  %s\n", f.wrp);
    if (f.have_file)
        say("on chip:  %s\n", !f.differ       ? "identical: the chip holds every byte of the file"
                               : f.file_blank ? "not the file: the chip reads the erased value where the file has data"
                               : f.differ == f.file_sectors ? "another image: every sector of the file differs"
                                                            : "some sectors differ");
    choose_verdict(&f, path);
    if (!quiet || !f.ok)
        printf("%s%s%s%s\n", r->rep.on ? "" : "verdict:  ", r->rep.on ? "" : f.verdict, r->rep.on || !*f.way_out ? "" : "\n  way out: ",
               r->rep.on ? "" : f.way_out);
    diagnose_json(r, &f, path);
    status = f.ok ? EXIT_OK : EXIT_FINDINGS;
out:
    if (looking)
        fw_chip_look_end(&f.look, d);
    fw_flash_survey_free(f.survey);
    fw_probe_close(p);
    fw_diag_free(d);
    fw_diag_free(vec);
    return status;
}

static int cmd_probes(struct run *r)
{
    fw_diag *d = fw_diag_new();
    fw_probe_info list[16];
    size_t n = 0;
    if (fw_probe_list(list, 16, &n, d)) {
        int status = failed(r, "listing USB devices", d);
        fw_diag_free(d);
        return status;
    }
    if (!n)
        say("no ST-Link found\n");
    for (size_t i = 0; i < n && i < 16; i++) {
        fw_probe_options po = {.serial = list[i].serial, .mode = FW_CONNECT_HOT_PLUG};
        fw_probe *p = NULL;
        fw_diag *quiet_d = fw_diag_new();
        if (r->rep.on) {
            /* the JSON report is all that goes to stdout */
        } else if (!list[i].loader && fw_probe_open(&po, &p, quiet_d) == FW_OK) {
            printf("%s  %04x  %-10s target %u.%02u V\n", list[i].serial, list[i].pid, fw_probe_info_of(p)->version,
                   fw_probe_voltage_mv(p) / 1000, fw_probe_voltage_mv(p) % 1000 / 10);
            fw_probe_close(p);
        } else {
            printf("%s  %04x  %s\n", list[i].serial, list[i].pid,
                   list[i].loader ? "in its USB loader (DFU)" : "cannot be opened (see `fwflash info`)");
        }
        fw_diag_free(quiet_d);
    }
    fw_diag_free(d);
    return EXIT_OK;
}

/* All of the target's flash, every bank: on the parts fwkit drives the banks
 * follow each other. */
static void flash_span(const fw_target *t, uint64_t *lo, uint64_t *len)
{
    uint64_t end;
    if (!fw_target_flash_span(t, lo, &end))
        *lo = end = 0;
    *len = end - *lo;
}

/* START:LEN as read --range and erase take it */
static bool parse_start_len(const char *s, uint64_t *start, uint64_t *len)
{
    const char *colon = strchr(s, ':');
    char head[64];
    if (!colon || (size_t)(colon - s) >= sizeof(head))
        return false;
    snprintf(head, sizeof(head), "%.*s", (int)(colon - s), s);
    return cli_parse_u64(head, start) && cli_parse_u64(colon + 1, len) && *len;
}

/* fwflash checksum: the chip's flash checksummed as fwinfo --checksum
 * KIND:START-END --fill ERASED checksums the image (one look: the core
 * halted to run the routine, its registers and SRAM put back). */
static int cmd_checksum(struct run *r)
{
    const struct options *o = &r->o;
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    fw_chip_look look;
    bool looking = false;
    char *json = NULL;
    size_t json_len = 0;
    FILE *jf = NULL;
    int status = open_chip_to_look(r, &p, &id, d);
    if (status)
        goto out;
    print_chip(r, p, &id);
    say_findings(&d);
    status = EXIT_FINDINGS;
    const fw_region *flash = fw_target_region_of_kind(id.target, FW_REGION_FLASH);
    uint64_t lo = flash ? flash->base : 0, end = lo + fw_target_flash_size(id.target), len;
    const char *dash = o->range ? strchr(o->range, '-') : NULL;
    if (o->range && dash) { /* START-END, END exclusive, as fwinfo --checksum takes it */
        char head[64];
        snprintf(head, sizeof(head), "%.*s", (int)(dash - o->range), o->range);
        if (!cli_parse_u64(head, &lo) || !cli_parse_u64(dash + 1, &end) || end <= lo || end > 0x100000000ull) {
            status = cli_usage_error("--range '%s': START-END (END exclusive) or START:LEN", o->range);
            goto out;
        }
    } else if (o->range) {
        if (!parse_start_len(o->range, &lo, &len) || lo + len > 0x100000000ull) {
            status = cli_usage_error("--range '%s': START-END (END exclusive) or START:LEN", o->range);
            goto out;
        }
        end = lo + len;
    }
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
    if (!drv) {
        failed(r, "choosing a flash driver", d);
        goto out;
    }
    if (require_unprotected(r, p, drv, &id, d))
        goto out;
    if (fw_chip_look_begin(p, id.target, &look, d)) {
        failed(r, "halting the core to run the checksum", d);
        goto out;
    }
    looking = true;
    uint8_t erased = flash && flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    jf = open_memstream(&json, &json_len);
    if (jf)
        fprintf(jf, "[");
    size_t nk = o->nkinds ? o->nkinds : 1;
    for (size_t i = 0; i < nk; i++) {
        fw_checksum_kind k = o->nkinds ? o->kinds[i] : FW_CK_CRC32;
        uint32_t v;
        bool on_chip;
        if (fw_chip_checksum(&look, k, (uint32_t)lo, (uint32_t)end, &v, &on_chip, d)) {
            failed(r, "computing the checksum", d);
            goto out;
        }
        unsigned w = fw_checksum_width(k);
        say("checksum: %-12s 0x%0*X over 0x%08llx-0x%08llx (erased flash 0x%02X, as fwinfo --fill), %s\n",
            fw_checksum_name(k), (int)w * 2, v, (unsigned long long)lo, (unsigned long long)(end - 1), erased,
            on_chip ? "computed by the chip's core" : "read through the probe");
        if (jf)
            fprintf(jf,
                    "%s{\"kind\": \"%s\", \"start\": \"0x%08llx\", \"end\": \"0x%08llx\", \"fill\": \"0x%02x\", "
                    "\"value\": \"0x%0*x\", \"on_chip\": %s}",
                    i ? ", " : "", fw_checksum_name(k), (unsigned long long)lo, (unsigned long long)(end - 1), erased,
                    (int)w * 2, v, on_chip ? "true" : "false");
    }
    status = EXIT_OK;
out:
    if (jf) {
        fprintf(jf, "]");
        fclose(jf);
        if (!status && json) {
            free(r->rep.checksums_json);
            r->rep.checksums_json = json;
            json = NULL;
        }
    }
    free(json);
    if (looking && fw_chip_look_end(&look, d) && !status)
        status = failed(r, "letting the core go", d);
    say_findings(&d);
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

/* The option bytes in the family's words; with before, what changed. */
static void say_options(const fw_option_bytes *o, const fw_option_bytes *before)
{
    if (!o->reg) {
        say("options:  read protection level %d, write protection: %s (the user option bytes of this family are "
            "not in fwkit's tables yet)\n",
            o->rdp, o->wrp);
        return;
    }
    say("options:  %s 0x%08X as loaded (%s)\n", o->reg, o->word, o->source);
    say("  %-17s %-6d read protection level %d%s\n", "RDP", o->rdp, o->rdp,
        o->rdp == 0   ? " (none)"
        : o->rdp == 2 ? " (for good: the debug port is off)"
                      : " (the debugger is kept out)");
    for (size_t i = 0; i < o->n; i++) {
        const fw_option_field *f = &o->fields[i];
        const fw_option_field *b = before ? &before->fields[i] : NULL;
        if (b && b->value != f->value)
            say("  %-17s %u -> %u  %s: %s -> %s\n", f->name, b->value, f->value, f->what, b->said, f->said);
        else
            say("  %-17s %-6u %s: %s%s\n", f->name, f->value, f->what, f->said,
                f->settable || !o->can_set ? "" : " (shown only)");
    }
    say("  %-17s        %s\n", "WRP", o->wrp);
    if (!o->can_set)
        say("          (shown only: fwkit does not change this family's option bytes yet)\n");
}

/* fwflash options [--set NAME=VALUE...]: as loaded, or changed (shown old
 * and new, programmed, reloaded, read back). */
static int cmd_options(struct run *r)
{
    const struct options *o = &r->o;
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    int status = o->nset ? open_chip(r, &p, &id, d) : open_chip_to_look(r, &p, &id, d);
    if (status)
        goto out;
    print_chip(r, p, &id);
    say_findings(&d);
    status = EXIT_FINDINGS;
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
    if (!drv) {
        failed(r, "choosing a flash driver", d);
        goto out;
    }
    fw_option_bytes before, after;
    if (!o->nset) {
        if (fw_flash_options_read(p, drv, id.target, &before, d)) {
            failed(r, "reading the option bytes", d);
            goto out;
        }
        r->rep.rdp_level = before.rdp;
        say_options(&before, NULL);
        status = EXIT_OK;
        goto out;
    }
    if (fw_flash_options_set(p, drv, id.target, o->set, o->nset, o->lock_forever, &before, &after, d)) {
        failed(r, "changing the option bytes", d);
        goto out;
    }
    r->rep.rdp_level = after.rdp;
    if (after.rdp == 2) { /* the debug port closed for good: nothing more to read, nor to reset */
        say_locked_for_good(&after);
        status = EXIT_OK;
        goto out;
    }
    say_options(&after, &before);
    say("options:  programmed, reloaded and read back: %s 0x%08X -> 0x%08X\n", after.reg, before.word, after.word);
    /* the reload left the core halted at its reset vector: the chip runs
     * again, as after a power cycle, unless --halt */
    if (!o->halt && (fw_probe_reset(p, false, d) || fw_probe_detach(p, d))) {
        failed(r, "reset", d);
        goto out;
    }
    say("reset:    the core %s\n", o->halt ? "is halted at its reset vector" : "runs with the new options");
    status = EXIT_OK;
out:
    say_findings(&d);
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

static int cmd_read(struct run *r)
{
    const struct options *o = &r->o;
    if (!o->out)
        return cli_usage_error("read needs -o FILE");
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    fw_image *img = fw_image_new();
    uint8_t *buf = NULL;
    int status = open_chip(r, &p, &id, d);
    if (status)
        goto out;
    say_findings(&d);
    uint64_t flash_lo, flash_len, lo, len;
    flash_span(id.target, &flash_lo, &flash_len);
    lo = flash_lo;
    len = flash_len;
    if (o->range) {
        if (!parse_start_len(o->range, &lo, &len) || len > 64u << 20) {
            status = cli_usage_error("--range '%s': expected START:LEN", o->range);
            goto out;
        }
    }
    /* with TrustZone on (the secure view), the non-secure alias reads a
     * secure page as zeros: read the same memory through the alias fwflash
     * works at, and keep the addresses asked for */
    uint64_t at = lo;
    const fw_region *asked = fw_target_region_at(id.target, lo), *shown = fw_target_region_shown(id.target, asked);
    if (asked && asked->kind == FW_REGION_SECURE_ALIAS && shown && lo + len <= asked->base + asked->size)
        at = lo - asked->base + shown->base;
    status = EXIT_FINDINGS;
    const fw_flash_driver *drv = NULL;
    if (at < flash_lo + flash_len && at + len > flash_lo) {
        if (!(drv = fw_flash_driver_for(id.target, d))) {
            failed(r, "choosing a flash driver", d);
            goto out;
        }
        if (require_unprotected(r, p, drv, &id, d))
            goto out;
    }
    if (!(buf = malloc(len)) || fw_probe_read(p, (uint32_t)at, buf, len, d)) {
        failed(r, "read", d);
        goto out;
    }
    fw_write_options wo;
    fw_write_options_init(&wo);
    wo.format = o->out_format ? o->out_format : fw_format_from_extension(o->out);
    if (!wo.format)
        wo.format = FW_FMT_BIN;
    if (fw_image_add(img, lo, buf, len, fw_image_source(img, "flash", NULL), 0, 0) || fw_image_finish(img, d) || fw_write_file(img, o->out, &wo, d)) {
        cli_print_diag(d);
        status = EXIT_USAGE;
        goto out;
    }
    say("read:     0x%08" PRIx64 "-0x%08" PRIx64 " (%" PRIu64 " bytes) into %s\n", lo, lo + len - 1, len, o->out);
    /* flash that reads its erased value throughout holds nothing: say so,
     * with the value, which on L0/L1 is 0x00 and looks like a program of zeros */
    const fw_region *fr = fw_target_region_at(id.target, at);
    if (fr && fr->kind == FW_REGION_FLASH && fr->erased >= 0 && at + len <= flash_lo + flash_len &&
        fw_bytes_all(buf, len, (uint8_t)fr->erased))
        fprintf(stderr,
                "fwflash: note: 0x%08" PRIx64 "-0x%08" PRIx64 " reads 0x%02x throughout: erased flash on %s, "
                "nothing is programmed there%s [FLASH-BLANK]\n",
                lo, lo + len - 1, fr->erased, id.target->family ? id.target->family : id.target->name,
                fr->erased == 0 ? " (on this family erased flash reads 0x00, not 0xFF)" : "");
    status = EXIT_OK;
out:
    free(buf);
    fw_image_free(img);
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

static int cmd_erase(struct run *r, const char *range)
{
    const struct options *o = &r->o;
    if (!o->all && !range)
        return cli_usage_error("erase needs --all or START:LEN");
    uint64_t lo = 0, len = 0;
    if (range && !parse_start_len(range, &lo, &len))
        return cli_usage_error("erase '%s': expected START:LEN", range);
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    int status = open_chip(r, &p, &id, d);
    if (!status) {
        say_findings(&d);
        const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
        if (!drv)
            status = failed(r, "choosing a flash driver", d);
        else if (require_unprotected(r, p, drv, &id, d))
            status = EXIT_FINDINGS;
        else if (fw_flash_erase(p, drv, id.target, (uint32_t)lo, (uint32_t)len, d))
            status = failed(r, "erase", d);
        else {
            bool held = false; /* another core's area left alone */
            for (size_t i = 0; i < fw_diag_count(d); i++)
                held |= !strcmp(fw_diag_at(d, i)->rule, "FLASH-CPU2-AREA");
            say_findings(&d);
            say("erased:   %s\n", range ? range : held ? "all of flash but the area named above" : "all of flash");
        }
    }
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

static int cmd_reset(struct run *r)
{
    const struct options *o = &r->o;
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    int status = open_chip(r, &p, &id, d);
    if (!status) {
        say_findings(&d);
        if (fw_probe_reset(p, o->halt, d))
            status = failed(r, "reset", d);
        else {
            say("reset:    the core %s\n", o->halt ? "is halted at its reset vector" : "runs");
            if (o->check_boot && !o->halt)
                status = check_boot(r, p, id.target, NULL, d);
            else if (!o->halt && fw_probe_detach(p, d))
                status = failed(r, "reset", d);
        }
    }
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

/* After an unlock: the whole flash, every bank, must read the erased value. */
static int check_blank(fw_probe *p, const fw_target *t, fw_diag *d)
{
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    uint8_t erased = flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    uint64_t lo, len;
    flash_span(t, &lo, &len);
    uint8_t *buf = malloc(len);
    int rc = buf ? fw_probe_read(p, (uint32_t)lo, buf, len, d) : FW_ENOMEM;
    uint64_t first = 0, count = 0;
    for (uint64_t i = 0; rc == FW_OK && i < len; i++)
        if (buf[i] != erased && !count++)
            first = i;
    if (count) {
        fw_diag_add(d, FW_ERROR, "FLASH-BLANK", NULL,
                    "after the unlock, %" PRIu64 " bytes of flash are not the erased value 0x%02X, the first at 0x%08" PRIx64,
                    count, erased, lo + first);
        rc = FW_EDEVICE;
    }
    free(buf);
    return rc;
}

static int cmd_unlock(struct run *r)
{
    const struct options *o = &r->o;
    if (!o->yes_erase_everything)
        return cli_usage_error("unlock erases all of the chip's flash (and data EEPROM on L0/L1) before it removes the "
                               "read protection: say so with --yes-erase-everything");
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    fw_chip_id id;
    int status = open_chip(r, &p, &id, d);
    if (status)
        goto out;
    print_chip(r, p, &id);
    say_findings(&d);
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
    int was = -1;
    status = EXIT_FINDINGS;
    if (!drv) {
        failed(r, "choosing a flash driver", d);
        goto out;
    }
    if (fw_flash_read_unprotect(p, drv, id.target, &was, d)) {
        r->rep.rdp_level = was;
        failed(r, "unlock", d);
        goto out;
    }
    r->rep.rdp_level = was;
    if (was == 0) {
        say("unlock:   read protection is at level 0 already: nothing to do, nothing erased\n");
        status = EXIT_OK;
        goto out;
    }
    if (check_blank(p, id.target, d)) {
        failed(r, "checking the erase", d);
        goto out;
    }
    r->rep.unlocked = true;
    const fw_region *flash = fw_target_region_of_kind(id.target, FW_REGION_FLASH);
    say("unlocked: read protection level %d -> 0; all of flash was erased and reads 0x%02X%s\n", was,
        flash->erased >= 0 ? flash->erased : 0xFF,
        fw_target_region_of_kind(id.target, FW_REGION_EEPROM) ? " (data EEPROM erased too)" : "");
    status = EXIT_OK;
    say_findings(&d);
out:
    fw_probe_close(p);
    fw_diag_free(d);
    return status;
}

int main(int argc, char **argv)
{
    cli_prog = "fwflash";
    struct options o = {0};
    bool json = false;
    static const struct option longopts[] = {
        {"serial", required_argument, 0, OPT_SERIAL},
        {"jtag", no_argument, 0, OPT_JTAG},
        {"freq", required_argument, 0, OPT_FREQ},
        {"connect", required_argument, 0, OPT_CONNECT},
        {"target", required_argument, 0, 't'},
        {"base", required_argument, 0, OPT_BASE},
        {"force", no_argument, 0, OPT_FORCE},
        {"no-skip", no_argument, 0, OPT_NO_SKIP},
        {"preserve", no_argument, 0, OPT_PRESERVE},
        {"range", required_argument, 0, OPT_RANGE},
        {"all", no_argument, 0, OPT_ALL},
        {"halt", no_argument, 0, OPT_HALT},
        {"no-reset", no_argument, 0, OPT_NO_RESET},
        {"quiet", no_argument, 0, 'q'},
        {"check-boot", no_argument, 0, OPT_CHECK_BOOT},
        {"json", no_argument, 0, OPT_JSON},
        {"yes-erase-everything", no_argument, 0, OPT_YES_ERASE},
        {"verify-readback", no_argument, 0, OPT_VERIFY_READBACK},
        {"verify-on-chip", no_argument, 0, OPT_VERIFY_ON_CHIP},
        {"accept-clone", no_argument, 0, OPT_ACCEPT_CLONE},
        {"stamp", required_argument, 0, OPT_STAMP},
        {"kind", required_argument, 0, OPT_KIND},
        {"set", required_argument, 0, OPT_SET},
        {"options", required_argument, 0, OPT_OPTIONS},
        {"yes-lock-forever", no_argument, 0, OPT_LOCK_FOREVER},
        {"log", required_argument, 0, OPT_LOG},
        {"station", required_argument, 0, OPT_STATION},
        {"summary", no_argument, 0, OPT_SUMMARY},
        {"flash-size", required_argument, 0, OPT_FLASH_SIZE},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    int opt;
    uint64_t v;
    while ((opt = getopt_long(argc, argv, "t:o:O:qhV", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_SERIAL: o.probe.serial = optarg; break;
        case OPT_JTAG: o.probe.jtag = true; break;
        case OPT_FREQ:
            if (!cli_parse_u64(optarg, &v) || !v || v > 100000)
                return cli_usage_error("--freq '%s': a frequency in kHz", optarg);
            o.probe.khz = (unsigned)v;
            break;
        case OPT_CONNECT:
            if (!strcmp(optarg, "normal"))
                o.probe.mode = FW_CONNECT_NORMAL;
            else if (!strcmp(optarg, "under-reset"))
                o.probe.mode = FW_CONNECT_UNDER_RESET;
            else if (!strcmp(optarg, "hot-plug"))
                o.probe.mode = FW_CONNECT_HOT_PLUG;
            else
                return cli_usage_error("--connect '%s': normal, under-reset or hot-plug", optarg);
            break;
        case 't': o.part = optarg; break;
        case OPT_BASE:
            if (!cli_parse_u64(optarg, &o.base))
                return cli_usage_error("--base '%s': not an address", optarg);
            o.has_base = true;
            break;
        case OPT_FORCE: o.force = true; break;
        case OPT_NO_SKIP: o.no_skip = true; break;
        case OPT_PRESERVE: o.preserve = true; break;
        case OPT_RANGE: o.range = optarg; break;
        case OPT_ALL: o.all = true; break;
        case OPT_HALT: o.halt = true; break;
        case OPT_NO_RESET: o.no_reset = true; break;
        case OPT_CHECK_BOOT: o.check_boot = true; break;
        case OPT_YES_ERASE: o.yes_erase_everything = true; break;
        case OPT_VERIFY_READBACK: o.verify_readback = true; break;
        case OPT_VERIFY_ON_CHIP: o.verify_on_chip = true; break;
        case OPT_ACCEPT_CLONE: o.accept_clone = true; break;
        case OPT_STAMP: {
            if (o.nstamps == sizeof(o.stamps) / sizeof(o.stamps[0]))
                return cli_usage_error("at most %zu --stamp", sizeof(o.stamps) / sizeof(o.stamps[0]));
            fw_diag *sd = fw_diag_new();
            int src = sd ? fw_stamp_parse(optarg, &o.stamps[o.nstamps++], sd) : FW_ENOMEM;
            cli_print_diag(sd);
            fw_diag_free(sd);
            if (src)
                return EXIT_USAGE;
            break;
        }
        case OPT_KIND:
            for (const char *k = optarg; *k;) {
                size_t n = strcspn(k, ",");
                char name[32];
                snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), k);
                if (o.nkinds == FW_CK_COUNT || !fw_checksum_parse(name, &o.kinds[o.nkinds++]))
                    return cli_usage_error("--kind '%s': a checksum kind as fwinfo --checksum takes (crc32, "
                                           "crc32-mpeg2, crc16-ccitt, crc16-xmodem, sum8, sum16, sum32, sum8-neg, "
                                           "sum16-neg, sum32-neg, adler32)",
                                           name);
                k += n + (k[n] == ',');
            }
            break;
        case OPT_SET:
        case OPT_OPTIONS:
            for (char *a = optarg; *a;) { /* NAME=V[,NAME=V]... (optarg is ours to cut) */
                size_t n = strcspn(a, ",");
                bool more = a[n] == ',';
                a[n] = '\0';
                if (o.nset == sizeof(o.set) / sizeof(o.set[0]))
                    return cli_usage_error("at most %zu option changes", sizeof(o.set) / sizeof(o.set[0]));
                if (n)
                    o.set[o.nset++] = a;
                a += n + more;
            }
            o.options_given |= opt == OPT_OPTIONS;
            o.set_given |= opt == OPT_SET;
            break;
        case OPT_LOCK_FOREVER: o.lock_forever = true; break;
        case OPT_LOG: o.log = optarg; break;
        case OPT_STATION: o.station = optarg; break;
        case OPT_SUMMARY: o.summary = true; break;
        case OPT_FLASH_SIZE:
            if (!cli_parse_u64(optarg, &o.flash_size) || !o.flash_size || o.flash_size > (1ull << 31))
                return cli_usage_error("--flash-size '%s': a size like 128K", optarg);
            break;
        case OPT_JSON: json = quiet = true; break;
        case 'o': o.out = optarg; break;
        case 'O':
            if ((o.out_format = fw_format_parse(optarg)) == FW_FMT_UNKNOWN)
                return cli_usage_error("-O '%s': ihex, srec or bin", optarg);
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 'V': printf("fwflash (fwkit) %s\n", fw_version()); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (o.summary) {
        if (!o.log || optind < argc)
            return cli_usage_error("--summary takes --log FILE and no command");
        return line_log_summary(o.log);
    }
    if (optind >= argc)
        return cli_usage_error(
            "no command (probes, info, diagnose, write, verify, read, checksum, options, erase, reset, unlock)");
    const char *cmd = argv[optind];
    bool write_or_verify = !strcmp(cmd, "write") || !strcmp(cmd, "verify");
    if ((o.nstamps && strcmp(cmd, "write")) || (o.log && !write_or_verify))
        return cli_usage_error("%s: --stamp is for write, --log for write and verify", cmd);
    if ((o.options_given && strcmp(cmd, "write")) || (o.set_given && strcmp(cmd, "options")))
        return cli_usage_error("%s: --options NAME=VALUE is for write, --set NAME=VALUE for options", cmd);
    if (o.probe.serial && (strchr(o.probe.serial, ',') || !strcmp(o.probe.serial, "all"))) {
        /* several boards at once: this program again for each */
        if (!write_or_verify)
            return cli_usage_error("--serial %s: several probes at once are for write and verify", o.probe.serial);
        return line_run_boards(argc, argv, o.probe.serial, json, quiet);
    }
    const char *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
    /* an operand too many is refused, not dropped: `write a.hex b.hex` would write a.hex alone */
    int operands = !strcmp(cmd, "diagnose") || !strcmp(cmd, "erase") || write_or_verify ? 1 : 0;
    if (argc - optind - 1 > operands) {
        const char *extra = argv[optind + 1 + operands];
        if (!strcmp(cmd, "options") && strchr(extra, '='))
            return cli_usage_error("options: '%s' is not an operand; to change it: fwflash options --set %s", extra,
                                   extra);
        return cli_usage_error("%s: '%s': %s", cmd, extra,
                               !operands               ? "takes no operand"
                               : !strcmp(cmd, "erase") ? "one range only"
                                                       : "one image only (fwmerge joins images into one)");
    }
    struct run run = {.o = o, .rep = {.on = json, .command = cmd, .rdp_level = -1}};
    if (!strcmp(cmd, "probes"))
        return cmd_probes(&run);
    fw_target_db *db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    if (!db || !d || fw_target_db_add_builtin(db, d)) {
        cli_print_diag(d);
        fw_target_db_free(db);
        fw_diag_free(d);
        return EXIT_USAGE;
    }
    fw_diag_free(d);
    if (o.part && !fw_target_find(db, o.part, NULL, 0, &(size_t){0})) {
        fw_target_db_free(db);
        return cli_usage_error("--target '%s': no such part (fwlint --list-targets)", o.part);
    }
    run.db = db;
    int status;
    if (!strcmp(cmd, "info"))
        status = cmd_info(&run);
    else if (!strcmp(cmd, "diagnose"))
        status = cmd_diagnose(&run, arg);
    else if (!strcmp(cmd, "write") || !strcmp(cmd, "verify"))
        status = arg ? cmd_write_or_verify(&run, arg, !strcmp(cmd, "write")) : cli_usage_error("%s needs FILE", cmd);
    else if (!strcmp(cmd, "read"))
        status = cmd_read(&run);
    else if (!strcmp(cmd, "checksum"))
        status = cmd_checksum(&run);
    else if (!strcmp(cmd, "options"))
        status = cmd_options(&run);
    else if (!strcmp(cmd, "erase"))
        status = cmd_erase(&run, arg);
    else if (!strcmp(cmd, "reset"))
        status = cmd_reset(&run);
    else if (!strcmp(cmd, "unlock"))
        status = cmd_unlock(&run);
    else
        status = cli_usage_error("unknown command '%s'", cmd);
    fw_target_db_free(db);
    if (run.rep.on && status != EXIT_USAGE)
        json_report(&run, status);
    free(run.rep.diagnose_json);
    free(run.rep.checksums_json);
    return status;
}
