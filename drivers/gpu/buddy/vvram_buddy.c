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
 * as the kernel's gpu_buddy allocator but keeps its books in bitsets
 * instead of a tree of nodes, so that the common operations are a handful
 * of word operations and no operation walks the free space.
 *
 * Model. The space is the concatenation of "roots", the power-of-two terms
 * of @size / @chunk_size in decreasing order, so each root is aligned to
 * its own size, and a block aligned to its size that lies inside
 * [0, @size) never straddles two roots. Block i of order k is chunks
 * [i << k, (i + 1) << k); its buddy is block i ^ 1, its parent i >> 1.
 * Only allocated blocks have a node (24 bytes, handed to the caller).
 *
 * Free memory is kept as the kernel's allocator keeps it, in two kinds:
 * zeroed ("clear") and not known to be zeroed ("dirty"), each the
 * canonical split of its chunks into maximal aligned blocks. Unlike the
 * kernel's, free buddies of different kinds still merge (no merge barrier,
 * no force-merge pass): such a merged free block is "mixed". The books,
 * all in chunk units:
 *
 * - clear_chunks: one bit per chunk, set iff the chunk is free and known
 *   to hold zeroes. A block handed out reports clear only when all of its
 *   chunks are in it.
 * - clear_blocks and dirty_blocks, a bitset per order each: bit i of
 *   order k is set iff block i of order k is a maximal aligned block of
 *   zeroed (dirty) free chunks. A mask of the non-empty orders gives the
 *   smallest fitting order of a kind in O(1), the highest set bit the
 *   topmost block of an order, and the buddy of a block is one bit test
 *   away.
 * - mixed_blocks, a bitset per order from 1: the free blocks that hold
 *   both kinds.
 *
 * The free blocks are the mixed blocks and the blocks of one kind that
 * lie in none; they are the canonical split of each free run, at most two
 * blocks per order, so contiguous and range requests measure runs block
 * by block, starting from blocks large enough to anchor an aligned window.
 * Where nothing is zeroed, the dirty blocks are the free blocks and the
 * books are no larger a job than a single set of free blocks would be.
 * free_adjust[k] counts the free blocks of order k that the dirty and
 * clear counts miss: the mixed blocks, less the blocks of one kind inside
 * them.
 *
 * Every bitset carries summary levels: bit i of a level is set iff word i
 * of the level below has a set bit (and, for clear_chunks, a second
 * hierarchy for clear bits). The next or previous set (or clear) bit from
 * any position is found in O(log64 n) word reads, and a run of clear
 * chunks is measured with two such searches.
 *
 * Invariants (vvram_buddy_check() verifies all of them):
 *
 * 1. The clear blocks are disjoint and all zeroed, no clear block has its
 *    buddy a clear block, and their size is that of clear_chunks,
 *    @clear_avail: they are its canonical split. The dirty blocks are
 *    disjoint and hold no zeroed chunk, no dirty block has its buddy a
 *    dirty block, and clear and dirty blocks together make @avail: the
 *    dirty blocks are the canonical split of the other free chunks.
 * 2. A mixed block is all free and holds both kinds; no mixed block lies
 *    inside another.
 * 3. No free block has a free buddy: free buddies are always merged, so
 *    the free blocks of each run are its canonical split (greedy largest
 *    aligned pieces); a block of one kind whose buddy is all free lies in
 *    a mixed block. free_adjust[] counts as said above.
 * 4. Each set's count[] counts its blocks per order and its orders mask
 *    is non-zero exactly at the non-empty orders.
 * 5. Every summary bit matches the word below it.
 *
 * Allocated memory is in none of the sets; the caller's blocks are all
 * that describes it.
 *
 * Placement. Requests are placed with round_up(size, min_block_size) at a
 * min_block_size-aligned offset; unless TRIM_DISABLE, only size bytes are
 * handed out and the tail stays free. Plain requests take a piece of each
 * order as the kernel's allocator picks from its clear and dirty trees:
 * the top end of the smallest fitting block of the kind asked for (zeroed
 * with CLEAR_ALLOCATION, dirty otherwise) if one of that order or more
 * exists, else of the other kind, else of the mixed blocks. So plain
 * requests leave zeroed memory to CLEAR_ALLOCATION, which the kernel does
 * too, and the pieces are of the orders they would be without kinds (only
 * where no block of either kind fits does a piece take a mixed block,
 * where the kernel would split the request or merge by force).
 *
 * Top-down requests take the top end of the highest fitting free block,
 * whatever its kind, with CLEAR_ALLOCATION or without: height beats kind.
 * This is where the kernel differs: its get_maxblock() takes the highest
 * block of the tree asked for (dirty for plain requests, clear with
 * CLEAR_ALLOCATION) and falls back to the other tree only when that one
 * has none. There, VRAM starts dirty and drivers free it dirty, so a
 * plain top-down request mostly gets the top anyway; vvram frees zeroed
 * memory (VVRAM_BUDDY_CLEARED), and the kernel's rule would put BOs
 * without CPU access at the highest dirty block, wherever that is, and
 * not at the top of VRAM where the driver wants them.
 *
 * A power-of-two contiguous request that is neither ranged nor
 * top-down takes, the same way, the smallest fitting block, dirty first,
 * unless CLEAR_ALLOCATION found a zeroed window. Range requests walk the
 * free runs of the window from the bottom (from the top with TOPDOWN),
 * and other contiguous requests search the free runs for an aligned
 * window, so they succeed whenever one exists; with CLEAR_ALLOCATION
 * both look at the runs of clear_chunks first. An exact range
 * (start + size == end) must start and end on the min_block_size grid,
 * or the request is -EINVAL, as the kernel's gpu_buddy_alloc_blocks()
 * checks.
 *
 * So in every mode each block is of min_block_size or more, and so
 * aligned to it, but in the trimmed tail: the one min_block_size unit
 * that a size off the min_block_size grid covers in part, from its start.
 *
 * Failure. Arguments are checked first (-EINVAL). A request that cannot be
 * placed is refused before anything changes (-ENOSPC): plain and top-down
 * requests compare the free bytes of usable orders, range requests count
 * their window once before carving. Nodes for the blocks of a piece are
 * taken from a per-instance reserve before the books change; an -ENOMEM
 * between two pieces gives the earlier ones back, and may only forget
 * that some of that memory was zeroed (never the reverse). Frees need no
 * memory and cannot fail.
 *
 * Metadata. The bitsets take about 6 bits per chunk (two each for the
 * clear and the dirty blocks, one for the mixed ones, one for
 * clear_chunks, 1/63 more for the summaries): 794 KiB for 4 GiB in 4 KiB
 * chunks, allocated once by init. Nodes exist only for allocated blocks,
 * 24 bytes each, carved from slabs of 1024 that the instance owns (see
 * block_reserve()).
 *
 * Complexity, with n the number of chunks and L = log64(n) <= 6 the depth
 * of a bitset:
 *
 * - smallest fitting order of a kind: O(1);
 * - plain allocation: O(L + orders) per piece handed out, plus one word
 *   per 64 chunks handed out of zeroed or mixed memory for clear_chunks;
 * - top-down allocation: O(L) per non-empty order above the request in
 *   each of the three sets;
 * - free: O(orders) bit tests for the merges, plus one word per 64 chunks
 *   when the memory comes back zeroed;
 * - contiguous and range searches: O(L * orders + orders^2) per free run
 *   visited (a run is at most 2 * orders free blocks, each found in
 *   O(orders)); only runs holding a block of at least half the request's
 *   size are visited, so that cost once when the first one fits, plus
 *   that per run that is long enough but whose aligned part is too short;
 * - cutting a range out of a mixed block: O(L * orders);
 * - trim: like a free of the released parts;
 * - reset_clear: O(n / 64 + free blocks);
 * - largest free range: as a search, for the runs holding a block of the
 *   two largest orders in use; statistics: O(n / 64) for the clear runs,
 *   O(orders) per block for the free runs.
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

/* "No such bit" from the backward searches. */
#define NO_BIT			U64_MAX

/* ---- bitsets with summaries ------------------------------------------- */

static u64 bs_pad_mask(const struct vvram_buddy_bitset *s, u64 word)
{
	unsigned int used = s->nbits & 63;

	/* Bits past @nbits in the last word, which never count as clear. */
	return word == s->nwords[0] - 1 && used ? ~0ULL << used : 0;
}

/*
 * Word @w of level @l of the "set" hierarchy, or of the "clear" one when
 * @zero, so that both searches below share one walk.
 */
static u64 bs_word(const struct vvram_buddy_bitset *s, unsigned int l,
		   u64 w, bool zero)
{
	if (!zero)
		return s->ones[l][w];
	if (l)
		return s->zeros[l][w];
	return ~(s->ones[0][w] | bs_pad_mask(s, w));
}

static bool bs_has_zero(const struct vvram_buddy_bitset *s, u64 w)
{
	return (s->ones[0][w] | bs_pad_mask(s, w)) != ~0ULL;
}

