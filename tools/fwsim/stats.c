/* SPDX-License-Identifier: MIT */
/* fwsim: the --stats report (see stats.h; the model's constants are
 * documented in README.md). */
#include "stats.h"

#include <inttypes.h>

static const char *probe_name(stlink_kind k)
{
    return k == STLINK_V2 ? "v2" : k == STLINK_V2_1 ? "v2-1" : "v3";
}

/* names of the commands counted in stats.commands (as OpenOCD's stlink_usb.c names them) */
static const char *command_name(unsigned i)
{
    switch (i) {
    case 0xF1: return "GET_VERSION";
    case 0xF2: return "DEBUG";
    case 0xF3: return "DFU";
    case 0xF4: return "SWIM";
    case 0xF5: return "GET_CURRENT_MODE";
    case 0xF7: return "GET_TARGET_VOLTAGE";
    case 0xFB: return "GET_VERSION_EX";
    case 0x01: return "GETSTATUS";
    case 0x02: return "FORCEDEBUG";
    case 0x07: return "READMEM_32BIT";
    case 0x08: return "WRITEMEM_32BIT";
    case 0x09: return "RUNCORE";
    case 0x0A: return "STEPCORE";
    case 0x0C: return "READMEM_8BIT";
    case 0x0D: return "WRITEMEM_8BIT";
    case 0x21: return "EXIT";
    case 0x22: return "READCOREID";
    case 0x30: return "ENTER";
    case 0x31: return "READ_IDCODES";
    case 0x32: return "RESETSYS";
    case 0x33: return "READREG";
    case 0x34: return "WRITEREG";
    case 0x35: return "WRITEDEBUGREG";
    case 0x36: return "READDEBUGREG";
    case 0x3A: return "READALLREGS";
    case 0x3B: return "GETLASTRWSTATUS";
    case 0x3C: return "DRIVE_NRST";
    case 0x3E: return "GETLASTRWSTATUS2";
    case 0x40: return "START_TRACE_RX";
    case 0x41: return "STOP_TRACE_RX";
    case 0x42: return "GET_TRACE_NB";
    case 0x43: return "SWD_SET_FREQ";
    case 0x44: return "JTAG_SET_FREQ";
    case 0x47: return "READMEM_16BIT";
    case 0x48: return "WRITEMEM_16BIT";
    case 0x4B: return "INIT_AP";
    case 0x4C: return "CLOSE_AP_DBG";
    case 0x61: return "SET_COM_FREQ";
    case 0x62: return "GET_COM_FREQ";
    default: return NULL;
    }
}

/* A core's state; a dual-core part's second core is "gated" until it may boot. */
static void write_core(FILE *f, const char *key, const struct sim_core *c)
{
    struct sim_core *mc = (struct sim_core *)c;
    fprintf(f,
            "  \"%s\": {\"state\": \"%s\", \"pc\": \"0x%08x\", \"exception\": %u, \"steady_loop\": %s, "
            "\"sleeping\": %s, \"instructions\": %" PRIu64 ", \"clock_khz\": %u, \"fault\": ",
            key, c->gated ? "gated" : sim_core_state_name(c), sim_core_pc(mc), sim_core_exception(mc),
            c->state == CORE_RUNNING && c->steady && !c->faulted ? "true" : "false", c->sleeping ? "true" : "false",
            c->instructions, c->target->core_khz);
    if (c->faulted) {
        fputc('"', f);
        for (const char *s = c->fault_reason; *s; s++)
            fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
        fprintf(f, "\", \"fault_pc\": \"0x%08x\"}", c->fault_pc);
    } else {
        fprintf(f, "null}");
    }
}

void sim_stats_write_probe(FILE *f, const struct stlink *l, const char *serial, uint64_t modeled_ns)
{
    const struct sim_target *t = l->target;
    const struct sim_core *c = l->core;
    const struct flash_stats *fs = sim_target_flash_stats(t);
    fprintf(f, "{\n  \"target\": \"%s\",\n  \"probe\": \"%s\",\n  \"serial\": \"%s\",\n", t->part->name,
            probe_name(l->kind), serial);
    fprintf(f, "  \"usb\": {\"transfers\": %" PRIu64 ", \"bytes_out\": %" PRIu64 ", \"bytes_in\": %" PRIu64 "},\n",
            l->stats.transfers, l->stats.bytes_out, l->stats.bytes_in);
    fprintf(f, "  \"unsupported_commands\": %" PRIu64 ",\n", l->stats.unsupported);
    fprintf(f, "  \"commands\": {");
    const char *sep = "";
    for (unsigned i = 0; i < 256; i++) {
        const char *name = command_name(i);
        if (l->stats.commands[i] && i != 0xF2) { /* DEBUG is counted by its subcommands */
            if (name)
                fprintf(f, "%s\"%s\": %" PRIu64, sep, name, l->stats.commands[i]);
            else
                fprintf(f, "%s\"0x%02X\": %" PRIu64, sep, i, l->stats.commands[i]);
            sep = ", ";
        }
    }
    fprintf(f, "},\n");
    fprintf(f, "  \"flash\": {\"erases\": %" PRIu64 ", \"programs\": %" PRIu64 ", \"busy_s\": %.6f},\n", fs->erases,
            fs->programs, (double)fs->busy_ns / 1e9);
    fprintf(f, "  \"modeled_time_s\": %.6f,\n", (double)modeled_ns / 1e9);
    write_core(f, "core", c);
    if (c->second) {
        fprintf(f, ",\n");
        write_core(f, "second_core", c->second);
    }
    fprintf(f, "\n}");
}
