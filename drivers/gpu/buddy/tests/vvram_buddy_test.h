/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vvram_buddy unit tests, written once and run by two runners: the
 * userspace program tools/testing/buddy/unit_main.c and the in-kernel
 * selftest module vvram_buddy_selftest.ko.
 */
#ifndef _VVRAM_BUDDY_TEST_H_
#define _VVRAM_BUDDY_TEST_H_

#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/vvram_buddy.h>

/**
 * struct vbt - the state of one running test case
 * @failures: failed expectations so far.
 * @log: the runner's sink for one diagnostic line (no newline).
 * @arg: passed to @log.
 * @mm: the allocator of the case's fixture, or NULL for a case without.
 * @param: &vvram_buddy_test_case.param of the case.
 */
struct vbt {
	unsigned int failures;
	void (*log)(void *arg, const char *line);
	void *arg;
	struct vvram_buddy *mm;
	const void *param;
};

/**
 * struct vvram_buddy_test_case - one named test
 * @name: the TAP name.
 * @run: the body; it reports through its &struct vbt.
 * @param: what the body of a family of cases tells its members by.
 * @size: bytes of the fixture's allocator, 0 for a case without fixture.
 * @chunk: chunk size of the fixture's allocator.
 */
struct vvram_buddy_test_case {
	const char *name;
	void (*run)(struct vbt *t);
	const void *param;
	u64 size;
	u64 chunk;
};

extern const struct vvram_buddy_test_case vvram_buddy_test_cases[];
extern const unsigned int vvram_buddy_nr_test_cases;

void vvram_buddy_run_case(const struct vvram_buddy_test_case *tc,
			  struct vbt *t);

__printf(3, 4) void vbt_fail(struct vbt *t, int line, const char *fmt, ...);
bool vbt_expect_eq(struct vbt *t, int line, const char *what, u64 got,
		   u64 want);

/* Each evaluates to whether the expectation held. */
#define VBT_EXPECT(t, cond)						\
	((cond) ? true : (vbt_fail(t, __LINE__, "expected %s", #cond), false))
#define VBT_EQ(t, got, want)						\
	vbt_expect_eq(t, __LINE__, #got " == " #want, (u64)(got), (u64)(want))

#endif
