/* SPDX-License-Identifier: MIT */
/* Stamps (stamp.h): parsing, the counter file, writing into the image. */
#include "fwkit/stamp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fwkit/checksum.h"
#include "fwkit/number.h"
#include "fwkit/transform.h"

static int bad(fw_diag *d, const char *spec, const char *why)
{
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "STAMP", NULL, "--stamp '%s': %s", spec, why);
    fw_diagnostic_set_hint(e, "uid@ADDR[,crc32], counter:FILE@ADDR[,width=N][,be][,ascii], time@ADDR[,width=4|8][,be] "
                              "or crc32:START-END@ADDR[,be]");
    return FW_EINVAL;
}

int fw_stamp_parse(const char *spec, fw_stamp *s, fw_diag *d)
{
    memset(s, 0, sizeof(*s));
    const char *at = strrchr(spec, '@');
    if (!at)
        return bad(d, spec, "no @ADDR");
    const char *opts = strchr(at, ',');
    size_t klen = (size_t)(at - spec);
    char addr[32];
    size_t alen = (size_t)((opts ? opts : at + strlen(at)) - (at + 1));
    if (!alen || alen >= sizeof(addr))
        return bad(d, spec, "no address after @");
    memcpy(addr, at + 1, alen);
    addr[alen] = '\0';
    if (!fw_parse_u64(addr, &s->addr) || s->addr > UINT32_MAX)
        return bad(d, spec, "the address is not a 32-bit number");
    if (klen == 3 && !strncmp(spec, "uid", 3)) {
        s->kind = FW_STAMP_UID;
        s->width = 12;
    } else if (klen == 4 && !strncmp(spec, "time", 4)) {
        s->kind = FW_STAMP_TIME;
        s->width = 4;
    } else if (klen > 8 && !strncmp(spec, "counter:", 8)) {
        s->kind = FW_STAMP_COUNTER;
        s->width = 4;
        if (klen - 8 >= sizeof(s->file))
            return bad(d, spec, "the counter file's name is too long");
        memcpy(s->file, spec + 8, klen - 8);
    } else if (klen > 6 && !strncmp(spec, "crc32:", 6)) {
        s->kind = FW_STAMP_CRC32;
        s->width = 4;
        char range[64];
        if (klen - 6 >= sizeof(range))
            return bad(d, spec, "the range is too long");
        memcpy(range, spec + 6, klen - 6);
        range[klen - 6] = '\0';
        char *dash = strchr(range, '-');
        if (!dash)
            return bad(d, spec, "crc32 needs START-END");
        *dash = '\0';
        if (!fw_parse_u64(range, &s->lo) || !fw_parse_u64(dash + 1, &s->end) || s->end <= s->lo ||
            s->end > 0x100000000ull)
            return bad(d, spec, "START-END is not a range of 32-bit addresses (END exclusive)");
    } else {
        return bad(d, spec, "no such stamp");
    }
    for (const char *o = opts; o && *o;) {
        o++;
        const char *next = strchr(o, ',');
        size_t n = next ? (size_t)(next - o) : strlen(o);
        char opt[32];
        if (!n || n >= sizeof(opt))
            return bad(d, spec, "an empty or overlong option");
        memcpy(opt, o, n);
        opt[n] = '\0';
        uint64_t w;
        if (!strcmp(opt, "be") && s->kind != FW_STAMP_UID)
            s->big_endian = true;
        else if (!strcmp(opt, "le") && s->kind != FW_STAMP_UID)
            s->big_endian = false;
        else if (!strcmp(opt, "crc32") && s->kind == FW_STAMP_UID)
            s->crc = true, s->width = 4;
        else if (!strcmp(opt, "ascii") && s->kind == FW_STAMP_COUNTER)
            s->ascii = true;
        else if (!strncmp(opt, "width=", 6) && (s->kind == FW_STAMP_COUNTER || s->kind == FW_STAMP_TIME) &&
                 fw_parse_u64(opt + 6, &w) && w >= 1 && w <= 20)
            s->width = (unsigned)w;
        else
            return bad(d, spec, "an option this stamp does not take");
        o = next;
    }
    if (s->kind == FW_STAMP_TIME && s->width != 4 && s->width != 8)
        return bad(d, spec, "time is 4 or 8 bytes wide");
    if (s->kind == FW_STAMP_COUNTER && !s->ascii && s->width != 1 && s->width != 2 && s->width != 4 && s->width != 8)
        return bad(d, spec, "a binary counter is 1, 2, 4 or 8 bytes wide (or ascii, up to 20 digits)");
    return FW_OK;
}