static int bs_init(struct vvram_buddy_bitset *s, u64 nbits, bool zeros,
		   u64 *bytes)
{
	unsigned int l;
	u64 w;

	memset(s, 0, sizeof(*s));
	s->nbits = nbits;
	s->nwords[0] = DIV_ROUND_UP(nbits, 64);
	while (s->nwords[s->depth] > 1) {
		s->depth++;
		s->nwords[s->depth] = DIV_ROUND_UP(s->nwords[s->depth - 1], 64);
	}
	for (l = 0; l <= s->depth; l++) {
		s->ones[l] = kvcalloc(s->nwords[l], sizeof(u64), GFP_KERNEL);
		if (!s->ones[l])
			return -ENOMEM;
		*bytes += s->nwords[l] * sizeof(u64);
		if (!zeros || !l)
			continue;
		s->zeros[l] = kvcalloc(s->nwords[l], sizeof(u64), GFP_KERNEL);
		if (!s->zeros[l])
			return -ENOMEM;
		*bytes += s->nwords[l] * sizeof(u64);
	}
	/* All bits start clear: every word below has a clear bit. */
	if (zeros && s->depth)
		for (w = 0; w < s->nwords[0]; w++)
			s->zeros[1][w / 64] |= BIT_ULL(w % 64);
	for (l = 2; zeros && l <= s->depth; l++)
		for (w = 0; w < s->nwords[l - 1]; w++)
			s->zeros[l][w / 64] |= BIT_ULL(w % 64);
	return 0;
}

static void bs_destroy(struct vvram_buddy_bitset *s)
{
	unsigned int l;

	for (l = 0; l < VVRAM_BUDDY_BITSET_LEVELS; l++) {
		kvfree(s->ones[l]);
		kvfree(s->zeros[l]);
	}
	memset(s, 0, sizeof(*s));
}

static bool bs_test(const struct vvram_buddy_bitset *s, u64 i)
{
	return s->ones[0][i / 64] & BIT_ULL(i % 64);
}

/* Sets bit @i of level @l of @lv and the summaries above it. */
static void lv_mark(u64 **lv, unsigned int l, unsigned int depth, u64 i)
{
	u64 old;

	for (; l <= depth; l++, i /= 64) {
		old = lv[l][i / 64];
		lv[l][i / 64] = old | BIT_ULL(i % 64);
		if (old)
			break;
	}
}

/* Clears bit @i of level @l of @lv and the summaries it empties. */
static void lv_unmark(u64 **lv, unsigned int l, unsigned int depth, u64 i)
{
	for (; l <= depth; l++, i /= 64) {
		lv[l][i / 64] &= ~BIT_ULL(i % 64);
		if (lv[l][i / 64])
			break;
	}
}

static void bs_set(struct vvram_buddy_bitset *s, u64 i)
{
	lv_mark(s->ones, 0, s->depth, i);
	if (s->zeros[1] && !bs_has_zero(s, i / 64))
		lv_unmark(s->zeros, 1, s->depth, i / 64);
}

static void bs_clear(struct vvram_buddy_bitset *s, u64 i)
{
	bool was_full = s->zeros[1] && !bs_has_zero(s, i / 64);

	lv_unmark(s->ones, 0, s->depth, i);
	if (was_full)
		lv_mark(s->zeros, 1, s->depth, i / 64);
}

/* The low @n bits, 1 <= @n <= 64. */
#define BITS_BELOW(n)	(~0ULL >> (64 - (n)))

/*
 * Sets or clears the bits of @mask in word @w and returns how many
 * changed; the summaries change only when the word turns empty, non-empty,
 * full or not full.
 */
static u64 bs_assign_word(struct vvram_buddy_bitset *s, u64 w, u64 mask,
			  bool set, bool count)
{
	u64 old = s->ones[0][w], now = set ? old | mask : old & ~mask;
	bool had_zero, has_zero;

	if (now == old)
		return 0;
	s->ones[0][w] = now;
	if (!old != !now) {
		if (now)
			lv_mark(s->ones, 1, s->depth, w);
		else
			lv_unmark(s->ones, 1, s->depth, w);
	}
	if (s->zeros[1]) {
		had_zero = (old | bs_pad_mask(s, w)) != ~0ULL;
		has_zero = bs_has_zero(s, w);
		if (had_zero && !has_zero)
			lv_unmark(s->zeros, 1, s->depth, w);
		else if (!had_zero && has_zero)
			lv_mark(s->zeros, 1, s->depth, w);
	}
	return count ? hweight64(old ^ now) : 1;
}

/*
 * Recomputes the summary bits of words [@w0, @w1] of the bits, upwards,
 * one summary word at a time: the bits of up to 64 words below are
 * gathered in a register and stored with one write.
 */
static void bs_refresh(struct vvram_buddy_bitset *s, u64 w0, u64 w1)
{
	u64 w, sw, first, last, mask, ones, zeros;
	bool has_zeros = s->zeros[1];
	unsigned int l;

	for (l = 1; l <= s->depth; l++) {
		for (sw = w0 / 64; sw <= w1 / 64; sw++) {
			first = max(w0, sw * 64);
			last = min(w1, sw * 64 + 63);
			mask = BITS_BELOW(last - first + 1) << (first % 64);
			ones = 0;
			zeros = 0;
			for (w = first; w <= last; w++) {
				if (s->ones[l - 1][w])
					ones |= BIT_ULL(w % 64);
				if (has_zeros &&
				    (l == 1 ? bs_has_zero(s, w) :
					      !!s->zeros[l - 1][w]))
					zeros |= BIT_ULL(w % 64);
			}
			s->ones[l][sw] = (s->ones[l][sw] & ~mask) | ones;
			if (has_zeros)
				s->zeros[l][sw] = (s->zeros[l][sw] & ~mask) |
						  zeros;
		}
		w0 /= 64;
		w1 /= 64;
	}
}

/*
 * Sets (@set) or clears bits [@lo, @hi): one word operation per 64 bits,
 * then the summaries of those words. Returns how many bits changed with
 * @count, else only whether any did (a popcount is not free everywhere).
 */
static u64 bs_assign_range(struct vvram_buddy_bitset *s, u64 lo, u64 hi,
			   bool set, bool count)
{
	u64 w0 = lo / 64, w1 = (hi - 1) / 64, w, mask, old, changed = 0;

	if (lo >= hi)
		return 0;
	if (w0 == w1)
		return bs_assign_word(s, w0, BITS_BELOW(hi - lo) << (lo % 64),
				      set, count);
	for (w = w0; w <= w1; w++) {
		mask = ~0ULL;
		if (w == w0)
			mask &= ~0ULL << (lo % 64);
		if (w == w1 && hi % 64)
			mask &= ~0ULL >> (64 - hi % 64);
		old = s->ones[0][w];
		s->ones[0][w] = set ? old | mask : old & ~mask;
		if (old != s->ones[0][w])
			changed += count ? hweight64(old ^ s->ones[0][w]) : 1;
	}
	bs_refresh(s, w0, w1);
	return changed;
}

/*
 * The lowest bit at or above @from that is set (clear when @zero), or
 * @nbits when there is none: up the summaries until a word has one, then
 * down along the lowest set bits.
 */
static u64 bs_next(const struct vvram_buddy_bitset *s, u64 from, bool zero)
{
	unsigned int l = 0;
	u64 i = from, word;

	if (from >= s->nbits)
		return s->nbits;
	for (;;) {
		if (i / 64 >= s->nwords[l])
			return s->nbits;
		word = bs_word(s, l, i / 64, zero) & (~0ULL << (i % 64));
		if (word) {
			i = (i & ~63ULL) | __ffs64(word);
			break;
		}
		if (l == s->depth)
			return s->nbits;
		i = i / 64 + 1;
		l++;
	}
	while (l--)
		i = i * 64 + __ffs64(bs_word(s, l, i, zero));
	return min(i, s->nbits);
}

/* The highest bit at or below @from that is set (clear when @zero). */
static u64 bs_prev(const struct vvram_buddy_bitset *s, u64 from, bool zero)
{
	unsigned int l = 0;
	u64 i, word;

	if (!s->nbits)
		return NO_BIT;
	i = min(from, s->nbits - 1);
	for (;;) {
		word = bs_word(s, l, i / 64, zero) & (~0ULL >> (63 - i % 64));
		if (word) {
			i = (i & ~63ULL) | (fls64(word) - 1);
			break;
		}
		if (l == s->depth || i < 64)
			return NO_BIT;
		i = i / 64 - 1;
		l++;
	}
	while (l--)
		i = i * 64 + fls64(bs_word(s, l, i, zero)) - 1;
	return i;
}

/* The highest set bit, from the top level down; NO_BIT if none. */
static u64 bs_last(const struct vvram_buddy_bitset *s)
{
	unsigned int l = s->depth;
	u64 i = 0;

	if (!s->ones[l][0])
		return NO_BIT;
	for (;;) {
		i = i * 64 + fls64(s->ones[l][i]) - 1;
		if (!l--)
			return i;
	}
}

