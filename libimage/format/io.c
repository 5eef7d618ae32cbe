/* SPDX-License-Identifier: MIT */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAW_BLOCK (256 * 1024)
#define LINE_BUF (256 * 1024)

const char fw_hex_upper[16] = "0123456789ABCDEF";

const char fw_hex_pairs[513] =
    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
    "202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F"
    "404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F"
    "606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F"
    "808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9F"
    "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"
    "C0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
    "E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF";

#define X 0x80
const uint8_t fw_hex_value[256] = {
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, X, X, X, X, X, X,
    X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
};
#undef X

static void io_error(fw_diag *d, const char *name, const char *what, int err)
{
    fw_location loc = {.file = name};
    fw_diag_add(d, FW_ERROR, "IO", &loc, "%s: %s", what, strerror(err));
}

int fw_input_open_file(struct fw_input *in, const char *path, bool gunzip, fw_diag *d)
{
    memset(in, 0, sizeof(*in));
    in->fd = -1;
    in->no_gzip = !gunzip;
    bool is_stdin = !strcmp(path, "-");
    in->name = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_error(d, in->name, "cannot open", errno);
        return FW_EIO;
    }
    in->fd = fd;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        in->regular = !is_stdin;
        in->file_size = (uint64_t)st.st_size;
    } else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        io_error(d, in->name, "cannot read", EISDIR);
        fw_input_close(in);
        return FW_EIO;
    }
    return fw_input_start(in, d);
}

void fw_input_open_memory(struct fw_input *in, const void *buf, size_t len, const char *name)
{
    memset(in, 0, sizeof(*in));
    in->fd = -1;
    in->name = name ? name : "<memory>";
    in->mem = buf;
    in->mem_len = len;
    in->regular = true;
    in->file_size = len;
}

void fw_input_close(struct fw_input *in)
{
    if (in->fd > STDIN_FILENO)
        close(in->fd);
    in->fd = -1;
    if (in->gz)
        inflateEnd(&in->zs);
    in->gz = false;
    free(in->raw);
    free(in->peek);
    in->raw = in->peek = NULL;
}

/* Undecoded bytes: what was read ahead first, then the file or memory. */
static ssize_t raw_read(struct fw_input *in, void *buf, size_t n, fw_diag *d)
{
    if (in->raw_pos < in->raw_len) {
        size_t take = in->raw_len - in->raw_pos < n ? in->raw_len - in->raw_pos : n;
        memcpy(buf, in->raw + in->raw_pos, take);
        in->raw_pos += take;
        return (ssize_t)take;
    }
    if (in->mem) {
        size_t take = in->mem_len - in->mem_pos < n ? in->mem_len - in->mem_pos : n;
        memcpy(buf, in->mem + in->mem_pos, take);
        in->mem_pos += take;
        return (ssize_t)take;
    }
    if (in->fd < 0)
        return 0;
    for (;;) {
        ssize_t r = read(in->fd, buf, n);
        if (r >= 0)
            return r;
        if (errno != EINTR) {
            io_error(d, in->name, "read failed", errno);
            return FW_EIO;
        }
    }
}

int fw_input_start(struct fw_input *in, fw_diag *d)
{
    uint8_t magic[2];
    size_t got = 0;
    while (got < 2) {
        ssize_t r = raw_read(in, magic + got, 2 - got, d);
        if (r < 0)
            return (int)r;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    /* push the bytes back */
    if (got) {
        in->raw = malloc(RAW_BLOCK);
        if (!in->raw)
            return FW_ENOMEM;
        in->raw_cap = RAW_BLOCK;
        memcpy(in->raw, magic, got);
        in->raw_len = got;
        in->raw_pos = 0;
    }
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b && !in->no_gzip) {
        memset(&in->zs, 0, sizeof(in->zs));
        if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK)
            return FW_ENOMEM;
        in->gz = true;
        in->zs.next_in = in->raw;
        in->zs.avail_in = (uInt)got;
        in->raw_pos = in->raw_len; /* now owned by zlib */
    }
    return FW_OK;
}

