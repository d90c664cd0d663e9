// SPDX-License-Identifier: MIT
/*
 * Data integrity under VRAM pressure: 16 MiB of VRAM overcommitted four
 * times by 64 MiB of BOs, each holding its own pattern, every byte checked
 * after the evictions that creating and touching them causes, and again
 * after migrations through every domain in a shuffled order.
 *
 * Sizes are mixed (a chunk up to 4 MiB, some not powers of two) so that
 * buddy blocks of many orders are evicted and reused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_test.h"

#define VRAM_SIZE (16 * MiB)
#define OVERCOMMIT 4
#define VRAM VVRAM_GEM_DOMAIN_VRAM
#define GTT VVRAM_GEM_DOMAIN_GTT
#define CPU VVRAM_GEM_DOMAIN_CPU

struct bo {
	uint32_t handle;
	uint64_t size_bytes;
	uint64_t seed;
};

static void load_small_vram(void)
{
	vt_reload_with_vram("vram_size=16777216 visible_size=16777216",
			    VRAM_SIZE, VRAM_SIZE);
}

static const uint64_t sizes[] = {
	4 * KiB, 12 * KiB, 64 * KiB, 100 * KiB, 256 * KiB, 1 * MiB,
	1 * MiB + 4 * KiB, 3 * MiB, 4 * MiB,
};

/*
 * Create BOs until they total OVERCOMMIT times VRAM, filling each right
 * away: each fill faults the BO into VRAM, evicting older ones. Returns
 * the number of BOs in *@count.
 */
static struct bo *create_filled(int fd, uint32_t domains, uint32_t flags,
				unsigned int *count)
{
	uint64_t total = 0, rng = 0x1234;
	unsigned int n = 0, cap = 1024;
	struct bo *bos = calloc(cap, sizeof(*bos));

	VT_ASSERT(bos);
	while (total < OVERCOMMIT * VRAM_SIZE) {
		struct bo *bo = &bos[n];
		uint8_t *map;

		VT_ASSERT(n < cap);
		bo->size_bytes = sizes[vt_rand(&rng) % (sizeof(sizes) / sizeof(sizes[0]))];
		if (total + bo->size_bytes > OVERCOMMIT * VRAM_SIZE)
			bo->size_bytes = OVERCOMMIT * VRAM_SIZE - total;
		bo->seed = 1000 + n;
		bo->handle = vt_bo_create(fd, bo->size_bytes, domains, flags);
		map = vt_bo_map(fd, bo->handle, bo->size_bytes);
		vvram_pattern_fill(map, bo->size_bytes, bo->seed);
		vt_bo_unmap(map, bo->size_bytes);
		total += bo->size_bytes;
		n++;
	}
	*count = n;
	return bos;
}

static void check_bo(int fd, const struct bo *bo, const char *when)
{
	uint8_t *map = vt_bo_map(fd, bo->handle, bo->size_bytes);
	char what[96];

	snprintf(what, sizeof(what), "BO %u (%llu bytes) %s", bo->handle,
		 (unsigned long long)bo->size_bytes, when);
	vt_check_pattern(map, bo->size_bytes, bo->seed, what);
	vt_bo_unmap(map, bo->size_bytes);
}

/* How many of the BOs are in each domain now; for the log. */
static void log_domains(int fd, const struct bo *bos, unsigned int count)
{
	unsigned int in[3] = { 0 }, i;

	for (i = 0; i < count; i++) {
		struct vvram_bo_info info;

		vt_bo_info(fd, bos[i].handle, &info);
		vvram_bo_info_fini(&info);
		if (info.domain == VRAM)
			in[0]++;
		else if (info.domain == GTT)
			in[1]++;
		else if (info.domain == CPU)
			in[2]++;
	}
	vt_diag("%u BOs: %u in VRAM, %u in GTT, %u in CPU", count, in[0], in[1], in[2]);
}

/*
 * With @pull_into_vram, every BO is then migrated into VRAM in turn: a BO
 * that may live in GTT goes there when VRAM is full instead of evicting,
 * so only an explicit move into VRAM makes it evict others.
 */
