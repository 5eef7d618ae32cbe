/* SPDX-License-Identifier: MIT */
/* fwsim: the probes as USB devices in a umockdev testbed (see usb.h). The
 * handler runs in umockdev's worker thread; the main thread touches the
 * models only after the clients are gone. Facts: descriptors and endpoints
 * as the peers' id tables give them (stlink-org/stlink src/stlink-lib/usb.h,
 * OpenOCD stlink_usb.c), the usbfs protocol from Linux's
 * include/uapi/linux/usbdevice_fs.h and umockdev's ioctl forwarding
 * (umockdev src/umockdev-ioctl.c, docs/script-format.txt). */
#include "emulated_usb.h"
#include "host_runqueue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h> /* before linux/usbdevice_fs.h, which uses its _IO* macros */

#include <linux/usbdevice_fs.h>
#include <umockdev.h>

#define MAX_PROBES 8
#define MAX_CONTROL 255

struct probe {
    struct sim_usb *usb;
    struct stlink *link;
    struct sim_faults *faults;
    char serial[25];
    char devnode[40], syspath[80];
    unsigned devnum;
    UMockdevIoctlBase *handler;
    bool gone; /* unplugged or powered off: every request fails with ENODEV */
    uint64_t last_transfer_ns; /* host monotonic time of the last bulk transfer */
    struct host_runqueue runq; /* the run's tasks' waits for a CPU, marked after every transfer */
    bool runq_found;           /* its tasks looked up (at the first transfer, the command running) */
};

struct sim_usb {
    UMockdevTestbed *testbed;
    struct probe probes[MAX_PROBES];
    unsigned nprobes;
};

/* a finished URB waiting to be reaped */
struct done_urb {
    UMockdevIoctlData *urb, *buffer;
    int status;
    size_t actual;
    bool control;
    uint8_t *payload; /* IN data */
};

/* per open file descriptor: finished URBs, and IN URBs with nothing to read yet */
struct client_state {
    GQueue done;
    GQueue flying; /* of struct done_urb, status unset */
};

static void done_free(struct done_urb *d)
{
    if (d->urb)
        umockdev_ioctl_data_unref(d->urb);
    if (d->buffer)
        umockdev_ioctl_data_unref(d->buffer);
    free(d->payload);
    free(d);
}

static void client_state_free(gpointer p)
{
    struct client_state *s = p;
    g_queue_clear_full(&s->done, (GDestroyNotify)done_free);
    g_queue_clear_full(&s->flying, (GDestroyNotify)done_free);
    free(s);
}

static struct client_state *client_state(UMockdevIoctlClient *client)
{
    struct client_state *s = g_object_get_data(G_OBJECT(client), "fwsim");
    if (!s) {
        s = calloc(1, sizeof(*s));
        g_queue_init(&s->done);
        g_queue_init(&s->flying);
        g_object_set_data_full(G_OBJECT(client), "fwsim", s, client_state_free);
    }
    return s;
}

/* --- descriptors --- */

static uint8_t out_endpoint(const struct stlink *l)
{
    return l->kind == STLINK_V2 ? 0x02 : 0x01;
}

static uint8_t trace_endpoint(const struct stlink *l)
{
    return l->kind == STLINK_V2 ? 0x83 : 0x82;
}

size_t sim_usb_descriptors(const struct stlink *link, unsigned char *out, size_t cap)
{
    uint16_t pid = stlink_pid(link), packet = link->kind == STLINK_V3 ? 512 : 64;
    const uint8_t d[] = {
        /* device: USB 2.00, vendor class in the interface, EP0 64, VID, PID, bcdDevice 1.00, strings 1/2/3 */
        0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, STLINK_VID & 0xFF, STLINK_VID >> 8, pid & 0xFF, pid >> 8,
        0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
        /* configuration 1: 39 bytes, one interface, bus-powered, 100 mA */
        0x09, 0x02, 0x27, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
        /* interface 0: three endpoints, vendor class, string 4 */
        0x09, 0x04, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0x04,
        /* replies in, commands out, trace in */
        0x07, 0x05, 0x81, 0x02, packet & 0xFF, packet >> 8, 0x00, 0x07, 0x05, out_endpoint(link), 0x02, packet & 0xFF,
        packet >> 8, 0x00, 0x07, 0x05, trace_endpoint(link), 0x02, packet & 0xFF, packet >> 8, 0x00};
    if (cap < sizeof(d))
        return 0;
    memcpy(out, d, sizeof(d));
    return sizeof(d);
}

