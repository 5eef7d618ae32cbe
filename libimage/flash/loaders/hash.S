@ fwkit's RAM routine hashing flash for verification: the chip's own core
@ reads the programmed range back and folds it into 32 bits, so the probe
@ carries one word instead of every byte. Per 32-bit word w (little endian):
@   h = ((h ^ w) * 16777619); h ^= h >> 15      starting from h = 2166136261
@ (FNV-1a's constants on words, with a shift that carries high bits down so
@ that differences cannot pile up in bit 31). Thumb-1: every Cortex-M.
@   r1 first address (word aligned), r2 bytes (a multiple of 4, not 0)
@ Ends with "bkpt #0" and r0 = the hash, r2 = 0.
    .syntax unified
    .thumb
    .text
    .global hash_loader
hash_loader:
    ldr r5, basis
    ldr r6, prime
1:  ldr r7, [r1]
    eors r5, r7
    muls r5, r6, r5
    lsrs r7, r5, #15
    eors r5, r7
    adds r1, #4
    subs r2, #4
    bne 1b
    movs r0, r5
    bkpt #0
    .align 2
basis:
    .word 2166136261
prime:
    .word 16777619
