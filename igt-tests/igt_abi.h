/* SPDX-License-Identifier: MIT */
/*
 * igt_abi.h - the part of the IGT core ABI that the vvram tests use.
 *
 * Matches IGT 1.27.1, the library Debian 12 ships as libigt.so.0 in the
 * intel-gpu-tools package without any headers.  It is written from IGT's
 * published interface (lib/igt_core.h and lib/drmtest.h of that release):
 * the control-flow macros expand to calls of the exported entry points
 * below, which is all a test binary needs from the library.
 *
 * Rules for this file, because igt.mk parses it:
 *  - every library function is declared with a prototype, on lines that
 *    belong to this file (gcc -aux-info lists them for the symbol check);
 *  - every library variable is declared on one line that starts "extern".
 * The build checks each declared name against `nm -D libigt.so.0` and
 * stops if one is missing, so a library update cannot link silently
 * against a symbol that no longer exists.
 *
 * With IGT_DIR=<IGT source and build tree> the tests use IGT's own headers
 * instead (see vvram_igt.h); the macros there must keep the 1.27 shape
 * (igt_main, igt_fixture and igt_subtest_group without parentheses).
 */
#ifndef VVRAM_IGT_ABI_H
#define VVRAM_IGT_ABI_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define IGT_ABI_VERSION "1.27.1"

/* Exit status of a test binary (and of each --run-subtest). */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_SKIP 77
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

struct option;

/* ---- Subtests, fixtures and the main function ------------------------- */

/*
 * Subtests and fixtures are "for" loops that run their body at most once.
 * The body runs under sigsetjmp() on igt_subtest_jmpbuf: a failed assert or
 * a skip longjmps out of it, and the library records the result.
 */
extern jmp_buf igt_subtest_jmpbuf;

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				int (*extra_opt_handler)(int opt, int opt_index,
							 void *data),
				void *handler_data);
bool __igt_run_subtest(const char *subtest_name, const char *file,
		       const int line);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);
bool igt_only_list_subtests(void);
const char *igt_subtest_name(void);
void igt_success(void);
__attribute__((noreturn)) void igt_fail(int exitcode);
/* Runs @fn(signal or 0) when the test exits, however it exits. */
void igt_install_exit_handler(void (*fn)(int sig));
__attribute__((noreturn)) void igt_exit(void);

#define __igt_join2(a, b) a##b
#define __igt_join(a, b) __igt_join2(a, b)
/* A local name unique to the source line the macro is used on. */
#define __igt_local(name) __igt_join(__igt_join(__igt_l_, name), __LINE__)

#define igt_main							\
	static void igt_main_body(void);			\
	int main(int argc, char **argv)					\
	{								\
		igt_subtest_init_parse_opts(&argc, argv, NULL, NULL,	\
					    NULL, NULL, NULL);		\
		igt_main_body();				\
		igt_exit();						\
	}								\
	static void igt_main_body(void)

#define igt_subtest(name)						\
	for (; __igt_run_subtest((name), __FILE__, __LINE__) &&	\
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     igt_success())

#define igt_subtest_f(...)						\
	for (char __igt_local(name)[256];				\
	     snprintf(__igt_local(name), sizeof(__igt_local(name)),	\
		      __VA_ARGS__),					\
	     __igt_run_subtest(__igt_local(name), __FILE__, __LINE__) &&\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     igt_success())

/* Setup and teardown shared by the subtests around it; skipped when listing. */
#define igt_fixture							\
	for (volatile int __igt_local(once) = 0;			\
	     __igt_local(once) < 1 && __igt_fixture() &&		\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     __igt_local(once)++, __igt_fixture_complete())

/* A fixture failing inside a group only affects the group's subtests. */
#define igt_subtest_group						\
	for (int __igt_local(once) = 0, __igt_local(save) = 0,		\
		 __igt_local(desc) = 0;					\
	     __igt_local(once) < 1 &&					\
	     (__igt_subtest_group_save(&__igt_local(save),		\
				       &__igt_local(desc)), true);	\
	     __igt_local(once)++,					\
	     __igt_subtest_group_restore(__igt_local(save),		\
					 __igt_local(desc)))

/* ---- Descriptions ------------------------------------------------------ */

__attribute__((format(printf, 1, 2))) void igt_describe_f(const char *fmt, ...);
/* Documents the next igt_subtest (shown by --describe). */
#define igt_describe(text) igt_describe_f("%s", (text))

