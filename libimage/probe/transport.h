/* SPDX-License-Identifier: MIT */
/* The probe protocol's way to the probe: a small vtable, so the protocol
 * never knows whether libusb or a test double answers (as libusb's own
 * backends). */
#ifndef FWKIT_PROBE_TRANSPORT_H
#define FWKIT_PROBE_TRANSPORT_H

#include <stddef.h>

#include "fwkit/diag.h"
#include "fwkit/probe.h"

struct fw_transport;

struct fw_transport_ops {
    /* One bulk OUT transfer of exactly len bytes; FW_EIO with a diagnostic. */
    int (*send)(struct fw_transport *t, const void *buf, size_t len, fw_diag *d);
    /* One bulk IN transfer of up to len bytes; *got what came. */
    int (*recv)(struct fw_transport *t, void *buf, size_t len, size_t *got, fw_diag *d);
    /* Reads and drops what waits in the IN endpoint (a reply an interrupted
     * session never read), with short timeouts and a bounded number of
     * reads; returns the bytes dropped. */
    size_t (*drain)(struct fw_transport *t);
    void (*close)(struct fw_transport *t);
};

struct fw_transport {
    const struct fw_transport_ops *ops;
};

/* What a session learned of the chip: code run from its SRAM (a RAM
 * loader) failed once, so the flash code uses the debug port alone. */
bool fw_probe_loaders_failed(const fw_probe *p);
void fw_probe_set_loaders_failed(fw_probe *p);

/* The libusb transport: the probe with this serial, or the only one. */
int fw_usb_open(const char *serial, struct fw_transport **out, fw_probe_info *info, fw_diag *d);
int fw_usb_list(fw_probe_info *out, size_t max, size_t *n, fw_diag *d);

#endif
