/* SPDX-License-Identifier: MIT */
/* The floor for hex->bin: the least a single-purpose C program must do.
 * Reads the file, decodes type 00/04 records with a table, no checks at all,
 * writes the bytes from the lowest address. Not part of fwkit. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint8_t hv[256];

static unsigned byte_at(const char *p)
{
    return (unsigned)(hv[(uint8_t)p[0]] << 4 | hv[(uint8_t)p[1]]);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    for (int i = 0; i < 10; i++)
        hv['0' + i] = (uint8_t)i;
    for (int i = 0; i < 6; i++)
        hv['A' + i] = hv['a' + i] = (uint8_t)(10 + i);
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st))
        return 1;
    char *text = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, text + got, (size_t)st.st_size - got);
        if (r <= 0)
            return 1;
        got += (size_t)r;
    }
    text[got] = 0;
    size_t cap = 1 << 20, hi = 0;
    uint8_t *out = malloc(cap);
    uint64_t upper = 0, base = UINT64_MAX;
    for (const char *p = text; (p = strchr(p, ':')) != NULL;) {
        unsigned ll = byte_at(p + 1), type = byte_at(p + 7);
        uint64_t addr = upper + (byte_at(p + 3) << 8 | byte_at(p + 5));
        if (type == 4)
            upper = (uint64_t)(byte_at(p + 9) << 8 | byte_at(p + 11)) << 16;
        else if (type == 0) {
            if (base == UINT64_MAX)
                base = addr;
            size_t off = (size_t)(addr - base);
            while (off + ll > cap) {
                cap *= 2;
                out = realloc(out, cap);
            }
            for (unsigned i = 0; i < ll; i++)
                out[off + i] = (uint8_t)byte_at(p + 9 + 2 * i);
            if (off + ll > hi)
                hi = off + ll;
        }
        p += 11 + 2 * ll;
    }
    FILE *f = fopen(argv[2], "wb");
    fwrite(out, 1, hi, f);
    return fclose(f) != 0;
}