/* Whether bits [@lo, @hi) are all set. */
static bool bs_all_set(const struct vvram_buddy_bitset *s, u64 lo, u64 hi)
{
	u64 mask;

	if (lo >= hi)
		return true;
	if (lo / 64 == (hi - 1) / 64) {
		mask = BITS_BELOW(hi - lo) << (lo % 64);
		return (s->ones[0][lo / 64] & mask) == mask;
	}
	return bs_next(s, lo, true) >= hi;
}

static u64 bs_count(const struct vvram_buddy_bitset *s)
{
	u64 w, n = 0;

	for (w = 0; w < s->nwords[0]; w++)
		n += hweight64(s->ones[0][w]);
	return n;
}

/* Maximal runs of set bits: a set bit whose lower neighbour is clear. */
static u64 bs_count_runs(const struct vvram_buddy_bitset *s)
{
	u64 w, word, carry = 0, n = 0;

	for (w = 0; w < s->nwords[0]; w++) {
		word = s->ones[0][w];
		n += hweight64(word & ~((word << 1) | carry));
		carry = word >> 63;
	}
	return n;
}

/* ---- geometry ------------------------------------------------------------ */

/* The largest block that starts at chunk @x and ends at or before @y. */
static unsigned int piece_order(u64 x, u64 y)
{
	unsigned int order = ilog2(y - x);

	if (x)
		order = min_t(unsigned int, order, __ffs64(x));
	return order;
}

/* Blocks in the canonical split of [@x, @y). */
static unsigned int piece_count(u64 x, u64 y)
{
	unsigned int n = 0;

	for (; x < y; n++)
		x += 1ULL << piece_order(x, y);
	return n;
}

static u64 blk_chunk(const struct vvram_buddy *mm,
		     const struct vvram_buddy_block *b)
{
	return vvram_buddy_block_offset(b) >> mm->chunk_shift;
}

/* ---- node slabs ---------------------------------------------------------- */

/*
 * Nodes come from slabs the instance owns, so that handing out and taking
 * back a block is a pointer swap rather than a slab allocator call. The
 * first node of a slab chains the slabs; spare nodes chain through
 * @link.next, which nothing else reads while a node is spare. The pool
 * grows to the peak number of allocated blocks and is given back, all but
 * one slab, whenever no block is allocated. The fault-injection tests
 * build with two nodes per slab, so that every node is an allocation.
 */
#ifndef VVRAM_BUDDY_SLAB_NODES
#define VVRAM_BUDDY_SLAB_NODES	1024	/* 24 KiB */
#endif
#define SLAB_NODES	VVRAM_BUDDY_SLAB_NODES

static void block_put(struct vvram_buddy *mm, struct vvram_buddy_block *b)
{
	b->header = VVRAM_BUDDY_HDR_FREE;
	b->link.next = (struct list_head *)mm->spare;
	mm->spare = b;
	mm->nr_spare++;
}

static struct vvram_buddy_block *block_get(struct vvram_buddy *mm)
{
	struct vvram_buddy_block *b = mm->spare;

	mm->spare = (struct vvram_buddy_block *)b->link.next;
	mm->nr_spare--;
	return b;
}

/* Makes sure @want spare nodes exist, so a carve cannot fail half way. */
static int block_reserve(struct vvram_buddy *mm, u64 want)
{
	struct vvram_buddy_block *slab;
	unsigned int i;

	while (mm->nr_spare < want) {
		slab = kvcalloc(SLAB_NODES, sizeof(*slab), GFP_KERNEL);
		if (!slab)
			return -ENOMEM;
		slab->link.next = (struct list_head *)mm->slabs;
		mm->slabs = slab;
		mm->nr_slabs++;
		for (i = 1; i < SLAB_NODES; i++)
			block_put(mm, &slab[i]);
	}
	return 0;
}

/* Frees the slabs; @keep_one keeps the newest for the next allocation. */
static void slabs_release(struct vvram_buddy *mm, bool keep_one)
{
	struct vvram_buddy_block *slab = mm->slabs, *next;
	unsigned int i;

	mm->slabs = NULL;
	mm->spare = NULL;
	mm->nr_spare = 0;
	mm->nr_slabs = 0;
	for (; slab; slab = next) {
		next = (struct vvram_buddy_block *)slab->link.next;
		if (keep_one && !mm->slabs) {
			slab->link.next = NULL;
			mm->slabs = slab;
			mm->nr_slabs = 1;
			for (i = 1; i < SLAB_NODES; i++)
				block_put(mm, &slab[i]);
			continue;
		}
		kvfree(slab);
	}
}

/* ---- block sets: the blocks of each kind, the mixed blocks ------------------ */

static void blocks_add(struct vvram_buddy_blockset *set, u64 chunk,
		       unsigned int order)
{
	bs_set(&set->of_order[order], chunk >> order);
	set->count[order]++;
	set->orders |= BIT_ULL(order);
}

static void blocks_take(struct vvram_buddy_blockset *set, u64 chunk,
			unsigned int order)
{
	bs_clear(&set->of_order[order], chunk >> order);
	if (!--set->count[order])
		set->orders &= ~BIT_ULL(order);
}

static bool blocks_test(const struct vvram_buddy_blockset *set, u64 chunk,
			unsigned int order)
{
	const struct vvram_buddy_bitset *s = &set->of_order[order];

	return (chunk >> order) < s->nbits && bs_test(s, chunk >> order);
}

/*
 * The free blocks of @order: the dirty and clear blocks of that order,
 * which are free blocks unless inside a mixed block, corrected by
 * free_adjust (the mixed blocks, less the blocks of one kind inside them).
 */
static u64 free_count(const struct vvram_buddy *mm, unsigned int order)
{
	return mm->dirty_blocks.count[order] + mm->clear_blocks.count[order] +
	       mm->free_adjust[order];
}

/*
 * The orders that have dirty, clear or mixed blocks: each lies in a free
 * block of its order or more, so the largest is that of the free blocks.
 */
static u64 any_orders(const struct vvram_buddy *mm)
{
	return mm->dirty_blocks.orders | mm->clear_blocks.orders |
	       mm->mixed_blocks.orders;
}

/* blocks_test(), skipping the bitset of an empty order. */
static bool blocks_has(const struct vvram_buddy_blockset *set, u64 chunk,
		       unsigned int order)
{
	return (set->orders & BIT_ULL(order)) && blocks_test(set, chunk, order);
}

/*
 * Adds the canonical split of [@x, @y), the leftover of a block that was
 * cut: its pieces need no merging, as the buddy of each overlaps the cut
 * or is a larger piece of the leftover. If @adjust, it is free_adjust and
 * the pieces lie inside a mixed block: it takes them off again.
 */
static void blocks_add_leftover(struct vvram_buddy_blockset *set, u64 *adjust,
				u64 x, u64 y)
{
	unsigned int order;

	for (; x < y; x += 1ULL << order) {
		order = piece_order(x, y);
		blocks_add(set, x, order);
		if (adjust)
			adjust[order]--;
	}
}

/*
 * Takes block @chunk of @order out of @set and gives back its parts outside
 * [@x, @y), which overlaps it; @adjust as for blocks_add_leftover().
 */
static void blocks_take_cut(struct vvram_buddy_blockset *set, u64 *adjust,
			    u64 chunk, unsigned int order, u64 x, u64 y)
{
	blocks_take(set, chunk, order);
	if (adjust)
		adjust[order]++;
	blocks_add_leftover(set, adjust, chunk, max(chunk, x));
	blocks_add_leftover(set, adjust, max(chunk, y), chunk + (1ULL << order));
}

/* Bitsets for the blocks of orders @min_order and up (0 or 1). */
static int blocks_init(struct vvram_buddy *mm, struct vvram_buddy_blockset *set,
		       unsigned int min_order)
{
	unsigned int order;

	set->of_order = kcalloc(mm->max_order + 1, sizeof(*set->of_order),
				GFP_KERNEL);
	if (!set->of_order)
		return -ENOMEM;
	mm->bitset_bytes += (mm->max_order + 1) * sizeof(*set->of_order);
	for (order = min_order; order <= mm->max_order; order++)
		if (bs_init(&set->of_order[order], mm->nr_chunks >> order,
			    false, &mm->bitset_bytes))
			return -ENOMEM;
	return 0;
}

static void blocks_destroy(const struct vvram_buddy *mm,
			   struct vvram_buddy_blockset *set)
{
	unsigned int order;

	if (set->of_order)
		for (order = 0; order <= mm->max_order; order++)
			bs_destroy(&set->of_order[order]);
	kfree(set->of_order);
	memset(set, 0, sizeof(*set));
}

/* The kind of a block of one kind, or none. */
enum free_kind {
	FREE_NONE,
	FREE_DIRTY,
	FREE_CLEAR,
};

/*
 * The order of the mixed block holding block @chunk of @order, which is of
 * one kind; @order if there is none.
 */
static unsigned int mixed_order_above(const struct vvram_buddy *mm, u64 chunk,
				      unsigned int order)
{
	u64 m;

	for (m = mm->mixed_blocks.orders & ~BITS_BELOW(order + 1); m;
	     m &= m - 1)
		if (blocks_test(&mm->mixed_blocks, chunk, __ffs64(m)))
			return __ffs64(m);
	return order;
}

