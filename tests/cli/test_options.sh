#!/bin/sh
# SPDX-License-Identifier: MIT
# fwflash options under fwsim: the user option bytes in the family's words,
# changed, reloaded and read back (BOR level and the watchdog bit on an
# F103C8, F407VG, L476RG and G071RB), OpenOCD 0.12 reading the same values
# back, the lock-out refused, and write --options.
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
S="$ROOT/samples"

run "$FWFLASH" --set BOR_LEV=1 write x.hex
expect "--set is for options" 2 "--set NAME=VALUE for options"
if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "fwflash options under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

# PART|OpenOCD target|its read command|the change|what fwflash shows after|what OpenOCD prints
# (the F1 has no brown-out level among its option bytes: RM0008 §3.3.3)
CASES="STM32F103C8|stm32f1x|stm32f1x options_read 0|WDG_SW=0|FLASH_OBR 0x03FFFFFC -> 0x03FFFFF8|watchdog: hardware
STM32F407VG|stm32f4x|stm32f2x options_read 0|BOR_LEV=1,WDG_SW=0|FLASH_OPTCR 0x0FFFAAED -> 0x0FFFAAC5|stm32f2x user_options 0xC4
STM32L476RG|stm32l4x|stm32l4x option_read 0 0x20|BOR_LEV=2,IWDG_SW=0|FLASH_OPTR 0xFFEFF8AA -> 0xFFEEFAAA|Option Register: <0x40022020> = 0xffeefaaa
STM32G071RB|stm32g0x|stm32l4x option_read 0 0x20|BORR_LEV=1,IWDG_SW=0|FLASH_OPTR 0xFFEFF8AA -> 0xFFEEE8AA|Option Register: <0x40022020> = 0xffeee8aa"
echo "$CASES" | while IFS='|' read -r part cfg cmd set after ocd; do
    state="$TMP/$part.state"
    rm -f "$state"
    run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" options --set "$set"
    if [ "$rc" -eq 0 ] && grep -q "^options:  programmed, reloaded and read back: $after" "$TMP/out" &&
       grep -q " -> " "$TMP/out"; then
        pass "fwflash options --set $set on the $part: old and new shown, programmed, reloaded, read back"
    else
        fail "fwflash options --set on the $part" "$(grep options: "$TMP/out")"
    fi
    run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" options
    word=${after##* }
    if [ "$rc" -eq 0 ] && grep -q "as loaded" "$TMP/out" && grep -q "$word" "$TMP/out"; then
        pass "in a later run, fwflash options on the $part reads $word"
    else
        fail "fwflash options on the $part after the change" "$(head -5 "$TMP/out")"
    fi
    if have openocd; then
        run "$FWSIM" --target "$part" --state "$state" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c init -c "reset halt" -c "$cmd" -c shutdown
        if grep -qF "$ocd" "$TMP/err"; then
            pass "OpenOCD 0.12 ($cmd) reads the same option bytes back on the $part: $ocd"
        else
            fail "OpenOCD reading the $part's option bytes" "$(grep -iE 'option|watchdog' "$TMP/err" | head -3)"
        fi
    else
        skip "OpenOCD reading the $part's option bytes" "openocd is not installed (make deps installs it)"
    fi
done

# the other FLASH_OPTR families the L4/G0 driver programs (the U0's option-byte
# memory is not in the target data: fwsim holds its change for the run), and
# the L0/L1 USER half-word
for pc in "STM32G474RE BOR_LEV=3,IWDG_SW=0 FLASH_OPTR 0xFFEFF8AA -> 0xFFEEFBAA" \
          "STM32U083RC BORR_LEV=2,IWDG_SW=0 FLASH_OPTR 0xFFEFF8AA -> 0xFFEEFAAA" \
          "STM32WB55RG BOR_LEV=2,IWDG_SW=0 FLASH_OPTR 0xFFEFF8AA -> 0xFFEEF4AA" \
          "STM32C031C6 BORF_LEV=2,IWDG_SW=0 FLASH_OPTR 0xFFEFF8AA -> 0xFFEEFCAA" \
          "STM32L053R8 BOR_LEV=9,IWDG_SW=0 FLASH_OBR 0x00F800AA -> 0x00E900AA" \
          "STM32L152RE BOR_LEV=9,IWDG_SW=0 FLASH_OBR 0x00F800AA -> 0x00E900AA"; do
    set -- $pc
    run "$FWSIM" --target "$1" -- "$FWFLASH" options --set "$2"
    if [ "$rc" -eq 0 ] && grep -q "programmed, reloaded and read back: $3 $4 $5 $6" "$TMP/out"; then
        pass "fwflash options --set $2 on the $1 round-trips ($4 $5 $6)"
    else
        fail "fwflash options --set on the $1" "$(grep options: "$TMP/out")"
    fi
done

# after the reload the chip runs again, as after a power cycle (--halt:
# the core stays at its reset vector)
run "$FWSIM" --target STM32L476RG --flash "$S/blinky/blinky-stm32l476rg.elf" --stats "$TMP/run.json" -- \
    "$FWFLASH" options --set IWDG_STOP=0
if [ "$rc" -eq 0 ] && grep -q "^reset:    the core runs with the new options" "$TMP/out" &&
   python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["core"]; sys.exit(0 if c["state"] == "running" and c["steady_loop"] else 1)' "$TMP/run.json"; then
    pass "options --set: after the reload the chip runs its firmware again"
else
    fail "options --set leaves the chip running" "exit $rc: $(grep -h reset: "$TMP/out")"
fi
run "$FWSIM" --target STM32L476RG --flash "$S/blinky/blinky-stm32l476rg.elf" --stats "$TMP/run.json" -- \
    "$FWFLASH" --halt options --set IWDG_STOP=0
if [ "$rc" -eq 0 ] && grep -q "^reset:    the core is halted at its reset vector" "$TMP/out" &&
   python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["core"]; sys.exit(0 if c["state"] == "halted" else 1)' "$TMP/run.json"; then
    pass "options --set --halt: the core stays halted at its reset vector"
else
    fail "options --set --halt" "exit $rc: $(grep -h reset: "$TMP/out")"
fi
# what would lock the user out is refused, and nothing changes
state="$TMP/lock.state"
rm -f "$state"
run "$FWSIM" --target STM32L476RG --state "$state" -- "$FWFLASH" options --set RDP=2
if [ "$rc" -eq 1 ] && grep -q "RDP=2 turns the debug port off for good" "$TMP/err" && grep -q "FLASH-LOCKOUT" "$TMP/err" &&
   grep -q "add --yes-lock-forever" "$TMP/err"; then
    run "$FWSIM" --target STM32L476RG --state "$state" -- "$FWFLASH" options
    if grep -q "RDP  *0 " "$TMP/out"; then
        pass "options --set RDP=2 without --yes-lock-forever is refused, naming the danger; the chip is unchanged"
    else
        fail "the chip after a refused RDP=2" "$(grep RDP "$TMP/out")"
    fi
else
    fail "options --set RDP=2 without the flag" "$(head -2 "$TMP/err")"
fi
# with the flag, level 2 takes: the chip stops answering the debugger for
# good (RM0090 §3.7.3) while its firmware runs, which is said as done; a
# later connect finds nothing on the wire and names level 2 among the causes
for part in STM32F407VG STM32L476RG; do
    state="$TMP/l2-$part.state"
    rm -f "$state"
    sample=$(echo "$part" | tr 'A-Z' 'a-z')
    run "$FWSIM" --target "$part" --state "$state" --flash "$S/blinky/blinky-$sample.elf" --stats "$TMP/l2.json" -- \
        "$FWFLASH" --yes-lock-forever options --set RDP=2
    if [ "$rc" -eq 0 ] && grep -q "^options:  programmed: read protection level 2 (FLASH_OPT[CR]*); the chip no longer answers the debugger" "$TMP/out" &&
       grep -q "note: read protection level 2 took: .*\[FLASH-LOCKOUT\]" "$TMP/err" && ! grep -q "error:" "$TMP/err" &&
       python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["core"]; sys.exit(0 if c["state"] == "running" and c["steady_loop"] else 1)' "$TMP/l2.json"; then
        run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" info
        if [ "$rc" -eq 1 ] && grep -q "error: no target answers on SWD" "$TMP/err" && grep -q "(4) read protection level 2" "$TMP/err"; then
            pass "options --set RDP=2 --yes-lock-forever on the $part: done, said so, the firmware runs; later nothing answers"
        else
            fail "the $part after RDP=2" "exit $rc: $(head -c 200 "$TMP/err")"
        fi
    else
        fail "options --set RDP=2 --yes-lock-forever on the $part" "exit $rc: $(head -c 300 "$TMP/err")"
    fi
done
# the production line's last step: write, verify, then lock for good
rm -f "$TMP/l2w.state"
run "$FWSIM" --target STM32F407VG --state "$TMP/l2w.state" --stats "$TMP/l2.json" -- \
    "$FWFLASH" --json --yes-lock-forever --options RDP=2 write "$S/blinky/blinky-stm32f407vg.elf"
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if d["status"] == "ok" and d["verified"] and d["read_protection"] == 2 and not d["reset"] else 1)' "$TMP/out" &&
   python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["core"]; sys.exit(0 if c["state"] == "running" and c["steady_loop"] else 1)' "$TMP/l2.json"; then
    pass "write --options RDP=2 --yes-lock-forever: written, verified, locked; the report says level 2 and the blinky runs"