static void overcommit_evict(uint32_t domains, uint32_t flags, bool pull_into_vram)
{
	struct vvram_memory before, after;
	int fd = vt_open();
	unsigned int count, i;
	struct bo *bos;

	vt_wait_idle(fd);
	vt_query(fd, &before);
	bos = create_filled(fd, domains, flags, &count);
	for (i = 0; pull_into_vram && i < count; i++) {
		VT_OK(vvram_bo_migrate(fd, bos[i].handle, VRAM));
		vt_assert_domain(fd, bos[i].handle, VRAM);
	}
	vt_query(fd, &after);
	vt_diag("%llu evictions while creating (and moving) %u BOs",
		(unsigned long long)(after.evictions - before.evictions), count);
	/* 4x VRAM cannot fit: at least 3/4 of the bytes were evicted. */
	VT_ASSERT(after.evictions - before.evictions >= 1);
	log_domains(fd, bos, count);
	/* Oldest first: those were evicted longest ago. */
	for (i = 0; i < count; i++)
		check_bo(fd, &bos[i], "after eviction");
	/* And again newest first: checking the old ones evicted these. */
	for (i = count; i-- > 0;)
		check_bo(fd, &bos[i], "after eviction, second pass");
	vt_query(fd, &after);
	VT_ASSERT(after.vram_used_bytes <= VRAM_SIZE);
	free(bos);
	vvram_close(fd);
}

static void overcommit_vram_only(void)
{
	overcommit_evict(VRAM, 0, false);
}

static void overcommit_vram_or_gtt(void)
{
	overcommit_evict(VRAM | GTT, 0, true);
}

static void overcommit_contiguous(void)
{
	overcommit_evict(VRAM, VVRAM_GEM_CREATE_CONTIGUOUS, false);
}

/*
 * Every BO through VRAM, GTT and CPU in a shuffled order, checked after
 * each move; moves into VRAM evict others, which are checked on their
 * own turn.
 */
static void overcommit_migrate(void)
{
	static const uint32_t domains[] = { VRAM, GTT, CPU };
	struct vvram_memory before, after;
	int fd = vt_open();
	unsigned int count, round, i;
	uint64_t rng = 0xfeed;
	struct bo *bos;

	vt_wait_idle(fd);
	bos = create_filled(fd, VRAM | GTT, 0, &count);
	vt_query(fd, &before);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < count; i++) {
			unsigned int j = vt_rand(&rng) % count;
			uint32_t to = domains[vt_rand(&rng) % 3];
			struct bo tmp = bos[i];

			/* Shuffle as we go, so every round has a new order. */
			bos[i] = bos[j];
			bos[j] = tmp;
			VT_OK(vvram_bo_migrate(fd, bos[i].handle, to));
			vt_assert_domain(fd, bos[i].handle, to);
			check_bo(fd, &bos[i], "after migration");
		}
	}
	/* Everything back into VRAM, one at a time: each evicts others. */
	for (i = 0; i < count; i++) {
		VT_OK(vvram_bo_migrate(fd, bos[i].handle, VRAM));
		check_bo(fd, &bos[i], "after migration to VRAM");
	}
	for (i = 0; i < count; i++)
		check_bo(fd, &bos[i], "at the end");
	vt_query(fd, &after);
	vt_diag("%llu evictions while migrating",
		(unsigned long long)(after.evictions - before.evictions));
	VT_ASSERT(after.evictions > before.evictions);
	log_domains(fd, bos, count);
	free(bos);
	vvram_close(fd);
}

/* After all that, nothing leaked: freeing every BO returns VRAM to 0. */
static void all_freed_at_the_end(void)
{
	int fd = vt_open();

	vt_wait_idle(fd);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_used"), 0);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vis_vram_used"), 0);
	vvram_close(fd);
}

int main(void)
{
	static const struct vt_subtest subtests[] = {
		{ "overcommit-4x-vram-only-evict", overcommit_vram_only },
		{ "overcommit-4x-vram-or-gtt-pulled-into-vram", overcommit_vram_or_gtt },
		{ "overcommit-4x-contiguous-evict", overcommit_contiguous },
		{ "overcommit-4x-migrate-every-domain", overcommit_migrate },
		{ "all-freed-at-the-end", all_freed_at_the_end },
	};
	vt_run_after_setup("load-16MiB-vram", load_small_vram, subtests,
			   sizeof(subtests) / sizeof(subtests[0]), 600,
			   "vvram not loaded with a 16 MiB VRAM");
	return vt_exit();
}
