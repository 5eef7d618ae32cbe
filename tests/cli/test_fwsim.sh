#!/bin/sh
# SPDX-License-Identifier: MIT
# fwsim end to end: unmodified st-info, st-flash (stlink-tools 1.7.0) and
# OpenOCD 0.12 against the emulated probe, through real libusb on the
# umockdev bus, for a part of every modelled flash family.
. "$(dirname "$0")/lib.sh"
FWSIM="$BIN/fwsim"
SAMPLES="$ROOT/samples"

# the usage errors need no USB
run "$FWSIM"
expect "fwsim: no command is a usage error" 2 "no command to run"
run "$FWSIM" --probe v9 -- true
expect "fwsim: an unknown probe is named" 2 "--probe 'v9'"
run "$FWSIM" --fault bogus@1 -- true
expect "fwsim: an unknown fault kind is named" 2 "unknown kind"
run "$FWSIM" --serial 123 -- true
expect "fwsim: a serial must have 24 characters" 2 "24 letters or digits"
run "$FWSIM" --target STM32F999ZZ -- true
expect "fwsim: an unknown part is refused" 2 "unknown part 'STM32F999ZZ'"

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "fwsim end-to-end tests" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

run "$FWSIM" -- sh -c 'exit 3'
expect "fwsim: exits with the command's status" 3

# a deterministic 8 KiB image
python3 -c 'import random,sys; r=random.Random(5); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(8192)))' \
    > "$TMP/img.bin"

# part  st-info chip id  flash  sram  erased byte  OpenOCD target  sample
PARTS="STM32L100RB 0x0416 131072 16384 00 stm32l1 stm32l100rb-blinky/blinky.elf
STM32F103C8 0x0410 65536 20480 ff stm32f1x blinky/blinky-stm32f103c8.elf
STM32F407VG 0x0413 1048576 196608 ff stm32f4x blinky/blinky-stm32f407vg.elf
STM32L476RG 0x0415 1048576 98304 ff stm32l4x blinky/blinky-stm32l476rg.elf
STM32G071RB 0x0460 131072 36864 ff stm32g0x blinky/blinky-stm32g071rb.elf"

if command -v st-info > /dev/null && command -v st-flash > /dev/null; then
    echo "$PARTS" | while read -r part chip flash sram erased cfg sample; do
        run "$FWSIM" --target "$part" -- st-info --probe
        if [ "$rc" -eq 0 ] && grep -q "chipid:     $chip" "$TMP/out" && grep -q "flash:      $flash " "$TMP/out" &&
            grep -q "sram:       $sram\$" "$TMP/out"; then
            pass "st-info --probe under fwsim: $part is $chip, $flash bytes of flash, $sram of SRAM"
        else
            fail "st-info --probe under fwsim: $part" "expected chip $chip, flash $flash, sram $sram"
        fi

        state="$TMP/$part.state"
        run "$FWSIM" --target "$part" --state "$state" -- st-flash write "$TMP/img.bin" 0x08000000
        if [ "$rc" -eq 0 ] && grep -q "jolly good" "$TMP/err"; then
            run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/back.bin" 0x08000000 8192
            if [ "$rc" -eq 0 ] && cmp -s "$TMP/img.bin" "$TMP/back.bin"; then
                pass "st-flash write, then read in a second run, gives the bytes back: $part"
            else
                fail "st-flash read after write: $part" "read back differs or failed"
            fi
        else
            fail "st-flash write under fwsim: $part" "no 'Flash written and verified'"
        fi

        run "$FWSIM" --target "$part" --state "$state" -- st-flash erase
        run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/erased.bin" 0x08000000 8192
        other=$(od -An -v -tx1 "$TMP/erased.bin" | tr -s ' ' '\n' | grep -v "^$erased\$" | grep -c .)
        if [ "$rc" -eq 0 ] && [ "$other" -eq 0 ]; then
            pass "st-flash erase leaves the family's erased value 0x$erased: $part"
        else
            fail "st-flash erase: $part" "$other bytes are not 0x$erased"
        fi
    done
else
    skip "st-info and st-flash under fwsim" "stlink-tools is not installed (make deps installs it)"
