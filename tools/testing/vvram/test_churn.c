// SPDX-License-Identifier: MIT
/*
 * Concurrency: 8 processes, each with its own DRM file, create, fill,
 * check, migrate, pin and free BOs at random on a 32 MiB VRAM, so that
 * they keep evicting each other. Each checks its own data at every step.
 * Afterwards every BO is gone and VRAM, its visible window and GTT are
 * back to exactly 0 used, with VRAM one free range again.
 *
 * The seed of each process is printed, so a failure can be replayed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vvram_test.h"

#define VRAM_SIZE (32 * MiB)
#define VISIBLE_SIZE (16 * MiB)
#define PROCESSES 8
#define OPS_PER_PROCESS 300
#define MAX_LIVE 12
#define TIME_LIMIT_S 120
#define VRAM VVRAM_GEM_DOMAIN_VRAM
#define GTT VVRAM_GEM_DOMAIN_GTT
#define CPU VVRAM_GEM_DOMAIN_CPU

struct live_bo {
	uint32_t handle;
	uint64_t size_bytes;
	uint64_t seed;
	uint32_t domains;
	bool mappable;
	bool pinned;
};

struct churn {
	int fd;
	uint64_t rng;
	struct live_bo bos[MAX_LIVE];
	unsigned int live;
	unsigned int pinned;
	unsigned int ops[6];
	unsigned int enospc;
};

static void load_vram(void)
{
	vt_reload_with_vram("vram_size=33554432 visible_size=16777216",
			    VRAM_SIZE, 16 * MiB);
}

static uint64_t pick(struct churn *c, uint64_t n)
{
	return vt_rand(&c->rng) % n;
}

static void check_data(struct churn *c, struct live_bo *bo, const char *when)
{
	struct vvram_bo_info info;
	uint8_t *map;

	if (!bo->mappable)
		return;
	/* Pinned outside the window, a CPU access is a SIGBUS, by design. */
	if (bo->pinned) {
		vt_bo_info(c->fd, bo->handle, &info);
		vvram_bo_info_fini(&info);
		if (info.domain == VRAM && !(info.flags & VVRAM_GEM_INFO_CPU_VISIBLE))
			return;
	}
	map = vt_bo_map(c->fd, bo->handle, bo->size_bytes);
	vt_check_pattern(map, bo->size_bytes, bo->seed, when);
	vt_bo_unmap(map, bo->size_bytes);
}

/* ENOSPC is an honest answer when 8 processes pin and evict at once. */
static bool tolerate_enospc(struct churn *c, int ret, const char *what)
{
	if (ret == -ENOSPC) {
		c->enospc++;
		return false;
	}
	if (ret)
		VT_FAIL("%s: %s", what, vt_errname(-ret));
	return true;
}

static void op_create(struct churn *c)
{
	static const uint32_t domain_choices[] = { VRAM, VRAM, VRAM | GTT, GTT };
	static const uint32_t flag_choices[] = {
		0, 0, VVRAM_GEM_CREATE_CONTIGUOUS,
		VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
		VVRAM_GEM_CREATE_NO_CPU_ACCESS,
		VVRAM_GEM_CREATE_CONTIGUOUS | VVRAM_GEM_CREATE_NO_CPU_ACCESS,
	};
	struct live_bo *bo = &c->bos[c->live];
	struct vvram_bo_params params = { 0 };
	uint8_t *map;

	/* 4 KiB to 2 MiB, in chunks. */
	params.size_bytes = (1 + pick(c, 512)) * 4 * KiB;
	params.domains = domain_choices[pick(c, 4)];
	params.flags = flag_choices[pick(c, 6)];
	if (!tolerate_enospc(c, vvram_bo_create(c->fd, &params, &bo->handle),
			     "create"))
		return;
	bo->size_bytes = params.size_bytes;
	bo->domains = params.domains;
	bo->seed = vt_rand(&c->rng);
	bo->mappable = !(params.flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS);
	bo->pinned = false;
	if (bo->mappable) {
		map = vt_bo_map(c->fd, bo->handle, bo->size_bytes);
		vt_check_zero(map, bo->size_bytes, "new BO during churn");
		vvram_pattern_fill(map, bo->size_bytes, bo->seed);
		vt_bo_unmap(map, bo->size_bytes);
	}
	c->live++;
}

static void op_free(struct churn *c)
{
	unsigned int i = pick(c, c->live);
	struct live_bo *bo = &c->bos[i];

	check_data(c, bo, "BO before free");
	VT_OK(vvram_bo_close(c->fd, bo->handle));
	c->pinned -= bo->pinned;
	c->bos[i] = c->bos[--c->live];
}

static void op_migrate(struct churn *c)
{
	struct live_bo *bo = &c->bos[pick(c, c->live)];
	uint32_t allowed = bo->domains | CPU, choices[3], to, bit;
	unsigned int n = 0;

	if (bo->pinned)
		return;
	/* One of the BO's allowed domains, or CPU, which is always allowed. */
	for (bit = 1; bit <= CPU; bit <<= 1)
		if (allowed & bit)
			choices[n++] = bit;
	to = choices[pick(c, n)];
	if (tolerate_enospc(c, vvram_bo_migrate(c->fd, bo->handle, to), "migrate"))
		check_data(c, bo, "BO after migration");
}

