// SPDX-License-Identifier: GPL-2.0
/*
 * vvram_buddy unit tests: the examples of the API's documentation, one
 * test per theme of the kernel's buddy test suite, and the semantic points
 * of the API. The same file runs in userspace and in the selftest module.
 *
 * Most cases run in a fixture (vvram_buddy_run_case()) that creates their
 * allocator and, afterwards, checks its books and that every block came
 * back; families of same-shaped cases share one body and tell their
 * members apart by &vbt.param.
 */
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vvram_buddy.h>

#include "vvram_buddy_test.h"

#define NO_FLAGS	0
#define RANGE		VVRAM_BUDDY_RANGE_ALLOCATION
#define TOPDOWN		VVRAM_BUDDY_TOPDOWN_ALLOCATION
#define CONTIG		VVRAM_BUDDY_CONTIGUOUS_ALLOCATION
#define CLEAR		VVRAM_BUDDY_CLEAR_ALLOCATION
#define TRIM_DISABLE	VVRAM_BUDDY_TRIM_DISABLE

void vbt_fail(struct vbt *t, int line, const char *fmt, ...)
{
	char msg[160], out[200];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	snprintf(out, sizeof(out), "line %d: %s", line, msg);
	t->failures++;
	t->log(t->arg, out);
}

bool vbt_expect_eq(struct vbt *t, int line, const char *what, u64 got,
		   u64 want)
{
	if (got == want)
		return true;
	vbt_fail(t, line, "%s: got %llu (%#llx), want %llu (%#llx)", what,
		 got, got, want, want);
	return false;
}

/* A tiny deterministic generator, the same in both builds. */
static u64 rng_next(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static struct vvram_buddy *new_mm(struct vbt *t, u64 size, u64 chunk)
{
	struct vvram_buddy *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm) {
		vbt_fail(t, __LINE__, "out of memory");
		return NULL;
	}
	if (!VBT_EQ(t, vvram_buddy_init(mm, size, chunk), 0)) {
		kfree(mm);
		return NULL;
	}
	return mm;
}

static bool mm_ok(struct vbt *t, const struct vvram_buddy *mm)
{
	return VBT_EQ(t, vvram_buddy_check(mm), 0);
}

/* Checks the books, that everything came back, and tears down. */
static void put_mm(struct vbt *t, struct vvram_buddy *mm)
{
	if (!mm)
		return;
	mm_ok(t, mm);
	VBT_EQ(t, mm->avail, mm->size);
	vvram_buddy_fini(mm);
	kfree(mm);
}

static struct vvram_buddy_block *first_block(struct list_head *list)
{
	return list_empty(list) ? NULL :
	       list_first_entry(list, struct vvram_buddy_block, link);
}

static unsigned int count_blocks(struct list_head *list)
{
	struct vvram_buddy_block *b;
	unsigned int n = 0;

	list_for_each_entry(b, list, link)
		n++;
	return n;
}

static u64 list_bytes(const struct vvram_buddy *mm, struct list_head *list)
{
	struct vvram_buddy_block *b;
	u64 bytes = 0;

	list_for_each_entry(b, list, link)
		bytes += vvram_buddy_block_size(mm, b);
	return bytes;
}

/* Whether the blocks form one range in address order; *start gets it. */
static bool list_contiguous(const struct vvram_buddy *mm,
			    struct list_head *list, u64 *start)
{
	struct vvram_buddy_block *b;
	u64 next;

	if (list_empty(list))
		return false;
	*start = vvram_buddy_block_offset(first_block(list));
	next = *start;
	list_for_each_entry(b, list, link) {
		if (vvram_buddy_block_offset(b) != next)
			return false;
		next += vvram_buddy_block_size(mm, b);
	}
	return true;
}

static bool list_inside(const struct vvram_buddy *mm, struct list_head *list,
			u64 lo, u64 hi)
{
	struct vvram_buddy_block *b;

	list_for_each_entry(b, list, link) {
		if (vvram_buddy_block_offset(b) < lo ||
		    vvram_buddy_block_offset(b) + vvram_buddy_block_size(mm, b) > hi)
			return false;
	}
	return true;
}

static bool list_aligned(const struct vvram_buddy *mm, struct list_head *list,
			 u64 align)
{
	struct vvram_buddy_block *b;

	list_for_each_entry(b, list, link) {
		if (!IS_ALIGNED(vvram_buddy_block_offset(b), align) ||
		    !IS_ALIGNED(vvram_buddy_block_offset(b),
				vvram_buddy_block_size(mm, b)))
			return false;
	}
	return true;
}

static bool list_all_clear(struct list_head *list)
{
	struct vvram_buddy_block *b;

	list_for_each_entry(b, list, link) {
		if (!vvram_buddy_block_is_clear(b))
			return false;
	}
	return true;
}

static int alloc_exact(struct vvram_buddy *mm, u64 start, u64 size,
		       struct list_head *list)
{
	return vvram_buddy_alloc_blocks(mm, start, start + size, size,
					mm->chunk_size, list, RANGE);
}

/*
 * Fills the fixture's allocator with single chunks, checks that it is
 * full, and frees every odd chunk: the even ones stay on @even.
 */
static void fill_then_free_odd_chunks(struct vbt *t, struct list_head *even)
{
	struct vvram_buddy *mm = t->mm;
	const u64 chunk = mm->chunk_size;
	struct vvram_buddy_block *b, *next;
	u64 i, n = mm->size / chunk;
	LIST_HEAD(odd);

	for (i = 0; i < n; i++)
		VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, chunk, chunk,
						   even, 0), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, chunk, chunk, &odd, 0),
	       -ENOSPC);
	list_for_each_entry_safe(b, next, even, link)
		if ((vvram_buddy_block_offset(b) / chunk) & 1)
			list_move_tail(&b->link, &odd);
	vvram_buddy_free_list(mm, &odd, 0);
}

/*
 * An allocation with %VVRAM_BUDDY_TRIM_DISABLE keeps @want_bytes, @size
 * rounded up to @min_block, in blocks aligned to @min_block; it is freed
 * again.
 */
static void expect_untrimmed(struct vbt *t, u64 size, u64 min_block,
			     unsigned long flags, u64 want_bytes)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, size, min_block, &got,
					   flags | TRIM_DISABLE), 0);
	VBT_EQ(t, list_bytes(mm, &got), want_bytes);
	VBT_EXPECT(t, list_aligned(mm, &got, min_block));
	vvram_buddy_free_list(mm, &got, 0);
}

/*
 * A contiguous allocation succeeds as one range of @size bytes at
 * @want_start; it is freed again.
 */
static void expect_contiguous_at(struct vbt *t, u64 start, u64 end, u64 size,
				 u64 min_block, unsigned long flags,
				 u64 want_start)
{
	struct vvram_buddy *mm = t->mm;
	u64 got_start = 0;
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, start, end, size, min_block,
					   &got, flags | CONTIG), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &got_start));
	VBT_EQ(t, got_start, want_start);
	VBT_EQ(t, list_bytes(mm, &got), size);
	vvram_buddy_free_list(mm, &got, 0);
}

/* ---- the examples of the API's documentation ------------------------- */

/*
 * A 16 MiB block from 1 GiB lands at the top, whether plain or top-down:
 * the family of cases whose &vbt.param points to the allocation flags.
 */
static void seed_alloc_lands_at_top(struct vbt *t)
{
	const unsigned long *flags = t->param;
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(got);
	u64 initial;

	VBT_EQ(t, mm->size, SZ_1G);
	VBT_EQ(t, mm->chunk_size, SZ_4K);
	initial = mm->avail;
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_16M, SZ_16M, &got,
					   *flags), 0);
	VBT_EQ(t, mm->avail, initial - SZ_16M);
	b = first_block(&got);
	if (VBT_EXPECT(t, b)) {
		VBT_EQ(t, vvram_buddy_block_offset(b), SZ_1G - SZ_16M);
		VBT_EQ(t, vvram_buddy_block_order(b), 12);
		VBT_EQ(t, vvram_buddy_block_size(mm, b), SZ_16M);
	}
	VBT_EQ(t, count_blocks(&got), 1);
	vvram_buddy_free_list(mm, &got, 0);
	VBT_EQ(t, mm->avail, initial);
}

