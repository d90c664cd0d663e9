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

USER_TESTS += $(BUDDY_OUT)/buddy_unit

.PHONY: user user-cflags

user: $(BUDDY_LIB)

user-cflags:
	@echo '$(BUDDY_USER_CFLAGS)'

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
