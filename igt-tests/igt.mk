# SPDX-License-Identifier: MIT
#
# IGT tests for vvram, linked against Debian's libigt.so.0 (IGT 1.27.1,
# package intel-gpu-tools) through the declarations in igt_abi.h, or
# against a full IGT tree's own headers and library with IGT_DIR=<tree>
# (its build directory is IGT_BUILD_DIR, default $(IGT_DIR)/build).
#
#   make igt        build the test binaries into build/igt/
#   make check      runs igt-tests/run in the guest (a GUEST_SUITES entry)

DEPS_PACKAGES += intel-gpu-tools libdrm-dev pkg-config

IGT_SRC_DIR := $(TOP)/igt-tests
IGT_OUT := $(BUILD)/igt
# make igt IGT_SANITIZE=address,undefined builds into build/igt-sanitize/;
# run those with IGT_BIN_DIR=build/igt-sanitize igt-tests/run.
ifdef IGT_SANITIZE
IGT_OUT := $(BUILD)/igt-sanitize
IGT_SANITIZE_CFLAGS := -fsanitize=$(IGT_SANITIZE) -fno-sanitize-recover=all \
		       -fno-omit-frame-pointer
endif
IGT_TESTS := vvram_gem_create vvram_gem_mmap vvram_placement vvram_clear vvram_evict vvram_prime vvram_fdinfo vvram_memory_info vvram_concurrent vvram_module vvram_hotunplug vvram_kms kms_pipeline
IGT_BINS := $(addprefix $(IGT_OUT)/,$(IGT_TESTS))
IGT_COMMON_SRCS := $(IGT_SRC_DIR)/vvram_igt.c $(IGT_SRC_DIR)/vvram_igt_kms.c
# libvvram (tools/libvvram/libvvram.mk, included after this file).
IGT_VVRAM_SRC := $(TOP)/tools/libvvram
IGT_VVRAM_LIB := $(BUILD)/libvvram/libvvram.a
IGT_COMMON_HDRS := $(IGT_SRC_DIR)/vvram_igt.h $(IGT_SRC_DIR)/igt_abi.h \
		   $(IGT_VVRAM_SRC)/vvram.h \
		   $(wildcard $(TOP)/include/uapi/drm/vvram_drm.h)

IGT_DRM_CFLAGS = $(shell pkg-config --cflags libdrm)
IGT_DRM_LIBS = $(shell pkg-config --libs libdrm)

ifdef IGT_DIR
IGT_BUILD_DIR ?= $(IGT_DIR)/build
IGT_LIB := $(IGT_BUILD_DIR)/lib/libigt.so
IGT_CPPFLAGS := -DVVRAM_IGT_REAL_HEADERS -I$(IGT_DIR)/lib -I$(IGT_DIR)/include \
		-I$(IGT_DIR)/include/drm-uapi -I$(IGT_BUILD_DIR)
IGT_LDFLAGS := -Wl,-rpath,$(IGT_BUILD_DIR)/lib
IGT_ABI_STAMP :=
else
IGT_LIB := /usr/lib/$(shell $(CC) -print-multiarch)/libigt.so.0
IGT_CPPFLAGS :=
IGT_LDFLAGS :=
IGT_ABI_STAMP := $(IGT_OUT)/.abi-checked
endif

# -Wno-clobbered as in IGT's own build: subtests run under sigsetjmp(), and
# gcc flags every local of a subtest loop though none changes between the
# sigsetjmp() and a longjmp() back to it.
IGT_CFLAGS := -O2 -g $(USER_WARN_CFLAGS) -Wno-clobbered -I$(IGT_SRC_DIR) \
	      -I$(IGT_VVRAM_SRC) -I$(TOP)/include/uapi $(IGT_CPPFLAGS)

IGT_CFLAGS += $(IGT_SANITIZE_CFLAGS)

.PHONY: igt igt-abi-check

# vkms, built from linux-source-6.12 for 6.12 kernels only: the runner
# also runs the generic KMS tests on it (on other kernels it skips them).
IGT_VKMS_KO := $(if $(filter 6.12.%,$(KVER)),$(BUILD)/linux-source/drivers/gpu/drm/vkms/vkms.ko)

igt: $(IGT_BINS) $(IGT_OUT)/selftest/igt_fake $(IGT_VKMS_KO)

$(IGT_VKMS_KO): $(TOP)/tools/bench/build-vkms
	$(TOP)/tools/bench/build-vkms $(KDIR) >/dev/null

igt-abi-check: $(IGT_ABI_STAMP)

# Every symbol igt_abi.h declares must be exported by the installed library.
$(IGT_OUT)/.abi-checked: $(IGT_SRC_DIR)/igt_abi.h $(IGT_SRC_DIR)/check-abi
	@mkdir -p $(@D)
	$(IGT_SRC_DIR)/check-abi $< $(IGT_LIB) $(CC)
	@touch $@

# Each binary comes with its subtest list (BIN.subtests), which the runner
# reads rather than starting the binary once more in the slow guest.
# Every test links libvvram for its ioctls, patterns and device lookup.
$(IGT_OUT)/%: $(IGT_SRC_DIR)/%.c $(IGT_COMMON_SRCS) $(IGT_COMMON_HDRS) $(IGT_VVRAM_LIB) \
	      $(IGT_ABI_STAMP)
	@mkdir -p $(@D)
	$(CC) $(IGT_CFLAGS) $(IGT_DRM_CFLAGS) -o $@ $< $(IGT_COMMON_SRCS) \
		$(IGT_VVRAM_LIB) $(IGT_LIB) $(IGT_LDFLAGS) $(IGT_DRM_LIBS)
	$@ --list-subtests >$@.subtests

# The runner is a script; running it needs the binaries built.
$(IGT_SRC_DIR)/run: $(IGT_BINS) $(IGT_VKMS_KO)

# The host self-test of the framework and runner, with a fake test.
$(IGT_OUT)/selftest/igt_fake: $(IGT_SRC_DIR)/selftest/igt_fake.c $(IGT_ABI_STAMP)
	@mkdir -p $(@D)
	$(CC) $(IGT_CFLAGS) -o $@ $< $(IGT_LIB) $(IGT_LDFLAGS)

$(IGT_SRC_DIR)/selftest/check: $(IGT_BINS) $(IGT_OUT)/selftest/igt_fake

USER_TESTS += $(IGT_SRC_DIR)/selftest/check
GUEST_SUITES += $(IGT_SRC_DIR)/run
