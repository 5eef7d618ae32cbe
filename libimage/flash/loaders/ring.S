/* SPDX-License-Identifier: MIT */
@ fwkit's RAM flash loader for every family it drives: it programs from a
@ ring of slots in SRAM that the host fills ahead of it, so the wire and the
@ flash work at once. A slot is ready when the word after its data holds the
@ sequence value the loader expects next (+28, counted up by one a slot):
@ the host writes data and that word in one command, in address order, and a
@ value left in SRAM by an earlier run does not match (the host starts the
@ count at a value of its own). The family comes as data: its status
@ register, BSY and error masks, and its write unit (2: half-word stores, as
@ F0/F1/F3 and F2/F4/F7 x16 need; otherwise word stores: 4 for F2/F4/F7 x32,
@ 8 for an L4/G0 double word, a half-page on L0/L1, which must never read
@ flash while one is collected: this code reads only SRAM). The host sets the
@ controller's programming mode (PG, or FPRG|PROG) first. Waits for BSY after
@ each unit, stops at the first error. Where the family erases a sector with
@ two writes of its control register (select, then start), the host may
@ leave the erase to it: before the unit at an address, every sector of its
@ table that starts at or below it is erased, then the programming mode
@ written back, so the flash erases while the wire carries data. Thumb-1.
@   r0 header: +0 SR address, +4 BSY mask, +8 error mask, +12 unit bytes,
@   +16 slot bytes, +20 destination, +24 bytes in all, +28 the next slot's
@   sequence value, +32 slots in the ring, +36 the control register, +40
@   its programming mode, +44 the next sector to erase, +48 sectors left to
@   erase, +52 the first slot, +56 the next range to hash, +60 ranges left
@   to hash, +64 where the next range's hash goes, +68 the bit that starts
@   an erase; a sector to erase is 2 words (its address and the value that
@   selects it), a range to hash 2 words (address, bytes: a multiple of 8,
@   not 0), the hashes a word each; a slot is slot bytes of data and its
@   sequence word. With no bytes to program it only hashes (which sectors
@   already hold the image).
@ Ends with "bkpt #0" and +24 = 0 (and +60 = 0 once it hashed), or "bkpt
@ #1"; +20 is where it got to, +28 less the first sequence value the slots
@ it finished, +48 the sectors it did not erase. The hash is loaders/hash.S's:
@ the host verifies the ranges it programmed from one word each, with no
@ other routine to load; each range is hashed once programming has passed
@ its end, between slots, so that where the wire is the slower the core
@ hashes while it waits.
@ thumb2: assembled again for the cores with Thumb-2 (ARMv7-M, ARMv8-M
@ Mainline) as ring_v7m, its hash folding with one instruction where
@ Thumb-1 takes two: 9 instructions for two words instead of 11.
@ args: 1 (the host sets r0 alone)
    .syntax unified
    .thumb
    .text
    .global ring_loader
ring_loader:
    ldr r1, [r0, #20]       @ destination
    ldr r2, [r0, #24]       @ bytes left in all
    cmp r2, #0
    beq 8f
    ldr r3, [r0, #52]       @ slot 0
1:  ldr r4, [r0, #16]       @ this slot's bytes: a whole slot, or what is left
    cmp r4, r2
    bls 2f
    movs r4, r2
2:  ldr r5, [r0, #16]
    adds r5, r3, r5         @ the slot's sequence word
    ldr r7, [r0, #28]
3:  ldr r6, [r5]
    cmp r6, r7
    bne 3b
    movs r7, r3             @ source
4:  ldr r5, [r0, #48]       @ a sector to erase before this unit?
    cmp r5, #0
    beq 11f
    ldr r6, [r0, #44]
    ldr r5, [r6]
    cmp r5, r1
    bhi 11f
    mov r8, r7
    mov r9, r4
    ldr r4, [r0, #36]
    ldr r5, [r6, #4]        @ select the sector
    str r5, [r4]
    ldr r7, [r0, #68]       @ start
    orrs r5, r7
    str r5, [r4]
    mov r10, r6
    bl wait_ready
    mov r6, r10
    ldr r5, [r0, #40]       @ programming mode again
    str r5, [r4]
    adds r6, #8
    str r6, [r0, #44]
    ldr r5, [r0, #48]
    subs r5, #1
    str r5, [r0, #48]
    mov r7, r8
    mov r4, r9
    b 4b
11: ldr r6, [r0, #12]       @ one unit
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
7:  bl wait_ready
    ldr r6, [r0, #12]
    subs r4, r4, r6
    bhi 4b
    str r1, [r0, #20]       @ the slot is done
    ldr r5, [r0, #28]
    adds r5, #1
    str r5, [r0, #28]
    bl hash_upto            @ the ranges it completed, while the host sends
    ldr r5, [r0, #16]
    cmp r2, r5
    bls 8f
    subs r2, r2, r5
    str r2, [r0, #24]
    adds r5, #4             @ the next slot, back to the first after the last
    adds r3, r3, r5
    ldr r6, [r0, #32]
    muls r6, r5, r6
    ldr r5, [r0, #52]
    adds r6, r6, r5
    cmp r3, r6
    bne 1b
    movs r3, r5
    b 1b
8:  movs r2, #0
    str r2, [r0, #24]
    subs r1, r2, #1         @ every range left
    bl hash_upto
    bkpt #0
9:  str r1, [r0, #20]
    bkpt #1

@ Waits while the controller is busy; stops at an error flag. Uses r5, r6.
wait_ready:
    ldr r5, [r0, #0]
    ldr r6, [r5]
    ldr r5, [r0, #4]
    tst r6, r5
    bne wait_ready
    ldr r5, [r0, #8]
    tst r6, r5
    bne 9b
    bx lr

@ Hashes the ranges of the table (from +56, +60 of them) that end at or
@ below r1, each once: +56 and +60 move past it. Keeps r0-r3.
hash_upto:
    mov r10, r2
    mov r11, r3
    mov r12, lr
20: ldr r2, [r0, #60]
    cmp r2, #0
    beq 29f
    ldr r6, [r0, #56]
    ldr r3, [r6, #0]
    ldr r4, [r6, #4]
    adds r5, r3, r4
    cmp r5, r1
    bhi 29f
    mov r9, r6
    ldr r5, basis
    ldr r6, prime
21: ldmia r3!, {r2, r7}      @ two words a turn
    eors r5, r2
    muls r5, r6, r5
.ifdef THUMB2
    eor r5, r5, r5, lsr #15 @ the shift and the fold in one, same bytes
.else
    lsrs r2, r5, #15
    eors r5, r2
.endif
    eors r5, r7
    muls r5, r6, r5
.ifdef THUMB2
    eor r5, r5, r5, lsr #15
.else
    lsrs r7, r5, #15
    eors r5, r7
.endif
    subs r4, #8
    bne 21b
    ldr r6, [r0, #64]
    stmia r6!, {r5}
    str r6, [r0, #64]
    mov r6, r9
    adds r6, #8
    str r6, [r0, #56]
    ldr r2, [r0, #60]
    subs r2, #1
    str r2, [r0, #60]       @ 0 at the end: every range hashed
    b 20b
29: mov r2, r10
    mov r3, r11
    bx r12
    .align 2
basis:
    .word 2166136261
prime:
    .word 16777619
