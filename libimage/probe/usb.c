/* SPDX-License-Identifier: MIT */
/* The libusb transport to ST-Link probes: the USB ids and endpoints (as the
 * peers list them: stlink-org/stlink src/stlink-lib/usb.h, OpenOCD
 * src/jtag/drivers/stlink_usb.c), and the errors a user can act on. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb-1.0/libusb.h>

#include "transport.h"

#define ST_VID 0x0483
#define TIMEOUT_MS 3000 /* per transfer, as st-flash (stlink-org/stlink usb.c) */

static const struct {
    uint16_t pid;
    uint8_t out_ep;
    bool loader;
} probes[] = {
    {0x3748, 0x02, false}, /* ST-LINK/V2 */
    {0x374A, 0x01, false}, /* V2 "32L audio" */
    {0x374B, 0x01, false}, /* V2-1 */
    {0x3752, 0x01, false}, /* V2-1 without mass storage */
    {0x374E, 0x01, false}, /* V3E / V3SET */
    {0x374F, 0x01, false}, /* V3S */
    {0x3753, 0x01, false}, /* V3, 2 VCP */
    {0x3754, 0x01, false}, /* V3 without mass storage */
    {0x3757, 0x01, false}, /* V3PWR */
    {0x374D, 0x00, true},  /* V3 USB loader (DFU) */
    {0x3755, 0x00, true},  /* V3PWR USB loader */
};

/* the rule that lets a user open the probe; tools/49-fwkit-stlink.rules has them all */
#define UDEV_RULE                                                                                                      \
    "SUBSYSTEM==\"usb\", ATTR{idVendor}==\"0483\", ATTR{idProduct}==\"%04x\", MODE=\"0660\", TAG+=\"uaccess\""

struct usb_transport {
    struct fw_transport base;
    libusb_context *ctx;
    libusb_device_handle *h;
    uint8_t out_ep, in_ep;
};

static int known(uint16_t vid, uint16_t pid)
{
    if (vid != ST_VID)
        return -1;
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
        if (probes[i].pid == pid)
            return (int)i;
    return -1;
}

/* A serial as the probe gives it: 24 ASCII characters, or (old V2 firmware)
 * 12 raw bytes, which we show in hex (stlink-org/stlink usb.h). */
static void read_serial(libusb_device_handle *h, uint8_t index, char *out)
{
    unsigned char raw[FW_PROBE_SERIAL_MAX];
    int n = index ? libusb_get_string_descriptor_ascii(h, index, raw, sizeof(raw) - 1) : -1;
    out[0] = '\0';
    if (n <= 0)
        return;
    bool printable = true;
    for (int i = 0; i < n; i++)
        printable = printable && isalnum(raw[i]);
    if (printable) {
        memcpy(out, raw, (size_t)n);
        out[n] = '\0';
        return;
    }
    for (int i = 0; i < n && 2 * i + 2 <= FW_PROBE_SERIAL_MAX; i++)
        snprintf(out + 2 * i, 3, "%02X", raw[i]);
}

static void usb_error(fw_diag *d, const char *what, int rc)
{
    fw_diag_add(d, FW_ERROR, "PROBE-USB", NULL, "%s: %s", what, libusb_strerror((enum libusb_error)rc));
}

static void enumerate(libusb_context *ctx, fw_probe_info *out, size_t max, size_t *n)
{
    *n = 0;
    libusb_device **list;
    ssize_t count = libusb_get_device_list(ctx, &list);
    for (ssize_t i = 0; i < count; i++) {
        struct libusb_device_descriptor desc;
        if (libusb_get_device_descriptor(list[i], &desc) || known(desc.idVendor, desc.idProduct) < 0)
            continue;
        if (*n < max) {
            fw_probe_info *info = &out[*n];
            memset(info, 0, sizeof(*info));
            info->pid = desc.idProduct;
            info->bus = libusb_get_bus_number(list[i]);
            info->address = libusb_get_device_address(list[i]);
            info->loader = probes[known(desc.idVendor, desc.idProduct)].loader;
            libusb_device_handle *h;
            if (libusb_open(list[i], &h) == 0) {
                read_serial(h, desc.iSerialNumber, info->serial);
                libusb_close(h);
            } else {
                snprintf(info->serial, sizeof(info->serial), "?");
            }
        }
        (*n)++;
    }
    if (count >= 0)
        libusb_free_device_list(list, 1);
}