static const unsigned long seed_plain = NO_FLAGS, seed_topdown = TOPDOWN;

static void seed_non_contiguous_fills_holes(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(frag1);
	LIST_HEAD(frag2);
	LIST_HEAD(got);
	struct vvram_buddy_block *b;
	u64 initial, total = 0;
	unsigned int count = 0;

	initial = mm->avail;
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_4M, SZ_4M, SZ_4M, &frag1,
					   RANGE), 0);
	VBT_EQ(t, mm->avail, initial - SZ_4M);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_8M, SZ_8M + SZ_4M, SZ_4M,
					   SZ_4M, &frag2, RANGE), 0);
	VBT_EQ(t, mm->avail, initial - SZ_8M);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_16M, SZ_8M, SZ_4M, &got,
					   RANGE), 0);
	VBT_EQ(t, mm->avail, initial - SZ_16M);
	list_for_each_entry(b, &got, link) {
		VBT_EQ(t, vvram_buddy_block_size(mm, b), SZ_4M);
		total += vvram_buddy_block_size(mm, b);
		count++;
	}
	VBT_EQ(t, total, SZ_8M);
	VBT_EQ(t, count, 2);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_free_list(mm, &frag2, 0);
	vvram_buddy_free_list(mm, &frag1, 0);
}

static void seed_contiguous_fails_when_fragmented(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(hole1);
	LIST_HEAD(hole2);
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_4M, SZ_4M, SZ_4M, &hole1,
					   RANGE), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_8M, SZ_8M + SZ_4M, SZ_4M,
					   SZ_4M, &hole2, RANGE), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8M, SZ_4M, &got,
					   CONTIG), -ENOSPC);
	VBT_EXPECT(t, list_empty(&got));
	VBT_EQ(t, mm->avail, SZ_8M);
	vvram_buddy_free_list(mm, &hole1, 0);
	vvram_buddy_free_list(mm, &hole2, 0);
}

/* ---- init, arguments and errors --------------------------------------- */

static void init_checks_chunk_and_size(struct vbt *t)
{
	struct vvram_buddy *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!VBT_EXPECT(t, mm))
		return;
	VBT_EQ(t, vvram_buddy_init(mm, SZ_1M, 0), -EINVAL);
	VBT_EQ(t, vvram_buddy_init(mm, SZ_1M, SZ_4K / 2), -EINVAL);
	VBT_EQ(t, vvram_buddy_init(mm, SZ_1M, 3 * SZ_4K), -EINVAL);
	VBT_EQ(t, vvram_buddy_init(mm, SZ_4K - 1, SZ_4K), -EINVAL);
	VBT_EQ(t, vvram_buddy_init(mm, 0, SZ_4K), -EINVAL);

	/* Rounded down to the chunk; need not be a power of two. */
	if (VBT_EQ(t, vvram_buddy_init(mm, SZ_1M + SZ_8K + 123, SZ_4K), 0)) {
		VBT_EQ(t, mm->size, SZ_1M + SZ_8K);
		VBT_EQ(t, mm->avail, SZ_1M + SZ_8K);
		VBT_EQ(t, mm->clear_avail, 0);
		mm_ok(t, mm);
		vvram_buddy_fini(mm);
	}
	if (VBT_EQ(t, vvram_buddy_init(mm, 3 * SZ_64K, SZ_64K), 0)) {
		VBT_EQ(t, mm->chunk_size, SZ_64K);
		VBT_EQ(t, vvram_buddy_largest_free(mm), 3 * SZ_64K);
		vvram_buddy_fini(mm);
	}
	kfree(mm);
}

/* Allocation requests that are wrong whatever the allocator's state. */
static const struct bad_request {
	u64 start, end, size, min_block;
	unsigned long flags;
} bad_requests[] = {
	{ 0, 0, 0, SZ_4K, 0 },			/* no size */
	{ 0, 0, SZ_4K + 512, SZ_4K, 0 },	/* not a chunk multiple */
	{ 0, 0, SZ_4K, SZ_2K, 0 },		/* min_block below a chunk */
	{ 0, 0, SZ_16K, 3 * SZ_4K, 0 },		/* min_block not a power of 2 */
	{ 100, SZ_1M, SZ_4K, SZ_4K, RANGE },	/* start not chunk-aligned */
	{ 0, SZ_1M + 1, SZ_4K, SZ_4K, RANGE },	/* end not chunk-aligned */
	{ 0, SZ_32M, SZ_4K, SZ_4K, RANGE },	/* end past the size */
	{ SZ_1M, SZ_1M, SZ_4K, SZ_4K, RANGE },	/* empty range */
	{ SZ_2M, SZ_1M, SZ_4K, SZ_4K, RANGE },	/* reversed range */
	{ 0, SZ_1M, SZ_2M, SZ_4K, RANGE },	/* larger than the range */
	{ 0, 0, SZ_32M, SZ_4K, 0 },		/* larger than the space */
	{ 0, 0, SZ_4K, SZ_4K, BIT(20) },	/* unknown flag */
};

static void alloc_rejects_bad_arguments(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	const struct bad_request *r;
	LIST_HEAD(got);
	int err;

	for (r = bad_requests; r < bad_requests + ARRAY_SIZE(bad_requests); r++) {
		err = vvram_buddy_alloc_blocks(mm, r->start, r->end, r->size,
					       r->min_block, &got, r->flags);
		if (err != -EINVAL)
			vbt_fail(t, __LINE__, "bad request %u: got %d, want %d",
				 (unsigned int)(r - bad_requests), err, -EINVAL);
	}
	VBT_EXPECT(t, list_empty(&got));
	VBT_EQ(t, mm->avail, SZ_16M);
}

static void failed_alloc_gives_everything_back(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(held);
	LIST_HEAD(got);
	unsigned int i;

	/* Leave three free chunks in [0, 64K), at 0, 16K and 32K. */
	for (i = 0; i < 16; i++)
		if (i != 0 && i != 4 && i != 8)
			VBT_EQ(t, alloc_exact(mm, i * SZ_4K, SZ_4K, &held), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_4K, SZ_4K, SZ_4K, &got,
					   0), 0);
	VBT_EQ(t, count_blocks(&got), 1);
	/* Four chunks asked in a window holding three: nothing taken. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_64K, 4 * SZ_4K, SZ_4K,
					   &got, RANGE), -ENOSPC);
	VBT_EQ(t, count_blocks(&got), 1);
	VBT_EQ(t, mm->avail, SZ_1M - 14 * SZ_4K);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_free_list(mm, &held, 0);
}

/* ---- the kernel test suite's themes ----------------------------------- */

/*
 * The bitsets take memory per chunk, so the chunk count is bounded; the
 * byte size is not: a 2^64 - 1 TiB space in 1 TiB chunks works.
 */
#define HUGE_CHUNK	BIT_ULL(40)

