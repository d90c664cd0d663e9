# SPDX-License-Identifier: MIT
#
# libvvram (static library + pkg-config file), vvramctl, and the host
# test of both. Included by the top Makefile; outputs go under $(BUILD)/.
#
# VVRAM_USER_CFLAGS adds flags, e.g. for a sanitizer build:
#   make BUILD=/tmp/vvram-asan VVRAM_USER_CFLAGS='-fsanitize=address,undefined' ...

DEPS_PACKAGES   += libpng-dev

VVRAM_LIB_SRC   := $(TOP)/tools/libvvram
VVRAM_CTL_SRC   := $(TOP)/tools/vvramctl
VVRAM_LIB_OUT   := $(BUILD)/libvvram
VVRAM_CTL_OUT   := $(BUILD)/vvramctl

VVRAM_LIB       := $(VVRAM_LIB_OUT)/libvvram.a
VVRAM_PC        := $(VVRAM_LIB_OUT)/vvram.pc
VVRAMCTL        := $(VVRAM_CTL_OUT)/vvramctl
VVRAM_HOST_TEST := $(VVRAM_LIB_OUT)/test-lib

# Recursive (=): pkg-config exists only after `make deps`.
VVRAM_DRM_CFLAGS = $(shell pkg-config --cflags libdrm)
VVRAM_DRM_LIBS   = $(shell pkg-config --libs libdrm)
VVRAM_PNG_LIBS   = $(shell pkg-config --libs libpng)
VVRAM_CFLAGS     = -std=gnu11 -D_GNU_SOURCE -O2 -g $(USER_WARN_CFLAGS) -MMD -MP \
		   -I$(TOP)/include/uapi -I$(VVRAM_LIB_SRC) \
		   $(VVRAM_DRM_CFLAGS) $(VVRAM_USER_CFLAGS)
VVRAM_LDFLAGS    = $(VVRAM_USER_CFLAGS)

USER_PROGS   += $(VVRAM_LIB) $(VVRAM_PC) $(VVRAMCTL)
USER_TESTS   += $(VVRAM_HOST_TEST)

.PHONY: vvram-user
vvram-user: $(VVRAM_LIB) $(VVRAM_PC) $(VVRAMCTL)

VVRAM_LIB_OBJS := $(addprefix $(VVRAM_LIB_OUT)/,device.o bo.o pattern.o kms.o)

$(VVRAM_LIB_OUT)/%.o: $(VVRAM_LIB_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -c -o $@ $<

$(VVRAM_LIB): $(VVRAM_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# The .pc file points into the tree: the library is used in place, and
# `pkg-config --cflags vvram` also brings libdrm's cflags for "drm.h".
$(VVRAM_PC): $(VVRAM_LIB_SRC)/vvram.pc.in $(VVRAM_LIB_SRC)/libvvram.mk
	@mkdir -p $(@D)
	sed -e 's|@LIBDIR@|$(VVRAM_LIB_OUT)|' \
	    -e 's|@INCLUDEDIR@|$(VVRAM_LIB_SRC)|' \
	    -e 's|@UAPIDIR@|$(TOP)/include/uapi|' $< >$@

VVRAM_CTL_OBJS := $(addprefix $(VVRAM_CTL_OUT)/, \
		  vvramctl.o parse.o cmd_info.o cmd_alloc.o cmd_data.o cmd_map.o \
		  cmd_capture.o)

$(VVRAM_CTL_OUT)/%.o: $(VVRAM_CTL_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -I$(VVRAM_CTL_SRC) -c -o $@ $<

$(VVRAMCTL): $(VVRAM_CTL_OBJS) $(VVRAM_LIB)
	$(CC) $(VVRAM_LDFLAGS) -o $@ $^ $(VVRAM_DRM_LIBS) $(VVRAM_PNG_LIBS)

$(VVRAM_LIB_OUT)/test_lib.o: $(VVRAM_LIB_SRC)/test_lib.c
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -I$(VVRAM_CTL_SRC) -DVVRAMCTL_PATH='"$(VVRAMCTL)"' -c -o $@ $<

$(VVRAM_HOST_TEST): $(VVRAM_LIB_OUT)/test_lib.o $(VVRAM_CTL_OUT)/parse.o \
		    $(VVRAM_LIB) | $(VVRAMCTL)
	$(CC) $(VVRAM_LDFLAGS) -o $@ $^ $(VVRAM_DRM_LIBS)

-include $(wildcard $(VVRAM_LIB_OUT)/*.d $(VVRAM_CTL_OUT)/*.d)
