/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buddy allocator benchmark: the workloads W1-W6 (docs/buddy-bench.md),
 * written once and run against any allocator that an ops table describes.
 *
 * The same sources build into the in-kernel module vvram_buddy_bench.ko
 * (ours against the running kernel's gpu_buddy/drm_buddy, same boot) and
 * into the userspace program tools/bench (ours only, with per-operation
 * latency and exact metadata accounting).
 */
#ifndef VVRAM_BENCH_H
#define VVRAM_BENCH_H

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/vvram_buddy.h>

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>

static inline u64 bench_now_ns(void)
{
	return ktime_get_ns();
}

/* Long loops yield so that the guest's soft-lockup detector stays quiet. */
static inline void bench_yield(void)
{
	cond_resched();
}

static inline void *bench_calloc(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL);
}

static inline void bench_free(void *ptr)
{
	kvfree(ptr);
}
#else
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static inline void bench_yield(void)
{
}

static inline void *bench_calloc(size_t n, size_t size)
{
	return calloc(n, size);
}

static inline void bench_free(void *ptr)
{
	free(ptr);
}
#endif

#define BENCH_KIB(x)	((u64)(x) << 10)
#define BENCH_MIB(x)	((u64)(x) << 20)
#define BENCH_GIB(x)	((u64)(x) << 30)

/*
 * Allocation flags: vvram_buddy's own, which the ops of another allocator
 * translate (the kernel's with kbuddy_alloc_flags()).
 */
#define BENCH_ALLOC_RANGE	VVRAM_BUDDY_RANGE_ALLOCATION
#define BENCH_ALLOC_TOPDOWN	VVRAM_BUDDY_TOPDOWN_ALLOCATION
#define BENCH_ALLOC_CONTIGUOUS	VVRAM_BUDDY_CONTIGUOUS_ALLOCATION
#define BENCH_ALLOC_CLEAR	VVRAM_BUDDY_CLEAR_ALLOCATION
/* Free flag: the memory was zeroed by the caller. */
#define BENCH_FREE_CLEARED	VVRAM_BUDDY_CLEARED

/**
 * enum bench_style - how plain allocations describe "anywhere"
 * @BENCH_STYLE_SEED: start = end = 0, as callers that pass no range do.
 * @BENCH_STYLE_FULL_RANGE: start = 0, end = size, as amdgpu and xe call it.
 * @BENCH_STYLE_COUNT: the number of styles.
 */
enum bench_style {
	BENCH_STYLE_SEED,
	BENCH_STYLE_FULL_RANGE,
	BENCH_STYLE_COUNT,
};

/**
 * struct bench_census - allocator state that is costly to compute
 * @free_blocks: free blocks of any order (W4 watches its growth).
 * @metadata_bytes: bytes of per-block metadata in use right now, or 0 if
 *	the allocator cannot tell.
 */
struct bench_census {
	u64 free_blocks;
	u64 metadata_bytes;
};

/**
 * struct bench_allocator_ops - one allocator under test
 * @name: the allocator's name in the result tables.
 * @init: create an instance of @size_bytes in chunks of @chunk_bytes.
 * @fini: destroy an instance; every block has been freed.
 * @alloc: allocate @size_bytes in [@start, @end) in blocks of at least
 *	@min_block_bytes, appended to @blocks; BENCH_ALLOC_* flags.
 * @free_list: free every block on @blocks; BENCH_FREE_* flags.
 * @avail: free bytes of the instance.
 * @block_offset: byte offset of the block linked by @link.
 * @block_size: bytes of the block linked by @link.
 * @census: the costly figures of &struct bench_census.
 *
 * Allocated blocks are chained through a struct list_head inside each block,
 * so a workload keeps one list head per allocation and never needs to know
 * the block type.  @census is never called inside a timed section.
 */
