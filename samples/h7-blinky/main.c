/* SPDX-License-Identifier: MIT */ /* Blinks LD1 (PB0) on the Nucleo-144 board of the STM32H743ZI. Register
 * addresses from RM0433: RCC_AHB4ENR (GPIOBEN), GPIOB MODER and ODR. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_AHB4ENR REG(0x580244E0u)
#define GPIOB_BASE 0x58020400u
#define GPIOB_MODER REG(GPIOB_BASE)
#define GPIOB_ODR REG(GPIOB_BASE + 0x14u)

/* initialised data (copied from flash by the start-up) and zeroed data */
static volatile uint32_t delay_loops = 400000;
static volatile uint32_t blinks;

int main(void)
{
    RCC_AHB4ENR |= 1u << 1;
    GPIOB_MODER = (GPIOB_MODER & ~3u) | 1u; /* PB0: output */
    for (;;) {
        GPIOB_ODR ^= 1u;
        blinks++;
        for (volatile uint32_t i = 0; i < delay_loops; i++) {
        }
    }
}
