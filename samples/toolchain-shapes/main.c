/* SPDX-License-Identifier: MIT */ /* One small STM32F103C8 program in the shapes other toolchains give their
 * images, built with the GNU toolchain so that anyone can rebuild them:
 *   rust-style:    cortex-m-rt's section names (.vector_table with
 *                  .vector_table.reset_vector and .exceptions, .uninit,
 *                  .defmt), the entry symbol Reset, the stack _stack_start;
 *   zephyr-style:  Zephyr's output sections (rom_start, datas, noinit);
 *   armlink-style: the entry point __main, the C library entry of Arm
 *                  Compiler (it scatter-loads, then calls main), which is
 *                  not the reset handler;
 *   iar-style:     the entry point __iar_program_start, IAR's C start-up. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _stack_start[];
int main(void);
void Reset(void);
void DefaultHandler(void);

static volatile uint32_t ticks = 7;
static volatile uint32_t zeroed;
/* kept over a reset (cortex-m-rt's #[link_section = ".uninit"]) */
__attribute__((section(".uninit.BOOT_COUNT"))) volatile uint32_t boot_count;

/* the C library entry of the armlink and IAR shapes: copy and zero, then main */
#if defined(SHAPE_ARMLINK)
#define C_ENTRY __main
#elif defined(SHAPE_IAR)
#define C_ENTRY __iar_program_start
#else
#define C_ENTRY c_entry
#endif
void C_ENTRY(void);
void C_ENTRY(void)
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

/* the reset handler: what a power-on reset runs (SystemInit, then the C entry) */
void Reset(void)
{
    boot_count++;
    C_ENTRY();
}

void DefaultHandler(void)
{
    for (;;) {
    }
}

int main(void)
{
    REG(0x40021018u) |= 1u << 4; /* RCC_APB2ENR: IOPCEN */
    for (;;)
        zeroed += ticks;
}

/* defmt's log strings: an info section, not loaded */
__attribute__((section(".defmt.hello"), used)) static const char defmt_hello[] = "{=str}";

__attribute__((section(".vector_table.reset_vector"), used)) void (*const reset_vector[2])(void) = {
    (void (*)(void))_stack_start, Reset};
__attribute__((section(".vector_table.exceptions"), used)) void (*const exceptions[14])(void) = {
    DefaultHandler, DefaultHandler, DefaultHandler, DefaultHandler, DefaultHandler, 0, 0, 0, 0,
    DefaultHandler, DefaultHandler, 0, DefaultHandler, DefaultHandler};
