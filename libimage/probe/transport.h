/* SPDX-License-Identifier: MIT */
/* The probe layer's own side of the transport (the vtable is public, in
 * fwkit/transport.h): the libusb transport, and what a session learned. */
#ifndef FWKIT_PROBE_TRANSPORT_H
#define FWKIT_PROBE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/probe.h"
#include "fwkit/transport.h"

/* What a session learned of the chip: code run from its SRAM (a RAM
 * loader) failed once, so the flash code uses the debug port alone. */
bool fw_probe_loaders_failed(const fw_probe *p);
void fw_probe_set_loaders_failed(fw_probe *p);
/* The core clock the flash code set for its RAM routines (fw_flash_prepare),
 * in kHz; 0 when unknown or the reset clock: a system reset brings that
 * back, so fw_probe_reset forgets it. */
uint32_t fw_probe_core_khz(const fw_probe *p);
void fw_probe_set_core_khz(fw_probe *p, uint32_t khz);

/* The first access through the access port ended with rc, said holds what
 * it said (taken and freed): that goes to d, or, where it failed while the
 * debug port answers and the access port refuses even its own ID register,
 * PROBE-DEBUG-CLOSED (the chip closed its debug access). Returns rc. */
int fw_probe_first_access(fw_probe *p, int rc, fw_diag *said, fw_diag *d);

/* The libusb transport: the probe with this serial, or the only one. */
int fw_usb_open(const char *serial, struct fw_transport **out, fw_probe_info *info, fw_diag *d);
int fw_usb_list(fw_probe_info *out, size_t max, size_t *n, fw_diag *d);

#endif
