// SPDX-License-Identifier: GPL-2.0
/*
 * Workloads W5 and W6: random traffic from a
 * fixed seed, so both allocators see the same request stream.
 *
 * W6 builds its fragmented pool with exact-range allocations, so the free
 * map is identical for every allocator and known to the workload: a model
 * of the free runs says, for each contiguous request, whether an aligned
 * run that fits exists, and every placement is checked against it.
 */

#include "vvram_bench.h"

#define W5_SIZE		BENCH_GIB(1)
#define W5_OPS		1000000u
#define W5_MAX_LIVE	16384u
#define W5_SEED		0x5eed0005ull

#define W6_SIZE		BENCH_GIB(1)
#define W6_CHUNK	BENCH_KIB(4)
#define W6_MAX_TILE	BENCH_MIB(1)
#define W6_REQUESTS	200u
#define W6_SEED		0x5eed0006ull

/* 4 KiB to 2 MiB: a random power-of-two scale, then uniform below it. */
static u64 w5_random_size(u64 *rng)
{
	unsigned int scale = bench_rand_below(rng, 10);

	return BENCH_KIB(4) * (1 + bench_rand_below(rng, 1ull << scale));
}

/* One allocation, plain, top-down or inside a random 256 MiB window. */
static int w5_alloc_one(struct bench_ctx *ctx, struct bench_row *row,
			u64 *rng, struct list_head *blocks)
{
	u64 size = w5_random_size(rng);
	u64 start;

	switch (bench_rand_below(rng, 3)) {
	case 0:
		return bench_alloc(ctx, row, 0, bench_any_end(ctx), size,
				   BENCH_KIB(4), blocks, 0);
	case 1:
		return bench_alloc(ctx, row, 0, bench_any_end(ctx), size,
				   BENCH_KIB(4), blocks, BENCH_ALLOC_TOPDOWN);
	default:
		start = BENCH_MIB(bench_rand_below(rng, 769));
		return bench_alloc(ctx, row, start, start + BENCH_MIB(256), size,
				   BENCH_KIB(4), blocks, BENCH_ALLOC_RANGE);
	}
}

/* Frees a random live allocation and keeps the live ones packed. */
static void w5_free_one(struct bench_ctx *ctx, struct bench_row *row,
			u64 *rng, struct list_head *lists, unsigned int *live)
{
	unsigned int victim = bench_rand_below(rng, *live);

	bench_release(ctx, row, &lists[victim], 0);
	(*live)--;
	list_splice_tail_init(&lists[*live], &lists[victim]);
}

/*
 * W5: a pool kept between 45% and 55% full by a million random operations;
 * inside the band a coin decides between allocating and freeing.
 */
int w5_steady_churn(struct bench_ctx *ctx, struct bench_row *rows)
{
	struct bench_row *row = &rows[0], setup = { 0 };
	unsigned int live = 0, op;
	struct list_head *lists;
	u64 rng = W5_SEED, used, t0;
	bool do_alloc;
	int err;

	lists = bench_lists_alloc(W5_MAX_LIVE);
	if (!lists)
		return -ENOMEM;
	err = bench_mm_init(ctx, W5_SIZE);
	if (err)
		goto out_lists;

	/* Untimed prefill to half the pool. */
	while (live < W5_MAX_LIVE &&
	       W5_SIZE - ctx->ops->avail(ctx->mm) < W5_SIZE / 2)
		if (!w5_alloc_one(ctx, &setup, &rng, &lists[live]))
			live++;

	bench_row_begin(ctx, row, "W5 steady churn", W5_OPS);
	t0 = bench_now_ns();
	for (op = 0; op < W5_OPS && !ctx->timed_out; op++) {
		used = W5_SIZE - ctx->ops->avail(ctx->mm);
		if (!live)
			do_alloc = true;
		else if (live == W5_MAX_LIVE)
			do_alloc = false;
		else if (used < W5_SIZE / 100 * 45)
			do_alloc = true;
		else if (used > W5_SIZE / 100 * 55)
			do_alloc = false;
		else
			do_alloc = bench_rand(&rng) & 1;

		if (!do_alloc)
			w5_free_one(ctx, row, &rng, lists, &live);
		else if (!w5_alloc_one(ctx, row, &rng, &lists[live]))
			live++;
	}
	row->time_ns = bench_now_ns() - t0;
	bench_sample(ctx, row, NULL);
	bench_row_end(ctx, row);
	snprintf(row->note, sizeof(row->note),
		 "%u of %u ops, %u allocations live at the end", op, W5_OPS,
		 live);

	while (live)
		w5_free_one(ctx, &setup, &rng, lists, &live);
	bench_mm_fini(ctx);
out_lists:
	bench_free(lists);
	return err;
}

