/* SPDX-License-Identifier: MIT */ /* Blinks an LED on the usual board of each part the Makefile builds for:
 * a "blue pill" (STM32F103C8, PC13), the STM32F4DISCOVERY (STM32F407VG,
 * PD12), the Nucleo-64 boards of the STM32L476RG and STM32G071RB (PA5),
 * the Nucleo-144 boards of the STM32L552ZE and STM32U575ZI (LED1, PC7; the
 * _SECURE builds are the same program linked at the secure aliases, for
 * a part with TrustZone on), the Nucleo-WBA52CG (LD1, PB4), the
 * Nucleo-H563ZI (LD1, PB0), and the Nucleo-C071RB and Nucleo-U083RC (PA5,
 * G0's RCC_IOPENR and GPIO port A). Register addresses from each part's
 * reference manual (RM0008, RM0090, RM0351, RM0444, RM0438, RM0456,
 * RM0493, RM0481, RM0490, RM0503: RCC clock enables, GPIO MODER/CRH and
 * ODR); the boards' LEDs from their user manuals (UM2581, UM2861, UM3103,
 * UM3115, UM2953). */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

#if defined(BOARD_STM32F103C8)
#define CLOCK_ENABLE REG(0x40021018u) /* RCC_APB2ENR */
#define CLOCK_BIT (1u << 4)           /* IOPCEN */
#define PORT_ODR REG(0x4001100Cu)     /* GPIOC_ODR */
#define LED_PIN 13
static void led_output(void)
{
    /* CRH: PC13 as a 2 MHz push-pull output (MODE = 10, CNF = 00) */
    REG(0x40011004u) = (REG(0x40011004u) & ~(0xFu << 20)) | (0x2u << 20);
}
#else
#if defined(BOARD_STM32F407VG)
#define CLOCK_ENABLE REG(0x40023830u) /* RCC_AHB1ENR */
#define CLOCK_BIT (1u << 3)           /* GPIODEN */
#define PORT_BASE 0x40020C00u         /* GPIOD */
#define LED_PIN 12
#elif defined(BOARD_STM32L476RG)
#define CLOCK_ENABLE REG(0x4002104Cu) /* RCC_AHB2ENR */
#define CLOCK_BIT (1u << 0)           /* GPIOAEN */
#define PORT_BASE 0x48000000u         /* GPIOA */
#define LED_PIN 5
#elif defined(BOARD_STM32L552ZE) || defined(BOARD_STM32L552ZE_SECURE)
#define CLOCK_ENABLE REG(0x4002104Cu) /* RCC_AHB2ENR */
#define CLOCK_BIT (1u << 2)           /* GPIOCEN */
#define PORT_BASE 0x42020800u         /* GPIOC */
#define LED_PIN 7
#elif defined(BOARD_STM32U575ZI) || defined(BOARD_STM32U575ZI_SECURE)
#define CLOCK_ENABLE REG(0x46020C8Cu) /* RCC_AHB2ENR1 */
#define CLOCK_BIT (1u << 2)           /* GPIOCEN */
#define PORT_BASE 0x42020800u         /* GPIOC */
#define LED_PIN 7
#elif defined(BOARD_STM32WBA52CG) || defined(BOARD_STM32WBA52CG_SECURE)
#define CLOCK_ENABLE REG(0x46020C8Cu) /* RCC_AHB2ENR */
#define CLOCK_BIT (1u << 1)           /* GPIOBEN */
#define PORT_BASE 0x42020400u         /* GPIOB */
#define LED_PIN 4
#elif defined(BOARD_STM32H563ZI) || defined(BOARD_STM32H563ZI_SECURE)
#define CLOCK_ENABLE REG(0x44020C8Cu) /* RCC_AHB2ENR */
#define CLOCK_BIT (1u << 1)           /* GPIOBEN */
#define PORT_BASE 0x42020400u         /* GPIOB */
#define LED_PIN 0
#elif defined(BOARD_STM32G071RB) || defined(BOARD_STM32C071RB) || defined(BOARD_STM32U083RC)
#define CLOCK_ENABLE REG(0x40021034u) /* RCC_IOPENR */
#define CLOCK_BIT (1u << 0)           /* GPIOAEN */
#define PORT_BASE 0x50000000u         /* GPIOA */
#define LED_PIN 5
#else
#error "define BOARD_<PART>"
#endif
#define PORT_ODR REG(PORT_BASE + 0x14u)
static void led_output(void)
{
    REG(PORT_BASE) = (REG(PORT_BASE) & ~(3u << (2 * LED_PIN))) | (1u << (2 * LED_PIN)); /* MODER: output */
}
#endif

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
    CLOCK_ENABLE |= CLOCK_BIT;
    led_output();
    for (;;) {
        PORT_ODR ^= 1u << LED_PIN;
        blinks++;
        delay();
    }
}
