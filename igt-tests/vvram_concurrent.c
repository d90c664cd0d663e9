// SPDX-License-Identifier: MIT
/*
 * vvram_concurrent: several clients allocating, writing, migrating, pinning
 * and freeing at once.  Every client sees its own data, and once all are
 * gone the device is back to exactly where it started.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vvram_igt.h"

#define CLIENTS 4
/* Seconds a client churns at most, well inside the runner's subtest timeout. */
#define CHURN_SECONDS 60

static int fd = -1;
static struct vvram_memory mem;

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t seed;
	uint32_t domains;
	bool mappable;
	bool pinned;
};

/* One client's state: its BOs and its reproducible random choices. */
struct client {
	int fd;
	uint64_t seed, step;
	struct bo bos[24];
	unsigned int live, max_live, pinned, enospc;
};

static uint64_t pick(struct client *c, uint64_t n)
{
	return vvram_pattern_word(c->seed, c->step++) % n;
}

static void bo_check(struct client *c, const struct bo *bo)
{
	struct vvram_bo_info info;

	if (!bo->mappable)
		return;
	/* Pinned outside the window, a CPU access is a SIGBUS, by design. */
	if (bo->pinned) {
		vvram_gem_info(c->fd, bo->handle, &info);
		if (info.domain == VRAM && !(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE))
			return;
	}
	vvram_bo_assert_pattern(c->fd, bo->handle, bo->size, bo->seed);
}

/* ENOSPC is an honest answer when clients pin and evict at once. */
static bool done(struct client *c, int ret)
{
	if (ret == -ENOSPC) {
		c->enospc++;
		return false;
	}
	igt_assert_eq(ret, 0);
	return true;
}

static void op_create(struct client *c, bool with_pins)
{
	static const uint32_t domain_choices[] = { VRAM, VRAM, VRAM | GTT, GTT };
	static const uint32_t flag_choices[] = {
		0, 0, VVRAM_GEM_CREATE_CONTIGUOUS, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
		VVRAM_GEM_CREATE_NO_CPU_ACCESS,
		VVRAM_GEM_CREATE_CONTIGUOUS | VVRAM_GEM_CREATE_NO_CPU_ACCESS,
	};
	struct bo *bo = &c->bos[c->live];
	struct vvram_bo_params params = {
		/* 4 KiB to 2 MiB with pins, else any domains up to 128 KiB */
		.size_bytes = (1 + pick(c, with_pins ? 512 : 32)) * SZ_4K,
		.domains = with_pins ? domain_choices[pick(c, 4)] : 1 + pick(c, VVRAM_ALL_DOMAINS),
		.flags = flag_choices[pick(c, with_pins ? 6 : 5)],
	};

	if (!done(c, vvram_bo_create(c->fd, &params, &bo->handle)))
		return;
	*bo = (struct bo){
		bo->handle, params.size_bytes, c->seed ^ c->step, params.domains,
		!(params.flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS), false,
	};
	if (bo->mappable) {
		void *ptr = vvram_gem_mmap(c->fd, bo->handle, bo->size);

		vvram_assert_zero(ptr, bo->size);
		vvram_pattern_fill(ptr, bo->size, bo->seed);
		munmap(ptr, bo->size);
	}
	c->live++;
}

static void op_free(struct client *c, unsigned int i)
{
	bo_check(c, &c->bos[i]);
	vvram_gem_close(c->fd, c->bos[i].handle);
	c->pinned -= c->bos[i].pinned;
	c->bos[i] = c->bos[--c->live];
}

static void op_migrate(struct client *c, struct bo *bo)
{
	uint32_t allowed = bo->domains | CPU, choices[3], n = 0;

	if (bo->pinned)
		return;
	/* One of the BO's allowed domains, or CPU, which is always allowed. */
	for (uint32_t bit = VRAM; bit <= CPU; bit <<= 1)
		if (allowed & bit)
			choices[n++] = bit;
	if (done(c, vvram_bo_migrate(c->fd, bo->handle, choices[pick(c, n)])))
		bo_check(c, bo);
}

static void op_pin(struct client *c, struct bo *bo)
{
	if (bo->pinned) {
		vvram_gem_unpin(c->fd, bo->handle);
		bo->pinned = false;
		c->pinned--;
		return;
	}
	/* Few and small pins, so that pinned memory cannot starve the rest. */
	if (c->pinned >= 2 || bo->size > 64 * SZ_4K ||
	    !done(c, vvram_bo_pin(c->fd, bo->handle, bo->domains & -bo->domains)))
		return;
	bo->pinned = true;
	c->pinned++;
	bo_check(c, bo);
}

