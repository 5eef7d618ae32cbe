/* SPDX-License-Identifier: MIT */
@ fwkit's RAM routine computing a checksum of flash on the chip's own core
@ (fwflash checksum), so the probe carries a word instead of every byte.
@ The same definitions as libimage/checksum.c, continued from a state so a
@ range can be done in runs:
@   kind 0  CRC-32 (reflected, polynomial 0xEDB88320): state is the running
@           CRC before its final inversion
@   kind 1  CRC-32/MPEG-2 (the STM32 CRC unit: each little-endian word
@           shifted in most significant bit first, polynomial 0x04C11DB7)
@   kind 2  CRC-16 with polynomial 0x1021, most significant bit first
@   kind 3  the sum of the bytes, modulo 2^32
@   kind 4  Adler-32: state = a | b << 16, modulo 65521
@   r0 a block in SRAM {kind, state (replaced by the result)}
@   r1 the first address (word aligned for kind 1)
@   r4 bytes (not 0; a multiple of 4 for kind 1)
@ Thumb-1: every Cortex-M. Ends with "bkpt #0" and r2 = 0.
    .syntax unified
    .thumb
    .text
    .global checksum_loader
checksum_loader:
    ldr r2, [r0, #0]
    ldr r3, [r0, #4]
    cmp r2, #1
    beq mpeg2
    cmp r2, #2
    beq crc16
    cmp r2, #3
    beq sum
    cmp r2, #4
    beq adler
crc32:
    ldr r6, poly32r
1:  ldrb r5, [r1]
    eors r3, r5
    movs r7, #8
2:  lsrs r3, r3, #1
    bcc 3f
    eors r3, r6
3:  subs r7, #1
    bne 2b
    adds r1, #1
    subs r4, #1
    bne 1b
    b done
mpeg2:
    ldr r6, poly32
1:  ldr r5, [r1]
    eors r3, r5
    movs r7, #32
2:  lsls r3, r3, #1
    bcc 3f
    eors r3, r6
3:  subs r7, #1
    bne 2b
    adds r1, #4
    subs r4, #4
    bne 1b
    b done
crc16:
    ldr r6, poly16
    ldr r2, mask16
1:  ldrb r5, [r1]
    lsls r5, r5, #8
    eors r3, r5
    movs r7, #8
2:  lsls r3, r3, #1
    lsrs r5, r3, #17
    bcc 3f
    eors r3, r6
3:  ands r3, r2
    subs r7, #1
    bne 2b
    adds r1, #1
    subs r4, #1
    bne 1b
    b done
sum:
1:  ldrb r5, [r1]
    adds r3, r5
    adds r1, #1
    subs r4, #1
    bne 1b
    b done
adler:
    ldr r6, modulus
    lsrs r2, r3, #16
    uxth r3, r3
1:  ldrb r5, [r1]
    adds r3, r5
    cmp r3, r6
    blo 2f
    subs r3, r6
2:  adds r2, r3
    cmp r2, r6
    blo 3f
    subs r2, r6
3:  adds r1, #1
    subs r4, #1
    bne 1b
    lsls r2, r2, #16
    orrs r3, r2
done:
    str r3, [r0, #4]
    movs r2, #0
    bkpt #0
    .align 2
poly32r:
    .word 0xEDB88320
poly32:
    .word 0x04C11DB7
poly16:
    .word 0x1021
mask16:
    .word 0xFFFF
modulus:
    .word 65521
