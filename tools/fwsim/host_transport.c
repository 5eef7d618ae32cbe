/* SPDX-License-Identifier: MIT */
#include "host_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what libimage's USB transport waits for a reply (probe/usb.c): a probe
 * that does not answer costs the host that long, on the modelled clock too */
#define NO_REPLY_NS 3000000000ull

struct host_transport {
    struct fw_transport t; /* first: the probe layer holds a pointer to it */
    struct stlink *probe;
};

static int host_send(struct fw_transport *t, const void *buf, size_t len, fw_diag *d)
{
    (void)d;
    stlink_out(((struct host_transport *)t)->probe, buf, len);
    return FW_OK;
}

static int host_recv(struct fw_transport *t, void *buf, size_t len, size_t *got, fw_diag *d)
{
    struct stlink *p = ((struct host_transport *)t)->probe;
    *got = stlink_has_reply(p) ? stlink_in(p, buf, len) : 0;
    if (*got)
        return FW_OK;
    sim_core_run_for(p->core, NO_REPLY_NS);
    fw_diag_add(d, FW_ERROR, "PROBE-USB", NULL, "reading from the probe: Operation timed out");
    return FW_EIO;
}

static size_t host_drain(struct fw_transport *t)
{
    struct stlink *p = ((struct host_transport *)t)->probe;
    uint8_t buf[512];
    size_t dropped = 0;
    for (int i = 0; i < 8 && stlink_has_reply(p); i++)
        dropped += stlink_in(p, buf, sizeof(buf));
    return dropped;
}

static void host_close(struct fw_transport *t)
{
    free(t);
}

static const struct fw_transport_ops host_ops = {host_send, host_recv, host_drain, host_close};

struct fw_transport *sim_host_transport_new(struct stlink *p, const char *serial, fw_probe_info *info)
{
    struct host_transport *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->t.ops = &host_ops;
    h->probe = p;
    memset(info, 0, sizeof(*info));
    snprintf(info->serial, sizeof(info->serial), "%s", serial);
    info->pid = stlink_pid(p);
    return &h->t;
}
