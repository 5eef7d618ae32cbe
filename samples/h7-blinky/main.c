/* SPDX-License-Identifier: MIT */ /* Blinks LD1 (PB0) on the Nucleo-144 board of the STM32H743ZI, and of
 * the dual-core STM32H745ZI (NUCLEO-H745ZI-Q) from its Cortex-M7; built
 * with -DCORE_CM4 it is the H745ZI's Cortex-M4 image and blinks LD2 (PE1).
 * Register addresses from RM0433 and RM0399: RCC_AHB4ENR (GPIOBEN,
 * GPIOEEN), GPIO MODER and ODR; the LEDs from UM2407 and UM2408. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_AHB4ENR REG(0x580244E0u)
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

int main(void)
{
    RCC_AHB4ENR |= PORT_ENABLE;
    PORT_MODER = (PORT_MODER & ~(3u << (2 * LED_PIN))) | 1u << (2 * LED_PIN); /* output */
    for (;;) {
        PORT_ODR ^= 1u << LED_PIN;
        blinks++;
        for (volatile uint32_t i = 0; i < delay_loops; i++) {
        }
    }
}
