// SPDX-License-Identifier: MIT
/*
 * vvram_memory_info: DRM_IOCTL_VVRAM_QUERY and the amdgpu-named sysfs files.
 * The figures are exact, follow every allocation, and return to their
 * start values once everything is freed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;
static struct drm_vvram_query_mem_regions regions;

/* Bytes of @blocks inside the visible window. */
static uint64_t visible_bytes(const struct drm_vvram_gem_block *blocks,
			      uint32_t count)
{
	uint64_t window_end = regions.vram_base_offset + regions.vis_vram_total;
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t start = blocks[i].dev_addr;
		uint64_t end = start + blocks[i].size;

		if (start < window_end)
			bytes += (end < window_end ? end : window_end) - start;
	}
	return bytes;
}

struct expected {
	uint64_t vram_used;
	uint64_t vis_vram_used;
	uint64_t gtt_used;
};

/* What the BOs in @handles must account for, from their own placement. */
static struct expected expected_usage(const uint32_t *handles, unsigned int n)
{
	struct expected sum = {};

	for (unsigned int i = 0; i < n; i++) {
		struct drm_vvram_gem_block *blocks;
		struct drm_vvram_gem_info info;
		uint32_t count;

		if (!handles[i])
			continue;
		vvram_gem_info(fd, handles[i], &info);
		if (info.domain == VVRAM_GEM_DOMAIN_VRAM) {
			blocks = vvram_gem_blocks(fd, handles[i], &count);
			igt_assert_eq_u64(vvram_blocks_total(blocks, count),
					  vvram_round_up(info.size, regions.vram_chunk_size));
			sum.vram_used += vvram_blocks_total(blocks, count);
			sum.vis_vram_used += visible_bytes(blocks, count);
			free(blocks);
		} else if (info.domain == VVRAM_GEM_DOMAIN_GTT) {
			sum.gtt_used += info.size;
		}
	}
	return sum;
}

static void assert_usage(const struct drm_vvram_query_mem_regions *start,
			 const uint32_t *handles, unsigned int n)
{
	struct expected want = expected_usage(handles, n);
	struct drm_vvram_query_mem_regions now;

	vvram_query_mem_regions(fd, &now);
	igt_assert_eq_u64(now.vram_used, start->vram_used + want.vram_used);
	igt_assert_eq_u64(now.vis_vram_used, start->vis_vram_used + want.vis_vram_used);
	igt_assert_eq_u64(now.gtt_used, start->gtt_used + want.gtt_used);
	igt_assert_lte_u64(now.vram_largest_free, now.vram_total - now.vram_used);
	igt_assert_eq_u64(now.vram_total, regions.vram_total);
	igt_assert_eq_u64(now.vis_vram_total, regions.vis_vram_total);
	igt_assert_eq_u64(now.gtt_total, regions.gtt_total);
}

static bool read_u64(int dir, const char *name, uint64_t *value)
{
	char buf[64] = {};
	int file = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (file < 0)
		return false;
	len = read(file, buf, sizeof(buf) - 1);
	close(file);
	if (len <= 0)
		return false;
	*value = strtoull(buf, NULL, 0);
	return true;
}

static uint64_t sysfs_u64(int dir, const char *name)
{
	uint64_t value;

	igt_assert_f(read_u64(dir, name, &value), "cannot read %s\n", name);
	return value;
}

static uint64_t module_param(const char *name)
{
	int dir = open("/sys/module/vvram/parameters", O_RDONLY | O_DIRECTORY);
	uint64_t value;
	bool found;

	igt_require_f(dir >= 0, "vvram's parameters are not in sysfs\n");
	found = read_u64(dir, name, &value);
	close(dir);
	igt_require_f(found, "module parameter %s not readable\n", name);
	return value;
}