static void limit_size_u64_max(struct vbt *t)
{
	struct vvram_buddy *mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	struct vvram_buddy_stats st;
	struct vvram_buddy_block *b;
	LIST_HEAD(got);

	if (!VBT_EXPECT(t, mm))
		return;
	VBT_EQ(t, vvram_buddy_init(mm, U64_MAX, SZ_4K), -E2BIG);
	VBT_EQ(t, vvram_buddy_init(mm, (VVRAM_BUDDY_MAX_CHUNKS + 1) * SZ_4K,
				   SZ_4K), -E2BIG);
	kfree(mm);

	mm = new_mm(t, U64_MAX, HUGE_CHUNK);
	if (!mm)
		return;
	VBT_EQ(t, mm->size, U64_MAX & ~(HUGE_CHUNK - 1));
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.max_order, 23);
	VBT_EQ(t, st.nr_free_blocks, 24);
	/* About 6 bits per chunk, here 2^24 - 1 chunks. */
	VBT_EXPECT(t, st.metadata_bytes < 13 * SZ_1M);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 1ULL << 63, 1ULL << 63,
					   &got, 0), 0);
	b = first_block(&got);
	if (VBT_EXPECT(t, b)) {
		VBT_EQ(t, vvram_buddy_block_offset(b), 0);
		VBT_EQ(t, vvram_buddy_block_order(b), 23);
		VBT_EQ(t, vvram_buddy_block_size(mm, b), 1ULL << 63);
	}
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, HUGE_CHUNK, HUGE_CHUNK,
					   &got, TOPDOWN), 0);
	b = list_last_entry(&got, struct vvram_buddy_block, link);
	VBT_EQ(t, vvram_buddy_block_offset(b), mm->size - HUGE_CHUNK);
	VBT_EQ(t, mm->avail, mm->size - (1ULL << 63) - HUGE_CHUNK);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
	put_mm(t, mm);
}

/* Random requests over a 2^64 - 1 TiB space keep the books exact. */
static void limit_random_requests(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	static const unsigned long modes[] = {
		0, TOPDOWN, CONTIG, CONTIG | TOPDOWN, CLEAR, CLEAR | CONTIG,
		TRIM_DISABLE, RANGE, RANGE | CONTIG,
	};
	struct list_head lists[16];
	u64 rng = 0x2545f4914f6cdd1dULL, size, min_block, lo, hi, avail, keep;
	unsigned int i, slot, placed = 0;
	unsigned long flags;
	int err;

	for (i = 0; i < ARRAY_SIZE(lists); i++)
		INIT_LIST_HEAD(&lists[i]);
	for (i = 0; i < 600 && !t->failures; i++) {
		slot = rng_next(&rng) % ARRAY_SIZE(lists);
		if (!list_empty(&lists[slot])) {
			vvram_buddy_free_list(mm, &lists[slot], rng_next(&rng) & 1 ?
					      VVRAM_BUDDY_CLEARED : 0);
			continue;
		}
		size = (rng_next(&rng) & ((1ULL << (rng_next(&rng) % 23)) - 1)) *
		       HUGE_CHUNK + HUGE_CHUNK;
		min_block = HUGE_CHUNK << (rng_next(&rng) % 24);
		flags = modes[rng_next(&rng) % ARRAY_SIZE(modes)];
		lo = 0;
		hi = 0;
		if (flags & RANGE) {
			lo = (rng_next(&rng) % (mm->size >> 41)) << 40;
			hi = mm->size - ((rng_next(&rng) % (mm->size >> 41)) << 40);
		}
		avail = mm->avail;
		err = vvram_buddy_alloc_blocks(mm, lo, hi, size, min_block,
					       &lists[slot], flags);
		if (err) {
			VBT_EXPECT(t, err == -ENOSPC || err == -EINVAL);
			VBT_EXPECT(t, list_empty(&lists[slot]));
			VBT_EQ(t, mm->avail, avail);
			continue;
		}
		keep = size;
		if (flags & TRIM_DISABLE)
			keep = round_up(size, min_block);
		VBT_EQ(t, list_bytes(mm, &lists[slot]), keep);
		VBT_EQ(t, mm->avail, avail - keep);
		placed++;
		if (flags & RANGE)
			VBT_EXPECT(t, list_inside(mm, &lists[slot], lo, hi));
		if (!(i % 50))
			mm_ok(t, mm);
	}
	mm_ok(t, mm);
	/* Most requests must have been placed for this to mean anything. */
	VBT_EXPECT(t, placed >= 200);
	for (i = 0; i < ARRAY_SIZE(lists); i++)
		vvram_buddy_free_list(mm, &lists[i], 0);
}

/* One free block of each order 0..OPTIMISTIC_TOP. */
#define OPTIMISTIC_TOP	10

static void optimistic_one_block_per_order(struct vbt *t)
{
	const unsigned int top = OPTIMISTIC_TOP;
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);
	int order;

	for (order = top; order >= 0; order--)
		VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << order,
						   SZ_4K << order, &got, 0), 0);
	VBT_EQ(t, count_blocks(&got), top + 1);
	VBT_EQ(t, mm->avail, 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K, SZ_4K, &got, 0),
	       -ENOSPC);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
}

static void pessimistic_holes_block_larger_orders(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_stats st;
	LIST_HEAD(even);
	LIST_HEAD(got);

	fill_then_free_odd_chunks(t, &even);
	VBT_EQ(t, mm->avail, SZ_512K);
	VBT_EQ(t, vvram_buddy_largest_free(mm), SZ_4K);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8K, SZ_8K, &got, 0),
	       -ENOSPC);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8K, SZ_4K, &got,
					   CONTIG), -ENOSPC);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8K, SZ_4K, &got, 0),
	       0);
	VBT_EQ(t, count_blocks(&got), 2);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_free_list(mm, &even, 0);
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.nr_free_blocks, 1);
	VBT_EQ(t, st.free_per_order[8], 1);
}

/* One root of order PATHOLOGICAL_TOP. */
#define PATHOLOGICAL_TOP	8

static void pathological_descending_orders(struct vbt *t)
{
	const unsigned int top = PATHOLOGICAL_TOP;
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b, *next;
	struct vvram_buddy_stats st;
	LIST_HEAD(big);
	LIST_HEAD(small);
	LIST_HEAD(got);
	int order;

	/* Orders top-1 down to 0, plus one more 0: the space is full. */
	for (order = top - 1; order >= 0; order--)
		VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << order,
						   SZ_4K << order, &big, 0), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K, SZ_4K, &small, 0),
	       0);
	VBT_EQ(t, mm->avail, 0);
	list_for_each_entry_safe(b, next, &big, link)
		if (!vvram_buddy_block_order(b))
			list_move_tail(&b->link, &small);

	/* One hole of each order 1..top-1; none can merge. */
	vvram_buddy_free_list(mm, &big, 0);
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.nr_free_blocks, top - 1);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << top, SZ_4K,
					   &got, CONTIG), -ENOSPC);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << (top - 1),
					   SZ_4K << (top - 1), &got, 0), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << (top - 1),
					   SZ_4K << (top - 1), &got, 0),
	       -ENOSPC);
	/* Contiguous needs the two order-0 chunks back. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << (top - 1),
					   SZ_4K, &got, CONTIG), -ENOSPC);
	vvram_buddy_free_list(mm, &small, 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K << (top - 1),
					   SZ_4K, &got, CONTIG), 0);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.nr_free_blocks, 1);
}

static void contiguous_across_buddy_boundaries(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(held);
	LIST_HEAD(got);

	/* Free run [12, 20) chunks: it straddles the order-4 boundary 16. */
	VBT_EQ(t, alloc_exact(mm, 0, 12 * SZ_4K, &held), 0);
	VBT_EQ(t, alloc_exact(mm, 20 * SZ_4K, 44 * SZ_4K, &held), 0);
	VBT_EQ(t, vvram_buddy_largest_free(mm), 8 * SZ_4K);

	expect_contiguous_at(t, 0, 0, 8 * SZ_4K, SZ_4K, 0, 12 * SZ_4K);
	/* min_block_size is the alignment: 16 KiB-aligned 12 works. */
	expect_contiguous_at(t, 0, 0, 8 * SZ_4K, SZ_16K, 0, 12 * SZ_4K);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 8 * SZ_4K, SZ_32K, &got,
					   CONTIG), -ENOSPC);
	/* Not a power of two: the highest 8 KiB-aligned place is 14. */
	expect_contiguous_at(t, 0, 0, 6 * SZ_4K, SZ_8K, 0, 14 * SZ_4K);
	/* RANGE + CONTIGUOUS finds it too, lowest first. */
	expect_contiguous_at(t, 8 * SZ_4K, 24 * SZ_4K, 6 * SZ_4K, SZ_4K, RANGE,
			     12 * SZ_4K);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 8 * SZ_4K, 18 * SZ_4K, 8 * SZ_4K,
					   SZ_4K, &got, RANGE | CONTIG),
	       -ENOSPC);
	vvram_buddy_free_list(mm, &held, 0);
}