static void op_pin(struct churn *c)
{
	struct live_bo *bo = &c->bos[pick(c, c->live)];

	if (bo->pinned) {
		VT_OK(vvram_bo_unpin(c->fd, bo->handle));
		bo->pinned = false;
		c->pinned--;
		return;
	}
	/* Few and small pins, so that pinned memory cannot starve the rest. */
	if (c->pinned >= 2 || bo->size_bytes > 256 * KiB)
		return;
	if (!tolerate_enospc(c, vvram_bo_pin(c->fd, bo->handle, bo->domains & -bo->domains),
			     "pin"))
		return;
	bo->pinned = true;
	c->pinned++;
	check_data(c, bo, "BO after pinning");
}

static void op_check(struct churn *c)
{
	check_data(c, &c->bos[pick(c, c->live)], "BO during churn");
}

static void churn_process(unsigned int index)
{
	struct churn c = { .rng = 0x5eed0000ull + index * 7919 };
	struct timespec start, now;
	unsigned int op;

	c.fd = vt_open();
	vt_diag("process %u: seed %#llx", index, (unsigned long long)c.rng);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (op = 0; op < OPS_PER_PROCESS; op++) {
		unsigned int kind = pick(&c, 10);

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > TIME_LIMIT_S) {
			vt_diag("process %u: stopped after %u ops (time limit)", index, op);
			break;
		}
		if (c.live == 0 || (kind < 4 && c.live < MAX_LIVE)) {
			op_create(&c);
			c.ops[0]++;
		} else if (kind < 6) {
			op_free(&c);
			c.ops[1]++;
		} else if (kind < 8) {
			op_migrate(&c);
			c.ops[2]++;
		} else if (kind < 9) {
			op_pin(&c);
			c.ops[3]++;
		} else {
			op_check(&c);
			c.ops[4]++;
		}
	}
	/* Leave half of the BOs for exit to free: both paths must be clean. */
	while (c.live > MAX_LIVE / 2)
		op_free(&c);
	vt_diag("process %u: %u creates, %u frees, %u migrations, %u pin ops, %u checks, %u ENOSPC, %u BOs left to exit",
		index, c.ops[0], c.ops[1], c.ops[2], c.ops[3], c.ops[4], c.enospc, c.live);
	/* The answer must stay rare: it means eviction could not help. */
	if (c.enospc > OPS_PER_PROCESS / 10)
		VT_FAIL("process %u: %u ENOSPC in %u ops", index, c.enospc, op);
	_exit(0);
}

static void churn_8_processes(void)
{
	struct vvram_memory before, after;
	pid_t pids[PROCESSES];
	unsigned int i, failed = 0;
	int fd = vt_open();

	vt_wait_idle(fd);
	vt_query(fd, &before);
	fflush(stdout);
	for (i = 0; i < PROCESSES; i++) {
		pids[i] = fork();
		VT_ASSERT(pids[i] >= 0);
		if (pids[i] == 0) {
			vvram_close(fd);
			churn_process(i);
		}
	}
	for (i = 0; i < PROCESSES; i++) {
		int status;

		VT_ASSERT(waitpid(pids[i], &status, 0) == pids[i]);
		if (WIFSIGNALED(status)) {
			vt_diag("process %u killed by %s", i, strsignal(WTERMSIG(status)));
			failed++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			vt_diag("process %u failed (status %#x)", i, status);
			failed++;
		}
	}
	VT_ASSERT_EQ(failed, 0);
	vt_query(fd, &after);
	vt_diag("%llu evictions during the churn",
		(unsigned long long)(after.evictions - before.evictions));
	VT_ASSERT(after.evictions > before.evictions);
	vvram_close(fd);
}

/* Every BO died with its process: usage is back to exactly zero. */
static void all_freed_usage_zero(void)
{
	struct vvram_memory mem;
	int fd = vt_open();

	vt_wait_idle(fd);
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_used_bytes, 0);
	VT_ASSERT_EQ(mem.visible_used_bytes, 0);
	VT_ASSERT_EQ(mem.gtt_used_bytes, 0);
	VT_ASSERT_EQ(mem.largest_free_bytes, VRAM_SIZE);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vram_used"), 0);
	VT_ASSERT_EQ(vt_sysfs(fd, "mem_info_vis_vram_used"), 0);
	vvram_close(fd);
}

int main(void)
{
	if (!vt_run("load-32MiB-vram", load_vram, 120)) {
		vt_skip_subtest("churn-8-processes", "vvram not loaded with a 32 MiB VRAM");
		vt_skip_subtest("all-freed-usage-back-to-zero", "no churn ran");
		return vt_exit();
	}
	vt_run("churn-8-processes", churn_8_processes, 300);
	vt_run("all-freed-usage-back-to-zero", all_freed_usage_zero, 60);
	return vt_exit();
}
