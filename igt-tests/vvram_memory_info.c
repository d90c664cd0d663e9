// SPDX-License-Identifier: MIT
/*
 * vvram_memory_info: DRM_IOCTL_VVRAM_QUERY and the amdgpu-named sysfs files.
 * The figures are exact, follow every allocation, and return to their
 * start values once everything is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_igt.h"

static int fd = -1;
static struct vvram_memory mem;

struct usage {
	uint64_t vram, visible, gtt;
};

/* What the BOs in @handles must account for, from their own placement. */
static struct usage expected_usage(const uint32_t *handles, unsigned int n)
{
	uint64_t window_end = mem.base_offset + mem.visible_total_bytes;
	struct usage sum = {};

	for (unsigned int i = 0; i < n; i++) {
		struct vvram_bo_info info;

		if (!handles[i])
			continue;
		vvram_gem_blocks(fd, handles[i], &info);
		if (info.domain == GTT)
			sum.gtt += info.size_bytes;
		if (info.domain == VRAM)
			igt_assert_eq_u64(vvram_blocks_total(&info),
					  vvram_round_up(info.size_bytes, mem.chunk_size_bytes));
		for (uint32_t b = 0; b < info.block_count; b++) {
			uint64_t start = info.blocks[b].address;
			uint64_t end = start + info.blocks[b].size_bytes;

			sum.vram += end - start;
			if (start < window_end)
				sum.visible += (end < window_end ? end : window_end) - start;
		}
		vvram_bo_info_fini(&info);
	}
	return sum;
}

static void assert_usage(const struct vvram_memory *start,
			 const uint32_t *handles, unsigned int n)
{
	struct usage want = expected_usage(handles, n);
	struct vvram_memory now;

	vvram_query(fd, &now);
	igt_assert_eq_u64(now.vram_used_bytes, start->vram_used_bytes + want.vram);
	igt_assert_eq_u64(now.visible_used_bytes, start->visible_used_bytes + want.visible);
	igt_assert_eq_u64(now.gtt_used_bytes, start->gtt_used_bytes + want.gtt);
	igt_assert_lte_u64(now.largest_free_bytes, now.vram_total_bytes - now.vram_used_bytes);
	igt_assert_eq_u64(now.vram_total_bytes, mem.vram_total_bytes);
	igt_assert_eq_u64(now.visible_total_bytes, mem.visible_total_bytes);
	igt_assert_eq_u64(now.gtt_total_bytes, mem.gtt_total_bytes);
}

static uint64_t module_param(const char *name)
{
	char path[128];
	unsigned long long value;
	FILE *file;
	int n;

	snprintf(path, sizeof(path), "/sys/module/vvram/parameters/%s", name);
	file = fopen(path, "r");
	igt_require_f(file, "module parameter %s not readable\n", name);
	n = fscanf(file, "%lli", &value);
	fclose(file);
	igt_assert_eq(n, 1);
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

static int query_errno(struct drm_vvram_query query)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query);
}

static void query_tests(void)
{
	struct drm_vvram_query_mem_regions reply[2];

	igt_describe("QUERY follows xe's two-call protocol: size 0 returns the reply size; the reply's reserved fields are zero.");
	igt_subtest("size-protocol") {
		struct drm_vvram_query query = { .query = VVRAM_QUERY_MEM_REGIONS };

		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query), 0);
		igt_assert_eq(query.size, sizeof(reply[0]));
		memset(reply, 0xff, sizeof(reply));
		query.data = to_user_pointer(reply);
		igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query), 0);
		igt_assert_eq(query.size, sizeof(reply[0]));
		for (unsigned int i = 0; i < ARRAY_SIZE(reply[0].reserved); i++)
			igt_assert_eq_u64(reply[0].reserved[i], 0);
		igt_assert_eq_u64(reply[0].vram_total, mem.vram_total_bytes);
	}

	igt_describe("QUERY of an unknown query is EINVAL.");
	igt_subtest("einval-unknown-query") {
		igt_assert_eq(query_errno((struct drm_vvram_query){ .query = 1 }), -EINVAL);
		igt_assert_eq(query_errno((struct drm_vvram_query){ .query = ~0u }), -EINVAL);
	}

	igt_describe("QUERY with a reply size other than 0 or the reply's is EINVAL.");
	igt_subtest("einval-size") {
		const uint32_t sizes[] = { sizeof(reply[0]) - 8, sizeof(reply[0]) + 8, 1 };

		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++)
			igt_assert_eq(query_errno((struct drm_vvram_query){
				.query = VVRAM_QUERY_MEM_REGIONS, .size = sizes[i],
				.data = to_user_pointer(reply),
			}), -EINVAL);
	}

	igt_describe("QUERY with a nonzero reserved field is EINVAL.");
	igt_subtest("einval-reserved")
		igt_assert_eq(query_errno((struct drm_vvram_query){
			.query = VVRAM_QUERY_MEM_REGIONS, .reserved = 1,
		}), -EINVAL);

	igt_describe("QUERY with a reply pointer the kernel cannot write, or none, is EFAULT.");
	igt_subtest("efault-data") {
		const uint64_t pointers[] = { VVRAM_BAD_PTR, 0 };

		for (unsigned int i = 0; i < ARRAY_SIZE(pointers); i++)
			igt_assert_eq(query_errno((struct drm_vvram_query){
				.query = VVRAM_QUERY_MEM_REGIONS, .size = sizeof(reply[0]),
				.data = pointers[i],
			}), -EFAULT);
	}

	igt_describe("The VRAM totals, chunk and base offset are the module parameters.");
	igt_subtest("matches-module-parameters") {
		uint64_t visible = module_param("visible_size");

		igt_assert_eq_u64(mem.vram_total_bytes, module_param("vram_size"));
		igt_assert_eq_u64(mem.visible_total_bytes,
				  visible < mem.vram_total_bytes ? visible : mem.vram_total_bytes);
		igt_assert_eq_u64(mem.chunk_size_bytes, module_param("chunk_size"));
		igt_assert_eq_u64(mem.base_offset, module_param("base_offset"));
		igt_assert_lt_u64(0, mem.gtt_total_bytes);
	}

	igt_describe("QUERY on the render node reports the same device.");
	igt_subtest("render-node") {
		struct vvram_memory rmem;
		int render = vvram_igt_open_render();

		vvram_query(render, &rmem);
		igt_assert_eq_u64(rmem.vram_total_bytes, mem.vram_total_bytes);
		close(render);
	}
}