static ssize_t decoded_read(struct fw_input *in, void *buf, size_t n, fw_diag *d)
{
    if (!in->gz)
        return raw_read(in, buf, n, d);
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    in->zs.next_out = buf;
    in->zs.avail_out = (uInt)n;
    while (in->zs.avail_out == n && !in->gz_end) {
        if (in->zs.avail_in == 0) {
            in->raw_len = in->raw_pos = 0;
            ssize_t r = raw_read(in, in->raw, in->raw_cap, d);
            if (r < 0)
                return r;
            if (r == 0) {
                fw_location loc = {.file = in->name};
                fw_diag_add(d, FW_ERROR, "FMT-GZIP", &loc,
                            "gzip data ends early (the file is truncated)");
                return FW_EFORMAT;
            }
            in->zs.next_in = in->raw;
            in->zs.avail_in = (uInt)r;
        }
        int zr = inflate(&in->zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            /* another gzip member may follow */
            if (in->zs.avail_in == 0) {
                in->raw_len = in->raw_pos = 0;
                ssize_t r = raw_read(in, in->raw, in->raw_cap, d);
                if (r < 0)
                    return r;
                in->zs.next_in = in->raw;
                in->zs.avail_in = (uInt)r;
            }
            if (in->zs.avail_in == 0)
                in->gz_end = true;
            else
                inflateReset(&in->zs);
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            fw_location loc = {.file = in->name, .has_offset = true, .offset = in->zs.total_in};
            fw_diag_add(d, FW_ERROR, "FMT-GZIP", &loc, "corrupt gzip data: %s",
                        in->zs.msg ? in->zs.msg : "inflate failed");
            return FW_EFORMAT;
        }
    }
    return (ssize_t)(n - in->zs.avail_out);
}

ssize_t fw_input_read(struct fw_input *in, void *buf, size_t n, fw_diag *d)
{
    if (in->peek_pos < in->peek_len) {
        size_t take = in->peek_len - in->peek_pos < n ? in->peek_len - in->peek_pos : n;
        memcpy(buf, in->peek + in->peek_pos, take);
        in->peek_pos += take;
        return (ssize_t)take;
    }
    return decoded_read(in, buf, n, d);
}

int fw_input_peek(struct fw_input *in, size_t n, const uint8_t **p, size_t *len, fw_diag *d)
{
    if (!in->peek) {
        in->peek = malloc(n ? n : 1);
        if (!in->peek)
            return FW_ENOMEM;
        while (in->peek_len < n) {
            ssize_t r = decoded_read(in, in->peek + in->peek_len, n - in->peek_len, d);
            if (r < 0)
                return (int)r;
            if (r == 0)
                break;
            in->peek_len += (size_t)r;
        }
    }
    *p = in->peek + in->peek_pos;
    *len = in->peek_len - in->peek_pos;
    return FW_OK;
}

int fw_input_map(struct fw_input *in, uint64_t off, size_t len, void **map, size_t *map_len, uint8_t **data)
{
    if (in->fd < 0 || !in->regular || in->gz || !len || off > in->file_size || len > in->file_size - off)
        return FW_EUNSUPPORTED;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t start = off - off % page;
    size_t n = (size_t)(off - start) + len;
    void *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, in->fd, (off_t)start);
    if (m == MAP_FAILED)
        return FW_EUNSUPPORTED;
    /* Map the cached pages now, without copying them: a writer reading them
     * a fault at a time costs as much as reading the file. It also finds a
     * file cut short since it was opened (EFAULT) or unreadable (EIO) now,
     * not as SIGBUS later. EINVAL: a kernel before 5.14, pages come on use. */
    if (madvise(m, n, MADV_POPULATE_READ) && errno != EINVAL) {
        munmap(m, n);
        return FW_EUNSUPPORTED;
    }
    *map = m;
    *map_len = n;
    *data = (uint8_t *)m + (off - start);
    return FW_OK;
}

