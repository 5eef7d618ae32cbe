/* SPDX-License-Identifier: MIT */
/* Byte streams under the readers and writers: a file, standard input or
 * memory, gunzipped on the fly; a line reader for the text formats; and a
 * buffered output sink. Private to libimage. */
#ifndef FWKIT_FORMAT_IO_H
#define FWKIT_FORMAT_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

#include "fwkit/diag.h"
#include "fwkit/image.h"

struct fw_input {
    const char *name;        /* for diagnostics */
    int fd;                  /* -1 for memory */
    bool regular;            /* fd is a regular file: seekable, size known */
    uint64_t file_size;
    const uint8_t *mem;
    size_t mem_len, mem_pos;
    uint8_t *raw;            /* raw bytes read ahead (before gzip decoding) */
    size_t raw_len, raw_pos, raw_cap;
    bool gz;
    bool gz_end;             /* inflate reached the end of the last member */
    bool no_gzip;            /* read as it is even if it starts like gzip */
    z_stream zs;
    uint8_t *peek;           /* decoded bytes read ahead for sniffing */
    size_t peek_len, peek_pos;
};

/* Opens path ("-" = stdin) or memory; reads ahead and, when gunzip is set,
 * detects gzip. */
int fw_input_open_file(struct fw_input *in, const char *path, bool gunzip, fw_diag *d);
void fw_input_open_memory(struct fw_input *in, const void *buf, size_t len, const char *name);
int fw_input_start(struct fw_input *in, fw_diag *d);
void fw_input_close(struct fw_input *in);
/* Decoded bytes; returns count, 0 at end, or FW_EIO / FW_EFORMAT. */
ssize_t fw_input_read(struct fw_input *in, void *buf, size_t n, fw_diag *d);
/* The first up to n decoded bytes, without consuming them. */
int fw_input_peek(struct fw_input *in, size_t n, const uint8_t **p, size_t *len, fw_diag *d);
/* Everything left, in one malloc'd buffer. */
int fw_input_slurp(struct fw_input *in, uint8_t **buf, size_t *len, fw_diag *d);
/* Bytes [off, off+len) of a regular, uncompressed input file mapped
 * privately (PROT_READ|PROT_WRITE) with its pages in place: *data points at
 * them inside *map (*map_len bytes, for munmap). FW_EUNSUPPORTED when the
 * input is not such a file or the pages are not there to map: read instead,
 * which reports what is wrong. */
int fw_input_map(struct fw_input *in, uint64_t off, size_t len, void **map, size_t *map_len, uint8_t **data);

struct fw_lines {
    struct fw_input *in;
    char *buf;
    size_t cap, pos, len;
    bool eof;
    uint64_t line;           /* number of the line last returned */
    fw_diag *d;
};

int fw_lines_init(struct fw_lines *lr, struct fw_input *in, fw_diag *d);
void fw_lines_free(struct fw_lines *lr);
/* 1 with a line (no '\n'), 0 at the end, negative fw_err on failure. */
int fw_lines_next(struct fw_lines *lr, const char **s, size_t *n);

/* The location of a column on the current line. */
fw_location fw_lines_where(const struct fw_lines *lr, uint32_t column);

struct fw_output {
    int fd;
    const char *name;
    uint8_t *buf;
    size_t len, cap;
    int err;
    fw_diag *d;
};

int fw_output_init(struct fw_output *o, int fd, const char *name, fw_diag *d);
/* Room for at least n bytes at o->buf + o->len (flushes as needed). */
uint8_t *fw_output_room(struct fw_output *o, size_t n);
void fw_output_put(struct fw_output *o, const void *p, size_t n);
int fw_output_finish(struct fw_output *o);

/* Hex digits: value of a character, 0x80 when it is not one. */
extern const uint8_t fw_hex_value[256];
extern const char fw_hex_upper[16];
/* "000102...FF": the two digits of byte b at 2*b. */
extern const char fw_hex_pairs[513];
/* SWAR on eight ASCII characters loaded little-endian into a word. */
#define FW_ONES 0x0101010101010101ull
/* High bit set in each byte strictly between m and n (bytes below 0x80). */
#define FW_BYTES_BETWEEN(x, m, n) \
    (((FW_ONES * (127 + (n)) - ((x) & FW_ONES * 127)) & ~(x) & (((x) & FW_ONES * 127) + FW_ONES * (127 - (m)))) & \
     FW_ONES * 128)

/* True when all eight characters are hex digits. */
static inline int fw_hex8_valid(uint64_t x)
{
    uint64_t digit = FW_BYTES_BETWEEN(x, 0x2F, 0x3A);
    uint64_t lower = x | FW_ONES * 0x20;
    uint64_t letter = FW_BYTES_BETWEEN(lower, 0x60, 0x67);
    return (digit | letter) == FW_ONES * 128;
}

/* The four bytes eight valid hex digits spell, first digit most significant,
 * packed little-endian (first byte lowest). */
static inline uint32_t fw_hex8_value(uint64_t x)
{
    /* '0'-'9' are 0x3_, letters have bit 6 set and low nibble 1..6 */
    uint64_t n = (x & FW_ONES * 0x0F) + ((x >> 6) & FW_ONES) * 9;
    uint64_t y = (n << 4 | n >> 8) & 0x00FF00FF00FF00FFull;
    y = (y | y >> 8) & 0x0000FFFF0000FFFFull;
    return (uint32_t)(y | y >> 16);
}

/* Hex digits of s[0..n) (n even) into out: -1, or the index of a bad character. */
long fw_hex_decode(const char *s, size_t n, uint8_t *out);

#endif