fi

if command -v openocd > /dev/null; then
    echo "$PARTS" | while read -r part chip flash sram erased cfg sample; do
        run "$FWSIM" --target "$part" --stats "$TMP/stats.json" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c "program $SAMPLES/$sample verify reset exit"
        # a G0 whose flash was empty at power-on boots its system bootloader
        # after that reset (FLASH_ACR EMPTY, RM0444 §2.5), as on silicon:
        # OpenOCD 0.12 does not clear the flag
        where='"pc": "0x08'
        case $part in STM32G0*) where='"pc": "0x1fff' ;; esac
        if [ "$rc" -eq 0 ] && grep -q "Verified OK" "$TMP/err" && grep -q '"steady_loop": true' "$TMP/stats.json" &&
           grep -q "$where" "$TMP/stats.json"; then
            case $part in
            STM32G0*) pass "OpenOCD programs and verifies the sample for $part; after its reset the chip runs its bootloader (the flash was empty at power-on)" ;;
            *) pass "OpenOCD programs and verifies the sample for $part, which then boots to its main loop" ;;
            esac
        else
            fail "OpenOCD program verify reset under fwsim: $part" "$(grep core "$TMP/stats.json")"
        fi
    done
    # over JTAG: the JTAG-DP answers with its own IDCODE (OpenOCD checks it), at the JTAG clock
    for pc in "STM32F103C8 stm32f1x blinky/blinky-stm32f103c8.elf" "STM32F407VG stm32f4x blinky/blinky-stm32f407vg.elf"; do
        set -- $pc
        run "$FWSIM" --target "$1" --stats "$TMP/stats.json" -- openocd -f interface/stlink.cfg \
            -c "transport select hla_jtag" -f "target/$2.cfg" -c "program $SAMPLES/$3 verify reset exit"
        if [ "$rc" -eq 0 ] && grep -q "Verified OK" "$TMP/err" && ! grep -q "UNEXPECTED idcode" "$TMP/err" &&
           grep -q '"JTAG_SET_FREQ": [1-9]' "$TMP/stats.json"; then
            pass "OpenOCD over JTAG (hla_jtag) programs and verifies the sample for $1"
        else
            fail "OpenOCD over JTAG: $1" "exit $rc"
        fi
    done
    # parts whose target configs OpenOCD 0.12 checks harder: WB and WL (the
    # SW-DP IDCODE 0x6ba02477 it expects), L0 (reset-init switches SYSCLK to
    # HSI16 and waits for RCC_CFGR.SWS to show it), H7 (its own flash
    # algorithm against fwsim's H7 controller)
    "$BIN/fwconv" -q -o "$TMP/any.bin" "$SAMPLES/blinky/blinky-stm32l476rg.elf"
    # and L5/U5 (stm32x5x_common.cfg: the SW-DP 0x0be12477, PLL and voltage
    # scaling at reset-init), with TrustZone off, and on (its secure flash
    # bank at 0x0C000000, the secure registers at 0x50022000)
    for pc in "STM32WB55RG stm32wbx 0x08000000" "STM32WL55JC stm32wlx 0x08000000" "STM32L053R8 stm32l0 0x08000000" \
              "STM32H743ZI stm32h7x 0x08000000" "STM32L552ZE stm32l5x 0x08000000" "STM32U575ZI stm32u5x 0x08000000" \
              "STM32U575ZI stm32u5x 0x0C000000 TZEN=1" "STM32L552ZE stm32l5x 0x0C000000 TZEN=1"; do
        set -- $pc
        tz=${4:+--boot-option $4}
        # shellcheck disable=SC2086
        run "$FWSIM" --target "$1" $tz -- openocd -f interface/stlink.cfg -f "target/$2.cfg" \
            -c "program $TMP/any.bin $3 verify reset exit"
        if [ "$rc" -eq 0 ] && grep -q "Verified OK" "$TMP/err" && ! grep -q "UNEXPECTED idcode" "$TMP/err" &&
           { [ -z "$4" ] || grep -q "TZEN = 1 : TrustZone enabled" "$TMP/err"; }; then
            pass "OpenOCD programs and verifies a binary on $1 ${4:-} at $3 with its own target/$2.cfg"
        else
            fail "OpenOCD program verify on $1 ${4:-}" "exit $rc"
        fi
    done
    # the dual-core H745ZI through the ST-Link's DAP interface (stlink-dap:
    # its DUAL_CORE path, which hla does not take): the DBGMCU through AP2
    # (APB-D), the CM4 on AP3, queued accesses (RW_MISC); both banks
    # programmed and verified, and after the reset the CM4 runs its blinky
    "$BIN/fwmerge" -q --start-from 1 -o "$TMP/h745.hex" "$SAMPLES/h7-blinky/blinky-stm32h745zi_cm7.elf" \
        "$SAMPLES/h7-blinky/blinky-stm32h745zi_cm4.elf"
    run "$FWSIM" --target STM32H745ZI --stats "$TMP/stats.json" -- openocd -f interface/stlink-dap.cfg -c "set DUAL_CORE 1" \
        -f target/stm32h7x_dual_bank.cfg -c "program $TMP/h745.hex verify reset exit"
    if [ "$rc" -eq 0 ] && grep -q "Verified OK" "$TMP/err" && grep -q "stm32h7x.cpu1" "$TMP/err" &&
       python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c, m = s["second_core"], s["core"]
