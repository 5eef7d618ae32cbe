/* SPDX-License-Identifier: MIT */ /* The secure half of a TrustZone pair (Armv8-M security extension, built
 * with -mcmse): its vector table at the secure alias of flash, where a part
 * with TZEN set boots (SECBOOTADD0), one entry point the non-secure image
 * may call (an SG veneer in .gnu.sgstubs), and the jump to the non-secure
 * image: VTOR_NS, MSP_NS, then a BLXNS to its reset handler (Armv8-M ARM
 * DDI 0553: VTOR_NS at 0xE002ED08, the non-secure alias of the SCB). */
#include <arm_cmse.h>
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
void Reset_Handler(void);
void Default_Handler(void);

static volatile uint32_t calls = 1;

/* the service the non-secure side calls */
int __attribute__((cmse_nonsecure_entry)) secure_count(int step)
{
    calls += (uint32_t)step;
    return (int)calls;
}

typedef void __attribute__((cmse_nonsecure_call)) (*ns_reset_t)(void);

void Reset_Handler(void)
{
    uint32_t *src = _sidata, *dst = _sdata;
    while (dst < _edata)
        *dst++ = *src++;
    for (dst = _sbss; dst < _ebss;)
        *dst++ = 0;
    const uint32_t *ns_vectors = (const uint32_t *)NS_VECTORS;
    REG(0xE002ED08u) = NS_VECTORS;             /* VTOR_NS */
    __asm volatile("msr msp_ns, %0" ::"r"(ns_vectors[0]));
    ns_reset_t ns_reset = (ns_reset_t)cmse_nsfptr_create(ns_vectors[1]);
    ns_reset();
    for (;;) {
    }
}

void Default_Handler(void)
{
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) void (*const g_vectors[16 + 16])(void) = {
    (void (*)(void))_estack, Reset_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, /* [7] SecureFault */
    0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
    [16 ... 31] = Default_Handler,
};
