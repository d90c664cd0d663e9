# SPDX-License-Identifier: GPL-2.0
# shellcheck on every tracked shell script, a host test of `make check`.

DEPS_PACKAGES += shellcheck
USER_TESTS += $(TOP)/tools/testing/shellcheck/shellcheck
