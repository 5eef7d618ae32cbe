/* SPDX-License-Identifier: MIT */
@ fwkit's RAM flash loader for every family it drives: it programs from two
@ slots in SRAM that the host fills in turn, so the wire fills one slot while
@ the flash programs the other. A slot is ready when the word after its data
@ is not 0 (the host writes data and flag in one command, in address order);
@ the loader clears it when the slot is programmed. The family comes as data:
@ its status register, BSY and error masks, and its write unit (2: half-word
@ stores, as F0/F1/F3 and F2/F4/F7 x16 need; otherwise word stores: 4 for
@ F2/F4/F7 x32, 8 for an L4/G0 double word, a half-page on L0/L1, which must
@ never read flash while one is collected: this code reads only SRAM). The
@ host sets the controller's programming mode (PG, or FPRG|PROG) first.
@ Waits for BSY after each unit, stops at the first error. Thumb-1.
@   r0 header: +0 SR address, +4 BSY mask, +8 error mask, +12 unit bytes,
@   +16 slot bytes, +20 destination, +24 bytes in all; slots from +32, each
@   slot bytes of data and a flag word
@ Ends with "bkpt #0" and +24 = 0, or "bkpt #1"; +20 is where it got to.
@ args: 1 (the host sets r0 alone)
    .syntax unified
    .thumb
    .text
    .global ring_loader
ring_loader:
    ldr r1, [r0, #20]       @ destination
    ldr r2, [r0, #24]       @ bytes left in all
    movs r3, r0
    adds r3, #32            @ slot 0
1:  ldr r4, [r0, #16]       @ this slot's bytes: a whole slot, or what is left
    cmp r4, r2
    bls 2f
    movs r4, r2
2:  ldr r5, [r0, #16]
    adds r5, r3, r5         @ the slot's flag
3:  ldr r6, [r5]
    cmp r6, #0
    beq 3b
    movs r7, r3             @ source
4:  ldr r6, [r0, #12]       @ one unit
    cmp r6, #2
    bne 5f
    ldrh r5, [r7]
    strh r5, [r1]
    adds r7, #2
    adds r1, #2
    b 7f
5:  movs r5, r6
6:  ldr r6, [r7]
    str r6, [r1]
    adds r7, #4
    adds r1, #4
    subs r5, #4
    bne 6b
7:  ldr r5, [r0, #0]        @ wait for BSY
    ldr r6, [r5]
    ldr r5, [r0, #4]
    tst r6, r5
    bne 7b
    ldr r5, [r0, #8]
    tst r6, r5
    bne 9f
    ldr r6, [r0, #12]
    subs r4, r4, r6
    bhi 4b
    ldr r5, [r0, #16]       @ the slot is done: clear its flag
    adds r5, r3, r5
    movs r6, #0
    str r6, [r5]
    str r1, [r0, #20]
    ldr r5, [r0, #16]
    cmp r2, r5
    bls 8f
    subs r2, r2, r5
    str r2, [r0, #24]
    movs r6, r0             @ the other slot
    adds r6, #32
    cmp r3, r6
    bne 10f
    adds r5, #4
    adds r3, r3, r5
    b 1b
10: movs r3, r6
    b 1b
8:  movs r2, #0
    str r2, [r0, #24]
    bkpt #0
9:  str r1, [r0, #20]
    bkpt #1