int fw_usb_list(fw_probe_info *out, size_t max, size_t *n, fw_diag *d)
{
    libusb_context *ctx;
    int rc = libusb_init(&ctx);
    if (rc) {
        usb_error(d, "cannot use USB", rc);
        return FW_EIO;
    }
    enumerate(ctx, out, max, n);
    libusb_exit(ctx);
    return FW_OK;
}

static int usb_send(struct fw_transport *t, const void *buf, size_t len, fw_diag *d)
{
    struct usb_transport *u = (struct usb_transport *)t;
    int done = 0;
    int rc = libusb_bulk_transfer(u->h, u->out_ep, (unsigned char *)buf, (int)len, &done, TIMEOUT_MS);
    if (rc == LIBUSB_ERROR_NO_DEVICE) {
        fw_diag_add(d, FW_ERROR, "PROBE-GONE", NULL, "the probe went away (unplugged, or lost power)");
        return FW_EIO;
    }
    if (rc == LIBUSB_ERROR_PIPE)
        libusb_clear_halt(u->h, u->out_ep);
    if (rc || (size_t)done != len) {
        usb_error(d, "sending to the probe", rc ? rc : LIBUSB_ERROR_IO);
        return FW_EIO;
    }
    return FW_OK;
}

static int usb_recv(struct fw_transport *t, void *buf, size_t len, size_t *got, fw_diag *d)
{
    struct usb_transport *u = (struct usb_transport *)t;
    int done = 0;
    int rc = libusb_bulk_transfer(u->h, u->in_ep, buf, (int)len, &done, TIMEOUT_MS);
    *got = (size_t)done;
    if (rc == LIBUSB_ERROR_NO_DEVICE) {
        fw_diag_add(d, FW_ERROR, "PROBE-GONE", NULL, "the probe went away (unplugged, or lost power)");
        return FW_EIO;
    }
    if (rc == LIBUSB_ERROR_PIPE)
        libusb_clear_halt(u->h, u->in_ep);
    if (rc) {
        usb_error(d, "reading from the probe", rc);
        return FW_EIO;
    }
    return FW_OK;
}

static void usb_close(struct fw_transport *t)
{
    struct usb_transport *u = (struct usb_transport *)t;
    if (u->h) {
        libusb_release_interface(u->h, 0);
        libusb_close(u->h);
    }
    if (u->ctx)
        libusb_exit(u->ctx);
    free(u);
}

/* pyOCD's stlink usb.py flushes the IN endpoint at open the same way: read
 * until a read times out */
#define DRAIN_TIMEOUT_MS 10
#define DRAIN_READS 16

static size_t usb_drain(struct fw_transport *t)
{
    struct usb_transport *u = (struct usb_transport *)t;
    unsigned char buf[512];
    size_t dropped = 0;
    for (int i = 0; i < DRAIN_READS; i++) {
        int done = 0;
        int rc = libusb_bulk_transfer(u->h, u->in_ep, buf, (int)sizeof(buf), &done, DRAIN_TIMEOUT_MS);
        dropped += (size_t)(done > 0 ? done : 0);
        if (rc || done <= 0)
            break;
    }
    return dropped;
}

static const struct fw_transport_ops usb_ops = {usb_send, usb_recv, usb_drain, usb_close};

