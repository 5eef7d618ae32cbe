# SPDX-License-Identifier: MIT
# fwkit: one Makefile builds the library, the tools, the tests and the samples.
#   make            library and tools (build/release)
#   make check      tests under ASan+UBSan, ending in "N passed, N failed"
#   make deps       install the Debian packages we need (mk/debian-packages)
#   make demo       run the tools on the bundled samples
#   make bench      compare with srec_cat, objcopy and python3-intelhex
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each
#   make samples    rebuild the sample firmware with arm-none-eabi-gcc
#   make install    PREFIX=/usr/local DESTDIR= (and make uninstall)
#   make quirk-matrix  fwflash and the peers under every fwsim quirk
#   make peer-matrix   OpenOCD, st-flash and pyOCD under fwsim on every family
#   make fresh-check  the README's two commands in a fresh Debian 12 chroot
#   make deb        the Debian packages, checked by lintian
#   make analyze    scan-build and cppcheck

# the version is written once, in the public header
VERSION   := $(shell sed -n 's/^\#define FWKIT_VERSION_STRING "\(.*\)"/\1/p' libimage/include/fwkit/version.h)
SOVERSION := $(firstword $(subst ., ,$(VERSION)))
CC        ?= cc
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(DATADIR)/man
# udev reads /usr/lib/udev/rules.d and /etc/udev/rules.d, never /usr/local
UDEVDIR   ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev/rules.d,/etc/udev/rules.d)
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
CMAKEDIR  ?= $(LIBDIR)/cmake/fwkit
BUILD     ?= build/release
OPT       ?= -O2 -g
SAN       ?=
FUZZ_SECONDS ?= 60

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS  += -Ilibimage/include -Ilibimage -D_GNU_SOURCE
CFLAGS    += -std=c11 $(WARN) $(OPT) $(SAN) -MMD -MP
LDLIBS    += -lelf -lz