/* One client's random churn for @ops operations, pins only @with_pins. */
static void churn(unsigned int id, unsigned int ops, bool with_pins)
{
	struct client c = { .fd = vvram_igt_open_render(), .seed = 0x5eed0000ull + id * 7919 };
	time_t start = time(NULL);
	unsigned int op;

	c.max_live = with_pins ? 12 : ARRAY_SIZE(c.bos);
	igt_info("client %u: seed %#llx\n", id, (unsigned long long)c.seed);
	for (op = 0; op < ops && time(NULL) - start < CHURN_SECONDS; op++) {
		unsigned int kind = pick(&c, 10);
		struct bo *bo = &c.bos[c.live ? pick(&c, c.live) : 0];

		if (!c.live || (kind < 4 && c.live < c.max_live))
			op_create(&c, with_pins);
		else if (kind < 6)
			op_free(&c, bo - c.bos);
		else if (kind < 8)
			op_migrate(&c, bo);
		else if (kind < 9 && with_pins)
			op_pin(&c, bo);
		else
			bo_check(&c, bo);
	}
	/* Leave half of the BOs for exit to free: both paths must be clean. */
	while (c.live > c.max_live / 2)
		op_free(&c, 0);
	igt_info("client %u: %u ops, %u ENOSPC, %u BOs left to exit\n", id, op,
		 c.enospc, c.live);
	/* The answer must stay rare: it means eviction could not help. */
	igt_assert_lte(c.enospc, ops / 10);
	close(c.fd);
}

#define OVERCOMMIT_CLIENTS 16
#define OVERCOMMIT_BOS 4

/*
 * One of OVERCOMMIT_CLIENTS clients that hold OVERCOMMIT_BOS BOs of
 * @size each, all of them four times VRAM: each round moves a BO into
 * VRAM (evicting the others' BOs), out to GTT, or replaces it, and every
 * byte of it is checked after each move.
 */
static void overcommit_churn(unsigned int id, uint64_t size, unsigned int rounds)
{
	struct client c = { .fd = vvram_igt_open_render(), .seed = 0x0c0000ull + id * 104729 };
	time_t start = time(NULL);
	unsigned int round, moves = 0;

	for (unsigned int i = 0; i < OVERCOMMIT_BOS; i++) {
		c.bos[i] = (struct bo){
			.size = size, .seed = c.seed + i, .domains = VRAM | GTT, .mappable = true,
		};
		c.bos[i].handle = vvram_bo_create_in_vram(c.fd, size, VRAM | GTT, 0, c.bos[i].seed);
	}
	for (round = 0; round < rounds && time(NULL) - start < CHURN_SECONDS; round++) {
		struct bo *bo = &c.bos[pick(&c, OVERCOMMIT_BOS)];

		switch (pick(&c, 4)) {
		case 0:
		case 1:
			vvram_gem_migrate(c.fd, bo->handle, VRAM);
			moves++;
			break;
		case 2:
			vvram_gem_migrate(c.fd, bo->handle, GTT);
			moves++;
			break;
		default:
			vvram_gem_close(c.fd, bo->handle);
			bo->seed = c.seed ^ (c.step << 8);
			bo->handle = vvram_bo_create_in_vram(c.fd, size, VRAM | GTT, 0, bo->seed);
			break;
		}
		bo_check(&c, bo);
	}
	for (unsigned int i = 0; i < OVERCOMMIT_BOS; i++) {
		bo_check(&c, &c.bos[i]);
		vvram_gem_close(c.fd, c.bos[i].handle);
	}
	igt_info("client %u: %u rounds, %u moves\n", id, round, moves);
	close(c.fd);
}

/* Once every client is gone, the device is back where it started. */
static void assert_back_to(const struct vvram_memory *start)
{
	struct vvram_memory end;

	vvram_assert_idle(fd);
	vvram_query(fd, &end);
	igt_assert_eq_u64(end.vram_used_bytes, start->vram_used_bytes);
	igt_assert_eq_u64(end.visible_used_bytes, start->visible_used_bytes);
	igt_assert_eq_u64(end.gtt_used_bytes, start->gtt_used_bytes);
	igt_assert_eq_u64(end.largest_free_bytes, start->largest_free_bytes);
	igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vram_used"), start->vram_used_bytes);
	igt_assert_eq_u64(vvram_sysfs(fd, "mem_info_vis_vram_used"), start->visible_used_bytes);
}

