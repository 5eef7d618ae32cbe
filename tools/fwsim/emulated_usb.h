/* SPDX-License-Identifier: MIT */
/* fwsim: the USB side. Each probe is a USB device in a umockdev testbed
 * (a mocked /sys and /dev/bus/usb that libusb enumerates as real); the
 * usbfs ioctls of any process running under libumockdev-preload (URB
 * submit, reap, discard, control transfers) are answered here from the
 * probe's protocol model. Recipe: umockdev's own
 * documentation (README.md, the UMockdevTestbed and umockdev-ioctl API). */
#ifndef FWSIM_EMULATED_USB_H
#define FWSIM_EMULATED_USB_H

#include <stdbool.h>
#include <stddef.h>

#include "faults.h"
#include "emulated_stlink.h"

struct sim_usb;

/* Creates the testbed. NULL with a message when this process does not run
 * under libumockdev-preload (the caller re-executes itself under it). */
struct sim_usb *sim_usb_new(char *err, size_t errlen);
/* Plugs a probe in: serial is its 24-character serial number; faults are
 * injected at its transfers (may be NULL). Call before starting clients. */
bool sim_usb_plug(struct sim_usb *u, struct stlink *link, const char *serial, struct sim_faults *faults, char *err,
                  size_t errlen);
/* Unplugs everything and removes the testbed's directory. */
void sim_usb_free(struct sim_usb *u);

/* The probe's descriptors as libusb reads them from sysfs, for tests. */
size_t sim_usb_descriptors(const struct stlink *link, unsigned char *out, size_t cap);

#endif