LIB_SRC   := $(wildcard libimage/*.c libimage/*/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/stm32_map.o $(BUILD)/gen/clones_map.o
# one name everywhere: libfwkit.a, libfwkit.so.N, <fwkit/...h>, fwkit.pc
LIB       := $(BUILD)/libfwkit.a
SONAME    := libfwkit.so.$(SOVERSION)
SOLIB     := $(BUILD)/libfwkit.so.$(VERSION)
PIC_OBJ   := $(LIB_SRC:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/gen/stm32_map.o $(BUILD)/pic/gen/clones_map.o
SHARED_LIBDEPS := -lelf -lz -lusb-1.0
TOOLS     := fwinfo fwconv fwlint fwcmp fwmerge fwflash
CLI_SRC   := tools/cli.c tools/report.c tools/transform_opts.c
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TOOL_BINS := $(TOOLS:%=$(BUILD)/%)
# fwsim's models, in a library of their own so unit tests can reach them
SIM_SRC   := $(filter-out tools/fwsim/main.c,$(wildcard tools/fwsim/*.c))
SIM_LIB   := $(BUILD)/libfwsim.a
# unicorn exports its own copies of glib functions: glib must come first in
# the link so that one glib serves both (see libimage/README.md)
SIM_LDLIBS = -lunicorn
SIM_BIN   := $(BUILD)/fwsim
# umockdev (and glib under it) only for fwsim's USB side; asked for when a
# recipe needs them (=, not :=), so that on a fresh machine `make deps` has
# installed pkg-config and umockdev first
UMOCKDEV_CFLAGS = $(shell pkg-config --cflags umockdev-1.0)
UMOCKDEV_LIBS   = $(shell pkg-config --libs umockdev-1.0)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJ := $(BUILD)/tests/unit/support.o $(BUILD)/tests/unit/sim_bench.o

# objects are not intermediates: keep them for incremental builds
.SECONDARY:

.PHONY: all check deps demo bench fuzz samples install uninstall clean tools unit-tests fault-sweep quirk-matrix peer-matrix fresh-check deb analyze
all: tools $(SOLIB)
tools: $(LIB) $(TOOL_BINS) $(SIM_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The built-in target databases (the STM32 parts, their clones), compiled
# in as strings (comments dropped).
%/gen/stm32_map.c: libimage/target/stm32.map
	@mkdir -p $(dir $@)
	sh mk/embed-map.sh fw_builtin_stm32_map $< > $@
%/gen/clones_map.c: libimage/target/clones.map
	@mkdir -p $(dir $@)
	sh mk/embed-map.sh fw_builtin_clones_map $< > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# the shared library: position-independent objects, only FW_API exported
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
$(BUILD)/pic/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
$(SOLIB): $(PIC_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -o $@ $^ $(SHARED_LIBDEPS)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libfwkit.so

$(BUILD)/fw%: $(BUILD)/tools/fw%.o $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tools/fwsim/%.o: CPPFLAGS += $(UMOCKDEV_CFLAGS)
$(BUILD)/fwflash: LDLIBS += -lusb-1.0
$(BUILD)/fwflash: $(BUILD)/tools/line.o
# the probe layer in-process, against fwsim's probe model, and the RAM routines on its core (libusb linked, never opened)
$(BUILD)/tests/test_inprocess $(BUILD)/tests/test_clones $(BUILD)/tests/test_core: LDLIBS += -lusb-1.0

$(SIM_BIN): $(BUILD)/tools/fwsim/main.o $(CLI_OBJ) $(SIM_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(UMOCKDEV_LIBS) $(SIM_LDLIBS)

$(SIM_LIB): $(SIM_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_SUPPORT_OBJ) $(SIM_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(SIM_LDLIBS) -lcmocka

unit-tests: $(UNIT_BINS)

deps:
	@sh mk/deps.sh

# The suite runs against a sanitized build of everything.
CHECK_BUILD := build/check
CHECK_SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
check: deps
	@$(MAKE) --no-print-directory BUILD=$(CHECK_BUILD) OPT="-O1 -g" SAN="$(CHECK_SAN)" tools unit-tests
	@$(MAKE) --no-print-directory all
	@BUILD=$(CHECK_BUILD) RELEASE_BUILD=$(BUILD) sh tests/run.sh

# deps first, then a make of its own: its pkg-config questions are asked
# only once the packages are there
demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh samples/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh bench/run.sh

FUZZ_BUILD := build/fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
# the readers' fuzzers need no USB: the probe and flash code stay out
FUZZ_LIB_SRC := $(filter-out libimage/probe/% libimage/flash/%,$(LIB_SRC))
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) $(FUZZ_BUILD)/gen/stm32_map.c $(FUZZ_BUILD)/gen/clones_map.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB_SRC) \
	    $(FUZZ_BUILD)/gen/stm32_map.c $(FUZZ_BUILD)/gen/clones_map.c $(LDLIBS)
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh

# every transfer index of a small fwflash write, every fault kind (minutes)
fault-sweep: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) TIMEOUT_STRIDE=10 sh tests/e2e/fault-sweep.sh
	@BUILD=$(BUILD) QUIRK=iwdg sh tests/e2e/fault-sweep.sh
	@BUILD=$(BUILD) QUIRK=stale-flags sh tests/e2e/fault-sweep.sh
	@BUILD=$(BUILD) QUIRK=wait-partial LOADERS=off sh tests/e2e/fault-sweep.sh
	@# an H7's 1 s sector erase carries the first data to SRAM: faults there too
	@BUILD=$(BUILD) PART=STM32H743ZI IMAGE=samples/h7-blinky/blinky-stm32h743zi.elf sh tests/e2e/fault-sweep.sh

# fwflash, st-flash and OpenOCD under every fwsim quirk on five parts
quirk-matrix: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/e2e/quirk-matrix.sh

# OpenOCD, st-flash and pyOCD, unmodified, under fwsim on every family (long)
peer-matrix: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/e2e/peer-matrix.sh

samples:
	@$(MAKE) --no-print-directory -C samples

# The README's two commands in a fresh Debian 12 chroot from a clone of HEAD
# (mmdebstrap; root). FRESH_DEB=1 also installs the Debian packages there.
fresh-check: deps
	@sh mk/fresh-check.sh

# The Debian packages (fwkit, libfwkit0, libfwkit-dev, fwsim) in build/deb,
# built from the tracked files, then lintian
DEB_DIR := build/deb
deb: deps
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/fwkit-$(VERSION)
	@git ls-files -z | xargs -0 cp --parents -t $(DEB_DIR)/fwkit-$(VERSION)
	cd $(DEB_DIR)/fwkit-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(DEB_DIR)/*.changes

# Static analysis: clang's scan-build over a build of everything, and
# cppcheck over the sources (suppressions with their reasons in
# mk/cppcheck-suppressions.txt). Fails on any report.
ANALYZE_BUILD := build/analyze
analyze: deps
	@rm -rf $(ANALYZE_BUILD)
	scan-build-14 --status-bugs -o $(ANALYZE_BUILD)/report $(MAKE) --no-print-directory BUILD=$(ANALYZE_BUILD) tools
	cppcheck --enable=warning,performance,portability --std=c11 -q --error-exitcode=1 --inline-suppr \
	    -D_GNU_SOURCE -Ilibimage/include -Ilibimage --suppressions-list=mk/cppcheck-suppressions.txt libimage tools

# what install puts where: one list in mk/install.sh, for install, uninstall
# and the test that checks both
INSTALL_VARS = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" BINDIR="$(BINDIR)" LIBDIR="$(LIBDIR)" \
	INCLUDEDIR="$(INCLUDEDIR)" DATADIR="$(DATADIR)" MANDIR="$(MANDIR)" UDEVDIR="$(UDEVDIR)" \
	ZSHCOMPDIR="$(ZSHCOMPDIR)" BASHCOMPDIR="$(BASHCOMPDIR)" CMAKEDIR="$(CMAKEDIR)" \
	BUILD="$(BUILD)" VERSION="$(VERSION)" SOVERSION="$(SOVERSION)"
install: all
	@$(INSTALL_VARS) sh mk/install.sh install
uninstall:
	@$(INSTALL_VARS) sh mk/install.sh uninstall

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