static void usage_tests(void)
{
	igt_describe("The amdgpu-named sysfs files show the same figures as QUERY, and both follow a visible BO and a GTT BO exactly.");
	igt_subtest("matches-sysfs") {
		struct vvram_memory before, now;
		uint32_t handle;

		vvram_query(fd, &before);
		handle = vvram_gem_create(fd, SZ_1M, VRAM, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		vvram_query(fd, &now);
		igt_assert_lte_u64(now.vram_used_bytes, now.vram_total_bytes);
		igt_assert_lte_u64(now.visible_used_bytes, now.visible_total_bytes);
		igt_assert_eq_u64(now.vram_used_bytes - before.vram_used_bytes, SZ_1M);
		igt_assert_eq_u64(now.visible_used_bytes - before.visible_used_bytes, SZ_1M);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vram_total"), now.vram_total_bytes);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vram_used"), now.vram_used_bytes);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vis_vram_total"), now.visible_total_bytes);
		igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vis_vram_used"), now.visible_used_bytes);
		vvram_gem_migrate(fd, handle, CPU);
		vvram_gem_close(fd, handle);
		vvram_query(fd, &now);
		igt_assert_eq_u64(now.vram_used_bytes, before.vram_used_bytes);
		handle = vvram_gem_create(fd, SZ_1M, GTT, 0);
		vvram_query(fd, &now);
		igt_assert_eq_u64(now.gtt_used_bytes - before.gtt_used_bytes, SZ_1M);
		vvram_gem_close(fd, handle);
	}

	igt_describe("An idle device has all of VRAM free, in one range.");
	igt_subtest("idle-device") {
		vvram_assert_idle(fd);
		vvram_query(fd, &mem);
		igt_assert_eq_u64(mem.visible_used_bytes, 0);
		igt_assert_eq_u64(mem.largest_free_bytes, mem.vram_total_bytes);
		igt_assert_lte_u64(mem.visible_total_bytes, mem.vram_total_bytes);
		igt_assert_neq_u64(mem.chunk_size_bytes, 0);
		igt_assert_eq_u64(mem.chunk_size_bytes & (mem.chunk_size_bytes - 1), 0);
	}

	igt_describe("Used VRAM, visible VRAM and GTT are exact through random churn and return to their start values.");
	igt_subtest("exact-through-churn") {
		struct vvram_memory start, end;
		uint32_t handles[64] = {};

		srand(5);
		vvram_query(fd, &start);
		for (unsigned int round = 0; round < 200; round++) {
			unsigned int slot = rand() % ARRAY_SIZE(handles);
			struct drm_vvram_gem_create create;

			if (!handles[slot]) {
				random_request(&create);
				igt_assert_eq(__vvram_gem_create(fd, &create), 0);
				handles[slot] = create.handle;
			} else if (rand() % 2) {
				vvram_gem_close(fd, handles[slot]);
				handles[slot] = 0;
			} else {
				vvram_bo_migrate(fd, handles[slot], 1u << (rand() % 3));
			}
			if (round % 20 == 0)
				assert_usage(&start, handles, ARRAY_SIZE(handles));
		}
		assert_usage(&start, handles, ARRAY_SIZE(handles));
		for (unsigned int i = 0; i < ARRAY_SIZE(handles); i++)
			if (handles[i])
				vvram_gem_close(fd, handles[i]);
		vvram_query(fd, &end);
		igt_assert_eq_u64(end.vram_used_bytes, start.vram_used_bytes);
		igt_assert_eq_u64(end.visible_used_bytes, start.visible_used_bytes);
		igt_assert_eq_u64(end.gtt_used_bytes, start.gtt_used_bytes);
		igt_assert_eq_u64(end.largest_free_bytes, start.largest_free_bytes);
	}

	igt_describe("The largest free range shrinks to what a contiguous BO leaves around it.");
	igt_subtest("largest-free-follows-contiguous") {
		uint64_t half = mem.vram_total_bytes / 2;
		struct vvram_memory now;
		uint32_t handle;

		vvram_assert_idle(fd);
		/* A power of two splits into two buddies; other sizes need not. */
		igt_require((mem.vram_total_bytes & (mem.vram_total_bytes - 1)) == 0);
		handle = vvram_gem_create(fd, half, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
		vvram_query(fd, &now);
		igt_assert_eq_u64(now.vram_used_bytes, half);
		igt_assert_eq_u64(now.largest_free_bytes, mem.vram_total_bytes - half);
		vvram_gem_close(fd, handle);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		query_tests, usage_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