/*
 * The dirty or clear block holding chunk @c, if one of order @top or less
 * does: its kind, and its order in *@kind_order. *@order is that of the
 * free block holding @c, larger if a mixed block holds that one.
 */
static inline enum free_kind free_block_find(const struct vvram_buddy *mm,
					     u64 c, unsigned int top,
					     unsigned int *order,
					     unsigned int *kind_order)
{
	enum free_kind kind = FREE_NONE;
	unsigned int k;

	for (k = 0; k <= top; k++) {
		if (blocks_test(&mm->dirty_blocks, c, k)) {
			kind = FREE_DIRTY;
			break;
		}
		if ((mm->clear_blocks.orders & BIT_ULL(k)) &&
		    blocks_test(&mm->clear_blocks, c, k)) {
			kind = FREE_CLEAR;
			break;
		}
	}
	if (kind == FREE_NONE)
		return kind;
	*kind_order = k;
	*order = mm->mixed_blocks.orders ? mixed_order_above(mm, c, k) : k;
	return kind;
}

/*
 * The free block starting (@forward) or ending at chunk @pos, found by
 * its order: blocks are aligned, so its order is at most that of @pos.
 */
static bool free_block_at_edge(const struct vvram_buddy *mm, u64 pos,
			       bool forward, unsigned int *order)
{
	unsigned int k, top = pos ? min_t(unsigned int, __ffs64(pos),
					  mm->max_order) : mm->max_order;

	if (!free_block_find(mm, forward ? pos : pos - 1, top, order, &k))
		return false;
	return *order <= top;
}

/*
 * The free run around chunk @a, clipped to [@lo, @hi), if @a is free:
 * walked block by block, as a maximal run is the canonical split of its
 * range (at most two blocks per order).
 */
static bool free_run_around(const struct vvram_buddy *mm, u64 a, u64 lo,
			    u64 hi, u64 *x, u64 *y)
{
	unsigned int k, order;
	u64 start, pos;

	if (!free_block_find(mm, a, mm->max_order, &order, &k))
		return false;
	start = a & ~((1ULL << order) - 1);
	for (pos = start; pos > lo && free_block_at_edge(mm, pos, false, &k);)
		pos -= 1ULL << k;
	*x = max(pos, lo);
	for (pos = start + (1ULL << order);
	     pos < hi && free_block_at_edge(mm, pos, true, &k);)
		pos += 1ULL << k;
	*y = min(pos, hi);
	return true;
}

/* ---- cutting and merging ---------------------------------------------------- */

/*
 * The block of @set of an order in @orders holding chunk @c, if it sticks
 * out of [@x, @y), gives the parts outside back as blocks of @set.
 */
static void blocks_cut_around(struct vvram_buddy_blockset *set, u64 *adjust,
			      u64 orders, u64 c, u64 x, u64 y)
{
	unsigned int k;
	u64 bx;

	for (; orders; orders &= orders - 1) {
		k = __ffs64(orders);
		bx = c & ~((1ULL << k) - 1);
		if (!blocks_test(set, bx, k))
			continue;
		if (bx < x || bx + (1ULL << k) > y)
			blocks_take_cut(set, adjust, bx, k, x, y);
		return;
	}
}

/*
 * Takes chunks [@x, @y) out of the dirty or the clear blocks (@set), where
 * only blocks of order @top or less can overlap them, all inside a mixed
 * block: @adjust (free_adjust) makes up for every count that changes.
 */
static void blocks_cut(struct vvram_buddy_blockset *set, u64 *adjust, u64 x,
		       u64 y, unsigned int top)
{
	u64 m, lo, hi, orders, cut;
	unsigned int k;

	/*
	 * A block of order @top or less sticks out of [@x, @y) only if @x
	 * or @y is off the grid of order @top + 1: not when the range is
	 * the whole mixed block.
	 */
	if ((x | y) & BITS_BELOW(top + 1)) {
		orders = set->orders & BITS_BELOW(top + 1);
		blocks_cut_around(set, adjust, orders, x, x, y);
		blocks_cut_around(set, adjust, orders, y - 1, x, y);
	}
	/* Only blocks no larger than the range can lie inside it. */
	orders = set->orders &
		 BITS_BELOW(min_t(unsigned int, top, ilog2(y - x)) + 1);
	for (m = orders; m; m &= m - 1) {
		k = __ffs64(m);
		lo = round_up(x, 1ULL << k) >> k;
		hi = y >> k;
		if (lo >= hi)
			continue;
		cut = bs_assign_range(&set->of_order[k], lo, hi, false, true);
		set->count[k] -= cut;
		adjust[k] += cut;
		if (!set->count[k])
			set->orders &= ~BIT_ULL(k);
	}
}

/*
 * Chunks [@x, @y) of a mixed block are handed out: they leave clear_chunks
 * and the clear blocks, of which only those of order @top or less can
 * overlap.
 */
static void clear_range_cut(struct vvram_buddy *mm, u64 x, u64 y,
			    unsigned int top)
{
	u64 cut = bs_assign_range(&mm->clear_chunks, x, y, false, true);

	if (!cut)
		return;
	mm->clear_avail -= cut << mm->chunk_shift;
	blocks_cut(&mm->clear_blocks, mm->free_adjust, x, y, top);
}

/* Chunks [@x, @y), inside clear block @chunk of @order, are handed out. */
static void clear_block_cut(struct vvram_buddy *mm, u64 chunk,
			    unsigned int order, u64 x, u64 y)
{
	bs_assign_range(&mm->clear_chunks, x, y, false, false);
	mm->clear_avail -= (y - x) << mm->chunk_shift;
	blocks_take_cut(&mm->clear_blocks, NULL, chunk, order, x, y);
}

/*
 * Adds block @chunk of @order, just freed (zeroed if @cleared), merging
 * it with its free buddies upwards. A buddy that is all free is a free
 * block, the block being maximal: a block of either kind, or a mixed
 * block. The freed block grows as a block of its kind while its buddies
 * are of that kind, which counts as free blocks by itself; from the first
 * that is not, the merged block is mixed, and blocks of either kind merged
 * into it stay as they are inside it.
 */
static void free_merge_in(struct vvram_buddy *mm, u64 chunk,
			  unsigned int order, bool cleared)
{
	struct vvram_buddy_blockset *same = cleared ? &mm->clear_blocks :
						      &mm->dirty_blocks;
	struct vvram_buddy_blockset *other = cleared ? &mm->dirty_blocks :
						       &mm->clear_blocks;
	unsigned int same_order = 0;
	bool mixed = false;
	u64 buddy, freed = chunk;

	while (order < mm->max_order) {
		buddy = chunk ^ (1ULL << order);
		if (blocks_test(same, buddy, order)) {
			if (mixed)
				mm->free_adjust[order]--;
			else
				blocks_take(same, buddy, order);
		} else {
			if (!((mm->mixed_blocks.orders | other->orders) &
			      BIT_ULL(order)))
				break;
			if (blocks_has(&mm->mixed_blocks, buddy, order))
				blocks_take(&mm->mixed_blocks, buddy, order);
			else if (!blocks_test(other, buddy, order))
				break;
			mm->free_adjust[order]--;
			if (!mixed)
				same_order = order;
			mixed = true;
		}
		chunk &= ~(1ULL << order);
		order++;
	}
	if (!mixed) {
		blocks_add(same, chunk, order);
		return;
	}
	blocks_add(same, freed & ~((1ULL << same_order) - 1), same_order);
	blocks_add(&mm->mixed_blocks, chunk, order);
	mm->free_adjust[order]++;
	mm->free_adjust[same_order]--;
}

/*
 * Gives [@x, @y), what is left of a carved mixed block, back as free
 * blocks, the canonical split: they need no merging, as the buddy of each
 * overlaps the cut or is a larger piece. A piece that is no block of one
 * kind, now that the cut is made in both, is mixed.
 */
static void free_add_leftover(struct vvram_buddy *mm, u64 x, u64 y)
{
	unsigned int order;

	for (; x < y; x += 1ULL << order) {
		order = piece_order(x, y);
		mm->free_adjust[order]++;
		if (!blocks_has(&mm->dirty_blocks, x, order) &&
		    !blocks_has(&mm->clear_blocks, x, order))
			blocks_add(&mm->mixed_blocks, x, order);
	}
}

/* Returns chunks [@x, @y) to the pool. */
static void release_range(struct vvram_buddy *mm, u64 x, u64 y,
			  bool cleared)
{
	unsigned int order;

	mm->avail += (y - x) << mm->chunk_shift;
	if (cleared) {
		bs_assign_range(&mm->clear_chunks, x, y, true, false);
		mm->clear_avail += (y - x) << mm->chunk_shift;
	}
	for (; x < y; x += 1ULL << order) {
		order = piece_order(x, y);
		free_merge_in(mm, x, order, cleared);
	}
}

