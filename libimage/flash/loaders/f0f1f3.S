@ fwkit's RAM flash loader for the STM32F0/F1/F3 FPEC (RM0008 §3.3.3): copies
@ half-words into flash with CR.PG already set by the host, waits for BSY
@ after each, and stops at the first PGERR or WRPRTERR. Thumb-1 only, so the
@ same bytes run on Cortex-M0 and M3/M4.
@   r0 source (SRAM), r1 destination (flash), r2 bytes (even), r3 FPEC base
@ Ends with "bkpt #0" and r2 = 0, or "bkpt #1" with r1 past the failed half-word.
    .syntax unified
    .thumb
    .text
    .global f0f1f3_loader
f0f1f3_loader:
1:  ldrh r5, [r0]
    strh r5, [r1]
    adds r0, #2
    adds r1, #2
2:  ldr r5, [r3, #0x0C]     @ SR
    movs r6, #1             @ BSY
    tst r5, r6
    bne 2b
    movs r6, #0x14          @ WRPRTERR | PGERR
    tst r5, r6
    bne 3f
    subs r2, #2
    bne 1b
    bkpt #0
3:  bkpt #1