static void concurrent_tests(void)
{
	static struct vvram_memory start;

	igt_fixture {
		vvram_assert_idle(fd);
		vvram_query(fd, &start);
		igt_assert_eq_u64(start.largest_free_bytes, mem.vram_total_bytes);
	}

	igt_describe("Clients churning BOs at once each keep their data, and nothing leaks once they exit.");
	igt_subtest("churn") {
		igt_fork(child, CLIENTS)
			churn(child, 150, false);
		igt_waitchildren();
		assert_back_to(&start);
	}

	igt_describe("Eight clients creating, pinning, migrating and freeing BOs evict each other, keep their data, and leave VRAM empty and whole.");
	igt_subtest("churn-with-pins") {
		uint64_t before;

		vvram_query(fd, &start);
		before = start.evictions;
		igt_fork(child, 8)
			churn(child, 300, true);
		igt_waitchildren();
		vvram_query(fd, &mem);
		igt_assert_lt_u64(before, mem.evictions);
		assert_back_to(&start);
	}

	igt_describe("Clients that together overcommit VRAM twice each keep every byte of their data.");
	igt_subtest("overcommit") {
		uint64_t size = mem.vram_total_bytes / (2 * CLIENTS);

		igt_require_f(mem.vram_total_bytes <= (64ull << 20),
			      "VRAM too large to overcommit quickly: reload vvram with vram_size <= 64 MiB\n");
		igt_require(size % mem.chunk_size_bytes == 0);
		igt_fork(child, CLIENTS) {
			int client = vvram_igt_open();
			uint32_t handles[4];

			for (unsigned int i = 0; i < 4; i++)
				handles[i] = vvram_bo_create_in_vram(client, size, VRAM, 0,
								     child << 8 | i);
			for (unsigned int pass = 0; pass < 2; pass++)
				for (unsigned int i = 0; i < 4; i++)
					vvram_bo_assert_pattern(client, handles[i], size,
								child << 8 | i);
			for (unsigned int i = 0; i < 4; i++)
				vvram_gem_close(client, handles[i]);
			close(client);
		}
		igt_waitchildren();
		assert_back_to(&start);
	}

	igt_describe_f("%d clients churning BOs that together overcommit VRAM four times keep every byte, checked after each move.",
		       OVERCOMMIT_CLIENTS);
	igt_subtest_f("churn-%d-clients-4x-overcommit", OVERCOMMIT_CLIENTS) {
		uint64_t size = 4 * mem.vram_total_bytes / (OVERCOMMIT_CLIENTS * OVERCOMMIT_BOS);
		uint64_t before;

		igt_require_f(mem.vram_total_bytes <= (64ull << 20),
			      "VRAM too large to overcommit quickly: reload vvram with vram_size <= 64 MiB\n");
		igt_require(size % mem.chunk_size_bytes == 0);
		vvram_query(fd, &start);
		before = start.evictions;
		igt_fork(child, OVERCOMMIT_CLIENTS)
			overcommit_churn(child, size, 30);
		igt_waitchildren();
		vvram_query(fd, &mem);
		igt_assert_lt_u64(before, mem.evictions);
		assert_back_to(&start);
	}

	igt_describe("Clients killed while holding BOs and mappings leave nothing behind.");
	igt_subtest("killed-clients") {
		igt_fork(child, CLIENTS) {
			int client = vvram_igt_open();
			uint32_t handle = vvram_gem_create(client, SZ_1M, VVRAM_ALL_DOMAINS, 0);

			vvram_pattern_fill(vvram_gem_mmap(client, handle, SZ_1M), SZ_1M, child);
			vvram_gem_create(client, SZ_64K, VRAM, VVRAM_GEM_CREATE_NO_CPU_ACCESS);
			/* Exit without closing anything, as a crash would. */
			_exit(0);
		}
		igt_waitchildren();
		assert_back_to(&start);
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		concurrent_tests,
	};

	vvram_igt_run(&fd, &mem, topics, ARRAY_SIZE(topics));
}
