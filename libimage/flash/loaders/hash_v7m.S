/* SPDX-License-Identifier: MIT */
@ hash.S for the cores with Thumb-2 (ARMv7-M, ARMv8-M Mainline: Cortex-M3,
@ M4, M7, M33): the same hash, four words a turn from one LDM, so a core at
@ a slow clock (4 MHz MSI out of reset on U5, L4, WB) spends about two
@ thirds of the cycles of the Thumb-1 loop, which needs a branch and two
@ pointer updates per word. Per 32-bit word w (little endian):
@   h = ((h ^ w) * 16777619); h ^= h >> 15      starting from h = 2166136261
@   r0 table of r1 entries {address (word aligned), bytes (a multiple of 4,
@   not 0), hash (written here)}
@ Ends with "bkpt #0" and r2 = 0.
@ args: 3 (the host sets r0-r2 alone: r2, not 0, says the end was not reached)
    .syntax unified
    .cpu cortex-m3
    .thumb
    .text
    .global hash_v7m_loader
hash_v7m_loader:
1:  ldr r2, [r0, #0]
    ldr r3, [r0, #4]
    ldr r5, basis
    ldr r6, prime
    subs r3, #16
    blo 3f
2:  ldmia r2!, {r4, r7, r8, r9}
    eors r5, r4
    muls r5, r6, r5
    eor r5, r5, r5, lsr #15
    eors r5, r7
    muls r5, r6, r5
    eor r5, r5, r5, lsr #15
    eor r5, r5, r8
    muls r5, r6, r5
    eor r5, r5, r5, lsr #15
    eor r5, r5, r9
    muls r5, r6, r5
    eor r5, r5, r5, lsr #15
    subs r3, #16
    bhs 2b
3:  adds r3, #16
    beq 5f
4:  ldr r7, [r2], #4
    eors r5, r7
    muls r5, r6, r5
    eor r5, r5, r5, lsr #15
    subs r3, #4
    bne 4b
5:  str r5, [r0, #8]
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
