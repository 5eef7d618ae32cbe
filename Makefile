# fwkit: one Makefile builds the library, the tools, the tests and the samples.
#   make            library and tools (build/release)
#   make check      tests under ASan+UBSan, ending in "N passed, N failed"
#   make deps       install the Debian packages we need (mk/debian-packages)
#   make demo       run the tools on the bundled samples
#   make bench      compare with srec_cat, objcopy and python3-intelhex
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each
#   make samples    rebuild the sample firmware with arm-none-eabi-gcc
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
CC        ?= cc
PREFIX    ?= /usr/local
BUILD     ?= build/release
OPT       ?= -O2 -g
SAN       ?=
FUZZ_SECONDS ?= 60

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS  += -Ilibimage/include -Ilibimage -D_GNU_SOURCE -DFWKIT_VERSION='"$(VERSION)"'
CFLAGS    += -std=c11 $(WARN) $(OPT) $(SAN) -MMD -MP
LDLIBS    += -lelf -lz

LIB_SRC   := $(wildcard libimage/*.c libimage/*/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/stm32_map.o
LIB       := $(BUILD)/libimage.a
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
# umockdev (and glib under it) only for fwsim's USB side
UMOCKDEV_CFLAGS := $(shell pkg-config --cflags umockdev-1.0 2>/dev/null)
UMOCKDEV_LIBS   := $(shell pkg-config --libs umockdev-1.0 2>/dev/null)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJ := $(BUILD)/tests/unit/support.o

# objects are not intermediates: keep them for incremental builds
.SECONDARY:

.PHONY: all check deps demo bench fuzz samples install clean tools unit-tests fault-sweep
all: $(LIB) $(TOOL_BINS) $(SIM_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The built-in target database, compiled in as a string (comments dropped).
%/gen/stm32_map.c: libimage/target/stm32.map
	@mkdir -p $(dir $@)
	{ echo '#include <stddef.h>'; \
	  echo 'extern const char fw_builtin_stm32_map[]; extern const size_t fw_builtin_stm32_map_len;'; \
	  echo 'const char fw_builtin_stm32_map[] ='; \
	  sed -e '/^#/d' -e '/^$$/d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; echo 'const size_t fw_builtin_stm32_map_len = sizeof(fw_builtin_stm32_map) - 1;'; } > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/fw%: $(BUILD)/tools/fw%.o $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tools/fwsim/%.o: CPPFLAGS += $(UMOCKDEV_CFLAGS)
$(BUILD)/fwflash: LDLIBS += -lusb-1.0

$(SIM_BIN): $(BUILD)/tools/fwsim/main.o $(CLI_OBJ) $(SIM_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(UMOCKDEV_LIBS) $(SIM_LDLIBS)

$(SIM_LIB): $(SIM_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
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
	@$(MAKE) --no-print-directory BUILD=$(CHECK_BUILD) OPT="-O1 -g" SAN="$(CHECK_SAN)" all unit-tests
	@$(MAKE) --no-print-directory all
	@BUILD=$(CHECK_BUILD) RELEASE_BUILD=$(BUILD) sh tests/run.sh

demo: deps all
	@BUILD=$(BUILD) sh samples/demo.sh

bench: deps all
	@BUILD=$(BUILD) sh bench/run.sh

FUZZ_BUILD := build/fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
# the readers' fuzzers need no USB: the probe and flash code stay out
FUZZ_LIB_SRC := $(filter-out libimage/probe/% libimage/flash/%,$(LIB_SRC))
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) $(FUZZ_BUILD)/gen/stm32_map.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB_SRC) \
	    $(FUZZ_BUILD)/gen/stm32_map.c $(LDLIBS)
fuzz: deps $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh

# every transfer index of a small fwflash write, every fault kind (minutes)
fault-sweep: deps all
	@BUILD=$(BUILD) TIMEOUT_STRIDE=10 sh tests/e2e/fault-sweep.sh

samples:
	@$(MAKE) --no-print-directory -C samples

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/fwkit
	install -m 755 $(TOOL_BINS) $(SIM_BIN) $(DESTDIR)$(PREFIX)/bin
	install -d $(DESTDIR)$(PREFIX)/lib/udev/rules.d
	install -m 644 tools/49-fwkit-stlink.rules $(DESTDIR)$(PREFIX)/lib/udev/rules.d
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib
	install -m 644 libimage/include/fwkit/*.h $(DESTDIR)$(PREFIX)/include/fwkit

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
