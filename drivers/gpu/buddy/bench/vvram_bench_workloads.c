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

static void bench_release_all(struct bench_ctx *ctx, struct bench_row *row,
			      struct list_head *lists, size_t count,
			      unsigned int flags)
{
	size_t i;

	for (i = 0; i < count; i++)
		bench_release(ctx, row, &lists[i], flags);
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

	small = bench_lists_alloc(W1_COUNT);
	large = bench_lists_alloc(W1_COUNT);
	err = -ENOMEM;
	if (!small || !large)
		goto out_lists;
	err = bench_mm_init(ctx, BENCH_GIB(4));
	if (err)
		goto out_lists;

	bench_row_begin(ctx, row, "W1 fragmentation", 2 * W1_COUNT);
	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT && !ctx->timed_out; i++)
		bench_alloc(ctx, row, 0, bench_any_end(ctx), BENCH_KIB(8),
			    BENCH_KIB(64), &small[i], 0);
	row->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, row, NULL);

	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT; i++)
		bench_release(ctx, row, &small[i],
			      (i % 4 == 0 || i % 4 == 3) ? BENCH_FREE_CLEARED : 0);
	for (i = 0; i < W1_COUNT && !ctx->timed_out; i++)
		bench_alloc(ctx, row, 0, bench_any_end(ctx), BENCH_KIB(64),
			    BENCH_KIB(64), &large[i], 0);
	row->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, row, NULL);

	t0 = bench_now_ns();
	bench_release_all(ctx, row, large, W1_COUNT, 0);
	row->time_ns += bench_now_ns() - t0;
	bench_row_end(ctx, row);

	bench_mm_fini(ctx);
out_lists:
	bench_free(large);
	bench_free(small);
	return err;
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

	lists = bench_lists_alloc(W1_COUNT);
	if (!lists)
		return -ENOMEM;
	err = bench_mm_init(ctx, BENCH_GIB(4));
	if (err)
		goto out_lists;

	bench_row_begin(ctx, row, "W2 reverse free", W1_COUNT);
	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT && !ctx->timed_out; i++)
		bench_alloc(ctx, row, 0, bench_any_end(ctx), BENCH_KIB(8),
			    BENCH_KIB(64), &lists[i], 0);
	row->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, row, NULL);

	t0 = bench_now_ns();
	for (i = 0; i < W1_COUNT; i += 2)
		bench_release(ctx, row, &lists[i], BENCH_FREE_CLEARED);
	for (i = W1_COUNT; i >= 2; i -= 2)
		bench_release(ctx, row, &lists[i - 1], BENCH_FREE_CLEARED);
	row->time_ns += bench_now_ns() - t0;
	bench_row_end(ctx, row);

	bench_mm_fini(ctx);
out_lists:
	bench_free(lists);
	return err;
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
	lists = bench_lists_alloc(W3_COUNT);
	if (!lists)
		return -ENOMEM;
	err = bench_mm_init(ctx, BENCH_GIB(4));
	if (err)
		goto out_lists;

	bench_row_begin(ctx, churn, "W3 churn 4K", W3_COUNT);
	t0 = bench_now_ns();
	for (i = 0; i < W3_COUNT && !ctx->timed_out; i++)
		bench_alloc(ctx, churn, 0, bench_any_end(ctx), BENCH_KIB(4),
			    BENCH_KIB(4), &lists[i], 0);
	churn->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, churn, NULL);
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
	t0 = bench_now_ns();
	for (i = 0; i < W3_TAIL_COUNT && !ctx->timed_out; i++)
		bench_alloc(ctx, tail, 0, bench_any_end(ctx), BENCH_KIB(256),
			    BENCH_KIB(4), &lists[i], 0);
	tail->time_ns += bench_now_ns() - t0;
	bench_sample(ctx, tail, NULL);
	t0 = bench_now_ns();
	bench_release_all(ctx, tail, lists, W3_TAIL_COUNT, 0);
	tail->time_ns += bench_now_ns() - t0;
	bench_row_end(ctx, tail);

	bench_mm_fini(ctx);
out_lists:
	bench_free(lists);
	return err;
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

	lists = bench_lists_alloc(W4_COUNT);
	if (!lists)
		return -ENOMEM;
	err = bench_mm_init(ctx, BENCH_GIB(4));
	if (err)
		goto out_lists;

	bench_row_begin(ctx, row, "W4 CTS-like rounds", W4_ROUNDS * W4_COUNT);
	for (round = 0; round < W4_ROUNDS; round++) {
		t0 = bench_now_ns();
		for (i = 0; i < W4_COUNT && !ctx->timed_out; i++)
			bench_alloc(ctx, row, 0, bench_any_end(ctx),
				    BENCH_KIB(8), BENCH_KIB(256), &lists[i],
				    BENCH_ALLOC_CLEAR);
		dt = bench_now_ns() - t0;
		bench_sample(ctx, row, NULL);
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

	bench_mm_fini(ctx);
out_lists:
	bench_free(lists);
	return err;
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