/* A random BO request: 1 to 64 pages, any domains, a valid flag set. */
static void random_request(struct drm_vvram_gem_create *create)
{
	static const uint32_t flags[] = {
		0, VVRAM_GEM_CREATE_CONTIGUOUS, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
		VVRAM_GEM_CREATE_NO_CPU_ACCESS,
	};

	memset(create, 0, sizeof(*create));
	create->size = (1 + rand() % 64) * SZ_4K - rand() % 2;
	create->domains = 1 + rand() % VVRAM_ALL_DOMAINS;
	create->flags = flags[rand() % ARRAY_SIZE(flags)];
}

igt_main
{
	igt_fixture {
		fd = vvram_open();
		vvram_query_mem_regions(fd, &regions);
	}

	igt_describe("QUERY follows xe's two-call protocol: size 0 returns the reply size.");
	igt_subtest("query-size-protocol") {
		struct drm_vvram_query_mem_regions reply;
		struct drm_vvram_query query = { .query = VVRAM_QUERY_MEM_REGIONS };

		igt_assert_eq(__vvram_query(fd, &query), 0);
		igt_assert_eq(query.size, sizeof(reply));
		memset(&reply, 0xff, sizeof(reply));
		query.data = to_user_pointer(&reply);
		igt_assert_eq(__vvram_query(fd, &query), 0);
		igt_assert_eq(query.size, sizeof(reply));
		for (unsigned int i = 0; i < ARRAY_SIZE(reply.reserved); i++)
			igt_assert_eq_u64(reply.reserved[i], 0);
		igt_assert_eq_u64(reply.vram_total, regions.vram_total);
	}

	igt_describe("QUERY rejects unknown queries, wrong sizes and reserved bits (EINVAL) and bad pointers (EFAULT).");
	igt_subtest("query-bad-input") {
		struct drm_vvram_query_mem_regions reply[2];
		const uint32_t bad_sizes[] = {
			sizeof(reply[0]) - 8, sizeof(reply[0]) + 8, 1,
		};
		struct drm_vvram_query query;

		query = (struct drm_vvram_query){ .query = 1 };
		igt_assert_eq(__vvram_query(fd, &query), -EINVAL);
		query = (struct drm_vvram_query){ .query = ~0u };
		igt_assert_eq(__vvram_query(fd, &query), -EINVAL);

		for (unsigned int i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
			query = (struct drm_vvram_query){
				.query = VVRAM_QUERY_MEM_REGIONS,
				.size = bad_sizes[i],
				.data = to_user_pointer(reply),
			};
			igt_assert_eq(__vvram_query(fd, &query), -EINVAL);
		}

		query = (struct drm_vvram_query){
			.query = VVRAM_QUERY_MEM_REGIONS,
			.reserved = 1,
		};
		igt_assert_eq(__vvram_query(fd, &query), -EINVAL);

		query = (struct drm_vvram_query){
			.query = VVRAM_QUERY_MEM_REGIONS,
			.size = sizeof(reply[0]),
			.data = 8,
		};
		igt_assert_eq(__vvram_query(fd, &query), -EFAULT);
	}

	igt_describe("The VRAM totals, chunk and base offset are the module parameters.");
	igt_subtest("query-matches-module-parameters") {
		igt_assert_eq_u64(regions.vram_total, module_param("vram_size"));
		igt_assert_eq_u64(regions.vis_vram_total,
				  module_param("visible_size") < regions.vram_total ?
				  module_param("visible_size") : regions.vram_total);
		igt_assert_eq_u64(regions.vram_chunk_size, module_param("chunk_size"));
		igt_assert_eq_u64(regions.vram_base_offset, module_param("base_offset"));
	}

	igt_describe("The amdgpu-named sysfs files show the same figures as QUERY.");
	igt_subtest("query-matches-sysfs-mem-info") {
		int dir = vvram_sysfs_device_dir(fd);
		struct drm_vvram_query_mem_regions now;
		uint32_t handle;

		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vvram_query_mem_regions(fd, &now);
		igt_assert_eq_u64(sysfs_u64(dir, "mem_info_vram_total"), now.vram_total);
		igt_assert_eq_u64(sysfs_u64(dir, "mem_info_vram_used"), now.vram_used);
		igt_assert_eq_u64(sysfs_u64(dir, "mem_info_vis_vram_total"), now.vis_vram_total);
		igt_assert_eq_u64(sysfs_u64(dir, "mem_info_vis_vram_used"), now.vis_vram_used);
		vvram_gem_close(fd, handle);
		close(dir);
	}

	igt_describe("An idle device has all of VRAM free, in one range.");
	igt_subtest("query-idle-device") {
		vvram_assert_vram_empty(fd);
		igt_assert_eq_u64(regions.vis_vram_used, 0);
		igt_assert_eq_u64(regions.vram_largest_free, regions.vram_total);
		igt_assert_lte_u64(regions.vis_vram_total, regions.vram_total);
		igt_assert_neq_u64(regions.vram_chunk_size, 0);
		igt_assert_eq_u64(regions.vram_chunk_size & (regions.vram_chunk_size - 1), 0);
	}

	igt_describe("Used VRAM, visible VRAM and GTT are exact through random churn and return to their start values.");
	igt_subtest("query-is-exact-after-churn") {
		struct drm_vvram_query_mem_regions start, end;
		uint32_t handles[64] = {};

		srand(5);
		vvram_query_mem_regions(fd, &start);
		for (unsigned int round = 0; round < 200; round++) {
			unsigned int slot = rand() % ARRAY_SIZE(handles);

			if (handles[slot]) {
				if (rand() % 2) {
					vvram_gem_close(fd, handles[slot]);
					handles[slot] = 0;
				} else {
					uint32_t domain = 1u << (rand() % 3);

					__vvram_gem_migrate(fd, handles[slot], domain);
				}
			} else {
				struct drm_vvram_gem_create create;

				random_request(&create);
				igt_assert_eq(__vvram_gem_create(fd, &create), 0);
				handles[slot] = create.handle;
			}
			if (round % 20 == 0)
				assert_usage(&start, handles, ARRAY_SIZE(handles));
		}
		assert_usage(&start, handles, ARRAY_SIZE(handles));

		for (unsigned int i = 0; i < ARRAY_SIZE(handles); i++)
			if (handles[i])
				vvram_gem_close(fd, handles[i]);
		vvram_query_mem_regions(fd, &end);
		igt_assert_eq_u64(end.vram_used, start.vram_used);
		igt_assert_eq_u64(end.vis_vram_used, start.vis_vram_used);
		igt_assert_eq_u64(end.gtt_used, start.gtt_used);
		igt_assert_eq_u64(end.vram_largest_free, start.vram_largest_free);
	}

	igt_describe("The largest free range shrinks to what a contiguous BO leaves around it.");
	igt_subtest("query-largest-free-follows-contiguous-bo") {
		struct drm_vvram_query_mem_regions now;
		uint64_t half = regions.vram_total / 2;
		uint32_t handle;

		vvram_assert_vram_empty(fd);
		/* A power of two splits into two buddies; other sizes need not. */
		igt_require((regions.vram_total & (regions.vram_total - 1)) == 0);
		handle = vvram_gem_create(fd, half, VVRAM_GEM_DOMAIN_VRAM,
					  VVRAM_GEM_CREATE_CONTIGUOUS);
		vvram_query_mem_regions(fd, &now);
		igt_assert_eq_u64(now.vram_used, half);
		igt_assert_eq_u64(now.vram_largest_free, regions.vram_total - half);
		vvram_gem_close(fd, handle);
	}

	igt_describe("QUERY works on the render node.");
	igt_subtest("query-on-render-node") {
		struct drm_vvram_query_mem_regions reply;
		int render = vvram_open_render();

		vvram_query_mem_regions(render, &reply);
		igt_assert_eq_u64(reply.vram_total, regions.vram_total);
		close(render);
	}

	igt_fixture
		close(fd);
}