/* Appends blocks covering chunks [@x, @y) to @out as allocated. */
static void hand_out(struct vvram_buddy *mm, u64 x, u64 y,
		     bool inherit_clear, struct list_head *out)
{
	struct vvram_buddy_block *b;
	unsigned int order;
	bool clear;

	for (; x < y; x += 1ULL << order) {
		order = piece_order(x, y);
		clear = inherit_clear ||
			bs_all_set(&mm->clear_chunks, x, x + (1ULL << order));
		b = block_get(mm);
		b->header = (x << mm->chunk_shift) | order |
			    (clear ? VVRAM_BUDDY_HDR_CLEAR : 0);
		list_add_tail(&b->link, out);
		mm->nr_allocated++;
	}
}

/*
 * Allocates chunks [@x, @y), which must be free, onto @out, taking the
 * nodes it needs first. A free block of one kind is cut in the books of
 * its kind, which count its pieces as free blocks. A mixed one is cut
 * where the range lies: in its block of one kind holding the range if
 * there is one, else in both kinds; then its pieces outside that block
 * are sorted.
 */
static int carve(struct vvram_buddy *mm, u64 x, u64 y, struct list_head *out)
{
	unsigned int order = 0, k = 0;
	u64 pos = x, b_x, b_y, k_x, k_y, end;
	enum free_kind kind;

	if (block_reserve(mm, piece_count(x, y)))
		return -ENOMEM;
	hand_out(mm, x, y, false, out);
	while (pos < y) {
		kind = free_block_find(mm, pos, mm->max_order, &order, &k);
		b_x = pos & ~((1ULL << order) - 1);
		b_y = b_x + (1ULL << order);
		k_x = pos & ~((1ULL << k) - 1);
		k_y = k_x + (1ULL << k);
		end = min(b_y, y);
		if (order == k || end <= k_y) {
			if (kind == FREE_DIRTY)
				blocks_take_cut(&mm->dirty_blocks, NULL, k_x, k,
						pos, end);
			else
				clear_block_cut(mm, k_x, k, pos, end);
			pos = end;
			if (order == k)
				continue;
			/* It lay in the mixed block; its pieces are free blocks. */
			mm->free_adjust[k]++;
		} else {
			blocks_cut(&mm->dirty_blocks, mm->free_adjust, pos, end,
				   order - 1);
			clear_range_cut(mm, pos, end, order - 1);
			free_add_leftover(mm, k_x, pos);
			pos = end;
			k_y = end;
		}
		blocks_take(&mm->mixed_blocks, b_x, order);
		mm->free_adjust[order]--;
		free_add_leftover(mm, b_x, k_x);
		free_add_leftover(mm, k_y, b_y);
	}
	mm->avail -= (y - x) << mm->chunk_shift;
	return 0;
}

static void free_one(struct vvram_buddy *mm, struct vvram_buddy_block *b,
		     bool cleared)
{
	u64 x = blk_chunk(mm, b);

	if (WARN_ON_ONCE(b->header & VVRAM_BUDDY_HDR_FREE))
		return;
	mm->nr_allocated--;
	release_range(mm, x, x + (1ULL << vvram_buddy_block_order(b)),
		      cleared);
	block_put(mm, b);
	if (!mm->nr_allocated && mm->nr_slabs > 1)
		slabs_release(mm, true);
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

/* ---- free windows ---------------------------------------------------------- */

/**
 * struct window - an aligned window searched for in a chunk set
 * @len: chunks wanted.
 * @align: alignment in chunks, a power of two.
 * @lo: lowest chunk of the search.
 * @hi: end (exclusive) of the search.
 * @top: search from @hi down instead of from @lo up.
 * @pos: the window found.
 * @run_lo: start of the found window's run, clipped to [@lo, @hi).
 * @run_hi: end of that run, clipped to [@lo, @hi).
 */
struct window {
	u64 len;
	u64 align;
	u64 lo;
	u64 hi;
	bool top;
	u64 pos;
	u64 run_lo;
	u64 run_hi;
};

/*
 * The next block of @set (orders in @orders) at or after chunk @c,
 * as the chunk where it starts or @c if it holds @c; @limit if none.
 */
static u64 anchor_next(const struct vvram_buddy_blockset *set, u64 orders,
		       u64 c, u64 limit)
{
	u64 best = limit, i;
	unsigned int k;

	for (; orders; orders &= orders - 1) {
		k = __ffs64(orders);
		i = bs_next(&set->of_order[k], c >> k, false);
		if (i < set->of_order[k].nbits)
			best = min(best, max(i << k, c));
	}
	return best;
}

/*
 * anchor_next() over the blocks of both kinds and the mixed blocks: where
 * a block of one kind lies inside a mixed one, it is in the same free run,
 * as good an anchor.
 */
static u64 free_anchor_next(const struct vvram_buddy *mm, u64 orders, u64 c,
			    u64 limit)
{
	const struct vvram_buddy_blockset *sets[] = {
		&mm->dirty_blocks, &mm->clear_blocks, &mm->mixed_blocks,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sets); i++)
		limit = anchor_next(sets[i], sets[i]->orders & orders, c, limit);
	return limit;
}

/*
 * The last chunk below @c of the previous block of @set; NO_BIT if
 * there is none at or above @limit.
 */
static u64 anchor_prev(const struct vvram_buddy_blockset *set, u64 orders,
		       u64 c, u64 limit)
{
	u64 best = NO_BIT, i, last;
	unsigned int k;

	for (; orders; orders &= orders - 1) {
		k = __ffs64(orders);
		i = bs_prev(&set->of_order[k], (c - 1) >> k, false);
		if (i == NO_BIT)
			continue;
		last = min(((i + 1) << k), c) - 1;
		if (last >= limit && (best == NO_BIT || last > best))
			best = last;
	}
	return best;
}

/* anchor_prev() over the same blocks as free_anchor_next(). */
static u64 free_anchor_prev(const struct vvram_buddy *mm, u64 orders, u64 c,
			    u64 limit)
{
	const struct vvram_buddy_blockset *sets[] = {
		&mm->dirty_blocks, &mm->clear_blocks, &mm->mixed_blocks,
	};
	u64 a, best = NO_BIT;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		a = anchor_prev(sets[i], sets[i]->orders & orders, c, limit);
		if (a != NO_BIT && (best == NO_BIT || a > best))
			best = a;
	}
	return best;
}

/*
 * Finds the lowest (or, with @w->top, the highest) @w->align-aligned
 * window of @w->len free chunks (known clear ones with @clear) inside
 * [@w->lo, @w->hi). Any such window holds an aligned block of order
 * ilog2(@w->len) - 1, so it lies in a run holding a free (clear) block of
 * at least that order, and so a clear, dirty or mixed (clear) block of
 * such an order: only the runs around those are measured, a clear run
 * with two summary searches, a free run block by block.
 */
static bool window_find(const struct vvram_buddy *mm, bool clear,
			struct window *w)
{
	const struct vvram_buddy_blockset *set = &mm->clear_blocks;
	const struct vvram_buddy_bitset *s = &mm->clear_chunks;
	unsigned int t = ilog2(w->len);
	u64 orders, x, y, p, a, cursor;

	if (w->hi <= w->lo || w->hi - w->lo < w->len)
		return false;
	orders = ~0ULL << (t ? t - 1 : 0);
	for (cursor = w->top ? w->hi : w->lo;
	     w->top ? cursor > w->lo : cursor < w->hi;
	     cursor = w->top ? x : y) {
		if (w->top) {
			a = clear ? anchor_prev(set, set->orders & orders,
						cursor, w->lo) :
				    free_anchor_prev(mm, orders, cursor, w->lo);
			if (a == NO_BIT)
				return false;
		} else {
			a = clear ? anchor_next(set, set->orders & orders,
						cursor, w->hi) :
				    free_anchor_next(mm, orders, cursor, w->hi);
			if (a >= w->hi)
				return false;
		}
		if (clear) {
			x = bs_prev(s, a, true);
			x = x == NO_BIT ? w->lo : max(x + 1, w->lo);
			y = min(bs_next(s, a, true), w->hi);
		} else {
			free_run_around(mm, a, w->lo, w->hi, &x, &y);
		}
		if (y - x < w->len)
			continue;
		p = w->top ? round_down(y - w->len, w->align) :
			     round_up(x, w->align);
		if (p >= x && p + w->len <= y) {
			w->pos = p;
			w->run_lo = x;
			w->run_hi = y;
			return true;
		}
	}
	return false;
}

/* ---- placement -------------------------------------------------------------- */

/**
 * struct alloc_req - one validated allocation request, in chunks
 * @lo: window start.
 * @hi: window end (exclusive).
 * @placed: round_up(size, @align), what placement reserves.
 * @keep: chunks handed out: size, or @placed with TRIM_DISABLE.
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
 * The top end of the highest block of @set of order @order or more, 0 if
 * there is none: the highest of the topmost blocks of each such order.
 */
static u64 blocks_top(const struct vvram_buddy_blockset *set,
		      unsigned int order)
{
	u64 mask, top, best = 0;
	unsigned int k;

	for (mask = set->orders & (~0ULL << order); mask; mask &= mask - 1) {
		k = __ffs64(mask);
		top = (bs_last(&set->of_order[k]) + 1) << k;
		best = max(best, top);
	}
	return best;
}

