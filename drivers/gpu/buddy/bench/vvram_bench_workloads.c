// SPDX-License-Identifier: GPL-2.0
/*
 * Workloads W1-W4: the kernel's own buddy performance tests (W1-W3) and
 * the Vulkan-CTS-like case (W4), with their sizes and counts; nothing
 * here knows which allocator runs.
 *
 * Every workload frees everything it allocated before it finishes, also
 * when the time budget stopped it, so the allocator's fini sees an empty
 * pool (the kernel's fini warns otherwise).
 */

#include "vvram_bench.h"

#define W1_COUNT	65536
#define W3_COUNT	BIT(20)
#define W3_TAIL_COUNT	16384
#define W4_ROUNDS	5
#define W4_COUNT	4000

/*
 * Sets a workload up: @count list heads in *@lists and a 4 GiB instance of
 * the allocator. Undone by workload_end().
 */
static int workload_begin(struct bench_ctx *ctx, size_t count,
			  struct list_head **lists)
{
	int err;

	*lists = bench_lists_alloc(count);
	if (!*lists)
		return -ENOMEM;
	err = bench_mm_init(ctx, BENCH_GIB(4));
	if (err)
		bench_free(*lists);
	return err;
}

static int workload_end(struct bench_ctx *ctx, struct list_head *lists)
{
	bench_mm_fini(ctx);
	bench_free(lists);
	return 0;
}

/*
 * @count allocations of @size bytes (blocks of at least @min_block)
 * anywhere, one per list, until done or out of time; then a sample.
 * Returns the time they took.
 */
static u64 timed_alloc_all(struct bench_ctx *ctx, struct bench_row *row,
			   struct list_head *lists, size_t count, u64 size,
			   u64 min_block, unsigned int flags)
{
	u64 t0 = bench_now_ns(), dt;
	size_t i;

	for (i = 0; i < count && !ctx->timed_out; i++)
		bench_alloc(ctx, row, 0, bench_any_end(ctx), size, min_block,
			    &lists[i], flags);
	dt = bench_now_ns() - t0;
	bench_sample(ctx, row, NULL);
	return dt;
}

/* Frees @count lists in order with @flags; returns the time it took. */
static u64 timed_release_all(struct bench_ctx *ctx, struct bench_row *row,
			     struct list_head *lists, size_t count,
			     unsigned int flags)
{
	u64 t0 = bench_now_ns();
	size_t i;

	for (i = 0; i < count; i++)
		bench_release(ctx, row, &lists[i], flags);
	return bench_now_ns() - t0;
}

/*
 * W1: 8 KiB allocations aligned to 64 KiB fill 4 GiB; three quarters of
 * the frees are split between the clear and the dirty state in a pattern
 * that leaves every 64 KiB buddy pair in mixed state; then 64 KiB blocks
 * are asked for.  An allocator with a clear/dirty merge barrier must merge
 * by force or fail here.
 */
static int w1_fragmentation(struct bench_ctx *ctx, struct bench_row *rows)
{
	struct bench_row *row = &rows[0];
	struct list_head *small, *large;
	u64 t0;
	size_t i;
	int err;

	err = workload_begin(ctx, 2 * W1_COUNT, &small);
	if (err)
		return err;
	large = small + W1_COUNT;

	bench_row_begin(ctx, row, "W1 fragmentation", 2 * W1_COUNT);
	row->time_ns += timed_alloc_all(ctx, row, small, W1_COUNT,
					BENCH_KIB(8), BENCH_KIB(64), 0);

	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT; i++)
		bench_release(ctx, row, &small[i],
			      (i % 4 == 0 || i % 4 == 3) ? BENCH_FREE_CLEARED : 0);
	row->time_ns += bench_now_ns() - t0;
	row->time_ns += timed_alloc_all(ctx, row, large, W1_COUNT,
					BENCH_KIB(64), BENCH_KIB(64), 0);

	row->time_ns += timed_release_all(ctx, row, large, W1_COUNT, 0);
	bench_row_end(ctx, row);
	return workload_end(ctx, small);
}

/*
 * W2: the same 65,536 allocations; the even ones are freed clear, then the
 * odd ones clear in reverse order, so every merge happens on the way back.
 */
static int w2_reverse_free(struct bench_ctx *ctx, struct bench_row *rows)
{
	struct bench_row *row = &rows[0];
	struct list_head *lists;
	u64 t0;
	size_t i;
	int err;

	err = workload_begin(ctx, W1_COUNT, &lists);
	if (err)
		return err;

	bench_row_begin(ctx, row, "W2 reverse free", W1_COUNT);
	row->time_ns += timed_alloc_all(ctx, row, lists, W1_COUNT,
					BENCH_KIB(8), BENCH_KIB(64), 0);

	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT; i += 2)
		bench_release(ctx, row, &lists[i], BENCH_FREE_CLEARED);
	for (i = W1_COUNT; i >= 2; i -= 2)
		bench_release(ctx, row, &lists[i - 1], BENCH_FREE_CLEARED);
	row->time_ns += bench_now_ns() - t0;
	bench_row_end(ctx, row);
	return workload_end(ctx, lists);
}

/*
 * W3: a million 4 KiB blocks freed alternately clear and dirty, then the
 * whole 4 GiB asked for as one contiguous range (timed on its own row), then
 * 16,384 blocks of 256 KiB.  With a clear/dirty merge barrier nothing above
 * 4 KiB is left after the churn, so the contiguous request has to rebuild
 * the whole tree.
 */
static int w3_churn_then_contiguous(struct bench_ctx *ctx,
				    struct bench_row *rows)
{
	struct bench_row *churn = &rows[0], *contig = &rows[1];
	struct bench_row *tail = &rows[2];
	struct list_head *lists, whole;
	u64 t0;
	size_t i;
	int err;

