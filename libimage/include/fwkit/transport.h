/* SPDX-License-Identifier: MIT */
/* The probe's way to the ST-Link: a small vtable, so the protocol never
 * knows whether libusb or something else carries it. fw_probe_open uses
 * libusb; fw_probe_open_transport takes any other (a USB/IP bridge, a
 * recorded session, or fwsim's probe model in-process, as the tests do). */
#ifndef FWKIT_TRANSPORT_H
#define FWKIT_TRANSPORT_H

#include <stddef.h>

#include "fwkit/api.h"
#include "fwkit/diag.h"
#include "fwkit/probe.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fw_transport;

struct fw_transport_ops {
    /* One bulk OUT transfer of exactly len bytes; FW_EIO with a diagnostic. */
    int (*send)(struct fw_transport *t, const void *buf, size_t len, fw_diag *d);
    /* One bulk IN transfer of up to len bytes; *got what came. No reply
     * within the transport's deadline is FW_EIO with a diagnostic. */
    int (*recv)(struct fw_transport *t, void *buf, size_t len, size_t *got, fw_diag *d);
    /* Reads and drops what waits in the IN endpoint (a reply an interrupted
     * session never read), with short timeouts and a bounded number of
     * reads; returns the bytes dropped. */
    size_t (*drain)(struct fw_transport *t);
    void (*close)(struct fw_transport *t);
};

/* Embed it first in the transport's own state. */
struct fw_transport {
    const struct fw_transport_ops *ops;
};

/* The probe over transport t, which it owns from here (closed by
 * fw_probe_close, or on failure); info names the probe (serial, PID), as
 * fw_probe_info_of gives it back. Connects as fw_probe_open does. */
FW_API int fw_probe_open_transport(const fw_probe_options *o, struct fw_transport *t, const fw_probe_info *info,
                                   fw_probe **out, fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
