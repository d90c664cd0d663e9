// SPDX-License-Identifier: MIT
/*
 * Host test of libvvram and vvramctl: what runs without the device.
 * Patterns, argument parsing, the errors of opening a device that is not
 * there, and the CLI's usage errors and exit statuses. Prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvramctl.h"

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

/* vvramctl's parse.c reports through these; the test has no CLI main. */
const char *ctl_device_path;

/* A case returns to pass; FAIL and SKIP jump back to run_case(). */
static jmp_buf case_end;
static char skip_reason[128];
static unsigned int cases, failures;

#define FAIL(...) do { \
	printf("# %s:%d: ", __FILE__, __LINE__); \
	printf(__VA_ARGS__); \
	putchar('\n'); \
	longjmp(case_end, 1); \
} while (0)
#define SKIP(why) do { \
	snprintf(skip_reason, sizeof(skip_reason), "%s", why); \
	longjmp(case_end, 2); \
} while (0)
#define ASSERT(cond) do { if (!(cond)) FAIL("assertion failed: %s", #cond); } while (0)
#define ASSERT_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) \
		FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_); \
} while (0)

static void run_case(const char *name, void (*fn)(void))
{
	int result = setjmp(case_end);

	if (!result)
		fn();
	cases++;
	failures += result == 1;
	if (result == 2)
		printf("ok %u - %s # SKIP %s\n", cases, name, skip_reason);
	else
		printf("%sok %u - %s\n", result ? "not " : "", cases, name);
	fflush(stdout);
}

static uint8_t *test_buffer(size_t size)
{
	uint8_t *buf = malloc(size + 16);

	if (!buf)
		FAIL("out of memory");
	return buf;
}

static void pattern_round_trip(void)
{
	static const size_t sizes[] = { 1, 7, 8, 9, 4095, 4096, 4097, 65536 + 3 };
	size_t i, misalign;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (misalign = 0; misalign < 8; misalign += 3) {
			uint8_t *buf = test_buffer(sizes[i]);
			uint64_t bad = ~0ull;

			vvram_pattern_fill(buf + misalign, sizes[i], 42);
			ASSERT_EQ(vvram_pattern_check(buf + misalign, sizes[i], 42, &bad), 0);
			ASSERT_EQ(bad, ~0ull);
			free(buf);
		}
	}
}

/* One flipped bit anywhere is found, at its exact offset. */
static void pattern_finds_flipped_bit(void)
{
	const size_t size = 3 * 4096 + 5;
	uint8_t *buf = test_buffer(size);
	size_t where[] = { 0, 1, 7, 8, 4095, 4096, 8191, size - 1 };
	size_t i;

	vvram_pattern_fill(buf, size, 7);
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		uint64_t bad = 0;

		buf[where[i]] ^= 0x10;
		ASSERT_EQ(vvram_pattern_check(buf, size, 7, &bad), -EILSEQ);
		ASSERT_EQ(bad, where[i]);
		ASSERT(buf[bad] != vvram_pattern_expected(7, bad));
		buf[where[i]] ^= 0x10;
	}
	ASSERT_EQ(vvram_pattern_check(buf, size, 7, NULL), 0);
	free(buf);
}

/* Pages that trade places are caught: the pattern depends on the offset. */
static void pattern_finds_swapped_pages(void)
{
	const size_t size = 4 * 4096;
	uint8_t *buf = test_buffer(size), page[4096];
	uint64_t bad = 0;

	vvram_pattern_fill(buf, size, 3);
	memcpy(page, buf + 4096, 4096);
	memcpy(buf + 4096, buf + 2 * 4096, 4096);
	memcpy(buf + 2 * 4096, page, 4096);
	ASSERT_EQ(vvram_pattern_check(buf, size, 3, &bad), -EILSEQ);
	ASSERT_EQ(bad / 4096, 1);
	free(buf);
}

/* Two seeds never look alike, and neither looks like zeros. */
static void pattern_seeds_differ(void)
{
	const size_t words = 1 << 16;
	uint64_t i, same = 0, zero = 0;

	for (i = 0; i < words; i++) {
		same += vvram_pattern_word(1, i * 8) == vvram_pattern_word(2, i * 8);
		zero += vvram_pattern_word(1, i * 8) == 0;
	}
	ASSERT_EQ(same, 0);
	ASSERT_EQ(zero, 0);
}

