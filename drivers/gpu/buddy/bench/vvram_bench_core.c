// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark core: timing, time budgets, latency histograms and the
 * allocation wrappers every workload goes through, so that both allocators
 * are measured by exactly the same code.
 */

#include "vvram_bench.h"

/*
 * Operations between two looks at the clock.  Small enough that a slow
 * allocator on a slow (emulated) CPU still yields well inside the
 * soft-lockup threshold, large enough that the clock reads cost nothing
 * next to the operations.
 */
#define BENCH_POLL_MASK	15

const char *bench_style_name(enum bench_style style)
{
	return style == BENCH_STYLE_SEED ? "seed" : "range";
}

void bench_hist_add(struct bench_hist *hist, u64 ns)
{
	unsigned int msb, idx;

	hist->count++;
	if (ns > hist->max_ns)
		hist->max_ns = ns;
	if (ns < (1u << BENCH_HIST_SUB_BITS)) {
		idx = ns;
	} else {
		msb = 63 - __builtin_clzll(ns);
		idx = ((msb - BENCH_HIST_SUB_BITS + 1) << BENCH_HIST_SUB_BITS) +
		      ((ns >> (msb - BENCH_HIST_SUB_BITS)) &
		       ((1u << BENCH_HIST_SUB_BITS) - 1));
	}
	hist->bucket[idx]++;
}

/* The upper bound of a bucket, so percentiles are never flattering. */
static u64 bench_hist_bucket_top(unsigned int idx)
{
	unsigned int shift, sub;

	if (idx < (1u << BENCH_HIST_SUB_BITS))
		return idx;
	shift = (idx >> BENCH_HIST_SUB_BITS) - 1;
	sub = idx & ((1u << BENCH_HIST_SUB_BITS) - 1);
	return ((u64)((1u << BENCH_HIST_SUB_BITS) + sub + 1) << shift) - 1;
}

u64 bench_hist_percentile(const struct bench_hist *hist, unsigned int pct)
{
	u64 rank, seen = 0;
	unsigned int idx;

	if (!hist->count)
		return 0;
	rank = (hist->count * pct + 99) / 100;
	if (!rank)
		rank = 1;
	for (idx = 0; idx < BENCH_HIST_BUCKETS; idx++) {
		seen += hist->bucket[idx];
		if (seen >= rank) {
			u64 top = bench_hist_bucket_top(idx);

			return top < hist->max_ns ? top : hist->max_ns;
		}
	}
	return hist->max_ns;
}

int bench_mm_init(struct bench_ctx *ctx, u64 size_bytes)
{
	ctx->size_bytes = size_bytes;
	return ctx->ops->init(&ctx->mm, size_bytes, BENCH_KIB(4));
}

void bench_mm_fini(struct bench_ctx *ctx)
{
	ctx->ops->fini(ctx->mm);
	ctx->mm = NULL;
}

void bench_row_begin(struct bench_ctx *ctx, struct bench_row *row,
		     const char *name, u64 allocs_planned)
{
	unsigned int i;

	for (i = 0; name[i] && i < BENCH_ROW_NAME_LEN - 1; i++)
		row->name[i] = name[i];
	row->name[i] = '\0';
	row->allocs_planned = allocs_planned;
	row->expected_ok = -1;
	ctx->timed_out = false;
	ctx->deadline_ns = ctx->budget_ns ? bench_now_ns() + ctx->budget_ns : 0;
}

void bench_row_end(struct bench_ctx *ctx, struct bench_row *row)
{
	row->finished = !ctx->timed_out;
}

void bench_sample(struct bench_ctx *ctx, struct bench_row *row,
		  struct bench_census *census)
{
	struct bench_census local;

	if (!census)
		census = &local;
	ctx->ops->census(ctx->mm, census);
	if (census->metadata_bytes > row->peak_metadata_bytes)
		row->peak_metadata_bytes = census->metadata_bytes;
}

u64 bench_any_end(const struct bench_ctx *ctx)
{
	return ctx->style == BENCH_STYLE_SEED ? 0 : ctx->size_bytes;
}

static void bench_tick(struct bench_ctx *ctx)
{
	if (++ctx->ticks & BENCH_POLL_MASK)
		return;
	bench_yield();
	if (ctx->deadline_ns && bench_now_ns() > ctx->deadline_ns)
		ctx->timed_out = true;
}

int bench_alloc(struct bench_ctx *ctx, struct bench_row *row,
		u64 start, u64 end, u64 size_bytes, u64 min_block_bytes,
		struct list_head *blocks, unsigned int flags)
{
	u64 avail = ctx->ops->avail(ctx->mm);
	u64 t0 = 0;
	int err;

	if (row->hist)
		t0 = bench_now_ns();
	err = ctx->ops->alloc(ctx->mm, start, end, size_bytes,
			      min_block_bytes, blocks, flags);
	if (row->hist)
		bench_hist_add(row->hist, bench_now_ns() - t0);
	row->ops_done++;
	row->allocs++;
	if (!err) {
		row->alloc_ok++;
		row->bytes_placed += avail - ctx->ops->avail(ctx->mm);
	}
	bench_tick(ctx);
	return err;
}

void bench_release(struct bench_ctx *ctx, struct bench_row *row,
		   struct list_head *blocks, unsigned int flags)
{
	u64 t0 = 0;

	if (list_empty(blocks))
		return;
	if (row->hist)
		t0 = bench_now_ns();
	ctx->ops->free_list(ctx->mm, blocks, flags);
	if (row->hist)
		bench_hist_add(row->hist, bench_now_ns() - t0);
	INIT_LIST_HEAD(blocks);
	row->ops_done++;
	bench_tick(ctx);
}

struct list_head *bench_lists_alloc(size_t count)
{
	struct list_head *lists = bench_calloc(count, sizeof(*lists));
	size_t i;

	if (!lists)
		return NULL;
	for (i = 0; i < count; i++)
		INIT_LIST_HEAD(&lists[i]);
	return lists;
}

void bench_keep_best(struct bench_row *best, const struct bench_row *run,
		     unsigned int n_rows, bool first)
{
	unsigned int r;

	for (r = 0; r < n_rows; r++) {
		bool better = run[r].finished != best[r].finished ?
			      run[r].finished :
			      run[r].time_ns < best[r].time_ns;

		if (first || better)
			best[r] = run[r];
	}
}

bool bench_rows_finished(const struct bench_row *rows, unsigned int n_rows)
{
	unsigned int r;

	for (r = 0; r < n_rows; r++)
		if (!rows[r].finished)
			return false;
	return true;
}

int bench_run_workload(const struct bench_workload *wl,
		       const struct bench_allocator_ops *ops,
		       enum bench_style style, u64 budget_ns,
		       struct bench_hist *hists, struct bench_row *rows)
{
	struct bench_ctx ctx = {
		.ops = ops,
		.style = style,
		.budget_ns = budget_ns,
	};
	unsigned int i;

	for (i = 0; i < wl->n_rows; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].expected_ok = -1;
		if (hists) {
			memset(&hists[i], 0, sizeof(hists[i]));
			rows[i].hist = &hists[i];
		}
	}
	return wl->run(&ctx, rows);
}