void fw_stamp_describe(const fw_stamp *s, char *out, size_t cap)
{
    const char *order = s->ascii ? "decimal ASCII" : s->big_endian ? "big-endian" : "little-endian";
    switch (s->kind) {
    case FW_STAMP_UID:
        if (s->crc)
            snprintf(out, cap, "uid CRC-32 0x%08llX at 0x%08llX (4 bytes, little-endian)", (unsigned long long)s->value,
                     (unsigned long long)s->addr);
        else
            snprintf(out, cap, "uid at 0x%08llX (12 bytes, as the chip holds it)", (unsigned long long)s->addr);
        break;
    case FW_STAMP_COUNTER:
        snprintf(out, cap, "counter %llu from %s at 0x%08llX (%u bytes, %s)", (unsigned long long)s->value, s->file,
                 (unsigned long long)s->addr, s->width, order);
        break;
    case FW_STAMP_TIME:
        snprintf(out, cap, "time %llu at 0x%08llX (%u bytes, %s)", (unsigned long long)s->value,
                 (unsigned long long)s->addr, s->width, order);
        break;
    case FW_STAMP_CRC32:
        snprintf(out, cap, "crc32 0x%08llX of 0x%08llX-0x%08llX at 0x%08llX (%s)", (unsigned long long)s->value,
                 (unsigned long long)s->lo, (unsigned long long)(s->end - 1), (unsigned long long)s->addr, order);
        break;
    }
}

/* The counter file: one decimal number, the next to hand out. take: the
 * number is consumed (the next written back and synced under the lock);
 * else only read, under a shared lock. */
static int counter(fw_stamp *s, bool take, fw_diag *d);

int fw_stamp_counter_take(fw_stamp *s, fw_diag *d)
{
    return counter(s, true, d);
}

int fw_stamp_counter_peek(fw_stamp *s, fw_diag *d)
{
    return counter(s, false, d);
}

static int counter(fw_stamp *s, bool take, fw_diag *d)
{
    fw_location file = {.file = s->file};
    int fd = open(s->file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &file, "cannot open the counter file: %s", strerror(errno));
        return FW_EIO;
    }
    /* other stations may hold it for a moment: a deadline of 10 s */
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (flock(fd, (take ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (errno != EWOULDBLOCK || now.tv_sec - start.tv_sec >= 10) {
            fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &file, "the counter file stayed locked for 10 s (%s)",
                        errno == EWOULDBLOCK ? "another fwflash holds it" : strerror(errno));
            close(fd);
            return FW_EIO;
        }
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    char buf[64];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    int rc = FW_OK;
    uint64_t next = 1;
    if (n < 0) {
        fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &file, "cannot read the counter file: %s", strerror(errno));
        rc = FW_EIO;
    } else if (n > 0) {
        buf[n] = '\0';
        size_t len = strspn(buf, "0123456789");
        if (!len || buf[len + strspn(buf + len, " \t\r\n")] != '\0' || !fw_parse_u64n(buf, len, &next)) {
            fw_location loc = {.file = s->file, .line = 1, .column = 1};
            fw_diagnostic *e =
                fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &loc, "the counter file does not hold a decimal number");
            fw_diagnostic_set_hint(e, "it holds the next number to hand out, and nothing else (\"1\" to start)");
            rc = FW_EFORMAT;
        }
    }
    if (!rc) {
        uint64_t limit = s->ascii ? 0 : s->width >= 8 ? UINT64_MAX : (1ull << (8 * s->width)) - 1;
        for (unsigned i = 0; s->ascii && i < s->width && i < 19; i++)
            limit = limit * 10 + 9;
        if (s->ascii && s->width >= 20)
            limit = UINT64_MAX;
        if (next > limit || next == UINT64_MAX) {
            fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &file, "the counter reached %llu, which does not fit %u %s",
                        (unsigned long long)next, s->width, s->ascii ? "digits" : "bytes");
            rc = FW_ERANGE;
        }
    }
    if (!rc && !take)
        s->value = next;
    if (!rc && take) {
        int len = snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)(next + 1));
        if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)len, 0) != len || fsync(fd)) {
            fw_diag_add(d, FW_ERROR, "STAMP-COUNTER", &file, "cannot write the counter file back: %s", strerror(errno));
            rc = FW_EIO;
        } else {
            s->value = next;
            s->taken = true;
        }
    }
    flock(fd, LOCK_UN);
    close(fd);
    return rc;
}

int fw_stamp_apply(fw_image *img, fw_stamp *s, const uint8_t uid[12], uint64_t now, uint8_t fill, fw_diag *d)
{
    uint8_t b[20];
    unsigned w = s->width;
    const char *origin = "<stamp>";
    switch (s->kind) {
    case FW_STAMP_UID:
        origin = "<stamp uid>";
        if (s->crc) {
            s->value = fw_checksum_bytes(FW_CK_CRC32, uid, 12);
            break;
        }
        return fw_image_put(img, s->addr, uid, 12, origin);
    case FW_STAMP_TIME:
        origin = "<stamp time>";
        s->value = now;
        break;
    case FW_STAMP_COUNTER:
        origin = "<stamp counter>";
        if (s->ascii) {
            char digits[24];
            snprintf(digits, sizeof(digits), "%0*llu", (int)w, (unsigned long long)s->value);
            return fw_image_put(img, s->addr, digits, w, origin);
        }
        break;
    case FW_STAMP_CRC32: {
        origin = "<stamp crc32>";
        uint32_t v;
        int rc = fw_checksum_range(img, FW_CK_CRC32, s->lo, s->end, fill, s->addr, s->addr + 4, &v, d);
        if (rc)
            return rc;
        s->value = v;
        break;
    }
    }
    for (unsigned i = 0; i < w; i++)
        b[s->big_endian ? w - 1 - i : i] = (uint8_t)(i < 8 ? s->value >> (8 * i) : 0);
    return fw_image_put(img, s->addr, b, w, origin);
}
