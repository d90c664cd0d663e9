// SPDX-License-Identifier: MIT
/*
 * vvram_fdinfo: the drm-* keys of /proc/self/fdinfo/<fd> (drm-usage-stats)
 * match what the client allocated, per region: "vram0" for VRAM,
 * "system" for GTT and CPU memory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;

/*
 * The value of @key in @client's fdinfo, in bytes (the DRM core prints
 * sizes in bytes, KiB or MiB), or -1 when the key is absent.
 */
static long long fdinfo_value(int client, const char *key)
{
	char path[64], line[256];
	long long value = -1;
	size_t key_len = strlen(key);
	FILE *file;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", client);
	file = fopen(path, "r");
	igt_assert_f(file, "cannot open %s: %m\n", path);
	while (fgets(line, sizeof(line), file)) {
		char unit[8] = "";

		if (strncmp(line, key, key_len) || line[key_len] != ':')
			continue;
		if (sscanf(line + key_len + 1, "%lld %7s", &value, unit) < 1)
			break;
		if (!strcmp(unit, "KiB"))
			value <<= 10;
		else if (!strcmp(unit, "MiB"))
			value <<= 20;
		else
			igt_assert_f(!unit[0], "unknown unit in: %s", line);
		break;
	}
	fclose(file);
	return value;
}

static char *fdinfo_string(int client, const char *key)
{
	char path[64], line[256];
	size_t key_len = strlen(key);
	char *value = NULL;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", client);
	file = fopen(path, "r");
	igt_assert(file);
	while (fgets(line, sizeof(line), file)) {
		if (strncmp(line, key, key_len) || line[key_len] != ':')
			continue;
		value = strdup(line + key_len + 1 + strspn(line + key_len + 1, " \t"));
		value[strcspn(value, "\n")] = '\0';
		break;
	}
	fclose(file);
	return value;
}

static void assert_region(int client, const char *region, long long total,
			  long long shared, long long resident)
{
	char key[64];

	snprintf(key, sizeof(key), "drm-total-%s", region);
	igt_assert_eq_u64(fdinfo_value(client, key), total);
	snprintf(key, sizeof(key), "drm-shared-%s", region);
	igt_assert_eq_u64(fdinfo_value(client, key), shared);
	snprintf(key, sizeof(key), "drm-resident-%s", region);
	igt_assert_eq_u64(fdinfo_value(client, key), resident);
}

igt_main
{
	igt_fixture
		fd = vvram_open();

	igt_describe("fdinfo names the driver and gives each open file its own client id.");
	igt_subtest("fdinfo-names-driver-and-client") {
		int other = vvram_open();
		char *driver = fdinfo_string(fd, "drm-driver");
		long long id = fdinfo_value(fd, "drm-client-id");

		igt_assert_f(driver && !strcmp(driver, VVRAM_DRIVER_NAME),
			     "drm-driver: %s\n", driver ? driver : "(missing)");
		igt_assert_lte(0, id);
		igt_assert_neq_u64(fdinfo_value(other, "drm-client-id"), id);
		free(driver);
		close(other);
	}

	igt_describe("A new client holds no memory in any region.");
	igt_subtest("fdinfo-new-client-is-empty") {
		int client = vvram_open();

		assert_region(client, "vram0", 0, 0, 0);
		assert_region(client, "system", 0, 0, 0);
		close(client);
	}

	igt_describe("VRAM BOs show in vram0 with their exact size, and leave it when closed.");
	igt_subtest("fdinfo-counts-vram-bos") {
		int client = vvram_open();
		uint32_t a, b;

		a = vvram_gem_create(client, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
		b = vvram_gem_create(client, 3 * SZ_4K + 1, VVRAM_GEM_DOMAIN_VRAM,
				     VVRAM_GEM_CREATE_NO_CPU_ACCESS);
		assert_region(client, "vram0", SZ_1M + 4 * SZ_4K, 0, SZ_1M + 4 * SZ_4K);
		assert_region(client, "system", 0, 0, 0);
		vvram_gem_close(client, a);
		assert_region(client, "vram0", 4 * SZ_4K, 0, 4 * SZ_4K);
		vvram_gem_close(client, b);
		assert_region(client, "vram0", 0, 0, 0);
		close(client);
	}

	igt_describe("GTT and CPU BOs show in the system region; resident once their pages exist.");
	igt_subtest("fdinfo-counts-system-bos") {
		int client = vvram_open();
		uint32_t gtt, cpu;

		gtt = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_GTT, 0);
		cpu = vvram_gem_create(client, SZ_1M, VVRAM_GEM_DOMAIN_CPU, 0);
		vvram_bo_fill(client, gtt, SZ_64K, 1);
		vvram_bo_fill(client, cpu, SZ_1M, 2);
		assert_region(client, "system", SZ_64K + SZ_1M, 0, SZ_64K + SZ_1M);
		assert_region(client, "vram0", 0, 0, 0);
		vvram_gem_close(client, gtt);
		vvram_gem_close(client, cpu);
		assert_region(client, "system", 0, 0, 0);
		close(client);
	}

	igt_describe("A migrated BO moves from one region's figures to the other's.");
	igt_subtest("fdinfo-follows-migration") {
		int client = vvram_open();
		uint32_t handle;

		handle = vvram_gem_create(client, SZ_1M, VVRAM_ALL_DOMAINS, 0);
		assert_region(client, "vram0", SZ_1M, 0, SZ_1M);
		vvram_gem_migrate(client, handle, VVRAM_GEM_DOMAIN_GTT);
		vvram_bo_fill(client, handle, SZ_1M, 3);
		assert_region(client, "vram0", 0, 0, 0);
		assert_region(client, "system", SZ_1M, 0, SZ_1M);
		vvram_gem_migrate(client, handle, VVRAM_GEM_DOMAIN_VRAM);
		assert_region(client, "vram0", SZ_1M, 0, SZ_1M);
		assert_region(client, "system", 0, 0, 0);
		vvram_gem_close(client, handle);
		close(client);
	}

	igt_describe("A BO another client imported counts as shared in both clients.");
	igt_subtest("fdinfo-counts-shared-bos") {
		int client = vvram_open(), other = vvram_open();
		uint32_t handle, imported;
		int dmabuf;

		handle = vvram_gem_create(client, SZ_64K, VVRAM_GEM_DOMAIN_VRAM, 0);
		igt_assert_eq(drmPrimeHandleToFD(client, handle, DRM_CLOEXEC, &dmabuf), 0);
		igt_assert_eq(drmPrimeFDToHandle(other, dmabuf, &imported), 0);
		assert_region(client, "vram0", SZ_64K, SZ_64K, SZ_64K);
		assert_region(other, "vram0", SZ_64K, SZ_64K, SZ_64K);

		vvram_gem_close(other, imported);
		assert_region(client, "vram0", SZ_64K, 0, SZ_64K);
		close(dmabuf);
		vvram_gem_close(client, handle);
		close(other);
		close(client);
	}

	igt_fixture
		close(fd);
}