int fw_input_slurp(struct fw_input *in, uint8_t **buf, size_t *len, fw_diag *d)
{
    size_t cap = in->regular && !in->gz ? (size_t)in->file_size + 1 : 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    if (!b)
        return FW_ENOMEM;
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return FW_ENOMEM;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t r = fw_input_read(in, b + n, cap - n, d);
        if (r < 0) {
            free(b);
            return (int)r;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
    return FW_OK;
}

int fw_lines_init(struct fw_lines *lr, struct fw_input *in, fw_diag *d)
{
    memset(lr, 0, sizeof(*lr));
    lr->in = in;
    lr->d = d;
    lr->cap = LINE_BUF;
    lr->buf = malloc(lr->cap);
    return lr->buf ? FW_OK : FW_ENOMEM;
}

void fw_lines_free(struct fw_lines *lr)
{
    free(lr->buf);
    lr->buf = NULL;
}

int fw_lines_next(struct fw_lines *lr, const char **s, size_t *n)
{
    for (;;) {
        char *start = lr->buf + lr->pos;
        size_t avail = lr->len - lr->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (nl) {
            *s = start;
            *n = (size_t)(nl - start);
            lr->pos += *n + 1;
            lr->line++;
            return 1;
        }
        if (lr->eof) {
            if (!avail)
                return 0;
            *s = start;
            *n = avail;
            lr->pos = lr->len;
            lr->line++;
            return 1;
        }
        if (lr->pos) {
            memmove(lr->buf, start, avail);
            lr->len = avail;
            lr->pos = 0;
        }
        if (lr->len == lr->cap) {
            fw_location loc = fw_lines_where(lr, 0);
            loc.line = lr->line + 1;
            fw_diag_add(lr->d, FW_ERROR, "FMT-TEXT-ENCODING", &loc,
                        "line is longer than %zu bytes; this is not a text image", lr->cap);
            return FW_EFORMAT;
        }
        ssize_t r = fw_input_read(lr->in, lr->buf + lr->len, lr->cap - lr->len, lr->d);
        if (r < 0)
            return (int)r;
        if (r == 0)
            lr->eof = true;
        lr->len += (size_t)r;
    }
}

fw_location fw_lines_where(const struct fw_lines *lr, uint32_t column)
{
    fw_location loc = {.file = lr->in->name, .line = lr->line, .column = column};
    return loc;
}

int fw_output_init(struct fw_output *o, int fd, const char *name, fw_diag *d)
{
    memset(o, 0, sizeof(*o));
    o->fd = fd;
    o->name = name;
    o->d = d;
    o->cap = 1 << 18;
    o->buf = malloc(o->cap);
    return o->buf ? FW_OK : FW_ENOMEM;
}

/* Writes all of p, retrying short writes; a failure is kept in o->err. */
static void write_all(struct fw_output *o, const uint8_t *p, size_t n)
{
    size_t off = 0;
    while (off < n && !o->err) {
        ssize_t w = write(o->fd, p + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            io_error(o->d, o->name, "write failed", w < 0 ? errno : EIO);
            o->err = FW_EIO;
            break;
        }
        off += (size_t)w;
    }
}

static void output_flush(struct fw_output *o)
{
    write_all(o, o->buf, o->len);
    o->len = 0;
}

uint8_t *fw_output_room(struct fw_output *o, size_t n)
{
    if (o->cap - o->len < n)
        output_flush(o);
    if (o->cap < n) {
        uint8_t *b = realloc(o->buf, n);
        if (!b) {
            o->err = FW_ENOMEM;
            return NULL;
        }
        o->buf = b;
        o->cap = n;
    }
    return o->buf + o->len;
}

void fw_output_put(struct fw_output *o, const void *p, size_t n)
{
    const uint8_t *b = p;
    if (n >= o->cap && !o->err) {
        /* large blocks go straight out, without a copy through the buffer */
        output_flush(o);
        write_all(o, b, n);
        return;
    }
    while (n && !o->err) {
        size_t room = o->cap - o->len;
        if (!room) {
            output_flush(o);
            continue;
        }
        size_t take = n < room ? n : room;
        memcpy(o->buf + o->len, b, take);
        o->len += take;
        b += take;
        n -= take;
    }
}

int fw_output_finish(struct fw_output *o)
{
    if (!o->err)
        output_flush(o);
    free(o->buf);
    o->buf = NULL;
    return o->err;
}

long fw_hex_decode(const char *s, size_t n, uint8_t *out)
{
    uint8_t bad = 0;
    for (size_t i = 0; i < n; i += 2) {
        uint8_t hi = fw_hex_value[(uint8_t)s[i]], lo = fw_hex_value[(uint8_t)s[i + 1]];
        bad |= hi | lo;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    if (!(bad & 0x80))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (fw_hex_value[(uint8_t)s[i]] & 0x80)
            return (long)i;
    return -1;
}