sys.exit(0 if c["state"] == m["state"] == "running" and c["pc"].startswith("0x081") and m["pc"].startswith("0x080") else 1)' "$TMP/stats.json"; then
        pass "OpenOCD (stlink-dap, DUAL_CORE) programs and verifies both H745ZI banks; after its reset each core runs its image"
    else
        fail "OpenOCD dual-core on STM32H745ZI" "exit $rc $(grep second_core "$TMP/stats.json")"
    fi
else
    skip "OpenOCD under fwsim" "openocd is not installed (make deps installs it)"
fi

# pyOCD (Debian's python3-pyocd 0.13) drives the DP and APs itself
# (READ_DAP_REG/WRITE_DAP_REG) and finds the core through the ROM table;
# with its own target and flash algorithm it programs an F103RC
if command -v pyocd-flashtool > /dev/null; then
    "$BIN/fwconv" -q -o "$TMP/f1.bin" "$SAMPLES/blinky/blinky-stm32f103c8.elf"
    state="$TMP/pyocd.state"
    run "$FWSIM" --target STM32F103RC --state "$state" -- pyocd-flashtool -t stm32f103rc "$TMP/f1.bin"
    size=$(wc -c < "$TMP/f1.bin")
    "$FWSIM" --target STM32F103RC --state "$state" -- "$BIN/fwflash" -q read -o "$TMP/f1.back" --range "0x08000000:$size"
    if [ "$rc" -eq 0 ] && grep -q "SCS-M3" "$TMP/err" && grep -q "Programmed $size bytes" "$TMP/err" &&
       cmp -s "$TMP/f1.bin" "$TMP/f1.back"; then
        pass "pyOCD finds the core through the DAP and ROM table, and programs an STM32F103RC"
    else
        fail "pyOCD under fwsim: STM32F103RC" "$(grep -iE 'error|exception' "$TMP/err" | head -3)"
    fi
else
    skip "pyOCD under fwsim" "pyocd-flashtool is not installed (make deps installs python3-pyocd)"
fi

# read protection, set and removed by OpenOCD's own option-byte code for each
# family: level 1 hides flash from the debug port; level 0 again mass-erases
if command -v openocd > /dev/null; then
    echo "STM32L100RB stm32l1 stm32l1x stm32l100rb-blinky/blinky.elf 00