/**
 * struct w6_tile - one allocation of the initial tiling of the pool
 * @blocks: its blocks while allocated.
 * @offset: start in the pool, bytes.
 * @size: bytes.
 */
struct w6_tile {
	struct list_head blocks;
	u64 offset;
	u64 size;
};

/* A maximal free range of the model, [start, end) in bytes. */
struct w6_run {
	u64 start;
	u64 end;
};

struct w6_pool {
	char first_misplaced[128];
	struct w6_tile *tiles;
	unsigned int n_tiles;
	struct w6_run *runs;
	unsigned int n_runs;
	u64 largest_run;
};

static u64 w6_round_up(u64 x, u64 align)
{
	return (x + align - 1) / align * align;
}

static bool w6_model_fits(const struct w6_pool *pool, u64 need, u64 align)
{
	unsigned int i;

	for (i = 0; i < pool->n_runs; i++)
		if (w6_round_up(pool->runs[i].start, align) + need <=
		    pool->runs[i].end)
			return true;
	return false;
}

/**
 * struct w6_placement - what a contiguous allocation returned
 * @lo: lowest byte.
 * @hi: end of the highest block.
 * @sum: bytes in all blocks.
 * @overlap: two blocks overlap.
 */
struct w6_placement {
	u64 lo;
	u64 hi;
	u64 sum;
	bool overlap;
};

static void w6_measure(struct bench_ctx *ctx, struct list_head *blocks,
		       struct w6_placement *got)
{
	u64 off, len, off2, len2;
	struct list_head *a, *b;

	got->lo = U64_MAX;
	got->hi = 0;
	got->sum = 0;
	got->overlap = false;
	for (a = blocks->next; a != blocks; a = a->next) {
		off = ctx->ops->block_offset(ctx->mm, a);
		len = ctx->ops->block_size(ctx->mm, a);
		got->sum += len;
		if (off < got->lo)
			got->lo = off;
		if (off + len > got->hi)
			got->hi = off + len;
		for (b = a->next; b != blocks; b = b->next) {
			off2 = ctx->ops->block_offset(ctx->mm, b);
			len2 = ctx->ops->block_size(ctx->mm, b);
			if (off < off2 + len2 && off2 < off + len)
				got->overlap = true;
		}
	}
}

/*
 * A correct contiguous placement: exactly @size bytes, one gap-free range
 * starting at a multiple of @align, inside one free run of the model.
 */
static bool w6_placement_ok(const struct w6_pool *pool,
			    const struct w6_placement *got, u64 size, u64 align)
{
	unsigned int i;

	if (got->overlap || got->sum != size || got->hi - got->lo != got->sum ||
	    got->lo % align)
		return false;
	for (i = 0; i < pool->n_runs; i++)
		if (pool->runs[i].start <= got->lo &&
		    got->hi <= pool->runs[i].end)
			return true;
	return false;
}

/* The tiling: random 4 KiB..1 MiB tiles back to back over the pool. */
static unsigned int w6_make_tiles(struct w6_tile *tiles)
{
	u64 rng = W6_SEED, offset = 0, size;
	unsigned int n = 0;

	while (offset < W6_SIZE) {
		size = W6_CHUNK *
		       (1 + bench_rand_below(&rng, W6_MAX_TILE / W6_CHUNK));
		if (size > W6_SIZE - offset)
			size = W6_SIZE - offset;
		if (tiles) {
			INIT_LIST_HEAD(&tiles[n].blocks);
			tiles[n].offset = offset;
			tiles[n].size = size;
		}
		offset += size;
		n++;
	}
	return n;
}

/*
 * Fills the pool with the tiling, then frees tiles in random order until
 * at most @fill_pct of the pool is used, and records the free runs.
 */