/*
 * Finds an aligned free piece of @order for plain and top-down requests.
 *
 * Plain requests pick as the kernel's allocator picks from its clear and
 * dirty trees: from the blocks of the kind asked for (zeroed with
 * CLEAR_ALLOCATION, dirty otherwise) if one of order @order or more
 * exists, else from those of the other kind, else from the mixed blocks;
 * the smallest fitting block of that set, its top end.
 *
 * Top-down requests take the top end of the highest free block of order
 * @order or more, whatever its kind, with CLEAR_ALLOCATION or not: the
 * highest-addressed piece that fits. A mixed block holds its blocks of
 * one kind, so the highest top end over the three sets is that of the
 * highest free block.
 */
static bool find_piece(struct vvram_buddy *mm, unsigned int order,
		       unsigned long flags, u64 *pos)
{
	bool want_clear = flags & VVRAM_BUDDY_CLEAR_ALLOCATION;
	const struct vvram_buddy_blockset *set;
	u64 mask, best;
	unsigned int k;

	if (flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION) {
		best = max(blocks_top(&mm->dirty_blocks, order),
			   blocks_top(&mm->clear_blocks, order));
		best = max(best, blocks_top(&mm->mixed_blocks, order));
		if (!best)
			return false;
		*pos = best - (1ULL << order);
		return true;
	}
	set = want_clear ? &mm->clear_blocks : &mm->dirty_blocks;
	mask = set->orders & (~0ULL << order);
	if (!mask) {
		set = want_clear ? &mm->dirty_blocks : &mm->clear_blocks;
		mask = set->orders & (~0ULL << order);
	}
	if (!mask) {
		set = &mm->mixed_blocks;
		mask = set->orders & (~0ULL << order);
	}
	if (!mask)
		return false;
	k = __ffs64(mask);
	*pos = ((bs_last(&set->of_order[k]) + 1) << k) - (1ULL << order);
	return true;
}

/* Free chunks usable by blocks of at least @min_order. */
static u64 usable_chunks(const struct vvram_buddy *mm, unsigned int min_order)
{
	u64 m, chunks = 0;
	unsigned int order;

	for (m = any_orders(mm) & (~0ULL << min_order); m; m &= m - 1) {
		order = __ffs64(m);
		chunks += free_count(mm, order) << order;
	}
	return chunks;
}

/*
 * Plain and top-down requests: greedy by order. Taking an aligned block of
 * order k from a free block of order >= k leaves only pieces of order >= k,
 * so this succeeds exactly when usable_chunks() covers the request.
 */
static int alloc_pieces(struct vvram_buddy *mm, const struct alloc_req *req,
			struct list_head *got)
{
	unsigned int min_order = ilog2(req->align);
	unsigned int order = ilog2(req->placed);
	u64 left = req->placed, size, pos;
	int err;

	/* One free block of a large enough order settles it at once. */
	if (!(any_orders(mm) >> (ilog2(req->placed) +
				 !is_power_of_2(req->placed))) &&
	    usable_chunks(mm, min_order) < req->placed)
		return -ENOSPC;
	while (left) {
		order = min_t(unsigned int, order, ilog2(left));
		if (!find_piece(mm, order, req->flags, &pos)) {
			if (WARN_ON_ONCE(order == min_order))
				return -ENOSPC;
			order--;
			continue;
		}
		size = 1ULL << order;
		/* The last piece gives the excess over keep back. */
		err = carve(mm, pos, pos + size - (left == size ?
						   req->placed - req->keep : 0),
			    got);
		if (err)
			return err;
		left -= size;
	}
	return 0;
}

/*
 * Range requests: walks the free runs (the clear ones with @clear) inside
 * the window, lowest first
 * (highest with TOPDOWN), taking every aligned part. With @commit false it
 * only counts; with @commit true it carves the same parts, since carving
 * only touches what the walk has passed.
 */
static int walk_range(struct vvram_buddy *mm, bool clear,
		      const struct alloc_req *req, bool commit,
		      struct list_head *got)
{
	struct window win = {
		.len = req->align, .align = req->align,
		.lo = req->lo, .hi = req->hi,
		.top = req->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION,
	};
	u64 found = 0, take, x, y;
	int err;

	while (found < req->placed && window_find(mm, clear, &win)) {
		if (win.top) {
			y = win.pos + req->align;
			x = round_up(win.run_lo, req->align);
			take = min(y - x, req->placed - found);
			x = y - take;
			win.hi = x;
		} else {
			x = win.pos;
			y = round_down(win.run_hi, req->align);
			take = min(y - x, req->placed - found);
			y = x + take;
			win.lo = y;
		}
		found += take;
		if (!commit)
			continue;
		if (found == req->placed)
			y -= req->placed - req->keep;
		err = carve(mm, x, y, got);
		if (err)
			return err;
	}
	return found < req->placed ? -ENOSPC : 0;
}

static int alloc_range(struct vvram_buddy *mm, const struct alloc_req *req,
		       struct list_head *got)
{
	bool clear = false;

	if ((req->flags & VVRAM_BUDDY_CLEAR_ALLOCATION) &&
	    !walk_range(mm, true, req, false, NULL))
		clear = true;
	else if (walk_range(mm, false, req, false, NULL))
		return -ENOSPC;
	return walk_range(mm, clear, req, true, got);
}

static int alloc_contiguous(struct vvram_buddy *mm,
			    const struct alloc_req *req, struct list_head *got)
{
	bool range = req->flags & VVRAM_BUDDY_RANGE_ALLOCATION;
	bool top = req->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	struct window win = {
		.len = req->placed, .align = req->align,
		.lo = req->lo, .hi = req->hi, .top = top || !range,
	};
	bool found = false;
	u64 pos = 0;

	if (req->flags & VVRAM_BUDDY_CLEAR_ALLOCATION)
		found = window_find(mm, true, &win);
	if (found) {
		pos = win.pos;
	} else if (!range && !top && is_power_of_2(req->placed) &&
		   ilog2(req->placed) <= mm->max_order) {
		/* Best fit: the smallest block holding it whole, dirty first. */
		found = find_piece(mm, ilog2(req->placed), 0, &pos);
	}
	if (!found) {
		found = window_find(mm, false, &win);
		pos = win.pos;
	}
	if (!found)
		return -ENOSPC;
	return carve(mm, pos, pos + req->keep, got);
}

static int alloc_exact(struct vvram_buddy *mm, u64 x, u64 y,
		       struct list_head *got)
{
	u64 run_x, run_y;

	if (!free_run_around(mm, x, x, y, &run_x, &run_y) || run_y < y)
		return -ENOSPC;
	return carve(mm, x, y, got);
}

/* ---- the API ------------------------------------------------------------------ */

int vvram_buddy_init(struct vvram_buddy *mm, u64 size, u64 chunk_size)
{
	int err = -ENOMEM;

	if (chunk_size < SZ_4K || !is_power_of_2(chunk_size))
		return -EINVAL;
	size = round_down(size, chunk_size);
	if (!size)
		return -EINVAL;
	if (size / chunk_size > VVRAM_BUDDY_MAX_CHUNKS)
		return -E2BIG;

	memset(mm, 0, sizeof(*mm));
	mm->size = size;
	mm->chunk_size = chunk_size;
	mm->chunk_shift = ilog2(chunk_size);
	mm->nr_chunks = size >> mm->chunk_shift;
	mm->max_order = ilog2(mm->nr_chunks);
	/* The free blocks are counted only; no block of order 0 is mixed. */
	if (blocks_init(mm, &mm->dirty_blocks, 0) ||
	    blocks_init(mm, &mm->clear_blocks, 0) ||
	    blocks_init(mm, &mm->mixed_blocks, 1))
		goto fail;
	if (bs_init(&mm->clear_chunks, mm->nr_chunks, true, &mm->bitset_bytes))
		goto fail;
	release_range(mm, 0, mm->nr_chunks, false);
	return 0;

fail:
	vvram_buddy_fini(mm);
	return err;
}
EXPORT_SYMBOL_GPL(vvram_buddy_init);

void vvram_buddy_fini(struct vvram_buddy *mm)
{
	/* Blocks still allocated stay with the caller; this is its bug. */
	WARN_ON_ONCE(mm->nr_allocated);

	memset(mm->free_adjust, 0, sizeof(mm->free_adjust));
	blocks_destroy(mm, &mm->dirty_blocks);
	blocks_destroy(mm, &mm->clear_blocks);
	blocks_destroy(mm, &mm->mixed_blocks);
	bs_destroy(&mm->clear_chunks);
	slabs_release(mm, false);
	mm->bitset_bytes = 0;
	mm->avail = 0;
	mm->clear_avail = 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_fini);