static void contiguous_trims_to_size(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);
	u64 start = 0;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 3 * SZ_4K, SZ_4K, &got,
					   CONTIG), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, list_bytes(mm, &got), 3 * SZ_4K);
	VBT_EQ(t, mm->avail, SZ_1M - 3 * SZ_4K);
	vvram_buddy_free_list(mm, &got, 0);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 3 * SZ_4K, SZ_8K, &got,
					   CONTIG), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EXPECT(t, IS_ALIGNED(start, SZ_8K));
	VBT_EQ(t, list_bytes(mm, &got), 3 * SZ_4K);
	vvram_buddy_free_list(mm, &got, 0);

	expect_untrimmed(t, 3 * SZ_4K, SZ_8K, CONTIG, SZ_16K);
}

static void clear_tracking_without_merge_barrier(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_stats st;
	struct vvram_buddy_block *b;
	LIST_HEAD(a);
	LIST_HEAD(bb);
	LIST_HEAD(got);

	VBT_EQ(t, alloc_exact(mm, 0, SZ_4K, &a), 0);
	VBT_EQ(t, alloc_exact(mm, SZ_4K, SZ_4K, &bb), 0);
	/* Buddies freed clear and dirty still merge, all the way up. */
	vvram_buddy_free_list(mm, &a, VVRAM_BUDDY_CLEARED);
	vvram_buddy_free_list(mm, &bb, 0);
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.nr_free_blocks, 1);
	VBT_EQ(t, mm->clear_avail, SZ_4K);
	VBT_EQ(t, st.dirty_avail, SZ_1M - SZ_4K);

	/* A block only partly zeroed does not claim to be clear. */
	VBT_EQ(t, alloc_exact(mm, 0, SZ_8K, &got), 0);
	VBT_EQ(t, count_blocks(&got), 1);
	VBT_EXPECT(t, !list_all_clear(&got));
	VBT_EQ(t, mm->clear_avail, 0);
	vvram_buddy_free_list(mm, &got, 0);

	/* CLEAR_ALLOCATION finds the zeroed chunk wherever it is. */
	VBT_EQ(t, alloc_exact(mm, SZ_64K, SZ_4K, &a), 0);
	vvram_buddy_free_list(mm, &a, VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K, SZ_4K, &got,
					   CLEAR), 0);
	b = first_block(&got);
	if (VBT_EXPECT(t, b)) {
		VBT_EQ(t, vvram_buddy_block_offset(b), SZ_64K);
		VBT_EXPECT(t, vvram_buddy_block_is_clear(b));
	}
	VBT_EQ(t, mm->clear_avail, 0);
	/* A block handed out clear and freed dirty is dirty. */
	vvram_buddy_free_list(mm, &got, 0);
	VBT_EQ(t, mm->clear_avail, 0);

	/* Without zeroed memory CLEAR_ALLOCATION still succeeds, dirty. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8K, SZ_4K, &got,
					   CLEAR), 0);
	VBT_EXPECT(t, !list_all_clear(&got));
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, mm->clear_avail, SZ_8K);

	vvram_buddy_reset_clear(mm, true);
	VBT_EQ(t, mm->clear_avail, mm->avail);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_64K, SZ_4K, &got,
					   CONTIG), 0);
	VBT_EXPECT(t, list_all_clear(&got));
	VBT_EQ(t, mm->clear_avail, SZ_1M - SZ_64K);
	mm_ok(t, mm);
	vvram_buddy_reset_clear(mm, false);
	VBT_EQ(t, mm->clear_avail, 0);
	VBT_EXPECT(t, list_all_clear(&got));
	vvram_buddy_free_list(mm, &got, 0);
}

static void clear_allocation_prefers_zeroed(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(held);
	LIST_HEAD(got);
	u64 start = 0;

	/* Zeroed: [256K, 320K) only. */
	VBT_EQ(t, alloc_exact(mm, SZ_256K, SZ_64K, &held), 0);
	vvram_buddy_free_list(mm, &held, VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, mm->clear_avail, SZ_64K);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_32K, SZ_4K, &got,
					   CLEAR | CONTIG), 0);
	VBT_EXPECT(t, list_all_clear(&got));
	VBT_EXPECT(t, list_inside(mm, &got, SZ_256K, SZ_256K + SZ_64K));
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_1M, SZ_32K, SZ_8K, &got,
					   CLEAR | RANGE), 0);
	VBT_EXPECT(t, list_all_clear(&got));
	VBT_EXPECT(t, list_inside(mm, &got, SZ_256K, SZ_256K + SZ_64K));
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_64K, SZ_64K, &got,
					   CLEAR), 0);
	VBT_EXPECT(t, list_all_clear(&got));
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, start, SZ_256K);
	VBT_EQ(t, mm->clear_avail, 0);
	vvram_buddy_free_list(mm, &got, 0);
}

/* ---- which kind of memory a request takes ------------------------------ */

/*
 * One @size block at @min_block alignment with @flags, appended to @list;
 * returns it, or NULL (a failed expectation) if the request failed.
 */
static struct vvram_buddy_block *alloc_one(struct vbt *t, u64 size,
					   u64 min_block, unsigned long flags,
					   struct list_head *list)
{
	LIST_HEAD(got);

	if (!VBT_EQ(t, vvram_buddy_alloc_blocks(t->mm, 0, 0, size, min_block,
						&got, flags), 0) ||
	    !VBT_EQ(t, count_blocks(&got), 1))
		return NULL;
	list_splice_tail_init(&got, list);
	return list_last_entry(list, struct vvram_buddy_block, link);
}

/*
 * The example: 5 zeroed pages, then plain and CLEAR_ALLOCATION
 * page requests in turn. Plain requests take dirty pages, so each CLEAR
 * request gets one of the zeroed ones, as with the kernel's allocator.
 */
static void plain_requests_leave_zeroed_pages(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *plain, *clear;
	LIST_HEAD(zeroed);
	LIST_HEAD(got);
	unsigned int i;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 5 * SZ_4K, SZ_4K, &zeroed,
					   0), 0);
	vvram_buddy_free_list(mm, &zeroed, VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, mm->clear_avail, 5 * SZ_4K);

	for (i = 0; i < 5; i++) {
		plain = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
		clear = alloc_one(t, SZ_4K, SZ_4K, CLEAR, &got);
		if (!plain || !clear)
			break;
		VBT_EXPECT(t, !vvram_buddy_block_is_clear(plain));
		VBT_EXPECT(t, vvram_buddy_block_is_clear(clear));
	}
	/* Every zeroed page went to a CLEAR request, every other to a plain one. */
	VBT_EQ(t, mm->clear_avail, 0);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
}

/* The mirror: plain requests first leave all of the zeroed pages. */
static void clear_requests_after_plain_ones_get_zeroed(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(zeroed);
	LIST_HEAD(got);
	unsigned int i;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 5 * SZ_4K, SZ_4K, &zeroed,
					   0), 0);
	vvram_buddy_free_list(mm, &zeroed, VVRAM_BUDDY_CLEARED);
	for (i = 0; i < 5; i++) {
		b = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
		VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b));
	}
	VBT_EQ(t, mm->clear_avail, 5 * SZ_4K);
	for (i = 0; i < 5; i++) {
		b = alloc_one(t, SZ_4K, SZ_4K, CLEAR, &got);
		VBT_EXPECT(t, b && vvram_buddy_block_is_clear(b));
	}
	VBT_EQ(t, mm->clear_avail, 0);
	vvram_buddy_free_list(mm, &got, 0);
}

