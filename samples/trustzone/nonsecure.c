/* SPDX-License-Identifier: MIT */ /* The non-secure half of a TrustZone pair: its own vector table in the
 * non-secure flash after the secure image, and calls into the secure image
 * through the import library the secure link wrote (secure_nsclib.o). */
#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int secure_count(int step);
void Reset_Handler(void);
void Default_Handler(void);

static volatile int last = 3;

void Reset_Handler(void)
{
    uint32_t *src = _sidata, *dst = _sdata;
    while (dst < _edata)
        *dst++ = *src++;
    for (dst = _sbss; dst < _ebss;)
        *dst++ = 0;
    for (;;)
        last = secure_count(last & 1 ? 1 : 2);
}

void Default_Handler(void)
{
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) void (*const g_vectors[16 + 16])(void) = {
    (void (*)(void))_estack, Reset_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, 0,
    0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
    [16 ... 31] = Default_Handler,
};