static void check_bytes_finds_nonzero(void)
{
	const size_t size = 8192 + 3;
	uint8_t *buf = test_buffer(size);
	uint64_t bad = 0;

	memset(buf, 0, size);
	ASSERT_EQ(vvram_check_bytes(buf, size, 0, &bad), 0);
	buf[size - 1] = 1;
	ASSERT_EQ(vvram_check_bytes(buf, size, 0, &bad), -EILSEQ);
	ASSERT_EQ(bad, size - 1);
	buf[size - 1] = 0;
	buf[4100] = 0x80;
	ASSERT_EQ(vvram_check_bytes(buf, size, 0, &bad), -EILSEQ);
	ASSERT_EQ(bad, 4100);
	free(buf);
}

static void parse_sizes(void)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t bytes;
	} cases[] = {
		{ "4096", 0, 4096 }, { "0x1000", 0, 4096 }, { "64K", 0, 64 * KiB },
		{ "16M", 0, 16 * MiB }, { "16MiB", 0, 16 * MiB },
		{ "16mb", 0, 16 * MiB }, { "1G", 0, GiB }, { "2T", 0, 2048 * GiB },
		{ "0", 0, 0 }, { "", -EINVAL, 0 }, { "M", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 }, { " 1", -EINVAL, 0 }, { "1Q", -EINVAL, 0 },
		{ "1MX", -EINVAL, 0 }, { "1.5M", -EINVAL, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "17179869184G", -ERANGE, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t bytes = 0;
		int ret = ctl_parse_size(cases[i].text, &bytes);

		if (ret != cases[i].ret || (!ret && bytes != cases[i].bytes))
			FAIL("ctl_parse_size(\"%s\") = %d, %llu; want %d, %llu",
				cases[i].text, ret, (unsigned long long)bytes,
				cases[i].ret, (unsigned long long)cases[i].bytes);
	}
}

static void parse_domains(void)
{
	uint32_t domains = 0;

	ASSERT_EQ(ctl_parse_domains("vram", &domains), 0);
	ASSERT_EQ(domains, VVRAM_GEM_DOMAIN_VRAM);
	ASSERT_EQ(ctl_parse_domains("vram,gtt", &domains), 0);
	ASSERT_EQ(domains, VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT);
	ASSERT_EQ(ctl_parse_domains("GTT+cpu", &domains), 0);
	ASSERT_EQ(domains, VVRAM_GEM_DOMAIN_GTT | VVRAM_GEM_DOMAIN_CPU);
	ASSERT_EQ(ctl_parse_domains("", &domains), -EINVAL);
	ASSERT_EQ(ctl_parse_domains(",", &domains), -EINVAL);
	ASSERT_EQ(ctl_parse_domains("vram,disk", &domains), -EINVAL);
	ASSERT(!strcmp(ctl_domain_name(VVRAM_GEM_DOMAIN_GTT), "gtt"));
	ASSERT(!strcmp(ctl_domain_name(0), "none"));
}

static void format_sizes(void)
{
	char buf[32];

	ASSERT(!strcmp(ctl_format_size(0, buf, sizeof(buf)), "0 B"));
	ASSERT(!strcmp(ctl_format_size(4096, buf, sizeof(buf)), "4 KiB"));
	ASSERT(!strcmp(ctl_format_size(16 * MiB, buf, sizeof(buf)), "16 MiB"));
	ASSERT(!strcmp(ctl_format_size(16 * MiB + 4096, buf, sizeof(buf)), "16388 KiB"));
	ASSERT(!strcmp(ctl_format_size(1000, buf, sizeof(buf)), "1000 B"));
}

static bool vvram_present(void)
{
	int fd = vvram_open(0);

	if (fd < 0)
		return false;
	vvram_close(fd);
	return true;
}