static int check_request(const struct vvram_buddy *mm, u64 start, u64 end,
			 u64 size, u64 min_block_size, unsigned long flags,
			 struct alloc_req *req)
{
	unsigned int shift = mm->chunk_shift;

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
	req->hi = mm->nr_chunks;
	if (flags & VVRAM_BUDDY_RANGE_ALLOCATION) {
		req->lo = start >> shift;
		req->hi = end >> shift;
	}
	if (size > (req->hi - req->lo) << shift)
		return -EINVAL;
	req->flags = flags;
	req->keep = size >> shift;
	/*
	 * An exact range is taken as it is, so its ends must lie on the
	 * min_block_size grid, or its blocks could be smaller than
	 * min_block_size: -EINVAL, as the kernel's gpu_buddy_alloc_blocks()
	 * answers with start or end off that grid.
	 */
	req->exact = end && end - start == size;
	if (req->exact && !IS_ALIGNED(start | end, min_block_size))
		return -EINVAL;
	if (req->exact) {
		req->lo = start >> shift;
		req->hi = end >> shift;
		return 0;
	}
	/* Windows are in chunks from here on; a huge alignment never fits. */
	if (min_block_size > mm->size)
		return -ENOSPC;
	req->align = min_block_size >> shift;
	req->placed = round_up(req->keep, req->align);
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

	if (req.exact)
		err = alloc_exact(mm, req.lo, req.hi, &got);
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
	return err;
}
EXPORT_SYMBOL_GPL(vvram_buddy_alloc_blocks);

void vvram_buddy_free_block(struct vvram_buddy *mm,
			    struct vvram_buddy_block *block)
{
	free_one(mm, block, false);
}
EXPORT_SYMBOL_GPL(vvram_buddy_free_block);

void vvram_buddy_free_list(struct vvram_buddy *mm, struct list_head *blocks,
			   unsigned int flags)
{
	struct vvram_buddy_block *b, *next;

	list_for_each_entry_safe(b, next, blocks, link)
		free_one(mm, b, flags & VVRAM_BUDDY_CLEARED);
	INIT_LIST_HEAD(blocks);
}
EXPORT_SYMBOL_GPL(vvram_buddy_free_list);

int vvram_buddy_block_trim(struct vvram_buddy *mm, u64 *start, u64 new_size,
			   struct list_head *blocks)
{
	struct vvram_buddy_block *b, *next;
	u64 lo, hi, keep_lo, keep_hi, b_lo, b_hi, x, y;
	unsigned int need = 0;
	LIST_HEAD(kept);

	if (list_empty(blocks))
		return -EINVAL;
	lo = blk_chunk(mm, list_first_entry(blocks, struct vvram_buddy_block,
					    link));
	hi = lo;
	list_for_each_entry(b, blocks, link) {
		if ((b->header & VVRAM_BUDDY_HDR_FREE) || blk_chunk(mm, b) != hi)
			return -EINVAL;
		hi += 1ULL << vvram_buddy_block_order(b);
	}
	if (!new_size || !IS_ALIGNED(new_size, mm->chunk_size) ||
	    new_size > (hi - lo) << mm->chunk_shift)
		return -EINVAL;
	if (start && (!IS_ALIGNED(*start, mm->chunk_size) ||
		      *start >> mm->chunk_shift < lo))
		return -EINVAL;
	keep_lo = start ? *start >> mm->chunk_shift : lo;
	keep_hi = keep_lo + (new_size >> mm->chunk_shift);
	if (keep_lo >= hi || keep_hi > hi)
		return -EINVAL;
	if (keep_lo == lo && keep_hi == hi)
		return 0;

	/* Nodes first: only the blocks cut by the kept range need new ones. */
	list_for_each_entry(b, blocks, link) {
		b_lo = blk_chunk(mm, b);
		b_hi = b_lo + (1ULL << vvram_buddy_block_order(b));
		x = max(b_lo, keep_lo);
		y = min(b_hi, keep_hi);
		if (x < y && (x != b_lo || y != b_hi))
			need += piece_count(x, y);
	}
	if (block_reserve(mm, need))
		return -ENOMEM;

	/* What is released may have been written: it returns dirty. */
	list_for_each_entry_safe(b, next, blocks, link) {
		b_lo = blk_chunk(mm, b);
		b_hi = b_lo + (1ULL << vvram_buddy_block_order(b));
		x = max(b_lo, keep_lo);
		y = min(b_hi, keep_hi);
		list_del(&b->link);
		if (x >= y) {
			free_one(mm, b, false);
		} else if (x == b_lo && y == b_hi) {
			list_add_tail(&b->link, &kept);
		} else {
			hand_out(mm, x, y, vvram_buddy_block_is_clear(b),
				 &kept);
			mm->nr_allocated--;
			block_put(mm, b);
			release_range(mm, b_lo, x, false);
			release_range(mm, y, b_hi, false);
		}
	}
	list_splice_tail_init(&kept, blocks);
	return 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_block_trim);

/* Empties @set; bitsets without storage (mixed blocks of order 0) stay so. */
static void blocks_empty(const struct vvram_buddy *mm,
			 struct vvram_buddy_blockset *set)
{
	struct vvram_buddy_bitset *s;
	unsigned int order, l;

	for (order = 0; order <= mm->max_order; order++) {
		s = &set->of_order[order];
		for (l = 0; s->nbits && l <= s->depth; l++)
			memset(s->ones[l], 0, s->nwords[l] * sizeof(u64));
	}
	memset(set->count, 0, sizeof(set->count));
	set->orders = 0;
}

void vvram_buddy_reset_clear(struct vvram_buddy *mm, bool is_clear)
{
	struct vvram_buddy_blockset *to = is_clear ? &mm->clear_blocks :
						     &mm->dirty_blocks;
	struct vvram_buddy_blockset *from = is_clear ? &mm->dirty_blocks :
						       &mm->clear_blocks;
	const struct vvram_buddy_bitset *mixed, *src;
	struct vvram_buddy_bitset *dst;
	unsigned int order, k, l;
	u64 i, w;

	/*
	 * Free memory all of one kind: its blocks are the free blocks, the
	 * blocks of both kinds less those inside a mixed block, and the
	 * mixed blocks.
	 */
	for (order = 0; order <= mm->max_order; order++) {
		dst = &to->of_order[order];
		for (w = 0; w < dst->nwords[0]; w++)
			dst->ones[0][w] |= from->of_order[order].ones[0][w];
		bs_refresh(dst, 0, dst->nwords[0] - 1);
	}
	for (order = 1; order <= mm->max_order; order++) {
		mixed = &mm->mixed_blocks.of_order[order];
		for (i = bs_next(mixed, 0, false); i < mixed->nbits;
		     i = bs_next(mixed, i + 1, false)) {
			for (k = 0; k < order; k++)
				bs_assign_range(&to->of_order[k],
						i << (order - k),
						(i + 1) << (order - k), false,
						false);
			bs_set(&to->of_order[order], i);
		}
	}
	blocks_empty(mm, from);
	blocks_empty(mm, &mm->mixed_blocks);
	memset(mm->free_adjust, 0, sizeof(mm->free_adjust));
	to->orders = 0;
	for (order = 0; order <= mm->max_order; order++) {
		to->count[order] = bs_count(&to->of_order[order]);
		to->orders |= to->count[order] ? BIT_ULL(order) : 0;
	}

	dst = &mm->clear_chunks;
	for (l = 0; l <= dst->depth; l++)
		memset(dst->ones[l], 0, dst->nwords[l] * sizeof(u64));
	bs_refresh(dst, 0, dst->nwords[0] - 1);
	for (order = 0; is_clear && order <= mm->max_order; order++) {
		src = &to->of_order[order];
		for (i = bs_next(src, 0, false); i < src->nbits;
		     i = bs_next(src, i + 1, false))
			bs_assign_range(dst, i << order, (i + 1) << order, true,
					false);
	}
	mm->clear_avail = is_clear ? mm->avail : 0;
}
EXPORT_SYMBOL_GPL(vvram_buddy_reset_clear);

u64 vvram_buddy_largest_free(const struct vvram_buddy *mm)
{
	u64 orders, a, x, y = 0, best = 0;
	unsigned int top;

	if (!any_orders(mm))
		return 0;
	/*
	 * The run holding a largest free block (order top) is at least
	 * 2^top long; a run that long holds a block of order top - 1 or
	 * more, so only the runs around those blocks can be the longest.
	 */
	top = fls64(any_orders(mm)) - 1;
	orders = ~0ULL << (top ? top - 1 : 0);
	while ((a = free_anchor_next(mm, orders, y, mm->nr_chunks)) <
	       mm->nr_chunks) {
		free_run_around(mm, a, 0, mm->nr_chunks, &x, &y);
		best = max(best, y - x);
	}
	return best << mm->chunk_shift;
}
EXPORT_SYMBOL_GPL(vvram_buddy_largest_free);

/* Free runs: free blocks whose lower neighbour chunk is not free. */
static u64 count_free_runs(const struct vvram_buddy *mm)
{
	const struct vvram_buddy_blockset *sets[] = {
		&mm->dirty_blocks, &mm->clear_blocks, &mm->mixed_blocks,
	};
	const struct vvram_buddy_bitset *s;
	unsigned int order, k, j;
	u64 i, x, n = 0;

	for (j = 0; j < ARRAY_SIZE(sets); j++) {
		for (order = 0; order <= mm->max_order; order++) {
			s = &sets[j]->of_order[order];
			for (i = bs_next(s, 0, false); i < s->nbits;
			     i = bs_next(s, i + 1, false)) {
				x = i << order;
				if (j < 2 && mixed_order_above(mm, x, order) > order)
					continue;
				if (!x || !free_block_at_edge(mm, x, false, &k))
					n++;
			}
		}
	}
	return n;
}