static int w6_fragment(struct bench_ctx *ctx, struct w6_pool *pool,
		       unsigned int fill_pct, struct bench_row *row)
{
	struct bench_row setup = { 0 };
	u64 rng = W6_SEED ^ fill_pct, used = W6_SIZE;
	unsigned int i, j, tmp, *order;
	struct w6_tile *tile;

	order = bench_calloc(pool->n_tiles, sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (i = 0; i < pool->n_tiles; i++) {
		tile = &pool->tiles[i];
		if (bench_alloc(ctx, &setup, tile->offset,
				tile->offset + tile->size, tile->size,
				W6_CHUNK, &tile->blocks, BENCH_ALLOC_RANGE))
			row->violations++;
		order[i] = i;
	}
	for (i = pool->n_tiles - 1; i > 0; i--) {
		j = bench_rand_below(&rng, i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < pool->n_tiles && used > W6_SIZE / 100 * fill_pct; i++) {
		tile = &pool->tiles[order[i]];
		bench_release(ctx, &setup, &tile->blocks, 0);
		used -= tile->size;
	}
	bench_free(order);

	pool->n_runs = 0;
	pool->largest_run = 0;
	for (i = 0; i < pool->n_tiles; i++) {
		struct w6_run *run = &pool->runs[pool->n_runs];

		tile = &pool->tiles[i];
		if (!list_empty(&tile->blocks))
			continue;
		if (pool->n_runs && pool->runs[pool->n_runs - 1].end ==
		    tile->offset) {
			run = &pool->runs[pool->n_runs - 1];
		} else {
			run->start = tile->offset;
			pool->n_runs++;
		}
		run->end = tile->offset + tile->size;
		if (run->end - run->start > pool->largest_run)
			pool->largest_run = run->end - run->start;
	}
	return 0;
}

static void w6_request(struct bench_ctx *ctx, struct bench_row *row,
		       struct w6_pool *pool, u64 *rng, unsigned int i)
{
	struct w6_placement got;
	unsigned int scale = bench_rand_below(rng, 9);
	u64 pages = (4ull << scale) + bench_rand_below(rng, 4ull << scale);
	u64 align = i % 2 ? BENCH_KIB(64) : W6_CHUNK;
	u64 size, t0;
	bool fits;
	LIST_HEAD(blocks);
	int err;

	if (pages > W6_MAX_TILE * 4 / W6_CHUNK)
		pages = W6_MAX_TILE * 4 / W6_CHUNK;
	size = pages * W6_CHUNK;
	fits = w6_model_fits(pool, w6_round_up(size, align), align);
	row->expected_ok += fits;

	t0 = bench_now_ns();
	err = bench_alloc(ctx, row, 0, bench_any_end(ctx), size, align,
			  &blocks, BENCH_ALLOC_CONTIGUOUS);
	row->time_ns += bench_now_ns() - t0;
	if (err) {
		row->missed += fits;
		return;
	}
	w6_measure(ctx, &blocks, &got);
	if (!w6_placement_ok(pool, &got, size, align) && !row->violations++)
		snprintf(pool->first_misplaced, sizeof(pool->first_misplaced),
			 "; first misplaced: %llu KiB @%llu KiB got %llu KiB at %llu-%llu KiB",
			 (unsigned long long)(size >> 10),
			 (unsigned long long)(align >> 10),
			 (unsigned long long)(got.sum >> 10),
			 (unsigned long long)(got.lo >> 10),
			 (unsigned long long)(got.hi >> 10));
	t0 = bench_now_ns();
	bench_release(ctx, row, &blocks, 0);
	row->time_ns += bench_now_ns() - t0;
}

static int w6_one_fill(struct bench_ctx *ctx, struct bench_row *row,
		       struct w6_pool *pool, unsigned int fill_pct)
{
	struct bench_row teardown = { 0 };
	char name[BENCH_ROW_NAME_LEN];
	u64 rng = W6_SEED + fill_pct;
	unsigned int i;
	int err;

	err = bench_mm_init(ctx, W6_SIZE);
	if (err)
		return err;
	w6_make_tiles(pool->tiles);
	pool->first_misplaced[0] = '\0';
	snprintf(name, sizeof(name), "W6 contig @%u%%", fill_pct);
	bench_row_begin(ctx, row, name, W6_REQUESTS);
	err = w6_fragment(ctx, pool, fill_pct, row);
	if (!err && !row->violations) {
		row->expected_ok = 0;
		bench_sample(ctx, row, NULL);
		for (i = 0; i < W6_REQUESTS && !ctx->timed_out; i++)
			w6_request(ctx, row, pool, &rng, i);
	}
	bench_row_end(ctx, row);
	snprintf(row->note, sizeof(row->note),
		 "%u free runs, largest %llu KiB%s", pool->n_runs,
		 (unsigned long long)(pool->largest_run >> 10),
		 pool->first_misplaced);

	for (i = 0; i < pool->n_tiles; i++)
		bench_release(ctx, &teardown, &pool->tiles[i].blocks, 0);
	bench_mm_fini(ctx);
	return err;
}

/* W6: contiguous requests against a pool fragmented to 50, 70 and 90%. */
int w6_contiguous_fragmented(struct bench_ctx *ctx, struct bench_row *rows)
{
	static const unsigned int fills[] = { 50, 70, 90 };
	struct w6_pool pool = { 0 };
	unsigned int i;
	int err = -ENOMEM;

	pool.n_tiles = w6_make_tiles(NULL);
	pool.tiles = bench_calloc(pool.n_tiles, sizeof(*pool.tiles));
	pool.runs = bench_calloc(pool.n_tiles, sizeof(*pool.runs));
	if (!pool.tiles || !pool.runs)
		goto out;
	for (i = 0; i < ARRAY_SIZE(fills); i++) {
		err = w6_one_fill(ctx, &rows[i], &pool, fills[i]);
		if (err)
			break;
	}
out:
	bench_free(pool.runs);
	bench_free(pool.tiles);
	return err;
}
