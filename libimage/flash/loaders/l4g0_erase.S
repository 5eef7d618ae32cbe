/* SPDX-License-Identifier: MIT */
@ fwkit's RAM loader erasing STM32L4/G0/G4/WB/C0 flash page by page
@ (RM0351 §3.3.6, RM0444 §3.3.7 page erase): CR = PER | PNB, then STRT,
@ wait for BSY, stop at the first error flag; the host's only work is one
@ run, not a USB round trip per page. Thumb-1 (G0 and C0 are M0+).
@   r1 first page number (in its bank), r2 pages, r3 flash register base,
@   r4 more CR bits (BKER for the second bank of a dual-bank part, else 0)
@ Ends with "bkpt #0", r2 = 0 and CR = 0, or "bkpt #1" with r1 at the
@ failed page.
    .syntax unified
    .thumb
    .text
    .global l4g0_erase_loader
l4g0_erase_loader:
1:  lsls r5, r1, #3         @ PNB from bit 3
    movs r6, #2             @ PER
    orrs r5, r6
    orrs r5, r4             @ BKER
    str r5, [r3, #0x14]     @ CR = PER | PNB
    movs r6, #1
    lsls r6, r6, #16        @ STRT
    orrs r5, r6
    str r5, [r3, #0x14]
2:  ldr r5, [r3, #0x10]     @ SR
    lsls r6, r5, #15        @ BSY (bit 16) into the sign
    bmi 2b
    ldr r6, errors
    tst r5, r6
    bne 3f
    adds r1, #1
    subs r2, #1
    bne 1b
    movs r5, #0
    str r5, [r3, #0x14]
    bkpt #0
3:  bkpt #1
    .align 2
errors:
    .word 0x0000C3FA        @ OPERR PROGERR WRPERR PGAERR SIZERR PGSERR MISERR FASTERR RDERR OPTVERR