/* Which of the probes found to open: the one with serial, or the only one. */
static int pick_probe(const fw_probe_info *found, size_t n, const char *serial, const fw_probe_info **pick, fw_diag *d)
{
    size_t matches = 0;
    *pick = NULL;
    for (size_t i = 0; i < n; i++)
        if (!serial || !strcmp(serial, found[i].serial)) {
            *pick = *pick ? *pick : &found[i];
            matches++;
        }
    if (!n) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-NONE", NULL, "no ST-Link found on USB");
        fw_diagnostic_set_hint(e, "plug the probe in; on a Nucleo or Discovery board use the USB port marked ST-LINK");
        return FW_EDEVICE;
    }
    if (!*pick) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-NONE", NULL, "no ST-Link with serial %s", serial);
        fw_diagnostic_set_hint(e, "`fwflash probes` lists the serials there are");
        return FW_EDEVICE;
    }
    if (matches > 1) {
        char list[512] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s (%04x)", i ? ", " : "", found[i].serial,
                     found[i].pid);
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-SEVERAL", NULL, "%zu ST-Links found: %s", matches, list);
        fw_diagnostic_set_hint(e, "pick one with --serial SN");
        return FW_EDEVICE;
    }
    if ((*pick)->loader) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-DFU", NULL,
                                       "the ST-Link %s is in its USB loader (DFU) mode, not running its firmware",
                                       (*pick)->serial);
        fw_diagnostic_set_hint(e, "unplug and replug it; if it stays there, update its firmware with ST's tool");
        return FW_EDEVICE;
    }
    return FW_OK;
}

static int open_device(struct usb_transport *u, const fw_probe_info *pick, fw_diag *d)
{
    int rc = LIBUSB_ERROR_NOT_FOUND;
    libusb_device **list;
    ssize_t count = libusb_get_device_list(u->ctx, &list);
    for (ssize_t i = 0; i < count && !u->h; i++)
        if (libusb_get_bus_number(list[i]) == pick->bus && libusb_get_device_address(list[i]) == pick->address &&
            (rc = libusb_open(list[i], &u->h)))
            u->h = NULL;
    if (count >= 0)
        libusb_free_device_list(list, 1);
    if (!u->h) {
        if (rc == LIBUSB_ERROR_ACCESS) {
            fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-ACCESS", NULL,
                                           "permission denied opening the ST-Link on bus %d device %d", pick->bus,
                                           pick->address);
            fw_diagnostic_set_hint(e,
                                   "install the udev rule (tools/49-fwkit-stlink.rules, or this line in "
                                   "/etc/udev/rules.d/49-stlink.rules): " UDEV_RULE ", then `udevadm control --reload` "
                                   "and replug",
                                   pick->pid);
        } else {
            usb_error(d, "cannot open the ST-Link", rc);
        }
        return FW_EIO;
    }
    int config = 0;
    if (libusb_get_configuration(u->h, &config) == 0 && config != 1)
        libusb_set_configuration(u->h, 1);
    if (libusb_kernel_driver_active(u->h, 0) == 1)
        libusb_detach_kernel_driver(u->h, 0);
    rc = libusb_claim_interface(u->h, 0);
    if (rc == LIBUSB_ERROR_BUSY) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "PROBE-BUSY", NULL, "the ST-Link %s is in use by another program",
                                       pick->serial);
        fw_diagnostic_set_hint(e, "close the debugger, OpenOCD, st-util or STM32CubeProgrammer holding it");
    } else if (rc) {
        usb_error(d, "cannot claim the ST-Link's debug interface", rc);
    }
    if (rc) {
        libusb_close(u->h);
        u->h = NULL;
        return FW_EIO;
    }
    return FW_OK;
}

int fw_usb_open(const char *serial, struct fw_transport **out, fw_probe_info *info, fw_diag *d)
{
    struct usb_transport *u = calloc(1, sizeof(*u));
    if (!u)
        return FW_ENOMEM;
    u->base.ops = &usb_ops;
    int rc = libusb_init(&u->ctx);
    if (rc) {
        u->ctx = NULL;
        usb_error(d, "cannot use USB", rc);
        usb_close(&u->base);
        return FW_EIO;
    }
    /* one libusb context for finding and opening: each init/exit costs a udev round */
    fw_probe_info found[16];
    const fw_probe_info *pick;
    size_t n;
    enumerate(u->ctx, found, 16, &n);
    if ((rc = pick_probe(found, n > 16 ? 16 : n, serial, &pick, d)) || (rc = open_device(u, pick, d))) {
        usb_close(&u->base);
        return rc;
    }
    *info = *pick;
    u->out_ep = probes[known(ST_VID, pick->pid)].out_ep;
    u->in_ep = 0x81;
    *out = &u->base;
    return FW_OK;
}