/*
 * The other mirror: in zeroed memory, 5 dirty pages go to plain requests
 * and CLEAR_ALLOCATION keeps getting zeroed pages.
 */
static void clear_requests_leave_dirty_pages(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *plain, *clear;
	LIST_HEAD(dirty);
	LIST_HEAD(got);
	unsigned int i;

	vvram_buddy_reset_clear(mm, true);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 5 * SZ_4K, SZ_4K, &dirty,
					   0), 0);
	vvram_buddy_free_list(mm, &dirty, 0);
	VBT_EQ(t, mm->clear_avail, mm->size - 5 * SZ_4K);
	for (i = 0; i < 5; i++) {
		clear = alloc_one(t, SZ_4K, SZ_4K, CLEAR, &got);
		plain = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
		if (!plain || !clear)
			break;
		VBT_EXPECT(t, vvram_buddy_block_is_clear(clear));
		VBT_EXPECT(t, !vvram_buddy_block_is_clear(plain));
	}
	VBT_EQ(t, mm->clear_avail, mm->avail);
	/* No dirty memory left: plain requests take zeroed memory. */
	plain = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
	VBT_EXPECT(t, plain && vvram_buddy_block_is_clear(plain));
	vvram_buddy_free_list(mm, &got, 0);
}

/*
 * Without a block of the kind asked for, a request takes the other kind;
 * without a block of either kind large enough, a block holding both.
 * The fixture has four pages.
 */
static void preference_falls_back(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct list_head pages[4];
	struct vvram_buddy_block *b;
	LIST_HEAD(got);
	unsigned int i;

	for (i = 0; i < 4; i++)
		INIT_LIST_HEAD(&pages[i]);

	/* All dirty: CLEAR_ALLOCATION still succeeds, with dirty pages. */
	b = alloc_one(t, SZ_8K, SZ_8K, CLEAR, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b));
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, mm->clear_avail, SZ_8K);
	/* Zeroed [8K, 16K), dirty [0, 8K): each request gets its kind. */
	b = alloc_one(t, SZ_8K, SZ_8K, 0, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b) &&
		   vvram_buddy_block_offset(b) == 0);
	b = alloc_one(t, SZ_8K, SZ_8K, CLEAR, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_is_clear(b) &&
		   vvram_buddy_block_offset(b) == SZ_8K);
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);

	/* All zeroed: a plain request takes zeroed memory. */
	b = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_is_clear(b));
	vvram_buddy_free_list(mm, &got, 0);

	/* Pages 0 and 2 zeroed, 1 and 3 dirty: no two-page block of one kind. */
	for (i = 0; i < 4; i++)
		VBT_EQ(t, alloc_exact(mm, i * SZ_4K, SZ_4K, &pages[i]), 0);
	for (i = 0; i < 4; i++)
		vvram_buddy_free_list(mm, &pages[i],
				      i % 2 ? 0 : VVRAM_BUDDY_CLEARED);
	VBT_EQ(t, mm->clear_avail, SZ_8K);
	b = alloc_one(t, SZ_8K, SZ_8K, 0, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b) &&
		   vvram_buddy_block_offset(b) == SZ_8K);
	b = alloc_one(t, SZ_8K, SZ_8K, CLEAR, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b) &&
		   vvram_buddy_block_offset(b) == 0);
	VBT_EQ(t, mm->clear_avail, 0);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);

	/*
	 * Page 2 zeroed, the others dirty: CLEAR_ALLOCATION of two pages
	 * takes the dirty block [0, 8K) before the mixed one [8K, 16K).
	 */
	for (i = 0; i < 4; i++)
		VBT_EQ(t, alloc_exact(mm, i * SZ_4K, SZ_4K, &pages[i]), 0);
	for (i = 0; i < 4; i++)
		vvram_buddy_free_list(mm, &pages[i],
				      i == 2 ? VVRAM_BUDDY_CLEARED : 0);
	b = alloc_one(t, SZ_8K, SZ_8K, CLEAR, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b) &&
		   vvram_buddy_block_offset(b) == 0);
	VBT_EQ(t, mm->clear_avail, SZ_4K);
	vvram_buddy_free_list(mm, &got, 0);
}

/*
 * A request splits the smallest fitting block of its kind and takes its
 * top end (top-down: the highest block of its kind), even when a smaller
 * or higher block of the other kind would fit.
 */
static void split_smallest_block_of_the_kind(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(dirty);
	LIST_HEAD(zeroed);
	LIST_HEAD(held);
	LIST_HEAD(got);

	/* Dirty [0, 32K); zeroed [32K, 48K) and [48K, 52K); the rest held. */
	VBT_EQ(t, alloc_exact(mm, 0, SZ_32K, &dirty), 0);
	VBT_EQ(t, alloc_exact(mm, SZ_32K, SZ_16K, &zeroed), 0);
	VBT_EQ(t, alloc_exact(mm, SZ_32K + SZ_16K, SZ_4K, &zeroed), 0);
	VBT_EQ(t, alloc_exact(mm, 13 * SZ_4K, SZ_1M - 13 * SZ_4K, &held), 0);
	vvram_buddy_free_list(mm, &dirty, 0);
	vvram_buddy_free_list(mm, &zeroed, VVRAM_BUDDY_CLEARED);

	/* Plain: the top page of the dirty 32K, not the zeroed page. */
	b = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 7 * SZ_4K);
	/* Then the smallest dirty block left, [24K, 28K). */
	b = alloc_one(t, SZ_4K, SZ_4K, 0, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 6 * SZ_4K);
	/* CLEAR: the top of the zeroed 16K, not the dirty [16K, 24K). */
	b = alloc_one(t, SZ_8K, SZ_4K, CLEAR, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 10 * SZ_4K &&
		   vvram_buddy_block_is_clear(b));
	/* CLEAR: the zeroed page, the smallest zeroed block. */
	b = alloc_one(t, SZ_4K, SZ_4K, CLEAR, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 12 * SZ_4K &&
		   vvram_buddy_block_is_clear(b));
	/*
	 * Top-down ignores the kinds: the highest free page, in the zeroed
	 * [32K, 40K), above the dirty [16K, 24K).
	 */
	b = alloc_one(t, SZ_4K, SZ_4K, TOPDOWN, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 9 * SZ_4K &&
		   vvram_buddy_block_is_clear(b));
	b = alloc_one(t, SZ_4K, SZ_4K, TOPDOWN | CLEAR, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 8 * SZ_4K &&
		   vvram_buddy_block_is_clear(b));
	/* What is left: dirty [0, 24K). */
	VBT_EQ(t, mm->avail, 6 * SZ_4K);
	VBT_EQ(t, mm->clear_avail, 0);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_free_list(mm, &held, 0);
}

/*
 * Top-down requests take the highest-addressed fitting free block, of
 * either kind, with CLEAR_ALLOCATION or without: the driver places BOs
 * without CPU access at the top of VRAM, and a kind preference would
 * move them down to the highest block of the preferred kind. The fixture
 * has 32 MiB in 64 KiB chunks, as the driver's placement test.
 */
