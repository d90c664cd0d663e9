# SPDX-License-Identifier: GPL-2.0
# Kernel style on every tracked kernel source: checkpatch.pl --strict, and
# kernel-doc -none -Wall (both from the linux-source-6.12 tarball).

DEPS_PACKAGES += linux-source-6.12 perl
USER_TESTS    += $(TOP)/tools/testing/style/checkpatch \
		 $(TOP)/tools/testing/style/kernel-doc
