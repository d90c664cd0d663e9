// SPDX-License-Identifier: MIT
/*
 * igt_fake: an IGT test with one subtest per outcome, for the runner's
 * self-test (selftest/check).  Needs no device.
 */
#include <signal.h>
#include <unistd.h>

#ifdef VVRAM_IGT_REAL_HEADERS
#include "igt_core.h"
#else
#include "igt_abi.h"
#endif

igt_main
{
	igt_describe("Passes.");
	igt_subtest("passes") {
	}

	igt_describe("Fails an assertion.");
	igt_subtest("fails")
		igt_assert_eq(1, 2);

	igt_describe("Dies of SIGSEGV.");
	igt_subtest("crashes")
		raise(SIGSEGV);

	igt_describe("Never finishes.");
	igt_subtest("hangs")
		pause();

	igt_describe("Skips with a reason.");
	igt_subtest("skips")
		igt_skip("nothing to test here\n");

	igt_describe("Fails in a child process.");
	igt_subtest("fails-in-child") {
		igt_fork(child, 2)
			igt_assert(child == 0);
		igt_waitchildren();
	}

	igt_describe("Passes after all the others, in a fresh process.");
	igt_subtest("passes-last") {
	}
}