struct bench_allocator_ops {
	const char *name;
	int (*init)(void **mm, u64 size_bytes, u64 chunk_bytes);
	void (*fini)(void *mm);
	int (*alloc)(void *mm, u64 start, u64 end, u64 size_bytes,
		     u64 min_block_bytes, struct list_head *blocks,
		     unsigned long bench_alloc_flags);
	void (*free_list)(void *mm, struct list_head *blocks,
			  unsigned int bench_free_flags);
	u64 (*avail)(void *mm);
	u64 (*block_offset)(void *mm, struct list_head *link);
	u64 (*block_size)(void *mm, struct list_head *link);
	void (*census)(void *mm, struct bench_census *census);
};

extern const struct bench_allocator_ops bench_ops_vvram;
#ifdef __KERNEL__
extern const struct bench_allocator_ops bench_ops_kernel;
/* No bookkeeping at all: what the harness alone costs (kernel only). */
extern const struct bench_allocator_ops bench_ops_floor;
#endif
extern bool bench_vvram_track_peak;

/**
 * struct bench_vvram_peak - metadata of our allocator, read after every
 *	operation while &bench_vvram_track_peak is set (userspace only)
 * @metadata_bytes: the most metadata held at any time.
 * @blocks: the most blocks (allocated and free) at any time.
 * @metadata_at_most_blocks: metadata held when @blocks was reached.
 * @worst_x10_per_block: the highest metadata per block, x10, at any time
 *	with at least 1024 blocks.
 * @metadata_last_bytes: metadata held after the last operation, when the
 *	workload has freed everything.
 */
struct bench_vvram_peak {
	u64 metadata_bytes;
	u64 blocks;
	u64 metadata_at_most_blocks;
	u64 worst_x10_per_block;
	u64 metadata_last_bytes;
};

extern struct bench_vvram_peak bench_vvram_peak;

/*
 * Latency histogram: log-linear buckets, 16 per power of two, so every
 * reported percentile is within 1/16 (6%) of the true value.
 */
#define BENCH_HIST_SUB_BITS	4
#define BENCH_HIST_BUCKETS	(64 << BENCH_HIST_SUB_BITS)

struct bench_hist {
	u64 count;
	u64 max_ns;
	u64 bucket[BENCH_HIST_BUCKETS];
};

void bench_hist_add(struct bench_hist *hist, u64 ns);
u64 bench_hist_percentile(const struct bench_hist *hist, unsigned int pct);

/* One row of the result table: a workload, or one measured part of it. */
#define BENCH_ROW_NAME_LEN	32
#define BENCH_NOTE_LEN		192

/**
 * struct bench_row - what one allocator did on one measured section
 * @name: workload and section, e.g. "W3 contiguous".
 * @time_ns: time of the measured section.
 * @ops_done: allocation and free calls made in the section.
 * @allocs_planned: allocation calls the workload wants to make.
 * @allocs: allocation calls made before the end or the time budget.
 * @alloc_ok: allocation calls of @allocs that succeeded.
 * @bytes_placed: bytes the successful allocations took from the pool.
 * @expected_ok: allocations the workload's model says can succeed, or
 *	-1 when the workload has no model.
 * @missed: allocations that failed although the model had room.
 * @violations: placements that are wrong (overlap, out of bounds,
 *	misaligned, not contiguous, wrong size); must be 0 for everyone.
 * @peak_metadata_bytes: largest census seen at the section's boundaries.
 * @rounds_grow: W4 only: the free-block count grew from the first round to
 *	the last, or the last round took over twice as long as the first
 *	(smaller time changes are noise).
 * @finished: false if the time budget stopped the section.
 * @hist: per-operation latency, when the runner asked for it (timing
 *	each operation costs two clock reads, so totals are taken without).
 * @note: workload-specific detail (W4 rounds, W6 fill).
 */
struct bench_row {
	char name[BENCH_ROW_NAME_LEN];
	u64 time_ns;
	u64 ops_done;
	u64 allocs_planned;
	u64 allocs;
	u64 alloc_ok;
	u64 bytes_placed;
	s64 expected_ok;
	u64 missed;
	u64 violations;
	u64 peak_metadata_bytes;
	bool rounds_grow;
	bool finished;
	struct bench_hist *hist;
	char note[BENCH_NOTE_LEN];
};

