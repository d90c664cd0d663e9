// SPDX-License-Identifier: GPL-2.0
/*
 * vvram_buddy: a binary buddy allocator for GPU memory.
 *
 * This file builds both as the kernel module vvram_buddy.ko and, through
 * the shims in tools/include, as the userspace library used by the tests,
 * the fuzzer and the benchmarks.
 */

/**
 * DOC: overview
 *
 * vvram_buddy hands out naturally aligned power-of-two blocks of a linear
 * space of @size bytes, in units of @chunk_size. It serves the same calls
 * as the kernel's gpu_buddy allocator but keeps different books, so that
 * every operation stays logarithmic whatever the fragmentation.
 *
 * Model. Only the leaves of the buddy tree exist: a free block or an
 * allocated block, 32 bytes each. A split block has no node; its halves
 * carry everything. The space is the concatenation of "roots", the
 * power-of-two terms of @size / @chunk_size in decreasing order, so each
 * root is aligned to its own size and a block aligned to its size that lies
 * inside [0, @size) never straddles two roots. Hence the buddy of a block
 * at offset o with size s is simply at o ^ s, and it is a free block of the
 * same order only when merging is legal.
 *
 * Three sets describe free memory:
 *
 * - The free-block treap: every free block, keyed by offset, augmented
 *   with the mask of orders present in each subtree. The root's mask says
 *   in O(1) which orders exist; a descent that follows the mask finds the
 *   highest block of a given order (or of any order above one) in
 *   O(log n). Buddies are found by offset.
 * - The free runs: the maximal free ranges, whatever buddy boundaries they
 *   cross, in a treap keyed by start and augmented with the longest run,
 *   the total bytes and the node count of each subtree. Contiguous and
 *   range requests search it, pruning subtrees whose longest run is too
 *   short or that lie outside the window.
 * - The clear runs: the maximal free ranges known to hold zeroes, in a
 *   treap of the same kind. Free buddies merge whatever their clear state;
 *   the clear runs remember the clear parts. A block handed out reports
 *   clear only when one clear run covers it entirely.
 *
 * Treaps use the hash of the node's address as priority, so their shape
 * does not depend on the keys and their expected depth is O(log n). Every
 * treap operation is split/join based and needs no parent pointers.
 *
 * Invariants (vvram_buddy_check() verifies all of them):
 *
 * 1. Free blocks are disjoint, each aligned to its size and inside
 *    [0, @size); they cover exactly the free bytes, and @avail is their sum.
 * 2. No free block has its buddy free at the same order: free buddies are
 *    always merged.
 * 3. The free runs are the maximal ranges of the union of the free blocks:
 *    disjoint, never adjacent, summing to @avail.
 * 4. The clear runs are disjoint, never adjacent, each inside one free run,
 *    and sum to @clear_avail.
 * 5. Treap order, heap order of priorities and every augmented field hold.
 *
 * Allocated memory is in none of the sets; the caller's blocks are all
 * that describes it.
 *
 * Metadata never depends on @size / @chunk_size: at most one block per bit
 * of @size exists after init, and nodes are only created for blocks and
 * runs that exist. Node allocation happens up front from a per-instance
 * reserve so that the steps that change the books cannot fail half way;
 * freeing tops the small run reserve up with __GFP_NOFAIL because it must
 * not fail at all.
 *
 * Complexity, with n the number of nodes (expected, for the treaps):
 *
 * - smallest fitting order: O(1) (mask of the treap root);
 * - plain and top-down allocation: O(log n) per block handed out, plus
 *   O(log n) per clear run it overwrites (the runs are cut out of the
 *   treap in O(log n) and their nodes released a few at a time by later
 *   calls, so no single call walks them);
 * - free: O(log n) per merge level, so O(log n * orders);
 * - contiguous and range searches: O(log n) plus the runs that are long
 *   enough but whose aligned part is too short;
 * - trim: like a free of the released parts;
 * - reset_clear(false): O(log n); reset_clear(true): O(runs * log n);
 * - largest free range and statistics: O(1).
 *
 * Locking: none inside. The caller serialises every call on an instance,
 * for example with its own mutex, exactly as with the kernel's allocator.
 * Calls may sleep (GFP_KERNEL).
 */

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vvram_buddy.h>

/**
 * struct vvram_buddy_run - one maximal range in a run treap
 * @left: runs below; they end before @start without touching it.
 * @right: runs above; they start after the end of this one.
 * @start: first byte.
 * @len: bytes, never 0.
 * @max_len: the largest @len in this subtree.
 * @sum: the total @len of this subtree.
 * @count: the number of runs in this subtree.
 */
struct vvram_buddy_run {
	struct vvram_buddy_run *left;
	struct vvram_buddy_run *right;
	u64 start;
	u64 len;
	u64 max_len;
	u64 sum;
	u64 count;
};

/*
 * Nodes one carve may need: the handed-out range and the two leftovers
 * each split into at most two blocks per order.
 */
#define BLOCKS_PER_CARVE	(4 * VVRAM_BUDDY_MAX_ORDERS)
/* A trim can split at most two old blocks, each like one carve. */
#define BLOCKS_PER_TRIM		(2 * BLOCKS_PER_CARVE)
/* Cutting a range out of a run, or adding one, adds at most one run. */
#define RUNS_PER_CHANGE		4
/* Dead clear runs released per call (see run_reap()). */
#define REAP_BUDGET		64

static struct kmem_cache *vvram_block_cache;
static struct kmem_cache *vvram_run_cache;