/* a string descriptor in UTF-16LE; index 0 is the language list */
static size_t string_descriptor(const struct probe *p, unsigned index, uint8_t *out)
{
    const char *s;
    switch (index) {
    case 0:
        memcpy(out, (const uint8_t[]){4, 3, 0x09, 0x04}, 4); /* en-US */
        return 4;
    case 1: s = "STMicroelectronics"; break;
    case 2: s = p->link->kind == STLINK_V3 ? "STLINK-V3" : "STM32 STLink"; break;
    case 3: s = p->serial; break;
    case 4: s = "ST Link"; break;
    default: return 0;
    }
    size_t n = strlen(s);
    out[0] = (uint8_t)(2 + 2 * n);
    out[1] = 3;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = (uint8_t)s[i];
        out[3 + 2 * i] = 0;
    }
    return 2 + 2 * n;
}

/* The control request of a SETUP packet: the data-stage bytes in out and
 * their count, or -EPIPE (a stall) for what a probe does not answer. */
static long control_request(const struct probe *p, const uint8_t *setup, uint8_t *out)
{
    uint8_t request = setup[1];
    unsigned value = setup[2] | setup[3] << 8, length = setup[6] | setup[7] << 8;
    size_t n = 0;
    uint8_t d[128];
    switch (request) {
    case 0x06: /* GET_DESCRIPTOR */
        switch (value >> 8) {
        case 1: n = sim_usb_descriptors(p->link, d, sizeof(d)) ? 18 : 0; break;
        case 2:
            n = sim_usb_descriptors(p->link, d, sizeof(d));
            memmove(d, d + 18, n - 18);
            n -= 18;
            break;
        case 3: n = string_descriptor(p, value & 0xFF, d); break;
        default: return -EPIPE;
        }
        if (!n)
            return -EPIPE;
        break;
    case 0x08: /* GET_CONFIGURATION */
        d[0] = 1;
        n = 1;
        break;
    case 0x00: /* GET_STATUS */
        d[0] = d[1] = 0;
        n = 2;
        break;
    case 0x09: /* SET_CONFIGURATION */
    case 0x0B: /* SET_INTERFACE */
    case 0x01: /* CLEAR_FEATURE */
        return 0;
    default: return -EPIPE;
    }
    if (n > length)
        n = length;
    memcpy(out, d, n);
    return (long)n;
}

/* --- URBs --- */

static void finish(struct client_state *cs, struct done_urb *d, int status, const uint8_t *data, size_t n)
{
    d->status = status;
    d->actual = n; /* for OUT: what was taken; data is NULL */
    if (n && data) {
        d->payload = malloc(n);
        memcpy(d->payload, data, n);
    }
    g_queue_push_tail(&cs->done, d);
}

/* an IN URB on the reply endpoint takes what the probe has to say */
static bool answer_in(struct probe *p, struct client_state *cs, struct done_urb *d)
{
    if (!stlink_has_reply(p->link))
        return false;
    /* a zero-length IN transfer has no buffer */
    size_t cap = d->buffer ? (size_t)d->buffer->data_len : 0;
    uint8_t *buf = malloc(cap ? cap : 1);
    size_t n = stlink_in(p->link, buf, cap);
    finish(cs, d, 0, buf, n);
    free(buf);
    return true;
}

/* the power goes, or the cable: pending URBs end with ENODEV */
static void gone(struct probe *p, struct client_state *cs)
{
    p->gone = true;
    struct done_urb *d;
    while ((d = g_queue_pop_head(&cs->flying)))
        finish(cs, d, -ENODEV, NULL, 0);
}

/* A host that sleeps between transfers (st-flash waits 10 ms between polls
 * of its flash loader) lets that time pass on the chip too. model: gaps
 * over 2 ms of host time are such waits; shorter ones are the emulation's
 * own overhead and cost nothing. What fwsim and the command's processes
 * spent waiting for a CPU of this machine meanwhile (host_runqueue.h) is
 * the machine's load, not the host program's: it is taken out first (a
 * busy machine added 2-10 ms gaps, 90-380 ms to a 1 MiB write). */
#define HOST_WAIT_NS 2000000u

static uint64_t host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* the gap since the emulator last finished a transfer: the host's own time */
static void host_time_passes(struct probe *p)
{
    uint64_t now = host_now_ns();
    if (!p->last_transfer_ns || now - p->last_transfer_ns <= HOST_WAIT_NS)
        return;
    uint64_t gap = now - p->last_transfer_ns, waited = host_runqueue_waited_ns(&p->runq);
    uint64_t host = waited < gap ? gap - waited : 0;
    if (host > HOST_WAIT_NS)
        sim_core_run_for(p->link->core, host);
}

