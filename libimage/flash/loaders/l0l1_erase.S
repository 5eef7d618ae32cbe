/* SPDX-License-Identifier: MIT */
@ fwkit's RAM loader erasing STM32L0/L1 program memory page by page
@ (RM0038 §3.3.4, RM0377 §3.3.4 page erase): with PECR = ERASE | PROG set by
@ the host, a word 0 written to the first word of a page erases it. Waits
@ for BSY after each page, stops at the first error flag; the host's only
@ work is one run, not a round trip per page. Thumb-1 (L0 is an M0+).
@   r1 first page, r2 bytes (whole pages), r3 NVM register base, r4 page bytes
@ Ends with "bkpt #0" and r2 = 0, or "bkpt #1" with r1 at the failed page.
    .syntax unified
    .thumb
    .text
    .global l0l1_erase_loader
l0l1_erase_loader:
    movs r6, #0
1:  str r6, [r1]
2:  ldr r5, [r3, #0x18]     @ SR
    movs r7, #1             @ BSY
    tst r5, r7
    bne 2b
    ldr r7, errors
    tst r5, r7
    bne 3f
    adds r1, r1, r4
    subs r2, r2, r4
    bne 1b
    bkpt #0
3:  bkpt #1
    .align 2
errors:
    .word 0x00033F00        @ WRPERR PGAERR SIZERR OPTVERR OPTVERRUSR RDERR NOTZEROERR FWWERR