u64 vvram_buddy_metadata_bytes(const struct vvram_buddy *mm)
{
	return mm->bitset_bytes +
	       mm->nr_slabs * SLAB_NODES * sizeof(struct vvram_buddy_block);
}
EXPORT_SYMBOL_GPL(vvram_buddy_metadata_bytes);

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
	stats->nr_free_runs = count_free_runs(mm);
	stats->nr_clear_runs = bs_count_runs(&mm->clear_chunks);
	stats->metadata_bytes = vvram_buddy_metadata_bytes(mm);
	for (order = 0; order < VVRAM_BUDDY_MAX_ORDERS; order++) {
		stats->free_per_order[order] = free_count(mm, order);
		stats->nr_free_blocks += free_count(mm, order);
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

/* ---- self-check ---------------------------------------------------------------- */

/* Invariant 4 for one bitset; returns the broken rule or NULL. */
static const char *check_bitset(const struct vvram_buddy_bitset *s)
{
	unsigned int l;
	bool one, zero;
	u64 w;

	if (s->nwords[0] && (s->ones[0][s->nwords[0] - 1] &
			     bs_pad_mask(s, s->nwords[0] - 1)))
		return "bitset bit past its end";
	for (l = 1; l <= s->depth; l++) {
		for (w = 0; w < s->nwords[l] * 64; w++) {
			one = s->ones[l][w / 64] & BIT_ULL(w % 64);
			if (one != (w < s->nwords[l - 1] && s->ones[l - 1][w]))
				return "bitset summary of set bits";
			if (!s->zeros[1])
				continue;
			zero = s->zeros[l][w / 64] & BIT_ULL(w % 64);
			if (w >= s->nwords[l - 1] ? zero :
			    zero != (l == 1 ? bs_has_zero(s, w) :
				     !!s->zeros[l - 1][w]))
				return "bitset summary of clear bits";
		}
	}
	return NULL;
}

/* Whether block @x of @order holds a zeroed chunk. */
static bool check_has_zeroed(const struct vvram_buddy *mm, u64 x,
			     unsigned int order)
{
	return bs_next(&mm->clear_chunks, x, false) < x + (1ULL << order);
}

/* Whether block @x of @order holds a chunk not zeroed. */
static bool check_has_dirty(const struct vvram_buddy *mm, u64 x,
			    unsigned int order)
{
	return bs_next(&mm->clear_chunks, x, true) < x + (1ULL << order);
}

/*
 * Invariants 1 and 2 for the dirty (@want < 0), clear (@want > 0) or mixed
 * (@want 0) blocks: each block is of its kind, has no ancestor in its set
 * and no buddy at its order, and the counts are right; returns the broken
 * rule or NULL, and the chunks of the blocks.
 */
static const char *check_blocks(const struct vvram_buddy *mm,
				const struct vvram_buddy_blockset *set,
				int want, u64 *total)
{
	const struct vvram_buddy_bitset *s, *family = set->of_order;
	unsigned int order, up;
	bool zeroed, dirty;
	const char *what;
	u64 i, n, x;

	*total = 0;
	for (order = 0; order <= mm->max_order; order++) {
		s = &family[order];
		what = check_bitset(s);
		if (what)
			return what;
		n = 0;
		for (i = bs_next(s, 0, false); i < s->nbits;
		     i = bs_next(s, i + 1, false)) {
			x = i << order;
			n++;
			*total += 1ULL << order;
			zeroed = check_has_zeroed(mm, x, order);
			dirty = check_has_dirty(mm, x, order);
			if (want > 0 && dirty)
				return "clear block over chunks not zeroed";
			if (want < 0 && zeroed)
				return "dirty block over zeroed chunks";
			if (!want && !(zeroed && dirty))
				return "mixed block not of both kinds";
			for (up = order + 1; up <= mm->max_order; up++) {
				x &= ~((1ULL << up) - 1);
				if ((x >> up) < family[up].nbits &&
				    bs_test(&family[up], x >> up))
					return "block inside a block";
			}
			if (order < mm->max_order && (i ^ 1) < s->nbits &&
			    bs_test(s, i ^ 1))
				return "buddies not merged";
		}
		if (n != set->count[order])
			return "block count per order";
		if (!n != !(set->orders & BIT_ULL(order)))
			return "order mask";
	}
	for (; order < VVRAM_BUDDY_MAX_ORDERS; order++)
		if (set->count[order])
			return "block count per order";
	return set->orders >> mm->max_order >> 1 ? "order mask" : NULL;
}

/* Whether block @x of @order is a free block: mixed, or of a kind alone. */
static bool check_is_free(const struct vvram_buddy *mm, u64 x,
			  unsigned int order)
{
	if (blocks_test(&mm->mixed_blocks, x, order))
		return true;
	return (blocks_test(&mm->dirty_blocks, x, order) ||
		blocks_test(&mm->clear_blocks, x, order)) &&
	       mixed_order_above(mm, x, order) == order;
}

/* Whether block @x of @order is covered by blocks of either kind. */
static bool check_all_free(const struct vvram_buddy *mm, u64 x,
			   unsigned int order)
{
	unsigned int k;
	u64 pos;

	for (pos = x; pos < x + (1ULL << order); pos += 1ULL << k) {
		for (k = 0; k < order; k++)
			if (blocks_test(&mm->dirty_blocks, pos, k) ||
			    blocks_test(&mm->clear_blocks, pos, k))
				break;
		if (k == order || pos & ((1ULL << k) - 1))
			return false;
	}
	return true;
}

/*
 * Invariant 3: a mixed block is all free, its blocks of both kinds inside
 * it; the free blocks (the mixed ones and the blocks of one kind outside
 * them) have no free buddy, so they are the canonical split of each free
 * run, and free_count() counts them.
 */
static const char *check_free(const struct vvram_buddy *mm)
{
	const struct vvram_buddy_blockset *sets[] = {
		&mm->dirty_blocks, &mm->clear_blocks, &mm->mixed_blocks,
	};
	u64 count[VVRAM_BUDDY_MAX_ORDERS] = { 0 };
	const struct vvram_buddy_bitset *s;
	unsigned int order, j;
	u64 i, x, orders = 0;

	for (j = 0; j < ARRAY_SIZE(sets); j++) {
		for (order = 0; order <= mm->max_order; order++) {
			s = &sets[j]->of_order[order];
			for (i = bs_next(s, 0, false); i < s->nbits;
			     i = bs_next(s, i + 1, false)) {
				x = i << order;
				if (!check_is_free(mm, x, order))
					continue;
				count[order]++;
				if (order < mm->max_order &&
				    check_is_free(mm, x ^ (1ULL << order), order))
					return "free buddies not merged";
				if (j == 2 && !check_all_free(mm, x, order))
					return "mixed block not all free";
			}
		}
	}
	for (order = 0; order < VVRAM_BUDDY_MAX_ORDERS; order++) {
		if (count[order] != free_count(mm, order))
			return "free block count per order";
		orders |= count[order] ? BIT_ULL(order) : 0;
	}
	return orders & ~any_orders(mm) ? "order mask of the free blocks" : NULL;
}

static const char *check_books(const struct vvram_buddy *mm)
{
	const struct vvram_buddy_block *b;
	const char *what;
	u64 n, dirty, clear, mixed;

	what = check_bitset(&mm->clear_chunks);
	if (!what)
		what = check_blocks(mm, &mm->dirty_blocks, -1, &dirty);
	if (!what)
		what = check_blocks(mm, &mm->clear_blocks, 1, &clear);
	if (!what)
		what = check_blocks(mm, &mm->mixed_blocks, 0, &mixed);
	if (!what)
		what = check_free(mm);
	if (what)
		return what;
	if ((dirty + clear) << mm->chunk_shift != mm->avail)
		return "dirty and clear blocks do not sum to avail";
	if (bs_count(&mm->clear_chunks) << mm->chunk_shift != mm->clear_avail ||
	    clear << mm->chunk_shift != mm->clear_avail)
		return "clear chunks do not sum to clear_avail";
	if (mm->avail > mm->size)
		return "avail out of range";
	n = 0;
	for (b = mm->spare; b;
	     b = (const struct vvram_buddy_block *)b->link.next)
		n++;
	if (n != mm->nr_spare ||
	    n + mm->nr_allocated != mm->nr_slabs * (SLAB_NODES - 1))
		return "node accounting";
	return NULL;
}

int vvram_buddy_check(const struct vvram_buddy *mm)
{
	const char *what = check_books(mm);

	if (!what)
		return 0;
	pr_err("vvram_buddy: check failed: %s\n", what);
	return -EUCLEAN;
}
EXPORT_SYMBOL_GPL(vvram_buddy_check);

MODULE_DESCRIPTION("vvram buddy allocator for GPU memory");
MODULE_LICENSE("GPL");