/* ---- Results: assertions and skips -------------------------------------- */

__attribute__((noreturn, format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *format, ...);
__attribute__((noreturn, format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *format, ...);
__attribute__((noreturn, format(printf, 1, 2))) void igt_skip(const char *f, ...);

#define igt_assert_f(expr, ...)						\
	do {								\
		if (!(expr))						\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__,\
					  __func__, #expr, __VA_ARGS__);\
	} while (0)
#define igt_assert(expr)						\
	do {								\
		if (!(expr))						\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__,\
					  __func__, #expr, NULL);	\
	} while (0)
#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, ...) igt_assert_f(!(expr), __VA_ARGS__)

/* Compares two values of @type and prints both on failure. */
#define __igt_assert_cmp(type, fmt, a, op, b)				\
	do {								\
		type __igt_a = (a), __igt_b = (b);			\
		if (!(__igt_a op __igt_b))				\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__,\
					  __func__, #a " " #op " " #b,	\
					  "error: " fmt " vs " fmt "\n",\
					  __igt_a, __igt_b);		\
	} while (0)

#define igt_assert_cmpint(a, op, b) __igt_assert_cmp(int, "%d", a, op, b)
#define igt_assert_cmpu64(a, op, b)					\
	__igt_assert_cmp(unsigned long long, "%#llx", a, op, b)
#define igt_assert_eq(a, b) igt_assert_cmpint(a, ==, b)
#define igt_assert_neq(a, b) igt_assert_cmpint(a, !=, b)
#define igt_assert_lt(a, b) igt_assert_cmpint(a, <, b)
#define igt_assert_lte(a, b) igt_assert_cmpint(a, <=, b)
#define igt_assert_eq_u32(a, b) igt_assert_cmpu64(a, ==, b)
#define igt_assert_eq_u64(a, b) igt_assert_cmpu64(a, ==, b)
#define igt_assert_neq_u64(a, b) igt_assert_cmpu64(a, !=, b)
#define igt_assert_lt_u64(a, b) igt_assert_cmpu64(a, <, b)
#define igt_assert_lte_u64(a, b) igt_assert_cmpu64(a, <=, b)
#define igt_assert_fd(fd)						\
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

#define igt_require_f(expr, ...)					\
	do {								\
		if (!(expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr,\
					 __VA_ARGS__);			\
	} while (0)
#define igt_require(expr)						\
	do {								\
		if (!(expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr,\
					 NULL);				\
	} while (0)
#define igt_skip_on(expr) igt_require(!(expr))
#define igt_skip_on_f(expr, ...) igt_require_f(!(expr), __VA_ARGS__)

/* ---- Logging ------------------------------------------------------------ */

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

__attribute__((format(printf, 3, 4)))
void igt_log(const char *domain, enum igt_log_level level,
	     const char *format, ...);

#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)

/* ---- Child processes ------------------------------------------------------ */

bool __igt_fork(void);
void igt_waitchildren(void);

/*
 * Runs the body in @num_children forked processes, @child numbering them.
 * The parent joins them with igt_waitchildren(), which fails the subtest
 * if any child failed.  A skip in a child is a failure: check requirements
 * before forking.
 */
#define igt_fork(child, num_children)					\
	for (int child = 0; child < (num_children); child++)		\
		for (; __igt_fork(); exit(0))

/* ---- Opening a DRM device (drmtest) ------------------------------------- */

#define DRIVER_INTEL (1 << 0)
#define DRIVER_VC4 (1 << 1)
#define DRIVER_VGEM (1 << 2)
#define DRIVER_AMDGPU (1 << 3)
#define DRIVER_V3D (1 << 4)
#define DRIVER_PANFROST (1 << 5)
#define DRIVER_MSM (1 << 6)
/* Any driver, unknown names included, except vgem (IGT_FORCE_DRIVER picks). */
#define DRIVER_ANY ~(DRIVER_VGEM)

/* Open the first matching primary node, or skip the subtest. */
int drm_open_driver(int chipset);
/* Same on the render node. */
int drm_open_driver_render(int chipset);
/* Same as drm_open_driver() but returns -1 instead of skipping. */
int __drm_open_driver(int chipset);
/* What IGT_FORCE_DRIVER sets, read once when the test starts. */
void __set_forced_driver(const char *name);

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* VVRAM_IGT_ABI_H */