static void open_errors(void)
{
	ASSERT_EQ(vvram_open(1u << 5), -EINVAL);
	ASSERT_EQ(errno, EINVAL);
	/* Not a DRM device at all. */
	ASSERT_EQ(vvram_open_path("/dev/null"), -ENODEV);
	ASSERT_EQ(vvram_open_path("/nonexistent/renderD128"), -ENOENT);
	ASSERT_EQ(errno, ENOENT);
	setenv("VVRAM_DEVICE", "/dev/null", 1);
	ASSERT_EQ(vvram_open(0), -ENODEV);
	unsetenv("VVRAM_DEVICE");
	if (vvram_present())
		SKIP("a vvram device is present; the no-device case needs none");
	ASSERT_EQ(vvram_open(0), -ENODEV);
	ASSERT_EQ(errno, ENODEV);
}

static void sysfs_errors(void)
{
	uint64_t value;
	int fd = open("/dev/null", O_RDONLY);

	ASSERT(fd >= 0);
	/* /dev/null is char 1:3, whose sysfs dir has no "device" link. */
	ASSERT_EQ(vvram_sysfs_read_u64(fd, "mem_info_vram_used", &value), -ENOENT);
	ASSERT_EQ(vvram_sysfs_read_u64(fd, "../dev", &value), -EINVAL);
	close(fd);
}

/* Run vvramctl with a shell command line; returns its exit status. */
static int vvramctl(const char *args)
{
	char cmd[512];
	int status;

	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", VVRAMCTL_PATH, args);
	status = system(cmd);
	if (status < 0 || !WIFEXITED(status))
		FAIL("%s did not exit", cmd);
	return WEXITSTATUS(status);
}

static void cli_usage_errors(void)
{
	ASSERT_EQ(vvramctl(""), 2);
	ASSERT_EQ(vvramctl("frobnicate"), 2);
	ASSERT_EQ(vvramctl("--bogus info"), 2);
	ASSERT_EQ(vvramctl("info extra"), 2);
	ASSERT_EQ(vvramctl("alloc"), 2);
	ASSERT_EQ(vvramctl("alloc 0"), 2);
	ASSERT_EQ(vvramctl("alloc 16Q"), 2);
	ASSERT_EQ(vvramctl("alloc -D disk 1M"), 2);
	ASSERT_EQ(vvramctl("alloc -n -f 1 1M"), 2);
	ASSERT_EQ(vvramctl("alloc -t -1 1M"), 2);
	ASSERT_EQ(vvramctl("fill 1"), 2);
	ASSERT_EQ(vvramctl("fill x 1"), 2);
	ASSERT_EQ(vvramctl("verify 1 notaseed"), 2);
	ASSERT_EQ(vvramctl("migrate 1 vram,gtt"), 2);
	ASSERT_EQ(vvramctl("map -w 0"), 2);
}

static void cli_help(void)
{
	static const char *const commands[] = {
		"-h", "help", "info -h", "alloc -h", "fill -h", "verify -h",
		"migrate -h", "map -h", "capture -h",
	};
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (vvramctl(commands[i]) != 0)
			FAIL("vvramctl %s did not exit 0", commands[i]);
}

static void cli_no_device(void)
{
	if (vvram_present())
		SKIP("a vvram device is present");
	ASSERT_EQ(vvramctl("info"), 1);
	ASSERT_EQ(vvramctl("alloc 1M"), 1);
	ASSERT_EQ(vvramctl("verify 1 zero"), 1);
	ASSERT_EQ(vvramctl("-d /dev/null info"), 1);
	ASSERT_EQ(vvramctl("capture /tmp/vvram-test-capture.png"), 1);
	ASSERT_EQ(vvramctl("capture"), 2);
	ASSERT_EQ(vvramctl("capture --crtc x out.png"), 2);
}

int main(void)
{
	run_case("pattern-round-trip", pattern_round_trip);
	run_case("pattern-finds-flipped-bit", pattern_finds_flipped_bit);
	run_case("pattern-finds-swapped-pages", pattern_finds_swapped_pages);
	run_case("pattern-seeds-differ", pattern_seeds_differ);
	run_case("check-bytes-finds-nonzero", check_bytes_finds_nonzero);
	run_case("parse-sizes", parse_sizes);
	run_case("parse-domains", parse_domains);
	run_case("format-sizes", format_sizes);
	run_case("open-errors", open_errors);
	run_case("sysfs-errors", sysfs_errors);
	run_case("cli-usage-errors", cli_usage_errors);
	run_case("cli-help", cli_help);
	run_case("cli-no-device", cli_no_device);
	printf("1..%u\n", cases);
	return failures ? 1 : 0;
}
