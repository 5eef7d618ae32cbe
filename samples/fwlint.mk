# SPDX-License-Identifier: MIT
# fwlint as a build step. In a firmware Makefile:
#
#   FWLINT_TARGET = STM32L100RB          # the part
#   include path/to/fwlint.mk
#   all: firmware.hex firmware.hex.lint
#
# A %.hex.lint stamp is made only when fwlint finds no error in %.hex (checked
# against %.elf of the same build and the mem.ld next to it), so make stops
# at the first broken image with GCC-style diagnostics.
FWLINT ?= fwlint
FWLINT_FLAGS ?=
FWLINT_LD ?= $(dir $<)mem.ld

%.hex.lint: %.hex %.elf
	$(FWLINT) --target $(FWLINT_TARGET) --ld $(FWLINT_LD) $(FWLINT_FLAGS) $< $*.elf
	@touch $@