static void submit_urb(struct probe *p, UMockdevIoctlClient *client, UMockdevIoctlData *arg);

static void submit(struct probe *p, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    submit_urb(p, client, arg);
    if (!p->runq_found) {
        host_runqueue_init(&p->runq);
        p->runq_found = true;
    }
    host_runqueue_mark(&p->runq);
    p->last_transfer_ns = host_now_ns(); /* the emulator's own work is not the host's */
}

static void submit_urb(struct probe *p, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    struct client_state *cs = client_state(client);
    if (p->gone) {
        /* as usbfs answers for a device that has gone; nothing of the client's is touched */
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return;
    }
    GError *error = NULL;
    UMockdevIoctlData *u = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &error);
    if (!u) {
        g_clear_error(&error);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->data;
    UMockdevIoctlData *b = NULL;
    if (urb->buffer_length > 0) {
        b = umockdev_ioctl_data_resolve(u, offsetof(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, &error);
        if (!b) {
            g_clear_error(&error);
            umockdev_ioctl_data_unref(u);
            umockdev_ioctl_client_complete(client, -1, EFAULT);
            return;
        }
    }
    struct done_urb *d = calloc(1, sizeof(*d));
    d->urb = u; /* the references resolve gave us */
    d->buffer = b;
    struct stlink *link = p->link;
    if (urb->type != USBDEVFS_URB_TYPE_CONTROL)
        host_time_passes(p);
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
        uint8_t data[MAX_CONTROL];
        d->control = true;
        long n = b && b->data_len >= 8 ? control_request(p, b->data, data) : -EPIPE;
        if (n < 0)
            finish(cs, d, (int)n, NULL, 0);
        else
            finish(cs, d, 0, data, (size_t)n);
    } else if (!(urb->endpoint & 0x80)) {
        const uint8_t *data = b ? b->data : NULL;
        size_t len = (size_t)urb->buffer_length;
        uint32_t addr = 0, bytes = 0;
        if (link->pending_write || !stlink_command_range(data, len, &addr, &bytes))
            bytes = 0;
        sim_fault_kind fault = sim_faults_due(p->faults, link->stats.transfers + 1, addr, bytes);
        switch (fault) {
        case FAULT_STALL: finish(cs, d, -EPIPE, NULL, 0); break;
        case FAULT_TIMEOUT: g_queue_push_tail(&cs->flying, d); break; /* never answered: the host times out */
        case FAULT_POWER_LOSS:
            link->target->powered_off = true;
            /* fall through */
        case FAULT_UNPLUG:
            finish(cs, d, -ENODEV, NULL, 0);
            gone(p, cs);
            break;
        default:
            if (fault == FAULT_AP_WAIT || fault == FAULT_DP_WAIT || fault == FAULT_AP_FAULT)
                link->inject_status = fault == FAULT_AP_WAIT ? 0x10 : fault == FAULT_DP_WAIT ? 0x14 : 0x11;
            else if (fault == FAULT_WRP)
                sim_target_write_protect(link->target, bytes ? addr : 0, !bytes);
            stlink_out(link, data, len);
            finish(cs, d, 0, NULL, len);
            /* an IN waiting since before this command gets its reply now */
            struct done_urb *waiting = g_queue_peek_head(&cs->flying);
            if (waiting && (((struct usbdevfs_urb *)waiting->urb->data)->endpoint & 0x7F) == 1 &&
                answer_in(p, cs, waiting))
                g_queue_pop_head(&cs->flying);
            break;
        }
    } else if ((urb->endpoint & 0x7F) == 1) {
        sim_fault_kind fault = sim_faults_due(p->faults, link->stats.transfers + 1, 0, 0);
        if (fault == FAULT_STALL)
            finish(cs, d, -EPIPE, NULL, 0);
        else if (fault == FAULT_UNPLUG || fault == FAULT_POWER_LOSS) {
            link->target->powered_off = fault == FAULT_POWER_LOSS;
            finish(cs, d, -ENODEV, NULL, 0);
            gone(p, cs);
        } else if (fault == FAULT_TIMEOUT || !answer_in(p, cs, d))
            g_queue_push_tail(&cs->flying, d); /* NAK until there is a reply or the host gives up */
    } else {
        g_queue_push_tail(&cs->flying, d); /* the trace endpoint has nothing to say */
    }
    umockdev_ioctl_client_complete(client, 0, 0);
}