static void topdown_takes_the_highest_block(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(dirty);
	LIST_HEAD(zeroed);
	LIST_HEAD(got);

	/* Dirty [19M, 20M) and zeroed [30M, 32M); the rest zeroed too. */
	vvram_buddy_reset_clear(mm, true);
	VBT_EQ(t, alloc_exact(mm, 19 * SZ_1M, SZ_1M, &dirty), 0);
	vvram_buddy_free_list(mm, &dirty, 0);
	VBT_EQ(t, mm->clear_avail, mm->size - SZ_1M);

	/* Plain top-down: the top of the space, zeroed, not [19M, 20M). */
	b = alloc_one(t, SZ_1M, SZ_64K, TOPDOWN, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 31 * SZ_1M &&
		   vvram_buddy_block_is_clear(b));
	b = alloc_one(t, SZ_1M, SZ_64K, TOPDOWN, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 30 * SZ_1M);
	vvram_buddy_free_list(mm, &got, VVRAM_BUDDY_CLEARED);

	/* All dirty but [8M, 9M): CLEAR top-down still takes the top. */
	vvram_buddy_reset_clear(mm, false);
	VBT_EQ(t, alloc_exact(mm, 8 * SZ_1M, SZ_1M, &zeroed), 0);
	vvram_buddy_free_list(mm, &zeroed, VVRAM_BUDDY_CLEARED);
	b = alloc_one(t, SZ_1M, SZ_64K, TOPDOWN | CLEAR, &got);
	VBT_EXPECT(t, b && vvram_buddy_block_offset(b) == 31 * SZ_1M &&
		   !vvram_buddy_block_is_clear(b));
	/* The plain bottom-up pick still leaves the zeroed MiB alone. */
	b = alloc_one(t, SZ_1M, SZ_64K, 0, &got);
	VBT_EXPECT(t, b && !vvram_buddy_block_is_clear(b));
	VBT_EQ(t, mm->clear_avail, SZ_1M);
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &got, 0);
}

static void range_allocations_stay_inside(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);
	LIST_HEAD(more);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_1M, SZ_2M + SZ_512K, SZ_1M,
					   SZ_64K, &got, RANGE), 0);
	VBT_EXPECT(t, list_inside(mm, &got, SZ_1M, SZ_2M + SZ_512K));
	VBT_EXPECT(t, list_aligned(mm, &got, SZ_64K));
	VBT_EQ(t, list_bytes(mm, &got), SZ_1M);
	/* Fill the window, then it is full. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_1M, SZ_2M + SZ_512K,
					   SZ_512K, SZ_4K, &got, RANGE), 0);
	VBT_EXPECT(t, list_inside(mm, &got, SZ_1M, SZ_2M + SZ_512K));
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_1M, SZ_2M + SZ_512K, SZ_4K,
					   SZ_4K, &more, RANGE), -ENOSPC);
	VBT_EQ(t, mm->avail, SZ_16M - SZ_1M - SZ_512K);
	/* Top-down inside a range takes the top of the window. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_4M, SZ_8M, SZ_4K, SZ_4K,
					   &more, RANGE | TOPDOWN), 0);
	VBT_EQ(t, vvram_buddy_block_offset(first_block(&more)), SZ_8M - SZ_4K);
	vvram_buddy_free_list(mm, &more, 0);
	vvram_buddy_free_list(mm, &got, 0);
}

static void range_bias_random_windows(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	const u64 size = mm->size, chunk = mm->chunk_size;
	u64 rng = 0x9e3779b97f4a7c15ULL, lo, hi, want, min_block;
	unsigned int round, n;
	LIST_HEAD(got);
	LIST_HEAD(all);
	int err;

	for (round = 0; round < 16 && !t->failures; round++) {
		lo = (rng_next(&rng) % (size / chunk)) * chunk;
		hi = lo + ((rng_next(&rng) % ((size - lo) / chunk)) + 1) * chunk;
		/* Allocate in the window until it is full. */
		for (n = 0; n < 64; n++) {
			min_block = chunk << (rng_next(&rng) % 4);
			want = ((rng_next(&rng) % 16) + 1) * chunk;
			err = vvram_buddy_alloc_blocks(mm, lo, hi, want,
						       min_block, &got, RANGE);
			if (err) {
				VBT_EXPECT(t, err == -ENOSPC || err == -EINVAL);
				break;
			}
			VBT_EXPECT(t, list_inside(mm, &got, lo, hi));
			VBT_EQ(t, list_bytes(mm, &got), want);
			list_splice_tail_init(&got, &all);
		}
		/* Full: a chunk-sized request in the window must fail. */
		if (n < 64 && mm->avail) {
			err = vvram_buddy_alloc_blocks(mm, lo, hi, chunk, chunk,
						       &got, RANGE);
			if (!err) {
				VBT_EXPECT(t, list_inside(mm, &got, lo, hi));
				list_splice_tail_init(&got, &all);
			}
		}
		mm_ok(t, mm);
		vvram_buddy_free_list(mm, &all, round & 1 ? VVRAM_BUDDY_CLEARED : 0);
	}
}

static void exceeds_max_order(struct vbt *t)
{
	/* 12 MiB: roots of 8 MiB and 4 MiB; the largest block is 8 MiB. */
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);
	u64 start = 0;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8M + SZ_4M, SZ_4K,
					   &got, 0), 0);
	VBT_EQ(t, count_blocks(&got), 2);
	VBT_EQ(t, mm->avail, 0);
	vvram_buddy_free_list(mm, &got, 0);
	/* Contiguous across the two roots. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8M + SZ_4M, SZ_4K,
					   &got, CONTIG), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, start, 0);
	vvram_buddy_free_list(mm, &got, 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8M + SZ_4M, SZ_8M,
					   &got, CONTIG), -ENOSPC);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_16M, SZ_4K, &got, 0),
	       -EINVAL);
	VBT_EXPECT(t, list_empty(&got));
}

static void offset_aligned_small_size(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K, SZ_64K, &got, 0),
	       0);
	b = first_block(&got);
	if (VBT_EXPECT(t, b)) {
		VBT_EQ(t, count_blocks(&got), 1);
		VBT_EQ(t, vvram_buddy_block_size(mm, b), SZ_4K);
		VBT_EXPECT(t, IS_ALIGNED(vvram_buddy_block_offset(b), SZ_64K));
	}
	VBT_EQ(t, mm->avail, SZ_1M - SZ_4K);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_512K, SZ_8K, SZ_64K, &got,
					   RANGE), 0);
	b = list_last_entry(&got, struct vvram_buddy_block, link);
	VBT_EQ(t, vvram_buddy_block_size(mm, b), SZ_8K);
	VBT_EXPECT(t, IS_ALIGNED(vvram_buddy_block_offset(b), SZ_64K));
	VBT_EXPECT(t, vvram_buddy_block_offset(b) < SZ_512K);
	vvram_buddy_free_list(mm, &got, 0);
	expect_untrimmed(t, SZ_4K, SZ_64K, 0, SZ_64K);
}

static void fragmentation_uses_all_free_space(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(even);
	LIST_HEAD(got);

	fill_then_free_odd_chunks(t, &even);
	/* 128 scattered chunks: a plain request for all of them works. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_512K + SZ_4K, SZ_4K,
					   &got, 0), -ENOSPC);
	VBT_EXPECT(t, list_empty(&got));
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_512K, SZ_4K, &got, 0),
	       0);
	VBT_EQ(t, count_blocks(&got), 128);
	VBT_EQ(t, mm->avail, 0);
	vvram_buddy_free_list(mm, &got, 0);
	/* With 8 KiB pieces nothing fits: every 8 KiB pair is half used. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_8K, SZ_8K, &got, 0),
	       -ENOSPC);
	vvram_buddy_free_list(mm, &even, 0);
}

/* ---- trim, exact ranges, top-down, dump ------------------------------- */

