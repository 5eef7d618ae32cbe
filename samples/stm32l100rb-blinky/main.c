/* SPDX-License-Identifier: MIT */ /* Blinks the two LEDs of the STM32L100C-DISCO board (PC8 blue, PC9 green).
 * Register addresses from RM0038 (STM32L100xx/L15xxx reference manual). */
#include <stdint.h>

#define RCC_AHBENR (*(volatile uint32_t *)0x4002381Cu)
#define GPIOC_MODER (*(volatile uint32_t *)0x40020800u)
#define GPIOC_ODR (*(volatile uint32_t *)0x40020814u)
#define RCC_AHBENR_GPIOCEN (1u << 2)

/* initialised data (copied from flash by the start-up) and zeroed data */
static volatile uint32_t delay_loops = 200000;
static volatile uint32_t blinks;

static void delay(void)
{
    for (volatile uint32_t i = 0; i < delay_loops; i++) {
    }
}

int main(void)
{
    RCC_AHBENR |= RCC_AHBENR_GPIOCEN;
    GPIOC_MODER = (GPIOC_MODER & ~(0xFu << 16)) | (0x5u << 16); /* PC8, PC9 outputs */
    for (;;) {
        GPIOC_ODR ^= (1u << 8) | (1u << (8 + (blinks & 1)));
        blinks++;
        delay();
    }
}