	INIT_LIST_HEAD(&whole);
	err = workload_begin(ctx, W3_COUNT, &lists);
	if (err)
		return err;

	bench_row_begin(ctx, churn, "W3 churn 4K", W3_COUNT);
	churn->time_ns += timed_alloc_all(ctx, churn, lists, W3_COUNT,
					  BENCH_KIB(4), BENCH_KIB(4), 0);
	t0 = bench_now_ns();
	for (i = 0; i < W3_COUNT; i++)
		bench_release(ctx, churn, &lists[i],
			      i % 2 ? 0 : BENCH_FREE_CLEARED);
	churn->time_ns += bench_now_ns() - t0;
	bench_row_end(ctx, churn);
	if (!churn->finished)
		snprintf(contig->note, sizeof(contig->note),
			 "after a partial churn (%llu of %lu allocs)",
			 (unsigned long long)churn->allocs, W3_COUNT);

	/* One operation: it runs even if the churn ran out of time. */
	bench_row_begin(ctx, contig, "W3 contiguous 4G", 1);
	t0 = bench_now_ns();
	bench_alloc(ctx, contig, 0, bench_any_end(ctx), BENCH_GIB(4),
		    BENCH_KIB(4), &whole, BENCH_ALLOC_CONTIGUOUS);
	contig->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, contig, NULL);
	bench_row_end(ctx, contig);
	bench_release(ctx, contig, &whole, 0);

	bench_row_begin(ctx, tail, "W3 256K after", W3_TAIL_COUNT);
	tail->time_ns += timed_alloc_all(ctx, tail, lists, W3_TAIL_COUNT,
					 BENCH_KIB(256), BENCH_KIB(4), 0);
	tail->time_ns += timed_release_all(ctx, tail, lists, W3_TAIL_COUNT, 0);
	bench_row_end(ctx, tail);
	return workload_end(ctx, lists);
}

/*
 * W4: rounds of 4,000 small blocks aligned to 256 KiB, asking for cleared
 * memory, freed in reverse order alternately clear and dirty, as a driver
 * that wipes some buffers on release does.  Where clear tracking splits the
 * free lists, free blocks pile up from round to round and rounds slow down;
 * the note gives each round's time and the free-block count after it.
 */
static int w4_cts_like(struct bench_ctx *ctx, struct bench_row *rows)
{
	u64 round_us[W4_ROUNDS], free_blocks[W4_ROUNDS];
	struct bench_row *row = &rows[0];
	struct bench_census census;
	struct list_head *lists;
	unsigned int round;
	u64 t0, dt;
	size_t i;
	int err;

	err = workload_begin(ctx, W4_COUNT, &lists);
	if (err)
		return err;

	bench_row_begin(ctx, row, "W4 CTS-like rounds", W4_ROUNDS * W4_COUNT);
	for (round = 0; round < W4_ROUNDS; round++) {
		dt = timed_alloc_all(ctx, row, lists, W4_COUNT, BENCH_KIB(8),
				     BENCH_KIB(256), BENCH_ALLOC_CLEAR);
		t0 = bench_now_ns();
		for (i = W4_COUNT; i-- > 0;)
			bench_release(ctx, row, &lists[i],
				      i % 2 ? 0 : BENCH_FREE_CLEARED);
		dt += bench_now_ns() - t0;
		row->time_ns += dt;
		round_us[round] = dt / 1000;
		bench_sample(ctx, row, &census);
		free_blocks[round] = census.free_blocks;
	}
	bench_row_end(ctx, row);
	row->rounds_grow = free_blocks[W4_ROUNDS - 1] > free_blocks[0] ||
			   round_us[W4_ROUNDS - 1] > 2 * round_us[0];
	snprintf(row->note, sizeof(row->note),
		 "round us %llu %llu %llu %llu %llu; free blocks %llu %llu %llu %llu %llu",
		 (unsigned long long)round_us[0], (unsigned long long)round_us[1],
		 (unsigned long long)round_us[2], (unsigned long long)round_us[3],
		 (unsigned long long)round_us[4],
		 (unsigned long long)free_blocks[0],
		 (unsigned long long)free_blocks[1],
		 (unsigned long long)free_blocks[2],
		 (unsigned long long)free_blocks[3],
		 (unsigned long long)free_blocks[4]);
	return workload_end(ctx, lists);
}

/*
 * Targets: W1-W3 10x, W3's contiguous allocation 50x, the rest faster.
 * The floor allocator sits out W5, whose request stream depends on which
 * range requests fail, and W6, which checks placements against a model.
 */
const struct bench_workload bench_workloads[BENCH_N_WORKLOADS] = {
	{ "W1", "fragmentation: 64K x 8K@64K, mixed clear/dirty free, 64K x 64K",
	  1, { 1000 }, w1_fragmentation, true },
	{ "W2", "reverse free: 64K x 8K@64K, even freed clear, odd in reverse",
	  1, { 1000 }, w2_reverse_free, true },
	{ "W3", "1M x 4K churn, one 4 GiB contiguous, 16K x 256K",
	  3, { 1000, 5000, 1000 }, w3_churn_then_contiguous, true },
	{ "W4", "5 rounds of 4000 x 8K@256K clear allocs, reverse free",
	  1, { 100 }, w4_cts_like, true },
	{ "W5", "1M ops steady churn at 50% of 1 GiB, plain/topdown/range",
	  1, { 100 }, w5_steady_churn, false },
	{ "W6", "200 contiguous 16K-4M allocs at 50/70/90% fragmented fill",
	  3, { 100, 100, 100 }, w6_contiguous_fragmented, false },
};