STM32F103C8 stm32f1x stm32f1x blinky/blinky-stm32f103c8.elf ff
STM32F407VG stm32f4x stm32f2x blinky/blinky-stm32f407vg.elf ff
STM32L476RG stm32l4x stm32l4x blinky/blinky-stm32l476rg.elf ff
STM32G071RB stm32g0x stm32l4x blinky/blinky-stm32g071rb.elf ff" | while read -r part cfg driver sample erased; do
        state="$TMP/rdp-$part.state"
        rm -f "$state"
        run "$FWSIM" --target "$part" --state "$state" --flash "$SAMPLES/$sample" -- st-flash read "$TMP/open.bin" 0x08000000 16
        run "$FWSIM" --target "$part" --state "$state" -- openocd -f interface/stlink.cfg \
            -f "target/$cfg.cfg" -c "init; reset halt; $driver lock 0; reset halt; exit"
        lock_rc=$rc
        # st-flash 1.7.0 ignores the probe's fault status and saves what came back
        run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/locked.bin" 0x08000000 16
        locked_read=0
        cmp -s "$TMP/open.bin" "$TMP/locked.bin" && locked_read=1
        run "$FWSIM" --target "$part" --state "$state" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c "init; reset halt; $driver unlock 0; reset halt; exit"
        unlock_rc=$rc
        run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/unlocked.bin" 0x08000000 4096
        other=$(od -An -v -tx1 "$TMP/unlocked.bin" | tr -s ' ' '\n' | grep -v "^$erased\$" | grep -c .)
        if [ "$lock_rc" -eq 0 ] && [ "$locked_read" -eq 0 ] && [ "$unlock_rc" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$other" -eq 0 ]; then
            pass "OpenOCD '$driver lock' hides the $part's flash from the debugger; '$driver unlock' mass-erases it to 0x$erased"
        else
            fail "read protection via OpenOCD: $part" "lock $lock_rc, image still readable $locked_read, unlock $unlock_rc, $other bytes not erased"
        fi
    done
    # L4 OTP (RM0351 §3.3.1): OpenOCD's loader programs a double word there
    # once; a second write to it fails (PROGERR), and st-flash reads the first
    printf '\021\042\063\104\125\146\167\210' > "$TMP/otp1.bin"
    printf '\001\002\003\004\005\006\007\010' > "$TMP/otp2.bin"
    state="$TMP/otp.state"
    for img in otp1 otp2; do
        run "$FWSIM" --target STM32L476RG --state "$state" -- openocd -f interface/stlink.cfg -f target/stm32l4x.cfg \
            -c "init; reset halt; stm32l4x otp 1 enable; flash write_bank 1 $TMP/$img.bin 0; exit"
        eval "${img}_rc=\$rc"
    done
    second_err=$(grep -c "flash write failed = 00000008" "$TMP/err")
    run "$FWSIM" --target STM32L476RG --state "$state" -- st-flash read "$TMP/otp.read" 0x1FFF7000 8
    if [ "$otp1_rc" -eq 0 ] && [ "$second_err" -eq 1 ] && cmp -s "$TMP/otp1.bin" "$TMP/otp.read"; then
        pass "OpenOCD programs an L476RG OTP double word once; the second write fails with PROGERR"
    else
        fail "L4 OTP via OpenOCD" "first exit $otp1_rc, PROGERR seen $second_err"
    fi
else
    skip "read protection via OpenOCD under fwsim" "openocd is not installed (make deps installs it)"
fi
run "$FWSIM" --fault claimed@3 -- true
expect "fwsim: a condition fault (claimed) takes no @" 2 "claimed is a condition from the start, given without @"
run "$FWSIM" --rdp 3 -- true
expect "fwsim --rdp takes level 1 or 2" 2 "--rdp '3': expected 1 or 2"
run "$FWSIM" --target STM32F103C8 --rdp 2 -- true
expect "fwsim --rdp 2 on an F1, which has no level 2, is refused" 2 "has no read-protection level 2"

# level 2 disables the debug port: a peer meets it as it meets no target
# at all (st-info reads chip id 0; OpenOCD's init fails)
if have st-info; then
    run "$FWSIM" --target STM32F407VG --rdp 2 -- st-info --probe
    if grep -q "chipid: *0x0000" "$TMP/out" && grep -q "version: *V2J37S7" "$TMP/out"; then
        pass "fwsim --rdp 2 on an F407VG: st-info finds the probe, and no chip behind it"
    else
        fail "st-info on an RDP 2 F407VG" "$(grep -E 'chipid|version' "$TMP/out")"
    fi
fi
if have openocd; then
    run "$FWSIM" --target STM32F407VG --rdp 2 -- openocd -f interface/stlink.cfg -f target/stm32f4x.cfg -c init -c shutdown
    if [ "$rc" -ne 0 ] && ! grep -q "Cortex-M4 r0p1 processor detected" "$TMP/out" "$TMP/err"; then
        pass "fwsim --rdp 2 on an F407VG: OpenOCD 0.12 cannot connect"
    else
        fail "OpenOCD on an RDP 2 F407VG" "exit $rc"
    fi
fi
# a version-1 state file (before the option bytes were modelled) loads, at level 0
printf 'fwsim-state 1 STM32F103C8\n' > "$TMP/v1.state"
"$BIN/fwsim" --target STM32F103C8 --state "$TMP/v2.state" -- true 2> /dev/null
tail -n +2 "$TMP/v2.state" | python3 -c '
import sys
data = sys.stdin.buffer.read()
# zero the option bytes, as version 1 kept them
marker = b"memory 1ffff800 10\n"
at = data.index(marker) + len(marker)
sys.stdout.buffer.write(data[:at] + bytes(16) + data[at + 16:])' >> "$TMP/v1.state"
run "$FWSIM" --target STM32F103C8 --state "$TMP/v1.state" -- "$BIN/fwflash" info
if [ "$rc" -eq 0 ] && grep -q "read protection level 0" "$TMP/out" && head -1 "$TMP/v1.state" | grep -q "^fwsim-state 2 "; then
    pass "fwsim reads a version-1 state file with factory option bytes, and keeps it as version 2"
else
    fail "version-1 state file"
fi

# --flash and --stats: the good sample boots; its figures are there
run "$FWSIM" --flash "$SAMPLES/stm32l100rb-blinky/blinky.hex" --stats "$TMP/boot.json" -- true
if [ "$rc" -eq 0 ] && python3 - "$TMP/boot.json" << 'EOF'; then
import json, sys
s = json.load(open(sys.argv[1]))
core = s["core"]
assert s["target"] == "STM32L100RB" and s["probe"] == "v2", s
assert core["state"] == "running" and core["steady_loop"] and core["fault"] is None, core
assert 0x08000000 <= int(core["pc"], 16) < 0x08000200, core
for k in ("transfers", "bytes_out", "bytes_in"):
    assert s["usb"][k] == 0, s["usb"]
assert set(s["flash"]) == {"erases", "programs", "busy_s"} and s["modeled_time_s"] == 0, s  # nothing on the wire
EOF
    pass "fwsim --flash: the good sample boots to a steady loop in flash; --stats says so in JSON"
else
    fail "fwsim --flash and --stats" "$(cat "$TMP/boot.json")"
fi

# the image linked at the boot alias has nowhere to go
run "$FWSIM" --flash "$SAMPLES/stm32l100rb-blinky/boot-alias/blinky.hex" -- true
expect "fwsim --flash refuses an image outside the chip's memories" 2 "outside every memory of the STM32L100RB"

# a blank chip: the reset vector is nothing; the core is in lockup
run "$FWSIM" --target STM32F103C8 --stats "$TMP/blank.json" -- true
if grep -q '"state": "fault"' "$TMP/blank.json"; then
    pass "a blank STM32F103C8 faults at reset, and --stats says where"
else
    fail "blank chip core state" "$(grep core "$TMP/blank.json")"
fi

# a state file belongs to its part
run "$FWSIM" --state "$TMP/STM32L100RB.state" --target STM32F103C8 -- true
expect "fwsim --state of another part is refused, naming both" 2 "the state of a STM32L100RB, not of the STM32F103C8"

if command -v st-info > /dev/null && command -v st-flash > /dev/null; then
    # several probes: each its own serial and chip
    run "$FWSIM" --probe v2 --probe v3 --serial 0123456789ABCDEF01234567 -- st-info --probe
    if [ "$rc" -eq 0 ] && grep -q "Found 2 stlink programmers" "$TMP/out" &&
        grep -q "0123456789ABCDEF01234567" "$TMP/out" && grep -q "version:    V3J7" "$TMP/out"; then
        pass "fwsim --probe twice: st-info finds a V2 and a V3, with the serial given"
    else
        fail "two probes" "expected two programmers"
    fi

    # faults: a stalled transfer and an unplugged probe reach the client as libusb errors
    run "$FWSIM" --fault stall@3 -- st-info --probe
    if grep -q "LIBUSB_ERROR_PIPE" "$TMP/out" "$TMP/err"; then
        pass "fwsim --fault stall@3: the client sees a stalled endpoint"
    else
        fail "stall fault" "no LIBUSB_ERROR_PIPE"
    fi
    run "$FWSIM" --fault unplug@5 -- st-info --probe
    if grep -q "LIBUSB_ERROR_NO_DEVICE" "$TMP/out" "$TMP/err" && grep -q "chipid:     0x0000" "$TMP/out"; then
        pass "fwsim --fault unplug@5: the probe is gone for the rest of the run"
    else
        fail "unplug fault" "no LIBUSB_ERROR_NO_DEVICE"
    fi
    run "$FWSIM" --fault ap-fault@0xE0042000 --target STM32F103C8 -- st-info --probe
    if grep -q "chipid:     0x0000" "$TMP/out"; then
        pass "fwsim --fault ap-fault@ADDR: the DBGMCU read fails, and st-info cannot tell the chip"
    else
        fail "ap-fault at an address" "st-info still saw the chip"
    fi

    # write protection as the option bytes would set it: st-flash is refused, the flash keeps its bytes
    run "$FWSIM" --target STM32F103C8 --stats "$TMP/wrp.json" --fault wrp@0x08000400 -- st-flash write "$TMP/img.bin" 0x08000000
    if [ "$rc" -ne 0 ] && grep -q "write protected" "$TMP/err" && grep -q '"erases": 0, "programs": 0' "$TMP/wrp.json"; then
        pass "fwsim --fault wrp@ADDR: the controller refuses with its write-protection error, and st-flash says so"
    else
        fail "write-protection fault" "$(grep flash "$TMP/wrp.json")"
    fi

    # F1 XL: st-flash knows bank 2's own registers (+0x40); an image across both banks reads back
    state="$TMP/xl.state"
    head -c 4096 "$TMP/img.bin" > "$TMP/xl.bin"
    run "$FWSIM" --target STM32F103ZG --state "$state" --stats "$TMP/xl.json" -- st-flash write "$TMP/xl.bin" 0x0807F800
    wrc=$rc
    run "$FWSIM" --target STM32F103ZG --state "$state" -- st-flash read "$TMP/xl.read" 0x0807F800 4096
    if [ "$wrc" -eq 0 ] && cmp -s "$TMP/xl.bin" "$TMP/xl.read" && grep -q '"erases": 2,' "$TMP/xl.json"; then
        pass "fwsim F103ZG: st-flash writes across bank 1 and bank 2 (KEYR2, CR2, AR2) and reads it back"
    else
        fail "st-flash across the F1 XL banks" "write exit $wrc: $(grep flash "$TMP/xl.json")"
    fi

    # power loss in the middle of programming: what was written stays, and a second run completes
    state="$TMP/power.state"
    run "$FWSIM" --target STM32F103C8 --state "$state" --stats "$TMP/power.json" --fault power-loss@950 \
        -- timeout -k 1 10 st-flash write "$TMP/img.bin" 0x08000000
    programs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["flash"]["programs"])' "$TMP/power.json")
    if [ "$rc" -ne 0 ] && [ "$programs" -gt 0 ] && [ "$programs" -lt 4096 ]; then
        pass "fwsim --fault power-loss: the write fails part way ($programs of 4096 half-words programmed)"
    else
        fail "power loss" "rc $rc, $programs half-words programmed"
    fi
    run "$FWSIM" --target STM32F103C8 --state "$state" -- st-flash write "$TMP/img.bin" 0x08000000
    if [ "$rc" -eq 0 ] && grep -q "jolly good" "$TMP/err"; then
        pass "after a power loss the chip keeps its state, and a second write completes"
    else
        fail "second write after power loss"
    fi
fi