static void reap(UMockdevIoctlClient *client, UMockdevIoctlData *arg, struct probe *p)
{
    struct client_state *cs = client_state(client);
    struct done_urb *d = g_queue_pop_head(&cs->done);
    if (!d) {
        umockdev_ioctl_client_complete(client, -1, p->gone ? ENODEV : EAGAIN);
        return;
    }
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)d->urb->data;
    urb->status = d->status;
    urb->actual_length = (int)d->actual;
    if (d->payload && d->buffer) {
        size_t at = d->control ? 8 : 0; /* control data follows the 8-byte SETUP packet (usbfs, linux/usbdevice_fs.h) */
        size_t n = d->actual;
        if (at + n > (size_t)d->buffer->data_len)
            n = (size_t)d->buffer->data_len - at;
        memcpy(d->buffer->data + at, d->payload, n);
    }
    GError *error = NULL;
    UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &error);
    if (!ptr) {
        g_clear_error(&error);
        done_free(d);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    umockdev_ioctl_data_set_ptr(ptr, 0, d->urb);
    umockdev_ioctl_data_unref(ptr);
    done_free(d);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static void discard(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    struct client_state *cs = client_state(client);
    unsigned long addr = 0; /* DISCARDURB's argument is the URB's address itself */
    memcpy(&addr, arg->data, arg->data_len < (int)sizeof(addr) ? (size_t)arg->data_len : sizeof(addr));
    for (GList *l = cs->flying.head; l; l = l->next) {
        struct done_urb *d = l->data;
        if (d->urb->client_addr == addr) {
            g_queue_delete_link(&cs->flying, l);
            finish(cs, d, -ENOENT, NULL, 0);
            umockdev_ioctl_client_complete(client, 0, 0);
            return;
        }
    }
    umockdev_ioctl_client_complete(client, -1, EINVAL);
}

static gboolean handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer user)
{
    (void)base;
    struct probe *p = user;
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    gulong request = umockdev_ioctl_client_get_request(client);
    GError *error = NULL;
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *caps = umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), &error);
        if (!caps) {
            g_clear_error(&error);
            umockdev_ioctl_client_complete(client, -1, EFAULT);
            return TRUE;
        }
        uint32_t v = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                     USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
        memcpy(caps->data, &v, sizeof(v));
        umockdev_ioctl_data_unref(caps);
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
    }
    case USBDEVFS_SUBMITURB: submit(p, client, arg); return TRUE;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: reap(client, arg, p); return TRUE;
    case USBDEVFS_DISCARDURB: discard(client, arg); return TRUE;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL: umockdev_ioctl_client_complete(client, -1, ENODATA); return TRUE;
    case USBDEVFS_CLAIMINTERFACE:
        if (!p->gone && sim_faults_condition(p->faults, FAULT_CLAIMED)) {
            umockdev_ioctl_client_complete(client, -1, EBUSY); /* another program holds it */
            return TRUE;
        }
        /* fall through */
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
        umockdev_ioctl_client_complete(client, p->gone ? -1 : 0, p->gone ? ENODEV : 0);
        return TRUE;
    case USBDEVFS_RESET:
        /* a port reset returns the device to its Default state (USB 2.0
         * §9.1.1.3): what waited in its endpoints is gone */
        if (!p->gone)
            stlink_usb_reset(p->link);
        umockdev_ioctl_client_complete(client, p->gone ? -1 : 0, p->gone ? ENODEV : 0);
        return TRUE;
    case USBDEVFS_CONTROL: {
        UMockdevIoctlData *ct = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ctrltransfer), &error);
        if (!ct) {
            g_clear_error(&error);
            umockdev_ioctl_client_complete(client, -1, EFAULT);
            return TRUE;
        }
        struct usbdevfs_ctrltransfer *t = (struct usbdevfs_ctrltransfer *)ct->data;
        uint8_t setup[8] = {t->bRequestType, t->bRequest, (uint8_t)t->wValue, (uint8_t)(t->wValue >> 8),
                            (uint8_t)t->wIndex, (uint8_t)(t->wIndex >> 8), (uint8_t)t->wLength,
                            (uint8_t)(t->wLength >> 8)};
        uint8_t data[MAX_CONTROL];
        long n = control_request(p, setup, data);
        if (n > 0 && t->wLength) {
            UMockdevIoctlData *buf =
                umockdev_ioctl_data_resolve(ct, offsetof(struct usbdevfs_ctrltransfer, data), t->wLength, &error);
            if (!buf) {
                g_clear_error(&error);
                n = -EFAULT;
            } else {
                memcpy(buf->data, data, (size_t)n);
                umockdev_ioctl_data_unref(buf);
            }
        }
        umockdev_ioctl_data_unref(ct);
        umockdev_ioctl_client_complete(client, n < 0 ? -1 : n, n < 0 ? (int)-n : 0);
        return TRUE;
    }
    default: return FALSE; /* umockdev answers ENOTTY */
    }
}

