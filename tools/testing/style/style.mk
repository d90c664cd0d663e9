# SPDX-License-Identifier: GPL-2.0
# Kernel style: checkpatch.pl --strict on every tracked kernel source.

DEPS_PACKAGES += linux-source-6.12 perl
USER_TESTS    += $(TOP)/tools/testing/style/checkpatch
