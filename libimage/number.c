/* SPDX-License-Identifier: MIT */
#include "fwkit/number.h"

#include <string.h>

bool fw_parse_u64n(const char *s, size_t n, uint64_t *out)
{
    if (!n)
        return false;
    unsigned base = 10;
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
        base = 8;
        i = 2;
    } else if (n > 1 && s[0] == '0') {
        base = 8;
        i = 1;
    }
    unsigned shift = 0;
    char last = s[n - 1];
    if (last == 'k' || last == 'K')
        shift = 10;
    else if (last == 'm' || last == 'M')
        shift = 20;
    else if (last == 'g' || last == 'G')
        shift = 30;
    size_t end = shift ? n - 1 : n;
    if (i >= end)
        return false;
    uint64_t v = 0;
    for (; i < end; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        if (d >= base || v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

bool fw_parse_u64(const char *s, uint64_t *out)
{
    return s && fw_parse_u64n(s, strlen(s), out);
}
