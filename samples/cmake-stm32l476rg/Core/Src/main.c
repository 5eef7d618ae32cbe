/* SPDX-License-Identifier: MIT */
/* CubeMX keeps the application in Core/Src/main.c; here it is the blinky
 * shared by the samples, built for the Nucleo-L476RG (BOARD_STM32L476RG). */
#include "../../../blinky/main.c"