else
    fail "write --options RDP=2 --yes-lock-forever" "exit $rc: $(head -c 300 "$TMP/err")"
fi
run "$FWSIM" --target STM32L476RG -- "$FWFLASH" options --set RDP=0
expect "options --set RDP=0 points to unlock" 1 "that is \`fwflash unlock\`"
run "$FWSIM" --target STM32L476RG -- "$FWFLASH" options --set BOR_LEVEL=1
expect "an option the family does not have is named, with the ones it has" 1 "'BOR_LEVEL' is not an option of the STM32L4: BOR_LEV"
run "$FWSIM" --target STM32L476RG -- "$FWFLASH" options --set IWDG_SW=2
expect "a value wider than the field is refused" 1 "IWDG_SW=2: IWDG_SW is 1 bit wide"
run "$FWSIM" --target STM32F407VG --state "$TMP/rdp1.state" -- "$FWFLASH" options --set RDP=1
run "$FWSIM" --target STM32F407VG --state "$TMP/rdp1.state" -- "$FWFLASH" options
if grep -q "RDP  *1 " "$TMP/out"; then
    pass "options --set RDP=1 on an F407VG: level 1 after the reload"
else
    fail "options --set RDP=1" "$(grep RDP "$TMP/out")"
fi
run "$FWSIM" --target STM32H743ZI -- "$FWFLASH" options
if [ "$rc" -eq 0 ] && grep -q "FLASH_OPTSR_CUR 0x0006AAD0 as loaded (RM0433" "$TMP/out" &&
   grep -q "SWAP_BANK_OPT  *0 .*(shown only)" "$TMP/out" && grep -q "WRP  *bank 1: none; bank 2: none" "$TMP/out"; then
    pass "options on an H743: OPTSR_CUR in words, both banks' write protection"
