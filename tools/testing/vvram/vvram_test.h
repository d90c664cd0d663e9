/* SPDX-License-Identifier: MIT */
/*
 * The one shared helper of the vvram guest tests.
 *
 * A test program is a list of subtests run by vt_run(). Each subtest runs
 * in a child process, so that a crash, a SIGBUS from a mapping or a hang
 * (alarm) fails that subtest alone, and so that every GEM handle it made
 * dies with its DRM file when it exits. The parent prints the TAP line:
 * "ok N - name", "not ok N - name" or "ok N - name # SKIP reason", and
 * vt_exit() ends the program non-zero if anything failed.
 *
 * Inside a subtest, the VT_* macros print a "# file:line: ..." diagnostic
 * and make the subtest fail or skip, so a failure says what was expected.
 */
#ifndef VVRAM_TEST_H
#define VVRAM_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>

#include "vvram.h"

/* An address no process has mapped: the kernel must answer EFAULT. */
#define VT_BAD_PTR ((uint64_t)8)

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

/* A subtest returns normally to pass; it fails or skips through these. */
typedef void (*vt_subtest_fn)(void);

/*
 * Run one subtest with a time limit in seconds; prints its TAP line.
 * Returns true if it passed (not if it failed or skipped), so that a
 * setup step can gate the subtests that need it.
 */
bool vt_run(const char *name, vt_subtest_fn fn, unsigned int timeout_s);
/* Report a subtest that was not run, e.g. because a prerequisite failed. */
void vt_skip_subtest(const char *name, const char *reason);

/* A named subtest, for lists run by vt_run_after_setup(). */
struct vt_subtest {
	const char *name;
	vt_subtest_fn fn;
};

/*
 * Run @setup as a subtest named @setup_name, then each of the @count
 * @subtests with a time limit of @timeout_s; if the setup did not pass,
 * report them skipped with @skip_reason instead.
 */
void vt_run_after_setup(const char *setup_name, vt_subtest_fn setup,
			const struct vt_subtest *subtests, size_t count,
			unsigned int timeout_s, const char *skip_reason);
/* Print the plan and return the exit status: 0 only if nothing failed. */
int vt_exit(void);

void vt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void vt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
noreturn void vt_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#define VT_FAIL(...) vt_fail(__FILE__, __LINE__, __VA_ARGS__)

/* Fail unless @cond holds. */
#define VT_ASSERT(cond) do { \
	if (!(cond)) \
		VT_FAIL("assertion failed: %s", #cond); \
} while (0)

/* Fail unless integer expressions @a and @b are equal; prints both. */
#define VT_ASSERT_EQ(a, b) do { \
	long long vt_a_ = (long long)(a), vt_b_ = (long long)(b); \
	if (vt_a_ != vt_b_) \
		VT_FAIL("%s == %s: %lld != %lld", #a, #b, vt_a_, vt_b_); \
} while (0)

/* Fail unless a libvvram call (0 or -errno) succeeded. */
#define VT_OK(call) do { \
	int vt_r_ = (call); \
	if (vt_r_ < 0) \
		VT_FAIL("%s failed: %s", #call, vt_errname(-vt_r_)); \
} while (0)

/* Fail unless a libvvram call (0 or -errno) failed with @err. */
#define VT_ERRNO(call, err) do { \
	int vt_r_ = (call); \
	if (vt_r_ != -(err)) \
		VT_FAIL("%s: expected %s, got %s", #call, vt_errname(err), \
			vt_r_ < 0 ? vt_errname(-vt_r_) : "success"); \
} while (0)

/* "EINVAL" for EINVAL: failures name the errno as the UAPI documents it. */
const char *vt_errname(int err);

/* Open the vvram device (render node unless @primary); fails if absent. */
int vt_open(void);
int vt_open_primary(void);

/* Reload vvram with module parameters ("vram_size=16M ..." or "").
 * No vvram fd may be open. Skips the subtest if reloading is impossible.
 */
void vt_reload_module(const char *params);
/*
 * vt_reload_module(@params), then check through QUERY that the device now
 * has @vram_bytes of VRAM and a visible window of @visible_bytes.
 */
void vt_reload_with_vram(const char *params, uint64_t vram_bytes,
			 uint64_t visible_bytes);
/*
 * Load vvram with parameters ("vram_size=16777216 ..."): 0 or the errno of
 * finit_module(2), e.g. EINVAL for a bad parameter. Falls back on
 * tools/vm/load-modules (EIO if it fails) when vvram's dependencies are
 * not loaded yet.
 */
int vt_load_module(const char *params);
/* rmmod vvram; returns 0 or the errno rmmod reported (EBUSY, ...). */
int vt_unload_module(void);
/* The vvram module parameters as loaded (from /sys/module), or -1. */
int64_t vt_module_param(const char *name);

/* Wait until no BO uses VRAM or GTT (freed by exited subtests), or fail. */
void vt_wait_idle(int fd);

/* A device sysfs attribute that must exist, e.g. "mem_info_vram_used". */
uint64_t vt_sysfs(int fd, const char *attr);

/* Create a BO or fail the subtest; returns the handle. */
uint32_t vt_bo_create(int fd, uint64_t size_bytes, uint32_t domains,
		      uint32_t flags);
/* Map a whole BO read-write or fail the subtest. */
void *vt_bo_map(int fd, uint32_t handle, uint64_t size_bytes);
void vt_bo_unmap(void *ptr, uint64_t size_bytes);
/* Fail unless the mapping holds @seed's pattern (or zeros if @zero). */
void vt_check_pattern(const void *ptr, uint64_t size_bytes, uint64_t seed,
		      const char *what);
void vt_check_zero(const void *ptr, uint64_t size_bytes, const char *what);

/* GEM_INFO or fail; release with vvram_bo_info_fini(). */
void vt_bo_info(int fd, uint32_t handle, struct vvram_bo_info *info);
/* Fail unless the BO's current domain is @domain. */
void vt_assert_domain(int fd, uint32_t handle, uint32_t domain);

/* Memory region state; fails the subtest if QUERY fails. */
void vt_query(int fd, struct vvram_memory *mem);

/* A small fast PRNG for churn tests, reproducible from a printed seed. */
uint64_t vt_rand(uint64_t *state);

#endif /* VVRAM_TEST_H */