static void trim_shrinks_a_range(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);
	LIST_HEAD(two);
	u64 start = 0, at;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_64K, SZ_4K, &got,
					   CONTIG), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	at = start;
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_16K + SZ_4K, &got), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, start, at);
	VBT_EQ(t, list_bytes(mm, &got), SZ_16K + SZ_4K);
	VBT_EQ(t, mm->avail, SZ_1M - SZ_16K - SZ_4K);
	mm_ok(t, mm);

	at = start + SZ_4K;
	VBT_EQ(t, vvram_buddy_block_trim(mm, &at, SZ_8K, &got), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, start, at);
	VBT_EQ(t, list_bytes(mm, &got), SZ_8K);
	VBT_EQ(t, mm->avail, SZ_1M - SZ_8K);

	/* Bad trims change nothing. */
	at = start - SZ_4K;
	VBT_EQ(t, vvram_buddy_block_trim(mm, &at, SZ_4K, &got), -EINVAL);
	at = start + 1;
	VBT_EQ(t, vvram_buddy_block_trim(mm, &at, SZ_4K, &got), -EINVAL);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, 0, &got), -EINVAL);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_16K, &got), -EINVAL);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_4K + 1, &got), -EINVAL);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_4K, &two), -EINVAL);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_8K, &got), 0);
	VBT_EQ(t, list_bytes(mm, &got), SZ_8K);

	/* Two separate ranges are not one contiguous allocation. */
	VBT_EQ(t, alloc_exact(mm, 0, SZ_4K, &two), 0);
	VBT_EQ(t, alloc_exact(mm, SZ_8K, SZ_4K, &two), 0);
	VBT_EQ(t, vvram_buddy_block_trim(mm, NULL, SZ_4K, &two), -EINVAL);
	VBT_EQ(t, mm->avail, SZ_1M - 4 * SZ_4K);
	vvram_buddy_free_list(mm, &two, 0);
	vvram_buddy_free_list(mm, &got, 0);
}

static void trim_disable_keeps_rounded_size(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, 3 * SZ_4K, SZ_8K, &got, 0),
	       0);
	VBT_EQ(t, list_bytes(mm, &got), 3 * SZ_4K);
	VBT_EQ(t, mm->avail, SZ_1M - 3 * SZ_4K);
	vvram_buddy_free_list(mm, &got, 0);
	expect_untrimmed(t, 3 * SZ_4K, SZ_8K, 0, SZ_16K);
}

static void exact_range_allocation(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(got);
	LIST_HEAD(more);
	u64 start = 0;

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_4K, SZ_4K + SZ_64K, SZ_64K,
					   SZ_4K, &got, RANGE), 0);
	VBT_EXPECT(t, list_contiguous(mm, &got, &start));
	VBT_EQ(t, start, SZ_4K);
	VBT_EQ(t, list_bytes(mm, &got), SZ_64K);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_8K, SZ_8K, SZ_4K, &more,
					   RANGE), -ENOSPC);
	/* amdgpu style: [0, size) without RANGE is the exact whole space. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_1M, SZ_1M, SZ_4K, &more,
					   0), -ENOSPC);
	vvram_buddy_free_list(mm, &got, 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_1M, SZ_1M, SZ_4K, &more,
					   0), 0);
	VBT_EQ(t, mm->avail, 0);
	vvram_buddy_free_list(mm, &more, 0);

	/*
	 * min_block_size holds for exact ranges too: a 512 KiB window at a
	 * 256 KiB offset cannot give 512 KiB blocks, as the kernel says.
	 */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_256K, SZ_256K + SZ_512K, SZ_512K,
					   SZ_512K, &got, RANGE), -EINVAL);
	VBT_EXPECT(t, list_empty(&got));
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_512K, SZ_1M, SZ_512K, SZ_512K,
					   &got, RANGE), 0);
	b = list_first_entry(&got, struct vvram_buddy_block, link);
	VBT_EQ(t, vvram_buddy_block_offset(b), SZ_512K);
	VBT_EQ(t, vvram_buddy_block_size(mm, b), SZ_512K);
	vvram_buddy_free_list(mm, &got, 0);
	/* An aligned start with an end off the grid, with RANGE or not. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, SZ_512K + SZ_256K,
					   SZ_512K + SZ_256K, SZ_512K, &got,
					   RANGE), -EINVAL);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_256K, SZ_1M, SZ_512K + SZ_256K,
					   SZ_512K, &got, 0), -EINVAL);
	VBT_EXPECT(t, list_empty(&got));
	VBT_EQ(t, mm->avail, mm->size);
}

/*
 * Whether the blocks of an allocation of @size bytes honour @min_block:
 * every block of @min_block or more is aligned to it (blocks are aligned
 * to their size), and the smaller ones make up the trimmed tail, the one
 * @min_block unit that the allocation covers only in part, from its start.
 */
static bool honours_min_block(const struct vvram_buddy *mm,
			      struct list_head *list, u64 size, u64 min_block)
{
	u64 tail = size % min_block, unit = U64_MAX, bytes = 0, end = 0, off;
	struct vvram_buddy_block *b;

	list_for_each_entry(b, list, link) {
		off = vvram_buddy_block_offset(b);
		if (vvram_buddy_block_size(mm, b) >= min_block)
			continue;
		if (unit != U64_MAX && unit != round_down(off, min_block))
			return false;
		unit = round_down(off, min_block);
		bytes += vvram_buddy_block_size(mm, b);
		end = max(end, off + vvram_buddy_block_size(mm, b));
	}
	return unit == U64_MAX || (bytes == tail && end == unit + tail);
}

/*
 * min_block_size holds in every mode, in free memory whose runs start and
 * end off its grid: one run of 123 pages from page 3, and one of 61 from
 * page 130. Sizes of 2 and 2.5 units, with and without TRIM_DISABLE.
 */
static void min_block_in_every_mode(struct vbt *t)
{
	static const unsigned long modes[] = {
		0, TOPDOWN, CLEAR, RANGE, RANGE | TOPDOWN, CONTIG,
		CONTIG | TOPDOWN, CONTIG | RANGE, CONTIG | RANGE | TOPDOWN,
	};
	struct vvram_buddy *mm = t->mm;
	unsigned int i, m, half;
	LIST_HEAD(held);
	LIST_HEAD(got);
	u64 min_block, size;

	VBT_EQ(t, alloc_exact(mm, 0, 3 * SZ_4K, &held), 0);
	VBT_EQ(t, alloc_exact(mm, 126 * SZ_4K, 4 * SZ_4K, &held), 0);
	VBT_EQ(t, alloc_exact(mm, 191 * SZ_4K, mm->size - 191 * SZ_4K, &held),
	       0);
	for (i = 0; i < ARRAY_SIZE(modes) * 2 * 2; i++) {
		m = i % ARRAY_SIZE(modes);
		half = i / ARRAY_SIZE(modes) % 2;
		min_block = i / ARRAY_SIZE(modes) / 2 ? SZ_64K : SZ_16K;
		size = 2 * min_block + half * min_block / 2;
		VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_4K, SZ_1M, size,
						   min_block, &got, modes[m]), 0);
		if (!VBT_EXPECT(t, honours_min_block(mm, &got, size, min_block)))
			vbt_fail(t, __LINE__, "mode %#lx, min_block %llu, size %llu",
				 modes[m], min_block, size);
		vvram_buddy_free_list(mm, &got, i % 2 ? VVRAM_BUDDY_CLEARED : 0);
		VBT_EQ(t, vvram_buddy_alloc_blocks(mm, SZ_4K, SZ_1M, size,
						   min_block, &got,
						   modes[m] | TRIM_DISABLE), 0);
		VBT_EQ(t, list_bytes(mm, &got), round_up(size, min_block));
		if (!VBT_EXPECT(t, honours_min_block(mm, &got,
						     round_up(size, min_block),
						     min_block)))
			vbt_fail(t, __LINE__, "mode %#lx, min_block %llu, size %llu",
				 modes[m], min_block, size);
		vvram_buddy_free_list(mm, &got, 0);
	}
	mm_ok(t, mm);
	vvram_buddy_free_list(mm, &held, 0);
}

