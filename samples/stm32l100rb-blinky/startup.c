/* SPDX-License-Identifier: MIT */ /* Cortex-M3 start-up for the STM32L100RB: the vector table, then copy .data
 * from its load address in flash, zero .bss, and call main(). */
#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int main(void);

void Reset_Handler(void);
void Default_Handler(void);

void Reset_Handler(void)
{
    uint32_t *src = _sidata, *dst = _sdata;
    while (dst < _edata)
        *dst++ = *src++;
    for (dst = _sbss; dst < _ebss;)
        *dst++ = 0;
    main();
    for (;;) {
    }
}

void Default_Handler(void)
{
    for (;;) {
    }
}

void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* ARMv6-M (Cortex-M0/M0+, when the blinky sample builds for one) reserves
 * the MemManage, BusFault, UsageFault and DebugMon slots: they must be 0. */
#if defined(__ARM_ARCH_6M__)
#define V7M_ONLY(handler) 0
#else
#define V7M_ONLY(handler) handler
#endif

/* 16 system entries and the first device interrupts (all default). */
__attribute__((section(".isr_vector"), used)) void (*const g_vectors[16 + 45])(void) = {
    (void (*)(void))_estack, Reset_Handler,     NMI_Handler,      HardFault_Handler,
    V7M_ONLY(MemManage_Handler), V7M_ONLY(BusFault_Handler), V7M_ONLY(UsageFault_Handler), 0,
    0,                       0,                 0,                SVC_Handler,
    V7M_ONLY(DebugMon_Handler), 0,              PendSV_Handler,   SysTick_Handler,
    [16 ... 60] = Default_Handler,
};
