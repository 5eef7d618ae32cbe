/* SPDX-License-Identifier: MIT */
/* 32-bit little-endian values in byte buffers, whatever the host's order:
 * the order of the image formats' fields, of the ST-Link protocol and of an
 * STM32's memory; and whether a buffer holds one value throughout (erased
 * flash, a zero fill). */
#ifndef FWKIT_BYTES_H
#define FWKIT_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline uint32_t fw_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fw_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Whether every one of the n bytes at p is v (true for n == 0). */
static inline bool fw_bytes_all(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

#ifdef __cplusplus
}
#endif

#endif