static void topdown_takes_highest_free(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b;
	LIST_HEAD(held);
	LIST_HEAD(got);

	VBT_EQ(t, alloc_exact(mm, SZ_1M - SZ_64K, SZ_64K, &held), 0);
	VBT_EQ(t, alloc_exact(mm, SZ_64K, SZ_4K, &held), 0);
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_64K, SZ_64K, &got,
					   TOPDOWN), 0);
	VBT_EQ(t, vvram_buddy_block_offset(first_block(&got)),
	       SZ_1M - 2 * SZ_64K);
	/* Plain takes the smallest fitting block instead: the 4 KiB hole. */
	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_4K, SZ_4K, &held, 0),
	       0);
	b = list_last_entry(&held, struct vvram_buddy_block, link);
	VBT_EQ(t, vvram_buddy_block_offset(b), SZ_64K + SZ_4K);
	vvram_buddy_free_list(mm, &got, 0);
	vvram_buddy_free_list(mm, &held, 0);
}

static void free_block_returns_one_block(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct vvram_buddy_block *b, *next;
	LIST_HEAD(got);

	VBT_EQ(t, vvram_buddy_alloc_blocks(mm, 0, 0, SZ_64K + SZ_4K, SZ_4K,
					   &got, 0), 0);
	VBT_EQ(t, count_blocks(&got), 2);
	list_for_each_entry_safe(b, next, &got, link) {
		list_del(&b->link);
		vvram_buddy_free_block(mm, b);
		mm_ok(t, mm);
	}
}

struct dump_seen {
	unsigned int lines;
	bool free_line;
	bool largest_line;
	bool order_line;
};

static void dump_line(void *arg, const char *line)
{
	struct dump_seen *seen = arg;

	seen->lines++;
	if (!strncmp(line, "free: 983040 clear: 65536 dirty: 917504", 39))
		seen->free_line = true;
	if (!strncmp(line, "largest_free: 720896 ", 21))
		seen->largest_line = true;
	if (!strncmp(line, "order-7 (524288 bytes): 1 free blocks", 37))
		seen->order_line = true;
}

static void dump_and_stats_describe_state(struct vbt *t)
{
	struct vvram_buddy *mm = t->mm;
	struct dump_seen seen = { 0 };
	struct vvram_buddy_stats st;
	LIST_HEAD(got);
	LIST_HEAD(cleared);

	VBT_EQ(t, alloc_exact(mm, SZ_256K, SZ_64K, &got), 0);
	VBT_EQ(t, alloc_exact(mm, 0, SZ_64K, &cleared), 0);
	vvram_buddy_free_list(mm, &cleared, VVRAM_BUDDY_CLEARED);
	vvram_buddy_get_stats(mm, &st);
	VBT_EQ(t, st.avail, SZ_1M - SZ_64K);
	VBT_EQ(t, st.clear_avail, SZ_64K);
	VBT_EQ(t, st.largest_free, SZ_1M - SZ_256K - SZ_64K);
	VBT_EQ(t, st.nr_allocated_blocks, 1);
	VBT_EQ(t, st.nr_free_runs, 2);
	VBT_EQ(t, st.nr_clear_runs, 1);
	VBT_EXPECT(t, st.metadata_bytes > 0);
	vvram_buddy_dump(mm, dump_line, &seen);
	VBT_EXPECT(t, seen.lines >= 5);
	VBT_EXPECT(t, seen.free_line);
	VBT_EXPECT(t, seen.largest_line);
	VBT_EXPECT(t, seen.order_line);
	vvram_buddy_free_list(mm, &got, 0);
}

/* A case and the allocator its fixture creates: @size bytes of @chunk. */
#define CASE(fn, size, chunk)	{ #fn, fn, NULL, size, chunk }
/* A member of a family: @fn's body, told @param. */
#define FAMILY_CASE(name, fn, param, size, chunk) \
	{ #name, fn, param, size, chunk }
/* A case that sets up its allocators itself. */
#define BARE_CASE(fn)		{ #fn, fn, NULL, 0, 0 }

const struct vvram_buddy_test_case vvram_buddy_test_cases[] = {
	FAMILY_CASE(seed_plain_alloc_lands_at_top, seed_alloc_lands_at_top,
		    &seed_plain, SZ_1G, SZ_4K),
	FAMILY_CASE(seed_topdown_alloc_takes_highest, seed_alloc_lands_at_top,
		    &seed_topdown, SZ_1G, SZ_4K),
	CASE(seed_non_contiguous_fills_holes, SZ_1G, SZ_4K),
	CASE(seed_contiguous_fails_when_fragmented, SZ_16M, SZ_4K),
	BARE_CASE(init_checks_chunk_and_size),
	CASE(alloc_rejects_bad_arguments, SZ_16M, SZ_4K),
	CASE(failed_alloc_gives_everything_back, SZ_1M, SZ_4K),
	BARE_CASE(limit_size_u64_max),
	CASE(limit_random_requests, U64_MAX, HUGE_CHUNK),
	CASE(optimistic_one_block_per_order,
	     ((2ULL << OPTIMISTIC_TOP) - 1) * SZ_4K, SZ_4K),
	CASE(pessimistic_holes_block_larger_orders, SZ_1M, SZ_4K),
	CASE(pathological_descending_orders, SZ_4K << PATHOLOGICAL_TOP, SZ_4K),
	CASE(contiguous_across_buddy_boundaries, 64 * SZ_4K, SZ_4K),
	CASE(contiguous_trims_to_size, SZ_1M, SZ_4K),
	CASE(clear_tracking_without_merge_barrier, SZ_1M, SZ_4K),
	CASE(clear_allocation_prefers_zeroed, SZ_1M, SZ_4K),
	CASE(plain_requests_leave_zeroed_pages, SZ_1M, SZ_4K),
	CASE(clear_requests_after_plain_ones_get_zeroed, SZ_1M, SZ_4K),
	CASE(clear_requests_leave_dirty_pages, SZ_1M, SZ_4K),
	CASE(preference_falls_back, 4 * SZ_4K, SZ_4K),
	CASE(split_smallest_block_of_the_kind, SZ_1M, SZ_4K),
	CASE(topdown_takes_the_highest_block, 32 * SZ_1M, SZ_64K),
	CASE(range_allocations_stay_inside, SZ_16M, SZ_4K),
	CASE(range_bias_random_windows, SZ_8M, SZ_4K),
	CASE(exceeds_max_order, SZ_8M + SZ_4M, SZ_4K),
	CASE(offset_aligned_small_size, SZ_1M, SZ_4K),
	CASE(fragmentation_uses_all_free_space, SZ_1M, SZ_4K),
	CASE(trim_shrinks_a_range, SZ_1M, SZ_4K),
	CASE(trim_disable_keeps_rounded_size, SZ_1M, SZ_4K),
	CASE(exact_range_allocation, SZ_1M, SZ_4K),
	CASE(min_block_in_every_mode, SZ_1M, SZ_4K),
	CASE(topdown_takes_highest_free, SZ_1M, SZ_4K),
	CASE(free_block_returns_one_block, SZ_1M, SZ_4K),
	CASE(dump_and_stats_describe_state, SZ_1M, SZ_4K),
};

const unsigned int vvram_buddy_nr_test_cases =
	ARRAY_SIZE(vvram_buddy_test_cases);

/**
 * vvram_buddy_run_case - run one test case in its fixture
 * @tc: the case
 * @t: its state, with &vbt.log set
 *
 * A case with a fixture gets its allocator in &vbt.mm; afterwards the
 * fixture checks the allocator's books, that every block came back, and
 * tears it down.
 */
void vvram_buddy_run_case(const struct vvram_buddy_test_case *tc,
			  struct vbt *t)
{
	t->param = tc->param;
	t->mm = NULL;
	if (tc->size) {
		t->mm = new_mm(t, tc->size, tc->chunk);
		if (!t->mm)
			return;
	}
	tc->run(t);
	put_mm(t, t->mm);
}
