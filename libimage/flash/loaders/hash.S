/* SPDX-License-Identifier: MIT */
@ fwkit's RAM routine hashing flash: the chip's own core reads ranges back
@ and folds each into 32 bits, so the probe carries a word per range instead
@ of every byte (skipping sectors that already hold the image, verifying
@ what was written). Per 32-bit word w (little endian):
@   h = ((h ^ w) * 16777619); h ^= h >> 15      starting from h = 2166136261
@ (FNV-1a's constants on words, with a shift that carries high bits down so
@ that differences cannot pile up in bit 31). Thumb-1: every Cortex-M.
@   r0 table of r1 entries {address (word aligned), bytes (a multiple of 4,
@   not 0), hash (written here)}
@ Ends with "bkpt #0" and r2 = 0.
@ args: 3 (the host sets r0-r2 alone: r2, not 0, says the end was not reached)
    .syntax unified
    .thumb
    .text
    .global hash_loader
hash_loader:
1:  ldr r2, [r0, #0]
    ldr r3, [r0, #4]
    ldr r5, basis
    ldr r6, prime
2:  ldr r7, [r2]
    eors r5, r7
    muls r5, r6, r5
    lsrs r7, r5, #15
    eors r5, r7
    adds r2, #4
    subs r3, #4
    bne 2b
    str r5, [r0, #8]
    adds r0, #12
    subs r1, #1
    bne 1b
    movs r2, #0
    bkpt #0
    .align 2
basis:
    .word 2166136261
prime:
    .word 16777619