else
    fail "options on an H743" "$(grep -E 'options:|WRP' "$TMP/out")"
fi
# Set by fwflash, then read back by OpenOCD 0.12 in the same run (fwsim keeps
# these parts' option bytes for the run only: no option-byte memory in their
# target data): L5 FLASH_OPTR (NSCR's OPTSTRT, OBL_LAUNCH), H7 OPTSR_PRG
# through OPTCR's OPTSTART (RM0433 §4.4.3), L4+ RM0432's word (DB1M, DBANK)
if have openocd; then
    while read -r part cfg cmd set word from to reg said; do
        cmd=$(echo "$cmd" | tr + ' ')
        run "$FWSIM" --target "$part" -- sh -c "'$FWFLASH' options --set $set &&
            openocd -f interface/stlink.cfg -f target/$cfg.cfg -c init -c 'reset halt' -c '$cmd' -c shutdown"
        if [ "$rc" -eq 0 ] && grep -q "programmed, reloaded and read back: $word $from -> $to" "$TMP/out" &&
           grep -q "Option Register: <$reg> = $said" "$TMP/err"; then
            pass "options --set $set on an $part: $word programmed, read back, and OpenOCD 0.12 reads the same"
        else
            fail "options --set on an $part" "$(grep -E 'options:|Option' "$TMP/out" "$TMP/err" | head -3)"
        fi
    done <<EOT
