@ fwkit's RAM flash loader for the STM32L0/L1 program memory (RM0038 §3.3.4,
@ RM0377 §3.3.4): half-page programming with PECR = FPRG | PROG set by the
@ host. Copies one half-page of consecutive words (the last starts the
@ write), waits for BSY, stops at the first error flag; running from SRAM, it
@ never reads flash while a half-page is collected. Thumb-1 (L0 is an M0+).
@   r0 source (SRAM), r1 destination (flash, half-page aligned),
@   r2 bytes (whole half-pages), r3 NVM register base, r4 half-page bytes
@ Ends with "bkpt #0" and r2 = 0, or "bkpt #1".
    .syntax unified
    .thumb
    .text
    .global l0l1_loader
l0l1_loader:
1:  movs r5, r4
2:  ldr r6, [r0]
    str r6, [r1]
    adds r0, #4
    adds r1, #4
    subs r5, #4
    bne 2b
3:  ldr r6, [r3, #0x18]     @ SR
    movs r7, #1             @ BSY
    tst r6, r7
    bne 3b
    ldr r7, errors
    tst r6, r7
    bne 4f
    subs r2, r2, r4
    bne 1b
    bkpt #0
4:  bkpt #1
    .align 2
errors:
    .word 0x00033F00        @ WRPERR PGAERR SIZERR OPTVERR OPTVERRUSR RDERR NOTZEROERR FWWERR