/* --- the testbed --- */

struct sim_usb *sim_usb_new(char *err, size_t errlen)
{
    struct sim_usb *u = calloc(1, sizeof(*u));
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* the testbed first: umockdev_in_mock_environment() caches its answer (umockdev's libumockdev.c) */
    u->testbed = umockdev_testbed_new();
    if (!umockdev_in_mock_environment()) {
        snprintf(err, errlen, "not running under libumockdev-preload (LD_PRELOAD=libumockdev-preload.so.0)");
        sim_usb_free(u);
        return NULL;
    }
    return u;
}

static void hex_upper(char *out, const unsigned char *b, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

bool sim_usb_plug(struct sim_usb *u, struct stlink *link, const char *serial, struct sim_faults *faults, char *err,
                  size_t errlen)
{
    if (u->nprobes == MAX_PROBES) {
        snprintf(err, errlen, "at most %d probes", MAX_PROBES);
        return false;
    }
    struct probe *p = &u->probes[u->nprobes];
    *p = (struct probe){.usb = u, .link = link, .faults = faults, .devnum = 2 + u->nprobes};
    snprintf(p->serial, sizeof(p->serial), "%s", serial);
    snprintf(p->devnode, sizeof(p->devnode), "/dev/bus/usb/001/%03u", p->devnum);
    snprintf(p->syspath, sizeof(p->syspath), "/devices/pci0000:00/0000:00:14.0/usb1/1-%u", u->nprobes + 1);
    unsigned char desc[64];
    char hex[2 * sizeof(desc) + 1];
    size_t ndesc = sim_usb_descriptors(link, desc, sizeof(desc));
    hex_upper(hex, desc, ndesc);
    /* the handler before the node, so that no client opens the node without it */
    p->handler = umockdev_ioctl_base_new();
    g_signal_connect(p->handler, "handle-ioctl", G_CALLBACK(handle_ioctl), p);
    GError *error = NULL;
    if (!umockdev_testbed_attach_ioctl(u->testbed, p->devnode, p->handler, &error)) {
        snprintf(err, errlen, "umockdev: %s", error->message);
        g_clear_error(&error);
        return false;
    }
    uint16_t pid = stlink_pid(link);
    char *record = g_strdup_printf("P: %s\n"
                                   "N: bus/usb/001/%03u\n"
                                   "E: SUBSYSTEM=usb\n"
                                   "E: DEVTYPE=usb_device\n"
                                   "E: DEVNAME=%s\n"
                                   "E: BUSNUM=001\n"
                                   "E: DEVNUM=%03u\n"
                                   "E: PRODUCT=483/%x/100\n"
                                   "A: busnum=1\\n\n"
                                   "A: devnum=%u\\n\n"
                                   "A: bConfigurationValue=1\\n\n"
                                   "A: speed=%s\\n\n"
                                   "A: idVendor=0483\\n\n"
                                   "A: idProduct=%04x\\n\n"
                                   "A: bcdDevice=0100\\n\n"
                                   "A: manufacturer=STMicroelectronics\\n\n"
                                   "A: serial=%s\\n\n"
                                   "H: descriptors=%s\n",
                                   p->syspath, p->devnum, p->devnode, p->devnum, pid, p->devnum,
                                   link->kind == STLINK_V3 ? "480" : "12", pid, p->serial, hex);
    bool ok = umockdev_testbed_add_from_string(u->testbed, record, &error);
    g_free(record);
    if (!ok) {
        snprintf(err, errlen, "umockdev: %s", error->message);
        g_clear_error(&error);
        return false;
    }
    u->nprobes++;
    return true;
}

void sim_usb_free(struct sim_usb *u)
{
    if (!u)
        return;
    if (u->testbed)
        g_object_unref(u->testbed); /* removes its directory */
    for (unsigned i = 0; i < u->nprobes; i++) {
        if (u->probes[i].handler)
            g_object_unref(u->probes[i].handler);
        host_runqueue_free(&u->probes[i].runq);
    }
    free(u);
}
