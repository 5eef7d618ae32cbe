/* SPDX-License-Identifier: MIT */ /* Blinks LD1 (PB0) on the Nucleo-144 board of the STM32H743ZI, and of
 * the dual-core STM32H745ZI (NUCLEO-H745ZI-Q) from its Cortex-M7; built
 * with -DCORE_CM4 it is the H745ZI's Cortex-M4 image and blinks LD2 (PE1).
 * The H745ZI's two images start as ST's dual-core templates do
 * (-DDUAL_CORE for the Cortex-M7): the Cortex-M4 stops, and its domain D2
 * with it, until the Cortex-M7 has set the system up and frees hardware
 * semaphore 0 (STM32CubeH7's HSEM_ResourceSharing readme). Register
 * addresses from RM0433 and RM0399: RCC_CR (D2CKRDY), RCC_AHB4ENR
 * (GPIOBEN, GPIOEEN, HSEMEN), the HSEM's, GPIO MODER and ODR; the LEDs
 * from UM2407 and UM2408. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_CR      REG(0x58024400u)
#define D2CKRDY     (1u << 15)
#define RCC_AHB4ENR REG(0x580244E0u)
#define HSEMEN      (1u << 25)
#define HSEM_R0     REG(0x58026400u)
#define HSEM_RLR0   REG(0x58026480u)
#define HSEM_C2IER  REG(0x58026510u)
#define HSEM_C2ICR  REG(0x58026514u)
#define CM7_COREID  3u
#define SCB_SCR     REG(0xE000ED10u)
#define SLEEPDEEP   (1u << 2)
#if defined(CORE_CM4)
#define PORT_BASE   0x58021000u /* GPIOE */
#define PORT_ENABLE (1u << 4)   /* GPIOEEN */
#define LED_PIN     1
#else
#define PORT_BASE   0x58020400u /* GPIOB */
#define PORT_ENABLE (1u << 1)   /* GPIOBEN */
#define LED_PIN     0
#endif
#define PORT_MODER REG(PORT_BASE)
#define PORT_ODR   REG(PORT_BASE + 0x14u)

/* initialised data (copied from flash by the start-up) and zeroed data */
static volatile uint32_t delay_loops = 400000;
static volatile uint32_t blinks;

#if defined(CORE_CM4)
/* Stop until the Cortex-M7 frees semaphore 0: SEV and a first WFE clear
 * the event register, the second WFE with SLEEPDEEP stops the core */
static void wait_for_cm7(void)
{
    RCC_AHB4ENR |= HSEMEN;
    HSEM_C2IER |= 1u;
    SCB_SCR |= SLEEPDEEP;
    __asm volatile("sev\n\twfe\n\twfe" ::: "memory");
    SCB_SCR &= ~SLEEPDEEP;
    HSEM_C2ICR = 1u;
}
#elif defined(DUAL_CORE)
/* where the Cortex-M7 ends when the Cortex-M4 does not follow the sequence */
static void __attribute__((noinline)) boot_failed(void)
{
    for (;;) {
    }
}

/* waits (a bounded while, as ST's templates do) for D2CKRDY to read want */
static void wait_for_d2(uint32_t want)
{
    for (uint32_t n = 0xFFFF; (RCC_CR & D2CKRDY) != want; n--)
        if (!n)
            boot_failed();
}

/* the Cortex-M4 stopped (D2 with it); free semaphore 0 to wake it, then
 * wait for D2 to run again */
static void release_cm4(void)
{
    wait_for_d2(0);
    RCC_AHB4ENR |= HSEMEN;
    if (HSEM_RLR0 == (1u << 31 | CM7_COREID << 8)) /* the 1-step lock: ours */
        HSEM_R0 = CM7_COREID << 8;
    wait_for_d2(D2CKRDY);
}
#endif

int main(void)
{
#if defined(CORE_CM4)
    wait_for_cm7();
#elif defined(DUAL_CORE)
    release_cm4();
#endif
    RCC_AHB4ENR |= PORT_ENABLE;
    PORT_MODER = (PORT_MODER & ~(3u << (2 * LED_PIN))) | 1u << (2 * LED_PIN); /* output */
    for (;;) {
        PORT_ODR ^= 1u << LED_PIN;
        blinks++;
        for (volatile uint32_t i = 0; i < delay_loops; i++) {
        }
    }
}
