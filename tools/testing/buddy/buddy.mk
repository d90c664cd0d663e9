# SPDX-License-Identifier: GPL-2.0
#
# vvram_buddy in userspace: the static library built from the kernel
# source, and the host test programs (unit, differential, fault injection,
# sanitizers, valgrind, fuzzing). Included by the top Makefile.

BUDDY_SRC_DIR   := $(TOP)/drivers/gpu/buddy
BUDDY_TEST_DIR  := $(TOP)/tools/testing/buddy
BUDDY_OUT       := $(BUILD)/buddy
BUDDY_LIB       := $(BUILD)/user/libvvram_buddy.a

# What a userspace program needs to #include <linux/vvram_buddy.h>.
BUDDY_USER_CFLAGS := -I$(TOP)/tools/include -I$(TOP)/include

BUDDY_CFLAGS := -std=gnu11 -O2 -g $(USER_WARN_CFLAGS) -Werror \
		$(BUDDY_USER_CFLAGS)
BUDDY_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer

BUDDY_HDRS := $(TOP)/include/linux/vvram_buddy.h \
	      $(wildcard $(TOP)/tools/include/linux/*.h) \
	      $(wildcard $(BUDDY_TEST_DIR)/*.h) \
	      $(BUDDY_SRC_DIR)/tests/vvram_buddy_test.h
# The library: the kernel source plus the kmem_cache stand-in.
BUDDY_LIB_SRCS := $(BUDDY_SRC_DIR)/vvram_buddy.c \
		  $(BUDDY_TEST_DIR)/tools_slab.c
BUDDY_CASES := $(BUDDY_SRC_DIR)/tests/vvram_buddy_test_cases.c
BUDDY_UNIT_SRCS := $(BUDDY_TEST_DIR)/unit_main.c $(BUDDY_TEST_DIR)/tap.c \
		   $(BUDDY_CASES)

DEPS_PACKAGES += clang libclang-rt-14-dev valgrind

BUDDY_MODEL_SRCS := $(BUDDY_TEST_DIR)/model.c $(BUDDY_TEST_DIR)/tap.c
BUDDY_DIFF_SRCS := $(BUDDY_TEST_DIR)/diff_main.c $(BUDDY_MODEL_SRCS)
BUDDY_FAULT_SRCS := $(BUDDY_TEST_DIR)/fault_main.c $(BUDDY_TEST_DIR)/tap.c
BUDDY_FUZZ_SRCS := $(BUDDY_TEST_DIR)/fuzz.c $(BUDDY_MODEL_SRCS) \
		   $(BUDDY_LIB_SRCS)
BUDDY_FUZZ_SECONDS ?= 20
BUDDY_SOAK_OPS ?= 20000000

# make check runs: the unit tests, the differential test (1M operations),
# fault injection, the same three under ASan+UBSan (the differential test
# shortened to 200k operations), valgrind, and a bounded fuzzing run.
USER_TESTS += $(BUDDY_OUT)/buddy_unit $(BUDDY_OUT)/buddy_diff \
	      $(BUDDY_OUT)/buddy_fault \
	      $(BUDDY_OUT)/asan/buddy_unit $(BUDDY_OUT)/asan/buddy_diff \
	      $(BUDDY_OUT)/asan/buddy_fault \
	      $(BUDDY_OUT)/buddy_valgrind $(BUDDY_OUT)/buddy_fuzz_run

# In the guest: the shared unit tests run by vvram_buddy_selftest.ko.
GUEST_SUITES += $(TOP)/tools/testing/buddy/guest-selftest

.PHONY: user user-cflags buddy-tests buddy-soak buddy-fuzz

user: $(BUDDY_LIB)

user-cflags:
	@echo '$(BUDDY_USER_CFLAGS)'

buddy-tests: $(filter $(BUDDY_OUT)/%,$(USER_TESTS))

# A longer differential run with a fresh seed: make buddy-soak.
buddy-soak: $(BUDDY_OUT)/buddy_diff
	$(BUDDY_OUT)/buddy_diff $(BUDDY_SOAK_OPS) $$(od -An -N8 -tu8 /dev/urandom)

# A longer fuzzing session: make buddy-fuzz BUDDY_FUZZ_SECONDS=600.
buddy-fuzz: $(BUDDY_OUT)/buddy_fuzz
	$(BUDDY_TEST_DIR)/fuzz-run $< $(BUDDY_FUZZ_SECONDS) $(BUDDY_OUT)/fuzz

$(BUDDY_LIB): $(BUDDY_LIB_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(BUDDY_OUT)/lib $(dir $@)
	$(CC) $(BUDDY_CFLAGS) -c $(BUDDY_SRC_DIR)/vvram_buddy.c \
		-o $(BUDDY_OUT)/lib/vvram_buddy.o
	$(CC) $(BUDDY_CFLAGS) -c $(BUDDY_TEST_DIR)/tools_slab.c \
		-o $(BUDDY_OUT)/lib/tools_slab.o
	rm -f $@
	ar rcs $@ $(BUDDY_OUT)/lib/vvram_buddy.o $(BUDDY_OUT)/lib/tools_slab.o

$(BUDDY_OUT)/buddy_unit: $(BUDDY_UNIT_SRCS) $(BUDDY_LIB) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) -o $@ $(BUDDY_UNIT_SRCS) $(BUDDY_LIB)

$(BUDDY_OUT)/buddy_diff: $(BUDDY_DIFF_SRCS) $(BUDDY_LIB) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) -o $@ $(BUDDY_DIFF_SRCS) $(BUDDY_LIB)

# Fault injection: one node per slab, so every node is an allocation.
BUDDY_FAULT_CFLAGS := -DVVRAM_BUDDY_SLAB_NODES=2

$(BUDDY_OUT)/buddy_fault: $(BUDDY_FAULT_SRCS) $(BUDDY_LIB_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) $(BUDDY_FAULT_CFLAGS) -o $@ $(BUDDY_FAULT_SRCS) \
		$(BUDDY_LIB_SRCS)

# Sanitizer builds compile the library sources in, with the same flags.
$(BUDDY_OUT)/asan/buddy_unit: $(BUDDY_UNIT_SRCS) $(BUDDY_LIB_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) $(BUDDY_SAN_FLAGS) -o $@ $(BUDDY_UNIT_SRCS) \
		$(BUDDY_LIB_SRCS)

$(BUDDY_OUT)/asan/buddy_diff: $(BUDDY_DIFF_SRCS) $(BUDDY_LIB_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) $(BUDDY_SAN_FLAGS) -DDIFF_DEFAULT_OPS=200000UL \
		-o $@ $(BUDDY_DIFF_SRCS) $(BUDDY_LIB_SRCS)

$(BUDDY_OUT)/asan/buddy_fault: $(BUDDY_FAULT_SRCS) $(BUDDY_LIB_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BUDDY_CFLAGS) $(BUDDY_SAN_FLAGS) $(BUDDY_FAULT_CFLAGS) \
		-o $@ $(BUDDY_FAULT_SRCS) $(BUDDY_LIB_SRCS)

$(BUDDY_OUT)/buddy_valgrind: $(BUDDY_TEST_DIR)/valgrind-run $(BUDDY_OUT)/buddy_unit \
		$(BUDDY_OUT)/buddy_fault $(BUDDY_OUT)/buddy_diff
	printf '#!/bin/sh\nexec %s %s %s %s\n' $< $(BUDDY_OUT)/buddy_unit \
		$(BUDDY_OUT)/buddy_fault $(BUDDY_OUT)/buddy_diff >$@
	chmod +x $@

$(BUDDY_OUT)/buddy_fuzz: $(BUDDY_FUZZ_SRCS) $(BUDDY_HDRS)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -O1 -g -Wall -Wextra -Werror $(BUDDY_USER_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(BUDDY_FUZZ_SRCS)

$(BUDDY_OUT)/buddy_fuzz_run: $(BUDDY_TEST_DIR)/fuzz-run $(BUDDY_OUT)/buddy_fuzz
	printf '#!/bin/sh\nexec %s %s %s %s\n' $< $(BUDDY_OUT)/buddy_fuzz \
		$(BUDDY_FUZZ_SECONDS) $(BUDDY_OUT)/fuzz >$@
	chmod +x $@