/* The treap priority: a hash of the node's address (a 64-bit mixer). */
static u64 node_priority(const void *node)
{
	u64 x = (unsigned long)node;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static u64 order_bytes(const struct vvram_buddy *mm, unsigned int order)
{
	return mm->chunk_size << order;
}

static u64 blk_start(const struct vvram_buddy_block *b)
{
	return vvram_buddy_block_offset(b);
}

static u64 blk_end(const struct vvram_buddy *mm,
		   const struct vvram_buddy_block *b)
{
	return blk_start(b) + vvram_buddy_block_size(mm, b);
}

/* The largest block that starts at @x and ends at or before @y. */
static unsigned int piece_order(const struct vvram_buddy *mm, u64 x, u64 y)
{
	unsigned int order = ilog2(y - x) - mm->chunk_shift;

	if (x)
		order = min_t(unsigned int, order,
			      __ffs64(x) - mm->chunk_shift);
	return order;
}

/* ---- node reserves ---------------------------------------------------- */

static void block_put(struct vvram_buddy *mm, struct vvram_buddy_block *b)
{
	b->free.left = mm->block_reserve;
	mm->block_reserve = b;
	mm->nr_block_reserve++;
}

static struct vvram_buddy_block *block_get(struct vvram_buddy *mm)
{
	struct vvram_buddy_block *b = mm->block_reserve;

	/* Callers reserve enough first; this only guards a wrong bound. */
	if (WARN_ON_ONCE(!b)) {
		b = kmem_cache_alloc(vvram_block_cache,
				     GFP_KERNEL | __GFP_NOFAIL);
		mm->nr_blocks++;
		return b;
	}
	mm->block_reserve = b->free.left;
	mm->nr_block_reserve--;
	return b;
}

static int block_reserve(struct vvram_buddy *mm, unsigned int want)
{
	struct vvram_buddy_block *b;

	while (mm->nr_block_reserve < want) {
		b = kmem_cache_alloc(vvram_block_cache, GFP_KERNEL);
		if (!b)
			return -ENOMEM;
		mm->nr_blocks++;
		block_put(mm, b);
	}
	return 0;
}

static void run_put(struct vvram_buddy *mm, struct vvram_buddy_run *r)
{
	r->left = mm->run_reserve;
	mm->run_reserve = r;
	mm->nr_run_reserve++;
}

static struct vvram_buddy_run *run_get(struct vvram_buddy *mm)
{
	struct vvram_buddy_run *r = mm->run_reserve;

	if (WARN_ON_ONCE(!r)) {
		r = kmem_cache_alloc(vvram_run_cache,
				     GFP_KERNEL | __GFP_NOFAIL);
		mm->nr_runs++;
		return r;
	}
	mm->run_reserve = r->left;
	mm->nr_run_reserve--;
	return r;
}

static int run_reserve(struct vvram_buddy *mm, unsigned int want, gfp_t gfp)
{
	struct vvram_buddy_run *r;

	while (mm->nr_run_reserve < want) {
		r = kmem_cache_alloc(vvram_run_cache, gfp);
		if (!r)
			return -ENOMEM;
		mm->nr_runs++;
		run_put(mm, r);
	}
	return 0;
}

/* Gives back reserve nodes beyond what the next call is likely to need. */
static void reserve_shrink(struct vvram_buddy *mm)
{
	while (mm->nr_block_reserve > BLOCKS_PER_CARVE) {
		kmem_cache_free(vvram_block_cache, block_get(mm));
		mm->nr_blocks--;
	}
	while (mm->nr_run_reserve > 2 * RUNS_PER_CHANGE) {
		kmem_cache_free(vvram_run_cache, run_get(mm));
		mm->nr_runs--;
	}
}

static int reserve_for(struct vvram_buddy *mm, unsigned int blocks)
{
	if (block_reserve(mm, blocks) ||
	    run_reserve(mm, RUNS_PER_CHANGE, GFP_KERNEL))
		return -ENOMEM;
	return 0;
}

/* ---- the free-block treap --------------------------------------------- */

static void blk_update(struct vvram_buddy_block *b)
{
	u64 orders = BIT_ULL(vvram_buddy_block_order(b));

	if (b->free.left)
		orders |= b->free.left->free.orders;
	if (b->free.right)
		orders |= b->free.right->free.orders;
	b->free.orders = orders;
}

/* Splits @t into the blocks below @key (*@lo) and the others (*@hi). */
static void blk_split(struct vvram_buddy_block *t, u64 key,
		      struct vvram_buddy_block **lo,
		      struct vvram_buddy_block **hi)
{
	if (!t) {
		*lo = NULL;
		*hi = NULL;
		return;
	}
	if (blk_start(t) < key) {
		blk_split(t->free.right, key, &t->free.right, hi);
		*lo = t;
	} else {
		blk_split(t->free.left, key, lo, &t->free.left);
		*hi = t;
	}
	blk_update(t);
}

/* Joins two treaps; every key of @lo is below every key of @hi. */
static struct vvram_buddy_block *blk_join(struct vvram_buddy_block *lo,
					  struct vvram_buddy_block *hi)
{
	if (!lo)
		return hi;
	if (!hi)
		return lo;
	if (node_priority(lo) > node_priority(hi)) {
		lo->free.right = blk_join(lo->free.right, hi);
		blk_update(lo);
		return lo;
	}
	hi->free.left = blk_join(lo, hi->free.left);
	blk_update(hi);
	return hi;
}

static struct vvram_buddy_block *blk_insert(struct vvram_buddy_block *t,
					    struct vvram_buddy_block *b)
{
	if (!t || node_priority(b) > node_priority(t)) {
		blk_split(t, blk_start(b), &b->free.left, &b->free.right);
		blk_update(b);
		return b;
	}
	if (blk_start(b) < blk_start(t))
		t->free.left = blk_insert(t->free.left, b);
	else
		t->free.right = blk_insert(t->free.right, b);
	blk_update(t);
	return t;
}

static struct vvram_buddy_block *blk_erase(struct vvram_buddy_block *t,
					   u64 key)
{
	if (!t)
		return NULL;
	if (blk_start(t) == key)
		return blk_join(t->free.left, t->free.right);
	if (key < blk_start(t))
		t->free.left = blk_erase(t->free.left, key);
	else
		t->free.right = blk_erase(t->free.right, key);
	blk_update(t);
	return t;
}

static struct vvram_buddy_block *blk_find(struct vvram_buddy_block *t,
					  u64 key)
{
	while (t && blk_start(t) != key)
		t = key < blk_start(t) ? t->free.left : t->free.right;
	return t;
}

/* The free block that contains byte @pos, or NULL. */
static struct vvram_buddy_block *
blk_find_containing(const struct vvram_buddy *mm, u64 pos)
{
	struct vvram_buddy_block *t = mm->free_root, *best = NULL;

	while (t) {
		if (blk_start(t) <= pos) {
			best = t;
			t = t->free.right;
		} else {
			t = t->free.left;
		}
	}
	return best && blk_end(mm, best) > pos ? best : NULL;
}

/* The highest free block whose order is in @mask; the root must have one. */
static struct vvram_buddy_block *blk_highest(struct vvram_buddy_block *t,
					     u64 mask)
{
	while (t) {
		if (t->free.right && (t->free.right->free.orders & mask))
			t = t->free.right;
		else if (BIT_ULL(vvram_buddy_block_order(t)) & mask)
			return t;
		else
			t = t->free.left;
	}
	return NULL;
}

/* ---- run treaps (free runs and clear runs) ---------------------------- */

static u64 run_end(const struct vvram_buddy_run *r)
{
	return r->start + r->len;
}

static void run_update(struct vvram_buddy_run *r)
{
	r->max_len = r->len;
	r->sum = r->len;
	r->count = 1;
	if (r->left) {
		r->max_len = max(r->max_len, r->left->max_len);
		r->sum += r->left->sum;
		r->count += r->left->count;
	}
	if (r->right) {
		r->max_len = max(r->max_len, r->right->max_len);
		r->sum += r->right->sum;
		r->count += r->right->count;
	}
}

static void run_split(struct vvram_buddy_run *t, u64 key,
		      struct vvram_buddy_run **lo, struct vvram_buddy_run **hi)
{
	if (!t) {
		*lo = NULL;
		*hi = NULL;
		return;
	}
	if (t->start < key) {
		run_split(t->right, key, &t->right, hi);
		*lo = t;
	} else {
		run_split(t->left, key, lo, &t->left);
		*hi = t;
	}
	run_update(t);
}

static struct vvram_buddy_run *run_join(struct vvram_buddy_run *lo,
					struct vvram_buddy_run *hi)
{
	if (!lo)
		return hi;
	if (!hi)
		return lo;
	if (node_priority(lo) > node_priority(hi)) {
		lo->right = run_join(lo->right, hi);
		run_update(lo);
		return lo;
	}
	hi->left = run_join(lo, hi->left);
	run_update(hi);
	return hi;
}

/* Detaches the highest run of @t into *@out; returns the rest. */
static struct vvram_buddy_run *run_pop_max(struct vvram_buddy_run *t,
					   struct vvram_buddy_run **out)
{
	if (!t->right) {
		*out = t;
		return t->left;
	}
	t->right = run_pop_max(t->right, out);
	run_update(t);
	return t;
}

static struct vvram_buddy_run *run_pop_min(struct vvram_buddy_run *t,
					   struct vvram_buddy_run **out)
{
	if (!t->left) {
		*out = t;
		return t->right;
	}
	t->left = run_pop_min(t->left, out);
	run_update(t);
	return t;
}

static const struct vvram_buddy_run *run_max(const struct vvram_buddy_run *t)
{
	while (t && t->right)
		t = t->right;
	return t;
}

static const struct vvram_buddy_run *run_min(const struct vvram_buddy_run *t)
{
	while (t && t->left)
		t = t->left;
	return t;
}

static struct vvram_buddy_run *run_single(struct vvram_buddy_run *r,
					  u64 start, u64 end)
{
	r->left = NULL;
	r->right = NULL;
	r->start = start;
	r->len = end - start;
	run_update(r);
	return r;
}

/* Adds [@start, @end), which overlaps no run, merging with neighbours. */
static void run_add(struct vvram_buddy *mm, struct vvram_buddy_run **root,
		    u64 start, u64 end)
{
	struct vvram_buddy_run *lo, *hi, *node = NULL, *spare;
	const struct vvram_buddy_run *near;

	run_split(*root, start, &lo, &hi);
	near = run_max(lo);
	if (near && run_end(near) == start) {
		lo = run_pop_max(lo, &node);
		start = node->start;
	}
	near = run_min(hi);
	if (near && near->start == end) {
		hi = run_pop_min(hi, &spare);
		end = run_end(spare);
		if (node)
			run_put(mm, spare);
		else
			node = spare;
	}
	if (!node)
		node = run_get(mm);
	*root = run_join(run_join(lo, run_single(node, start, end)), hi);
}

/*
 * Hands the subtree @t to the graveyard, whose nodes run_reap() releases a
 * few per call: cutting many runs out stays O(log n).
 */
static void run_bury(struct vvram_buddy *mm, struct vvram_buddy_run *t)
{
	struct vvram_buddy_run *n = t;

	while (n->left)
		n = n->left;
	n->left = mm->run_graveyard;
	mm->run_graveyard = t;
}

/*
 * Releases graveyard nodes; a rotation moves a left child up so that every
 * step either frees the top node or straightens the tree, O(1) each.
 */
static void run_reap(struct vvram_buddy *mm, unsigned long budget)
{
	struct vvram_buddy_run *g = mm->run_graveyard, *n;

	while (g && budget--) {
		if (g->left) {
			n = g->left;
			g->left = n->right;
			n->right = g;
			g = n;
		} else {
			n = g->right;
			kmem_cache_free(vvram_run_cache, g);
			mm->nr_runs--;
			g = n;
		}
	}
	mm->run_graveyard = g;
}

/* Removes [@start, @end) from the runs of @root; returns the bytes removed. */
static u64 run_cut(struct vvram_buddy *mm, struct vvram_buddy_run **root,
		   u64 start, u64 end)
{
	struct vvram_buddy_run *lo, *mid, *hi, *edge;
	const struct vvram_buddy_run *near;
	u64 removed = 0, edge_end;

	run_split(*root, start, &lo, &hi);
	near = run_max(lo);
	if (near && run_end(near) > start) {
		lo = run_pop_max(lo, &edge);
		edge_end = run_end(edge);
		removed += min(edge_end, end) - start;
		if (edge_end > end)
			hi = run_join(run_single(run_get(mm), end, edge_end),
				      hi);
		lo = run_join(lo, run_single(edge, edge->start, start));
	}
	run_split(hi, end, &mid, &hi);
	near = run_max(mid);
	if (near && run_end(near) > end) {
		mid = run_pop_max(mid, &edge);
		removed += end - edge->start;
		hi = run_join(run_single(edge, end, run_end(edge)), hi);
	}
	if (mid) {
		removed += mid->sum;
		run_bury(mm, mid);
	}
	*root = run_join(lo, hi);
	return removed;
}

/* Whether one run of @t covers all of [@start, @end). */
static bool run_covers(const struct vvram_buddy_run *t, u64 start, u64 end)
{
	const struct vvram_buddy_run *best = NULL;

	while (t) {
		if (t->start <= start) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best && run_end(best) >= end;
}

/**
 * struct run_fit - a search for an aligned range inside one run
 * @len: bytes wanted.
 * @align: alignment of the start, a power of two.
 * @lo: the window start.
 * @hi: the window end (exclusive).
 * @top: find the highest placement instead of the lowest.
 * @pos: the placement found.
 * @run: the run it lies in.
 */
struct run_fit {
	u64 len;
	u64 align;
	u64 lo;
	u64 hi;
	bool top;
	u64 pos;
	const struct vvram_buddy_run *run;
};

static bool run_fits(const struct vvram_buddy_run *r, struct run_fit *f)
{
	u64 s = max(r->start, f->lo), e = min(run_end(r), f->hi), pos;

	if (e <= s || e - s < f->len)
		return false;
	if (f->top) {
		pos = round_down(e - f->len, f->align);
		if (pos < s)
			return false;
	} else {
		pos = s + ((f->align - (s & (f->align - 1))) & (f->align - 1));
		if (pos < s || pos > e - f->len)
			return false;
	}
	f->pos = pos;
	f->run = r;
	return true;
}

/*
 * In-order search that skips subtrees whose longest run is too short or
 * that lie outside the window.
 */
static bool run_find(const struct vvram_buddy_run *t, struct run_fit *f)
{
	bool left, right;

	if (!t || t->max_len < f->len)
		return false;
	left = t->start > f->lo;
	right = run_end(t) < f->hi;
	if (f->top) {
		if (right && run_find(t->right, f))
			return true;
		if (run_fits(t, f))
			return true;
		return left && run_find(t->left, f);
	}
	if (left && run_find(t->left, f))
		return true;
	if (run_fits(t, f))
		return true;
	return right && run_find(t->right, f);
}

/* ---- carving and releasing ranges ------------------------------------- */

/* Inserts a free block, merging it with its free buddies first. */
static void insert_free(struct vvram_buddy *mm, struct vvram_buddy_block *b,
			u64 offset, unsigned int order)
{
	struct vvram_buddy_block *buddy;
	u64 buddy_offset;

	while (order < mm->max_order) {
		buddy_offset = offset ^ order_bytes(mm, order);
		buddy = blk_find(mm->free_root, buddy_offset);
		if (!buddy || vvram_buddy_block_order(buddy) != order)
			break;
		mm->free_root = blk_erase(mm->free_root, buddy_offset);
		mm->free_per_order[order]--;
		block_put(mm, buddy);
		offset = min(offset, buddy_offset);
		order++;
	}
	b->header = offset | order | VVRAM_BUDDY_HDR_FREE;
	mm->free_root = blk_insert(mm->free_root, b);
	mm->free_per_order[order]++;
}

/*
 * Returns [@start, @end) to the pool; @reuse, if not NULL, is the node of
 * a block that covered it.
 */
static void release_range(struct vvram_buddy *mm, u64 start, u64 end,
			  bool cleared, struct vvram_buddy_block *reuse)
{
	unsigned int order;

	run_add(mm, &mm->free_runs, start, end);
	if (cleared) {
		run_add(mm, &mm->clear_runs, start, end);
		mm->clear_avail += end - start;
	}
	mm->avail += end - start;
	while (start < end) {
		order = piece_order(mm, start, end);
		insert_free(mm, reuse ? reuse : block_get(mm), start, order);
		reuse = NULL;
		start += order_bytes(mm, order);
	}
}

/*
 * Inserts the leftover of a carved block. Its pieces need no merging: the
 * buddy of each either overlaps the carved range or is a larger piece.
 */
static void put_leftover(struct vvram_buddy *mm, u64 start, u64 end)
{
	struct vvram_buddy_block *b;
	unsigned int order;

	while (start < end) {
		order = piece_order(mm, start, end);
		b = block_get(mm);
		b->header = start | order | VVRAM_BUDDY_HDR_FREE;
		mm->free_root = blk_insert(mm->free_root, b);
		mm->free_per_order[order]++;
		start += order_bytes(mm, order);
	}
}

/* Appends blocks covering [@start, @end) to @out as allocated. */
static void hand_out(struct vvram_buddy *mm, u64 start, u64 end,
		     bool inherit_clear, struct list_head *out)
{
	struct vvram_buddy_block *b;
	unsigned int order;
	bool clear;

	while (start < end) {
		order = piece_order(mm, start, end);
		clear = inherit_clear ||
			run_covers(mm->clear_runs, start,
				   start + order_bytes(mm, order));
		b = block_get(mm);
		b->header = start | order | (clear ? VVRAM_BUDDY_HDR_CLEAR : 0);
		list_add_tail(&b->link, out);
		mm->nr_allocated++;
		start += order_bytes(mm, order);
	}
}

/*
 * Allocates [@start, @end), which must be free, onto @out. The caller has
 * reserved BLOCKS_PER_CARVE blocks and RUNS_PER_CHANGE runs.
 */
static void carve(struct vvram_buddy *mm, u64 start, u64 end,
		  struct list_head *out)
{
	struct vvram_buddy_block *b;
	u64 pos = start, b_start, b_end;

	hand_out(mm, start, end, false, out);
	while (pos < end) {
		b = blk_find_containing(mm, pos);
		b_start = blk_start(b);
		b_end = blk_end(mm, b);
		mm->free_root = blk_erase(mm->free_root, b_start);
		mm->free_per_order[vvram_buddy_block_order(b)]--;
		block_put(mm, b);
		if (b_start < pos)
			put_leftover(mm, b_start, pos);
		if (b_end > end)
			put_leftover(mm, end, b_end);
		pos = min(b_end, end);
	}
	run_cut(mm, &mm->free_runs, start, end);
	mm->clear_avail -= run_cut(mm, &mm->clear_runs, start, end);
	mm->avail -= end - start;
}

static void free_one(struct vvram_buddy *mm, struct vvram_buddy_block *b,
		     bool cleared)
{
	if (WARN_ON_ONCE(b->header & VVRAM_BUDDY_HDR_FREE))
		return;
	/* A free adds at most one run to each set and must not fail. */
	run_reserve(mm, 2, GFP_KERNEL | __GFP_NOFAIL);
	mm->nr_allocated--;
	release_range(mm, blk_start(b), blk_end(mm, b), cleared, b);
}

static void rollback(struct vvram_buddy *mm, struct list_head *got)
{
	struct vvram_buddy_block *b, *next;

	/* Fully clear blocks stay known clear; partly clear ones turn dirty. */
	list_for_each_entry_safe(b, next, got, link) {
		list_del(&b->link);
		free_one(mm, b, vvram_buddy_block_is_clear(b));
	}
}

/* ---- placement -------------------------------------------------------- */

/**
 * struct alloc_req - one validated allocation request
 * @lo: window start.
 * @hi: window end (exclusive).
 * @placed: round_up(size, @align), what placement reserves.
 * @keep: bytes handed out: size, or @placed with TRIM_DISABLE.
 * @align: min_block_size.
 * @flags: the caller's flags.
 * @exact: the request is the exact range [@lo, @hi).
 */
struct alloc_req {
	u64 lo;
	u64 hi;
	u64 placed;
	u64 keep;
	u64 align;
	unsigned long flags;
	bool exact;
};

/*
 * Finds a free aligned block of @order for plain and top-down requests:
 * zeroed memory first if asked, then the smallest fitting free block
 * (plain) or the highest one (top-down), taking its top end.
 */
static bool find_piece(struct vvram_buddy *mm, unsigned int order,
		       unsigned long flags, u64 *pos)
{
	u64 size = order_bytes(mm, order), mask;
	struct vvram_buddy_block *b;
	struct run_fit fit = {
		.len = size, .align = size, .lo = 0, .hi = mm->size,
		.top = true,
	};

	if ((flags & VVRAM_BUDDY_CLEAR_ALLOCATION) &&
	    run_find(mm->clear_runs, &fit)) {
		*pos = fit.pos;
		return true;
	}
	mask = mm->free_root ? mm->free_root->free.orders & (~0ULL << order) : 0;
	if (!mask)
		return false;
	if (!(flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION))
		mask = BIT_ULL(__ffs64(mask));
	b = blk_highest(mm->free_root, mask);
	*pos = blk_end(mm, b) - size;
	return true;
}

/* Free bytes usable by blocks of at least @min_order. */
static u64 usable_bytes(const struct vvram_buddy *mm, unsigned int min_order)
{
	unsigned int order;
	u64 chunks = 0;

	for (order = min_order; order <= mm->max_order; order++)
		chunks += mm->free_per_order[order] << order;
	return chunks << mm->chunk_shift;
}

/*
 * Plain and top-down requests: greedy by order. Taking an aligned block of
 * order k from a free block of order >= k leaves only pieces of order >= k,
 * so this succeeds exactly when usable_bytes() covers the request.
 */
static int alloc_pieces(struct vvram_buddy *mm, const struct alloc_req *req,
			struct list_head *got)
{
	unsigned int min_order = ilog2(req->align) - mm->chunk_shift;
	unsigned int order = ilog2(req->placed) - mm->chunk_shift;
	u64 left = req->placed, size, pos;

	if (usable_bytes(mm, min_order) < req->placed)
		return -ENOSPC;
	while (left) {
		order = min_t(unsigned int, order,
			      ilog2(left) - mm->chunk_shift);
		if (!find_piece(mm, order, req->flags, &pos)) {
			if (WARN_ON_ONCE(order == min_order))
				return -ENOSPC;
			order--;
			continue;
		}
		if (reserve_for(mm, BLOCKS_PER_CARVE))
			return -ENOMEM;
		size = order_bytes(mm, order);
		/* The last piece gives the excess over keep back. */
		carve(mm, pos, pos + size - (left == size ?
					     req->placed - req->keep : 0), got);
		left -= size;
	}
	return 0;
}

/*
 * Range requests: walks the runs of @root inside the window, lowest first
 * (highest with TOPDOWN), taking every aligned part. With @commit false it
 * only counts; with @commit true it carves the same parts, since carving
 * only touches what the walk has passed.
 */
static int walk_range(struct vvram_buddy *mm, struct vvram_buddy_run **root,
		      const struct alloc_req *req, bool commit,
		      struct list_head *got)
{
	bool top = req->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	struct run_fit fit = {
		.len = req->align, .align = req->align,
		.lo = req->lo, .hi = req->hi, .top = top,
	};
	u64 found = 0, take, start, end;

	while (found < req->placed && run_find(*root, &fit)) {
		if (top) {
			end = fit.pos + req->align;
			start = round_up(max(fit.run->start, req->lo),
					 req->align);
			take = min(end - start, req->placed - found);
			start = end - take;
			fit.hi = start;
		} else {
			start = fit.pos;
			end = round_down(min(run_end(fit.run), req->hi),
					 req->align);
			take = min(end - start, req->placed - found);
			end = start + take;
			fit.lo = end;
		}
		found += take;
		if (!commit)
			continue;
		if (reserve_for(mm, BLOCKS_PER_CARVE))
			return -ENOMEM;
		if (found == req->placed)
			end -= req->placed - req->keep;
		carve(mm, start, end, got);
	}
	return found < req->placed ? -ENOSPC : 0;
}

static int alloc_range(struct vvram_buddy *mm, const struct alloc_req *req,
		       struct list_head *got)
{
	struct vvram_buddy_run **root = &mm->free_runs;

	if ((req->flags & VVRAM_BUDDY_CLEAR_ALLOCATION) &&
	    !walk_range(mm, &mm->clear_runs, req, false, NULL))
		root = &mm->clear_runs;
	else if (walk_range(mm, root, req, false, NULL))
		return -ENOSPC;
	return walk_range(mm, root, req, true, got);
}

static int alloc_contiguous(struct vvram_buddy *mm,
			    const struct alloc_req *req, struct list_head *got)
{
	bool range = req->flags & VVRAM_BUDDY_RANGE_ALLOCATION;
	bool top = req->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	struct run_fit fit = {
		.len = req->placed, .align = req->align,
		.lo = req->lo, .hi = req->hi, .top = top || !range,
	};
	bool found = false;
	u64 pos = 0;

	if (req->flags & VVRAM_BUDDY_CLEAR_ALLOCATION)
		found = run_find(mm->clear_runs, &fit);
	if (found) {
		pos = fit.pos;
	} else if (!range && !top && is_power_of_2(req->placed) &&
		   ilog2(req->placed) - mm->chunk_shift <= mm->max_order) {
		/* Best fit: the smallest free block that holds it whole. */
		found = find_piece(mm, ilog2(req->placed) - mm->chunk_shift,
				   0, &pos);
	}
	if (!found) {
		found = run_find(mm->free_runs, &fit);
		pos = fit.pos;
	}
	if (!found)
		return -ENOSPC;
	if (reserve_for(mm, BLOCKS_PER_CARVE))
		return -ENOMEM;
	carve(mm, pos, pos + req->keep, got);
	return 0;
}

static int alloc_exact(struct vvram_buddy *mm, u64 start, u64 end,
		       struct list_head *got)
{
	if (!run_covers(mm->free_runs, start, end))
		return -ENOSPC;
	if (reserve_for(mm, BLOCKS_PER_CARVE))
		return -ENOMEM;
	carve(mm, start, end, got);
	return 0;
}

/* ---- the API ---------------------------------------------------------- */

int vvram_buddy_init(struct vvram_buddy *mm, u64 size, u64 chunk_size)
{
	if (chunk_size < SZ_4K || !is_power_of_2(chunk_size))
		return -EINVAL;
	size = round_down(size, chunk_size);
	if (!size)
		return -EINVAL;

	memset(mm, 0, sizeof(*mm));
	mm->size = size;
	mm->chunk_size = chunk_size;
	mm->chunk_shift = ilog2(chunk_size);
	mm->max_order = ilog2(size) - mm->chunk_shift;
	if (reserve_for(mm, BLOCKS_PER_CARVE)) {
		vvram_buddy_fini(mm);
		return -ENOMEM;
	}
	release_range(mm, 0, size, false, NULL);
	return 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_init);

static void blk_destroy(struct vvram_buddy_block *t)
{
	if (!t)
		return;
	blk_destroy(t->free.left);
	blk_destroy(t->free.right);
	kmem_cache_free(vvram_block_cache, t);
}

void vvram_buddy_fini(struct vvram_buddy *mm)
{
	/* Blocks still allocated stay with the caller; this is its bug. */
	WARN_ON_ONCE(mm->nr_allocated);

	blk_destroy(mm->free_root);
	mm->free_root = NULL;
	if (mm->free_runs)
		run_bury(mm, mm->free_runs);
	if (mm->clear_runs)
		run_bury(mm, mm->clear_runs);
	mm->free_runs = NULL;
	mm->clear_runs = NULL;
	run_reap(mm, ULONG_MAX);
	while (mm->nr_block_reserve)
		kmem_cache_free(vvram_block_cache, block_get(mm));
	while (mm->nr_run_reserve)
		kmem_cache_free(vvram_run_cache, run_get(mm));
	mm->avail = 0;
	mm->clear_avail = 0;
	mm->nr_blocks = mm->nr_allocated;
	mm->nr_runs = 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_fini);

static int check_request(const struct vvram_buddy *mm, u64 start, u64 end,
			 u64 size, u64 min_block_size, unsigned long flags,
			 struct alloc_req *req)
{
	if (!size || !IS_ALIGNED(size, mm->chunk_size) ||
	    !IS_ALIGNED(start | end, mm->chunk_size))
		return -EINVAL;
	if (min_block_size < mm->chunk_size || !is_power_of_2(min_block_size))
		return -EINVAL;
	if (flags & ~(VVRAM_BUDDY_RANGE_ALLOCATION |
		      VVRAM_BUDDY_TOPDOWN_ALLOCATION |
		      VVRAM_BUDDY_CONTIGUOUS_ALLOCATION |
		      VVRAM_BUDDY_CLEAR_ALLOCATION | VVRAM_BUDDY_TRIM_DISABLE))
		return -EINVAL;
	if (start > end || end > mm->size)
		return -EINVAL;
	if ((flags & VVRAM_BUDDY_RANGE_ALLOCATION) && start == end)
		return -EINVAL;

	req->lo = 0;
	req->hi = mm->size;
	if (flags & VVRAM_BUDDY_RANGE_ALLOCATION) {
		req->lo = start;
		req->hi = end;
	}
	if (size > req->hi - req->lo)
		return -EINVAL;
	req->align = min_block_size;
	req->flags = flags;
	req->keep = size;
	/* An exact range ignores min_block_size, as in the kernel. */
	req->exact = end && end - start == size;
	if (req->exact)
		return 0;
	if (size > U64_MAX - (min_block_size - 1))
		return -ENOSPC;
	req->placed = round_up(size, min_block_size);
	if (flags & VVRAM_BUDDY_TRIM_DISABLE)
		req->keep = req->placed;
	return req->placed > req->hi - req->lo ? -ENOSPC : 0;
}

int vvram_buddy_alloc_blocks(struct vvram_buddy *mm, u64 start, u64 end,
			     u64 size, u64 min_block_size,
			     struct list_head *blocks, unsigned long flags)
{
	struct alloc_req req;
	LIST_HEAD(got);
	int err;

	err = check_request(mm, start, end, size, min_block_size, flags, &req);
	if (err)
		return err;
	run_reap(mm, REAP_BUDGET);

	if (req.exact)
		err = alloc_exact(mm, start, end, &got);
	else if (flags & VVRAM_BUDDY_CONTIGUOUS_ALLOCATION)
		err = alloc_contiguous(mm, &req, &got);
	else if (flags & VVRAM_BUDDY_RANGE_ALLOCATION)
		err = alloc_range(mm, &req, &got);
	else
		err = alloc_pieces(mm, &req, &got);

	if (err)
		rollback(mm, &got);
	else
		list_splice_tail_init(&got, blocks);
	reserve_shrink(mm);
	return err;
}
EXPORT_SYMBOL_GPL(vvram_buddy_alloc_blocks);

void vvram_buddy_free_block(struct vvram_buddy *mm,
			    struct vvram_buddy_block *block)
{
	free_one(mm, block, false);
	run_reap(mm, REAP_BUDGET);
	reserve_shrink(mm);
}
EXPORT_SYMBOL_GPL(vvram_buddy_free_block);

void vvram_buddy_free_list(struct vvram_buddy *mm, struct list_head *blocks,
			   unsigned int flags)
{
	struct vvram_buddy_block *b, *next;

	list_for_each_entry_safe(b, next, blocks, link) {
		list_del(&b->link);
		free_one(mm, b, flags & VVRAM_BUDDY_CLEARED);
	}
	INIT_LIST_HEAD(blocks);
	run_reap(mm, REAP_BUDGET);
	reserve_shrink(mm);
}
EXPORT_SYMBOL_GPL(vvram_buddy_free_list);

int vvram_buddy_block_trim(struct vvram_buddy *mm, u64 *start, u64 new_size,
			   struct list_head *blocks)
{
	struct vvram_buddy_block *b, *next;
	u64 lo, hi, keep_lo, keep_hi, b_lo, b_hi, x, y;
	LIST_HEAD(kept);

	if (list_empty(blocks))
		return -EINVAL;
	lo = blk_start(list_first_entry(blocks, struct vvram_buddy_block,
					link));
	hi = lo;
	list_for_each_entry(b, blocks, link) {
		if ((b->header & VVRAM_BUDDY_HDR_FREE) || blk_start(b) != hi)
			return -EINVAL;
		hi = blk_end(mm, b);
	}
	if (!new_size || !IS_ALIGNED(new_size, mm->chunk_size) ||
	    new_size > hi - lo)
		return -EINVAL;
	keep_lo = start ? *start : lo;
	if (keep_lo < lo || !IS_ALIGNED(keep_lo, mm->chunk_size) ||
	    new_size > hi - keep_lo)
		return -EINVAL;
	keep_hi = keep_lo + new_size;
	if (keep_lo == lo && keep_hi == hi)
		return 0;
	if (reserve_for(mm, BLOCKS_PER_TRIM))
		return -ENOMEM;

	/* What is released may have been written: it returns dirty. */
	list_for_each_entry_safe(b, next, blocks, link) {
		b_lo = blk_start(b);
		b_hi = blk_end(mm, b);
		x = max(b_lo, keep_lo);
		y = min(b_hi, keep_hi);
		list_del(&b->link);
		if (x >= y) {
			mm->nr_allocated--;
			release_range(mm, b_lo, b_hi, false, b);
		} else if (x == b_lo && y == b_hi) {
			list_add_tail(&b->link, &kept);
		} else {
			hand_out(mm, x, y, vvram_buddy_block_is_clear(b),
				 &kept);
			mm->nr_allocated--;
			block_put(mm, b);
			if (b_lo < x)
				release_range(mm, b_lo, x, false, NULL);
			if (y < b_hi)
				release_range(mm, y, b_hi, false, NULL);
		}
	}
	list_splice_tail_init(&kept, blocks);
	reserve_shrink(mm);
	return 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_block_trim);

/* Builds the clear runs as a copy of the free runs, appending in order. */
static void copy_runs(struct vvram_buddy *mm, const struct vvram_buddy_run *t)
{
	struct vvram_buddy_run *r;

	if (!t)
		return;
	copy_runs(mm, t->left);
	r = kmem_cache_alloc(vvram_run_cache, GFP_KERNEL);
	if (!r)
		return;	/* what is not copied stays dirty: safe */
	mm->nr_runs++;
	mm->clear_runs = run_join(mm->clear_runs,
				  run_single(r, t->start, run_end(t)));
	mm->clear_avail += t->len;
	copy_runs(mm, t->right);
}

void vvram_buddy_reset_clear(struct vvram_buddy *mm, bool is_clear)
{
	if (mm->clear_runs)
		run_bury(mm, mm->clear_runs);
	mm->clear_runs = NULL;
	mm->clear_avail = 0;
	if (is_clear)
		copy_runs(mm, mm->free_runs);
	run_reap(mm, REAP_BUDGET);
}
EXPORT_SYMBOL_GPL(vvram_buddy_reset_clear);

u64 vvram_buddy_largest_free(const struct vvram_buddy *mm)
{
	return mm->free_runs ? mm->free_runs->max_len : 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_largest_free);

void vvram_buddy_get_stats(const struct vvram_buddy *mm,
			   struct vvram_buddy_stats *stats)
{
	unsigned int order;

	memset(stats, 0, sizeof(*stats));
	stats->size = mm->size;
	stats->chunk_size = mm->chunk_size;
	stats->avail = mm->avail;
	stats->clear_avail = mm->clear_avail;
	stats->dirty_avail = mm->avail - mm->clear_avail;
	stats->largest_free = vvram_buddy_largest_free(mm);
	stats->max_order = mm->max_order;
	stats->nr_allocated_blocks = mm->nr_allocated;
	stats->nr_free_runs = mm->free_runs ? mm->free_runs->count : 0;
	stats->nr_clear_runs = mm->clear_runs ? mm->clear_runs->count : 0;
	stats->metadata_bytes =
		mm->nr_blocks * sizeof(struct vvram_buddy_block) +
		mm->nr_runs * sizeof(struct vvram_buddy_run);
	for (order = 0; order < VVRAM_BUDDY_MAX_ORDERS; order++) {
		stats->free_per_order[order] = mm->free_per_order[order];
		stats->nr_free_blocks += mm->free_per_order[order];
	}
}
EXPORT_SYMBOL_GPL(vvram_buddy_get_stats);

void vvram_buddy_dump(const struct vvram_buddy *mm,
		      void (*emit)(void *arg, const char *line), void *arg)
{
	struct vvram_buddy_stats st;
	unsigned int order;
	char line[160];

	vvram_buddy_get_stats(mm, &st);
	snprintf(line, sizeof(line), "size: %llu chunk_size: %llu max_order: %u",
		 st.size, st.chunk_size, st.max_order);
	emit(arg, line);
	snprintf(line, sizeof(line), "free: %llu clear: %llu dirty: %llu",
		 st.avail, st.clear_avail, st.dirty_avail);
	emit(arg, line);
	snprintf(line, sizeof(line),
		 "largest_free: %llu free_runs: %llu clear_runs: %llu",
		 st.largest_free, st.nr_free_runs, st.nr_clear_runs);
	emit(arg, line);
	snprintf(line, sizeof(line),
		 "allocated_blocks: %llu free_blocks: %llu metadata_bytes: %llu",
		 st.nr_allocated_blocks, st.nr_free_blocks, st.metadata_bytes);
	emit(arg, line);
	for (order = 0; order <= st.max_order; order++) {
		if (!st.free_per_order[order])
			continue;
		snprintf(line, sizeof(line),
			 "order-%u (%llu bytes): %llu free blocks", order,
			 st.chunk_size << order, st.free_per_order[order]);
		emit(arg, line);
	}
}
EXPORT_SYMBOL_GPL(vvram_buddy_dump);

/* ---- self-check --------------------------------------------------------- */

/**
 * struct check_ctx - state of one vvram_buddy_check() walk
 * @mm: the instance.
 * @what: the first broken invariant, or NULL.
 * @prev_end: end of the previous node in address order.
 * @started: a node was seen.
 * @sum: bytes of the nodes seen.
 * @count: nodes seen.
 * @per_order: free blocks seen per order.
 */
struct check_ctx {
	const struct vvram_buddy *mm;
	const char *what;
	u64 prev_end;
	bool started;
	u64 sum;
	u64 count;
	u64 per_order[VVRAM_BUDDY_MAX_ORDERS];
};

static bool check(struct check_ctx *c, bool ok, const char *what)
{
	if (!ok && !c->what)
		c->what = what;
	return ok;
}

/* Starts a new walk in address order. */
static void check_restart(struct check_ctx *c)
{
	c->prev_end = 0;
	c->started = false;
	c->sum = 0;
	c->count = 0;
}

static void check_blocks(struct check_ctx *c, const struct vvram_buddy_block *t)
{
	const struct vvram_buddy *mm = c->mm;
	const struct vvram_buddy_block *buddy;
	unsigned int order;
	u64 start, size, orders;

	if (!t || c->what)
		return;
	check(c, !t->free.left ||
	      node_priority(t->free.left) <= node_priority(t), "block heap");
	check(c, !t->free.right ||
	      node_priority(t->free.right) <= node_priority(t), "block heap");
	check_blocks(c, t->free.left);

	order = vvram_buddy_block_order(t);
	start = blk_start(t);
	size = order_bytes(mm, order);
	orders = BIT_ULL(order) | (t->free.left ? t->free.left->free.orders : 0) |
		 (t->free.right ? t->free.right->free.orders : 0);
	check(c, t->header & VVRAM_BUDDY_HDR_FREE, "free block not marked free");
	check(c, !(t->header & VVRAM_BUDDY_HDR_CLEAR), "free block marked clear");
	check(c, order <= mm->max_order && IS_ALIGNED(start, size),
	      "free block misaligned");
	check(c, start < mm->size && size <= mm->size - start,
	      "free block out of bounds");
	check(c, !c->started || start >= c->prev_end,
	      "free blocks overlap or out of order");
	check(c, t->free.orders == orders, "block order mask");
	buddy = blk_find(mm->free_root, start ^ size);
	check(c, order >= mm->max_order || !buddy ||
	      vvram_buddy_block_order(buddy) != order, "free buddies unmerged");
	c->started = true;
	c->prev_end = start + size;
	c->sum += size;
	c->per_order[order]++;

	check_blocks(c, t->free.right);
}

static void check_runs(struct check_ctx *c, const struct vvram_buddy_run *t,
		       bool clear)
{
	const struct vvram_buddy *mm = c->mm;
	const struct vvram_buddy_block *b;
	struct vvram_buddy_run copy;
	u64 pos;

	if (!t || c->what)
		return;
	check(c, !t->left || node_priority(t->left) <= node_priority(t),
	      "run heap");
	check(c, !t->right || node_priority(t->right) <= node_priority(t),
	      "run heap");
	check_runs(c, t->left, clear);

	copy = *t;
	run_update(&copy);
	check(c, copy.max_len == t->max_len && copy.sum == t->sum &&
	      copy.count == t->count, "run augmentation");
	check(c, t->len && t->start < mm->size &&
	      t->len <= mm->size - t->start, "run empty or out of bounds");
	check(c, !c->started || t->start > c->prev_end,
	      "runs overlap, touch or are out of order");
	if (clear) {
		check(c, run_covers(mm->free_runs, t->start, run_end(t)),
		      "clear run outside free memory");
	} else {
		/* Free blocks cover the run exactly, and nothing next to it. */
		check(c, !t->start || !blk_find_containing(mm, t->start - 1),
		      "free run not maximal");
		check(c, !blk_find_containing(mm, run_end(t)),
		      "free run not maximal");
		for (pos = t->start; pos < run_end(t) && !c->what;
		     pos = blk_end(mm, b)) {
			b = blk_find_containing(mm, pos);
			check(c, b && blk_start(b) == pos,
			      "free run not covered by free blocks");
			if (!b)
				break;
		}
	}
	c->started = true;
	c->prev_end = run_end(t);
	c->sum += t->len;
	c->count++;

	check_runs(c, t->right, clear);
}

int vvram_buddy_check(const struct vvram_buddy *mm)
{
	const struct vvram_buddy_block *b;
	const struct vvram_buddy_run *r;
	struct check_ctx *c;
	unsigned int order;
	u64 n;
	int err = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->mm = mm;

	check_blocks(c, mm->free_root);
	check(c, c->sum == mm->avail, "free blocks do not sum to avail");
	for (order = 0; order < VVRAM_BUDDY_MAX_ORDERS; order++)
		check(c, c->per_order[order] == mm->free_per_order[order],
		      "free block count per order");
	n = 0;
	for (order = 0; order < VVRAM_BUDDY_MAX_ORDERS; order++)
		n += c->per_order[order];

	check_restart(c);
	check_runs(c, mm->free_runs, false);
	check(c, c->sum == mm->avail, "free runs do not sum to avail");

	check_restart(c);
	check_runs(c, mm->clear_runs, true);
	check(c, c->sum == mm->clear_avail,
	      "clear runs do not sum to clear_avail");
	check(c, mm->clear_avail <= mm->avail && mm->avail <= mm->size,
	      "avail out of range");

	for (b = mm->block_reserve; b; b = b->free.left)
		n++;
	check(c, n + mm->nr_allocated == mm->nr_blocks, "block accounting");
	n = 0;
	for (r = mm->run_reserve; r; r = r->left)
		n++;
	check(c, n == mm->nr_run_reserve, "run reserve accounting");

	if (c->what) {
		pr_err("vvram_buddy: check failed: %s\n", c->what);
		err = -EUCLEAN;
	}
	kfree(c);
	return err;
}
EXPORT_SYMBOL_GPL(vvram_buddy_check);

static int __init vvram_buddy_module_init(void)
{
	vvram_block_cache = kmem_cache_create("vvram_buddy_block",
					      sizeof(struct vvram_buddy_block),
					      0, 0, NULL);
	vvram_run_cache = kmem_cache_create("vvram_buddy_run",
					    sizeof(struct vvram_buddy_run),
					    0, 0, NULL);
	if (!vvram_block_cache || !vvram_run_cache) {
		kmem_cache_destroy(vvram_block_cache);
		kmem_cache_destroy(vvram_run_cache);
		return -ENOMEM;
	}
	return 0;
}

static void __exit vvram_buddy_module_exit(void)
{
	kmem_cache_destroy(vvram_run_cache);
	kmem_cache_destroy(vvram_block_cache);
}

module_init(vvram_buddy_module_init);
module_exit(vvram_buddy_module_exit);

MODULE_DESCRIPTION("vvram buddy allocator for GPU memory");
MODULE_LICENSE("GPL");