/**
 * struct bench_ctx - one run of one workload on one allocator
 * @ops: the allocator under test.
 * @mm: its instance, created by the workload.
 * @size_bytes: size of @mm.
 * @style: how plain allocations pass their range.
 * @budget_ns: time allowed for each row of the workload (0: unlimited).
 * @deadline_ns: absolute end of the current row's budget.
 * @timed_out: the budget ran out; the row stops and the workload cleans up.
 * @ticks: operations since start, to poll the clock only now and then.
 */
struct bench_ctx {
	const struct bench_allocator_ops *ops;
	void *mm;
	u64 size_bytes;
	enum bench_style style;
	u64 budget_ns;
	u64 deadline_ns;
	bool timed_out;
	u64 ticks;
};

#define BENCH_MAX_ROWS	4

/**
 * struct bench_workload - a workload and the rows it fills
 * @id: short name, "W1" ... "W6".
 * @title: what it does, one line.
 * @n_rows: rows the workload fills.
 * @target_x100: per row, the speed-up over the kernel's allocator that is
 *	the goal, x100.
 * @run: runs it; returns 0, or -ENOMEM if setup failed.
 * @floor_ok: the workload never looks at where blocks are placed, so the
 *	floor allocator (&bench_ops_floor), which places nothing, can drive
 *	it to measure the harness's own cost.
 */
struct bench_workload {
	const char *id;
	const char *title;
	unsigned int n_rows;
	unsigned int target_x100[BENCH_MAX_ROWS];
	int (*run)(struct bench_ctx *ctx, struct bench_row *rows);
	bool floor_ok;
};

#define BENCH_N_WORKLOADS	6
extern const struct bench_workload bench_workloads[BENCH_N_WORKLOADS];

const char *bench_style_name(enum bench_style style);

/**
 * bench_run_workload() - run one workload on one allocator and style
 * @wl: the workload.
 * @ops: the allocator.
 * @style: calling style.
 * @budget_ns: time budget for each row, 0 for none.
 * @hists: @wl->n_rows histograms to fill, or NULL for no per-op timing.
 * @rows: @wl->n_rows rows to fill.
 *
 * Return: 0, or a negative errno if the workload could not be set up.
 */
int bench_run_workload(const struct bench_workload *wl,
		       const struct bench_allocator_ops *ops,
		       enum bench_style style, u64 budget_ns,
		       struct bench_hist *hists, struct bench_row *rows);

/*
 * Noise filter for a loaded host: runners repeat each workload and keep,
 * per row, the best repetition (finished beats stopped, then faster wins).
 */
void bench_keep_best(struct bench_row *best, const struct bench_row *run,
		     unsigned int n_rows, bool first);
bool bench_rows_finished(const struct bench_row *rows, unsigned int n_rows);

/* Helpers for the workload files (vvram_bench_core.c). */
int bench_mm_init(struct bench_ctx *ctx, u64 size_bytes);
void bench_mm_fini(struct bench_ctx *ctx);
void bench_row_begin(struct bench_ctx *ctx, struct bench_row *row,
		     const char *name, u64 allocs_planned);
void bench_row_end(struct bench_ctx *ctx, struct bench_row *row);
void bench_sample(struct bench_ctx *ctx, struct bench_row *row,
		  struct bench_census *census);
u64 bench_any_end(const struct bench_ctx *ctx);
int bench_alloc(struct bench_ctx *ctx, struct bench_row *row,
		u64 start, u64 end, u64 size_bytes, u64 min_block_bytes,
		struct list_head *blocks, unsigned int flags);
void bench_release(struct bench_ctx *ctx, struct bench_row *row,
		   struct list_head *blocks, unsigned int flags);
struct list_head *bench_lists_alloc(size_t count);

/* The random workloads (vvram_bench_random.c). */
int w5_steady_churn(struct bench_ctx *ctx, struct bench_row *rows);
int w6_contiguous_fragmented(struct bench_ctx *ctx, struct bench_row *rows);

/* xorshift64*: the same stream in the kernel and in userspace. */
static inline u64 bench_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, bound); bound is small, the bias is irrelevant here. */
static inline u64 bench_rand_below(u64 *state, u64 bound)
{
	return bench_rand(state) % bound;
}

#endif /* VVRAM_BENCH_H */