STM32L552ZE stm32l5x stm32l4x+option_read+0+0x40 BOR_LEV=3,IWDG_SW=0 FLASH_OPTR 0x7FEFF8AA 0x7FEEFBAA 0x40022040 0x7feefbaa
STM32H743ZI stm32h7x stm32h7x+option_read+0+0x1c BOR_LEV=3,IWDG1_SW=0 FLASH_OPTSR_CUR 0x0006AAD0 0x0006AACC 0x5200201c 0x6aacc
STM32L4R5ZI stm32l4x stm32l4x+option_read+0+0x20 BOR_LEV=2,nBOOT1=0 FLASH_OPTR 0xFFEFF8AA 0xFF6FFAAA 0x40022020 0xff6ffaaa
EOT
fi
run "$FWSIM" --target STM32L4R5ZI -- "$FWFLASH" options
if [ "$rc" -eq 0 ] && grep -q "FLASH_OPTR 0xFFEFF8AA as loaded (RM0432" "$TMP/out" &&
   grep -q "DBANK  *1 .*dual bank (shown only)" "$TMP/out" && grep -q "DB1M  *1 " "$TMP/out"; then
    pass "options on an L4R5ZI (L4+): RM0432's word, DB1M and DBANK where the L4 has DUALBANK"
else
    fail "options on an L4R5ZI" "$(grep -E 'options:|DBANK' "$TMP/out")"
fi
run "$FWSIM" --target STM32U575ZI --boot-option TZEN=1 -- "$FWFLASH" options --set BOR_LEV=2
if [ "$rc" -eq 0 ] && grep -q "programmed, reloaded and read back: FLASH_OPTR 0xFFEFF8AA -> 0xFFEFFAAA" "$TMP/out" &&
   grep -q "TZEN  *1 .*TrustZone: on" "$TMP/out"; then
    pass "options --set BOR_LEV=2 on a U575ZI with TrustZone on: programmed, reloaded, read back; TZEN kept"
else
    fail "options --set on a U575ZI with TrustZone on" "$(grep options: "$TMP/out")"
fi
run "$FWSIM" --target STM32WBA52CG -- "$FWFLASH" options --set BOR_LEV=4,IWDG_SW=0
if [ "$rc" -eq 0 ] && grep -q "BOR_LEV  *0 -> 4  brown-out reset level: level 0 (about 1.7 V) -> level 4 (about 2.8 V)" "$TMP/out" &&
   grep -q "programmed, reloaded and read back: FLASH_OPTR" "$TMP/out"; then
    pass "options --set on a WBA52CG: BOR level and watchdog programmed, reloaded, read back"
else
    fail "options --set on a WBA52CG" "$(grep options: "$TMP/out")"
fi
# H5: OPTSR_PRG through OPTCR's OPTSTRT (RM0481), TrustZone on; the product state is not changed
run "$FWSIM" --target STM32H563ZI --boot-option TZEN=1 -- "$FWFLASH" options --set BOR_LEV=2,IWDG_SW=0
if [ "$rc" -eq 0 ] && grep -q "programmed, reloaded and read back: FLASH_OPTSR_CUR 0x2D30EDD8 -> 0x2D30EDD2" "$TMP/out" &&
   grep -q "PRODUCT_STATE .*0xED (shown only)" "$TMP/out"; then
    pass "options --set on an H563ZI with TrustZone on: OPTSR programmed and read back, product state Open kept"
else
    fail "options --set on an H563ZI" "$(grep options: "$TMP/out")"
fi
run "$FWSIM" --target STM32H563ZI -- "$FWFLASH" options --set RDP=1
expect "RDP on an H5: product states are not changed by fwflash" 1 "has product states, not RDP levels"
run "$FWSIM" --target STM32U575ZI -- "$FWFLASH" options --set TZEN=1
expect "TZEN is shown, not set, by fwflash" 1 "'TZEN' is shown, not set, by fwkit"

# write --options: on every board, after the image verified; logged
state="$TMP/wo.state"
rm -f "$state"
run "$FWSIM" --target STM32L476RG --state "$state" -- "$FWFLASH" --options BOR_LEV=4 --log "$TMP/wo.log" \
    --check-boot write "$S/blinky/blinky-stm32l476rg.elf"
if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out" &&
   grep -q "BOR_LEV  *0 -> 4" "$TMP/out" && grep -q '"options": \["BOR_LEV=4"\], "option_word": "FLASH_OPTR 0xFFEFF8AA -> 0xFFEFFCAA"' "$TMP/wo.log"; then
    pass "write --options BOR_LEV=4: set after the verified write, the image boots, the log names the change"
else
    fail "write --options" "$(grep -E 'BOR|options' "$TMP/out" | head -3)"
fi
