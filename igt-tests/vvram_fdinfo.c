// SPDX-License-Identifier: MIT
/*
 * vvram_fdinfo: the drm-* keys of /proc/self/fdinfo/<fd> (drm-usage-stats)
 * match what the client allocated, per region: "vram0" for VRAM,
 * "system" for GTT and CPU memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "vvram_igt.h"

static int fd = -1;

/* The text after "@key:" in @client's fdinfo, in @value; false if absent. */
static bool fdinfo_text(int client, const char *key, char *value, size_t len)
{
	char path[64], line[256];
	size_t key_len = strlen(key);
	bool found = false;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", client);
	file = fopen(path, "r");
	igt_assert_f(file, "cannot open %s: %m\n", path);
	while (!found && fgets(line, sizeof(line), file)) {
		if (strncmp(line, key, key_len) || line[key_len] != ':')
			continue;
		snprintf(value, len, "%s", line + key_len + 1 + strspn(line + key_len + 1, " \t"));
		value[strcspn(value, "\n")] = '\0';
		found = true;
	}
	fclose(file);
	return found;
}

/* Whether the running kernel is @major.@minor or newer. */
static bool kernel_is_at_least(int major, int minor)
{
	struct utsname uts;
	int have_major, have_minor;

	igt_assert_eq(uname(&uts), 0);
	igt_assert_eq(sscanf(uts.release, "%d.%d", &have_major, &have_minor), 2);
	return have_major > major || (have_major == major && have_minor >= minor);
}

/* The value of @key in bytes (the DRM core prints B, KiB or MiB), or -1. */
static long long fdinfo_value(int client, const char *key)
{
	char text[64], unit[8] = "";
	long long value;

	if (!fdinfo_text(client, key, text, sizeof(text)) ||
	    sscanf(text, "%lld %7s", &value, unit) < 1)
		return -1;
	if (!strcmp(unit, "KiB"))
		return value << 10;
	if (!strcmp(unit, "MiB"))
		return value << 20;
	igt_assert_f(!unit[0], "unknown unit in %s: %s\n", key, text);
	return value;
}

/* Total, shared and resident bytes of @region: all three as given. */
static void assert_region(int client, const char *region, long long total,
			  long long shared, long long resident)
{
	const char *const stats[] = { "total", "shared", "resident" };
	const long long want[] = { total, shared, resident };
	char key[64];

	for (unsigned int i = 0; i < ARRAY_SIZE(stats); i++) {
		snprintf(key, sizeof(key), "drm-%s-%s", stats[i], region);
		igt_assert_eq_u64(fdinfo_value(client, key), want[i]);
	}
}

/* Both regions of @client: @vram bytes in vram0, @system in system, unshared. */
static void assert_usage(int client, long long vram, long long system)
{
	assert_region(client, "vram0", vram, 0, vram);
	assert_region(client, "system", system, 0, system);
}

static void fdinfo_tests(void)
{
	static int client = -1;

	igt_fixture
		client = vvram_igt_open();

	igt_describe("fdinfo names the driver.");
	igt_subtest("names-driver") {
		char driver[64] = "";

		igt_assert(fdinfo_text(fd, "drm-driver", driver, sizeof(driver)));
		igt_assert_f(!strcmp(driver, VVRAM_DRIVER_NAME), "drm-driver: %s\n", driver);
	}

	igt_describe("Each open file has its own drm-client-id, from the id that 6.5 gave every DRM file.");
	igt_subtest("client-ids-differ") {
		long long id;

		igt_require_f(kernel_is_at_least(6, 5),
			      "drm-client-id needs 6.5's per-file id\n");
		id = fdinfo_value(fd, "drm-client-id");
		igt_assert_lte(0, id);
		igt_assert_neq_u64(fdinfo_value(client, "drm-client-id"), id);
	}

	igt_describe("A new client holds no memory in any region.");
	igt_subtest("new-client-is-empty")
		assert_usage(client, 0, 0);

	igt_describe("VRAM BOs show in vram0 with their exact size, and leave it when closed.");
	igt_subtest("counts-vram-bos") {
		uint32_t a = vvram_gem_create(client, SZ_1M, VRAM, 0);
		uint32_t b = vvram_gem_create(client, 3 * SZ_4K + 1, VRAM,
					      VVRAM_GEM_CREATE_NO_CPU_ACCESS);

		assert_usage(client, SZ_1M + 4 * SZ_4K, 0);
		vvram_gem_close(client, a);
		assert_usage(client, 4 * SZ_4K, 0);
		vvram_gem_close(client, b);
		assert_usage(client, 0, 0);
	}

	igt_describe("GTT and CPU BOs show in the system region; resident once their pages exist.");
	igt_subtest("counts-system-bos") {
		uint32_t gtt = vvram_gem_create(client, SZ_64K, GTT, 0);
		uint32_t cpu = vvram_gem_create(client, SZ_1M, CPU, 0);

		vvram_bo_fill(client, gtt, SZ_64K, 1);
		vvram_bo_fill(client, cpu, SZ_1M, 2);
		assert_usage(client, 0, SZ_64K + SZ_1M);
		vvram_gem_close(client, gtt);
		vvram_gem_close(client, cpu);
		assert_usage(client, 0, 0);
	}

	igt_describe("A migrated BO moves from one region's figures to the other's.");
	igt_subtest("follows-migration") {
		uint32_t handle = vvram_gem_create(client, SZ_1M, VVRAM_ALL_DOMAINS, 0);

		assert_usage(client, SZ_1M, 0);
		vvram_gem_migrate(client, handle, GTT);
		vvram_bo_fill(client, handle, SZ_1M, 3);
		assert_usage(client, 0, SZ_1M);
		vvram_gem_migrate(client, handle, VRAM);
		assert_usage(client, SZ_1M, 0);
		vvram_gem_close(client, handle);
	}

	igt_describe("A BO another client imported counts as shared in both clients.");
	igt_subtest("counts-shared-bos") {
		uint32_t handle = vvram_gem_create(client, SZ_64K, VRAM, 0), imported;
		int dmabuf;

		igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC, &dmabuf), 0);
		igt_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &imported), 0);
		assert_region(client, "vram0", SZ_64K, SZ_64K, SZ_64K);
		assert_region(fd, "vram0", SZ_64K, SZ_64K, SZ_64K);
		vvram_gem_close(fd, imported);
		assert_region(client, "vram0", SZ_64K, 0, SZ_64K);
		close(dmabuf);
		vvram_gem_close(client, handle);
	}

	igt_fixture
		close(client);
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		fdinfo_tests,
	};

	vvram_igt_run(&fd, NULL, topics, ARRAY_SIZE(topics));
}
