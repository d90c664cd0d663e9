// SPDX-License-Identifier: MIT
/*
 * The reference model: one state byte per chunk, and a brute-force answer
 * to every question the allocator answers cleverly. Each step makes one
 * random call on the real allocator, then checks its result and the whole
 * state against the model:
 * - blocks handed out: aligned to their size, in bounds, disjoint from
 *   everything allocated, inside the window, the right total, contiguous
 *   when asked, of min_block or more (so aligned to it) in every mode but
 *   in the trimmed tail (the one min_block unit covered in part, from its
 *   start), claiming clear exactly when the model knows all of their
 *   memory to be zeroed;
 * - where plain requests (and power-of-two contiguous ones placed by best
 *   fit) land, piece by piece, as the kernel's allocator picks: from the
 *   blocks of the kind asked for (zeroed with CLEAR_ALLOCATION, dirty
 *   otherwise) if one is large enough, else from those of the other kind,
 *   else from any free block; the smallest fitting, its top end;
 * - where top-down requests land, piece by piece: the top end of the
 *   highest fitting free block, whatever its kind;
 * - every -ENOSPC proven: the model has no way to place the request (no
 *   aligned free run for contiguous requests, too few free aligned pieces
 *   otherwise); every -EINVAL proven by the argument rules;
 * - avail, clear_avail, the largest free run, the number of free and
 *   clear runs and the free blocks per order (the canonical split of each
 *   free run, so no two free buddies are left unmerged) all exact;
 * - vvram_buddy_check() on the allocator's own books.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/log2.h>

#include "model.h"
#include "tap.h"

#define C_ALLOC		0x1	/* handed out */
#define C_CLEAR		0x2	/* free and known zeroed */
#define C_GOT_CLEAR	0x4	/* handed out in a block that claimed clear */

/**
 * struct allocation - one successful request, as the caller holds it
 * @blocks: the caller's list.
 */
struct allocation {
	struct list_head blocks;
};

struct model {
	struct vvram_buddy mm;
	u64 chunk;
	u64 nr;
	unsigned int shift;
	u8 *state;
	u8 *scratch;
	struct allocation **allocs;
	unsigned int nr_allocs;
	unsigned int cap_allocs;
};

struct vvram_buddy *model_mm(struct model *m)
{
	return &m->mm;
}

static u64 pick(struct op_source *src, u64 n)
{
	return n ? src->next(src->arg) % n : 0;
}

static int fail(const char *what)
{
	tap_diag("model mismatch: %s", what);
	return -1;
}

struct model *model_new(u64 nr_chunks, u64 chunk)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->chunk = chunk;
	m->nr = nr_chunks;
	m->shift = ilog2(chunk);
	m->state = calloc(nr_chunks, 1);
	m->scratch = calloc(nr_chunks, 1);
	if (!m->state || !m->scratch ||
	    vvram_buddy_init(&m->mm, nr_chunks * chunk, chunk)) {
		free(m->state);
		free(m->scratch);
		free(m);
		return NULL;
	}
	return m;
}

static void mark(struct model *m, u64 from, u64 to, u8 value)
{
	memset(m->state + from, value, to - from);
}

static void drop_allocation(struct model *m, unsigned int i)
{
	free(m->allocs[i]);
	m->allocs[i] = m->allocs[--m->nr_allocs];
}

static void free_allocation(struct model *m, unsigned int i, bool cleared)
{
	struct vvram_buddy_block *b;
	u64 first;

	list_for_each_entry(b, &m->allocs[i]->blocks, link) {
		first = vvram_buddy_block_offset(b) >> m->shift;
		mark(m, first, first + (1ULL << vvram_buddy_block_order(b)),
		     cleared ? C_CLEAR : 0);
	}
	vvram_buddy_free_list(&m->mm, &m->allocs[i]->blocks,
			      cleared ? VVRAM_BUDDY_CLEARED : 0);
	drop_allocation(m, i);
}

int model_free(struct model *m)
{
	int err;

	while (m->nr_allocs)
		free_allocation(m, m->nr_allocs - 1, false);
	err = model_compare(m);
	if (m->mm.avail != m->mm.size)
		err = fail("not everything came back");
	vvram_buddy_fini(&m->mm);
	free(m->allocs);
	free(m->state);
	free(m->scratch);
	free(m);
	return err;
}

/* ---- brute-force answers ---------------------------------------------- */

static bool chunk_ok(const struct model *m, u64 i, bool want_clear)
{
	return !(m->state[i] & C_ALLOC) &&
	       (!want_clear || (m->state[i] & C_CLEAR));
}

/* Whether an @align-aligned run of @len chunks, all ok, lies in [lo, hi). */
static bool has_run(const struct model *m, u64 lo, u64 hi, u64 len,
		    u64 align, bool want_clear)
{
	u64 p, i;

	for (p = (lo + align - 1) / align * align; p + len <= hi; p += align) {
		for (i = 0; i < len && chunk_ok(m, p + i, want_clear); i++)
			;
		if (i == len)
			return true;
	}
	return false;
}

/* Which free chunks a search looks at. */
enum kind { KIND_DIRTY, KIND_CLEAR, KIND_FREE };

static bool chunk_of_kind(u8 state, enum kind kind)
{
	if (state & C_ALLOC)
		return false;
	return kind == KIND_FREE || !(state & C_CLEAR) == (kind == KIND_DIRTY);
}

/*
 * Where a plain or top-down piece of 2^@order chunks goes, by brute force
 * over @state: the maximal aligned blocks of each kind are the canonical
 * split of its runs; of those of order @order or more, of the kind asked
 * for, else of the other kind, else of all free memory, the smallest
 * (ties: the highest); the top end of it. Top-down pieces ignore the
 * kinds: the top end of the highest free block of order @order or more.
 */
static bool place_piece(const struct model *m, const u8 *state,
			unsigned int order, bool want_clear, bool topdown,
			u64 *pos)
{
	enum kind kinds[3] = {
		want_clear ? KIND_CLEAR : KIND_DIRTY,
		want_clear ? KIND_DIRTY : KIND_CLEAR,
		KIND_FREE,
	};
	u64 s, e, x, k, best_end, best_order;
	unsigned int i;

	if (topdown)
		kinds[0] = KIND_FREE;
	for (i = 0; i < 3; i++) {
		best_end = 0;
		best_order = 64;
		for (s = 0; s < m->nr; s = e) {
			if (!chunk_of_kind(state[s], kinds[i])) {
				e = s + 1;
				continue;
			}
			for (e = s; e < m->nr && chunk_of_kind(state[e], kinds[i]);
			     e++)
				;
			for (x = s; x < e; x += 1ULL << k) {
				k = ilog2(e - x);
				if (x && __ffs64(x) < k)
					k = __ffs64(x);
				if (k < order)
					continue;
				if (!topdown && k < best_order) {
					best_order = k;
					best_end = 0;
				}
				if ((topdown || k == best_order) &&
				    x + (1ULL << k) > best_end)
					best_end = x + (1ULL << k);
			}
		}
		if (best_end) {
			*pos = best_end - (1ULL << order);
			return true;
		}
	}
	return false;
}

/* Free @align-aligned pieces of @align chunks inside [lo, hi). */
static u64 free_pieces(const struct model *m, u64 lo, u64 hi, u64 align)
{
	u64 count = 0, p, i;

	for (p = (lo + align - 1) / align * align; p + align <= hi; p += align) {
		for (i = 0; i < align && chunk_ok(m, p + i, false); i++)
			;
		count += i == align;
	}
	return count;
}

int model_compare(struct model *m)
{
	u64 free_chunks = 0, clear_chunks = 0, run = 0, longest = 0;
	u64 free_runs = 0, clear_runs = 0, i, s, e, order, x, allocated = 0;
	u64 per_order[VVRAM_BUDDY_MAX_ORDERS] = { 0 };
	struct vvram_buddy_stats st;
	struct vvram_buddy_block *b;
	unsigned int a;

	for (i = 0; i < m->nr; i++) {
		bool is_free = !(m->state[i] & C_ALLOC);
		bool is_clear = is_free && (m->state[i] & C_CLEAR);

		free_chunks += is_free;
		clear_chunks += is_clear;
		run = is_free ? run + 1 : 0;
		longest = run > longest ? run : longest;
		free_runs += is_free && (!i || (m->state[i - 1] & C_ALLOC));
		clear_runs += is_clear &&
			      (!i || (m->state[i - 1] & C_ALLOC) ||
			       !(m->state[i - 1] & C_CLEAR));
	}
	/* The free blocks must be the canonical split of each free run. */
	for (s = 0; s < m->nr; s = e) {
		if (m->state[s] & C_ALLOC) {
			e = s + 1;
			continue;
		}
		for (e = s; e < m->nr && !(m->state[e] & C_ALLOC); e++)
			;
		for (x = s; x < e; x += 1ULL << order) {
			order = ilog2(e - x);
			if (x && __ffs64(x) < order)
				order = __ffs64(x);
			per_order[order]++;
		}
	}
	for (a = 0; a < m->nr_allocs; a++)
		list_for_each_entry(b, &m->allocs[a]->blocks, link)
			allocated++;

	vvram_buddy_get_stats(&m->mm, &st);
	if (m->mm.avail != free_chunks * m->chunk)
		return fail("avail");
	if (m->mm.clear_avail != clear_chunks * m->chunk)
		return fail("clear_avail");
	if (st.largest_free != longest * m->chunk)
		return fail("largest free run");
	if (st.nr_free_runs != free_runs || st.nr_clear_runs != clear_runs)
		return fail("number of free or clear runs");
	if (st.nr_allocated_blocks != allocated)
		return fail("number of allocated blocks");
	if (memcmp(st.free_per_order, per_order, sizeof(per_order)))
		return fail("free blocks per order (unmerged buddies?)");
	if (vvram_buddy_check(&m->mm))
		return fail("vvram_buddy_check");
	return 0;
}

/* ---- operations ------------------------------------------------------- */

/**
 * struct request - one allocation call, in chunks where it says so
 * @start: start argument (bytes).
 * @end: end argument (bytes).
 * @size: size argument (bytes).
 * @min_block: min_block_size argument (bytes).
 * @flags: flags argument.
 */
struct request {
	u64 start, end, size, min_block;
	unsigned long flags;
};

/* The argument rules, written independently of the allocator. */
static bool invalid(const struct model *m, const struct request *r)
{
	u64 size = m->nr * m->chunk, window;

	if (!r->size || r->size % m->chunk || r->start % m->chunk ||
	    r->end % m->chunk)
		return true;
	if (r->min_block < m->chunk || !is_power_of_2(r->min_block))
		return true;
	if (r->start > r->end || r->end > size)
		return true;
	if ((r->flags & VVRAM_BUDDY_RANGE_ALLOCATION) && r->start == r->end)
		return true;
	window = (r->flags & VVRAM_BUDDY_RANGE_ALLOCATION) ?
		 r->end - r->start : size;
	if (r->size > window)
		return true;
	/* An exact range must start and end on the min_block grid. */
	return r->end && r->end - r->start == r->size &&
	       (r->start | r->end) % r->min_block;
}

static void random_request(struct model *m, struct op_source *src,
			   struct request *r)
{
	u64 n, lo, hi, max_align = m->shift + 6;

	memset(r, 0, sizeof(*r));
	if (ilog2(m->nr) + 1 < 7)
		max_align = m->shift + ilog2(m->nr) + 1;
	r->min_block = 1ULL << (m->shift + pick(src, max_align - m->shift));
	n = pick(src, 4) ? 1 + pick(src, m->nr < 16 ? m->nr : 16) :
			   1 + pick(src, m->nr);
	r->size = n * m->chunk;

	switch (pick(src, 6)) {
	case 0:
		break;
	case 1:
		r->flags |= VVRAM_BUDDY_TOPDOWN_ALLOCATION;
		break;
	case 2:
	case 3:
		r->flags |= VVRAM_BUDDY_RANGE_ALLOCATION;
		if (pick(src, 2))
			r->flags |= VVRAM_BUDDY_TOPDOWN_ALLOCATION;
		lo = pick(src, m->nr);
		hi = lo + 1 + pick(src, m->nr - lo);
		r->start = lo * m->chunk;
		r->end = hi * m->chunk;
		break;
	default:
		/* Exact range, with or without the RANGE flag. */
		lo = pick(src, m->nr);
		n = 1 + pick(src, m->nr - lo);
		r->size = n * m->chunk;
		r->start = lo * m->chunk;
		r->end = r->start + r->size;
		if (pick(src, 2))
			r->flags |= VVRAM_BUDDY_RANGE_ALLOCATION;
		break;
	}
	if (!pick(src, 3))
		r->flags |= VVRAM_BUDDY_CONTIGUOUS_ALLOCATION;
	if (!pick(src, 3))
		r->flags |= VVRAM_BUDDY_CLEAR_ALLOCATION;
	if (!pick(src, 4))
		r->flags |= VVRAM_BUDDY_TRIM_DISABLE;

	/* Now and then, one bad argument. */
	switch (pick(src, 64)) {
	case 0:
		r->size = 0;
		break;
	case 1:
		r->size += 512;
		break;
	case 2:
		r->min_block = 3 * m->chunk;
		break;
	case 3:
		r->min_block = m->chunk / 2;
		break;
	case 4:
		r->start = m->chunk * (m->nr + 1);
		r->end = r->start + m->chunk;
		r->flags |= VVRAM_BUDDY_RANGE_ALLOCATION;
		break;
	case 5:
		r->end = r->start;
		r->flags |= VVRAM_BUDDY_RANGE_ALLOCATION;
		break;
	case 6:
		r->size = (m->nr + 1) * m->chunk;
		break;
	}
}

/*
 * Marks in m->scratch (a copy of the state, C_GOT_CLEAR standing for
 * "expected") the chunks a plain or top-down request gets: greedy by
 * order as the allocator goes, each piece placed by place_piece(), the
 * last one trimmed to the size asked for. False if it would not fit.
 */
static bool expect_pieces(struct model *m, const struct request *r,
			  u64 placed, u64 keep)
{
	bool want_clear = r->flags & VVRAM_BUDDY_CLEAR_ALLOCATION;
	bool topdown = r->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	unsigned int order = ilog2(placed);
	unsigned int min_order = ilog2(r->min_block >> m->shift);
	u64 left = placed, size, pos, i;

	memcpy(m->scratch, m->state, m->nr);
	while (left) {
		if (order > ilog2(left))
			order = ilog2(left);
		if (!place_piece(m, m->scratch, order, want_clear, topdown, &pos)) {
			if (order == min_order)
				return false;
			order--;
			continue;
		}
		size = 1ULL << order;
		for (i = pos; i < pos + size; i++)
			m->scratch[i] = C_ALLOC;
		if (left == size)
			size -= placed - keep;
		for (i = pos; i < pos + size; i++)
			m->scratch[i] |= C_GOT_CLEAR;
		left -= 1ULL << order;
	}
	return true;
}

/* Checks a successful allocation against the model, then records it. */
static int accept(struct model *m, const struct request *r,
		  struct list_head *got, struct model_stats *st)
{
	bool range = r->flags & VVRAM_BUDDY_RANGE_ALLOCATION;
	bool contig = r->flags & VVRAM_BUDDY_CONTIGUOUS_ALLOCATION;
	bool exact = r->end && r->end - r->start == r->size;
	u64 lo = range ? r->start : 0, hi = range ? r->end : m->mm.size;
	u64 placed = (r->size + r->min_block - 1) / r->min_block * r->min_block;
	u64 keep = exact ? r->size :
		   (r->flags & VVRAM_BUDDY_TRIM_DISABLE) ? placed : r->size;
	bool top = r->flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	u64 bytes = 0, next = 0, off, size, i, first, pos;
	u64 tail = keep % r->min_block, tail_unit = U64_MAX, tail_bytes = 0;
	u64 tail_end = 0, unit;
	bool clear_run = false, zeroed, expect = false;
	struct vvram_buddy_block *b;
	struct allocation *a;

	if (contig && !exact && (r->flags & VVRAM_BUDDY_CLEAR_ALLOCATION))
		clear_run = has_run(m, lo >> m->shift, hi >> m->shift,
				    placed >> m->shift,
				    r->min_block >> m->shift, true);
	if (!exact && !contig && !range) {
		expect = expect_pieces(m, r, placed >> m->shift,
				       keep >> m->shift);
		if (!expect)
			return fail("placed a request the model cannot place");
	} else if (contig && !exact && !range && !top && !clear_run &&
		   is_power_of_2(placed >> m->shift) &&
		   place_piece(m, m->state, ilog2(placed >> m->shift), false,
			       false, &pos)) {
		/* Best fit: as a plain piece of that size, dirty first. */
		expect = true;
		memcpy(m->scratch, m->state, m->nr);
		for (i = pos; i < pos + (keep >> m->shift); i++)
			m->scratch[i] |= C_GOT_CLEAR;
	}

	list_for_each_entry(b, got, link) {
		off = vvram_buddy_block_offset(b);
		size = vvram_buddy_block_size(&m->mm, b);
		if (off % size || off + size > m->mm.size || off < lo ||
		    off + size > hi)
			return fail("block misaligned, out of bounds or outside window");
		if ((contig || exact) && bytes && off != next)
			return fail("contiguous allocation has a gap");
		if (contig && !exact && !bytes && off % r->min_block)
			return fail("contiguous start not min_block aligned");
		/*
		 * A block of min_block or more is aligned to it. A smaller
		 * one is only in the trimmed tail: the one min_block unit
		 * that the allocation covers in part, from its start.
		 */
		if (size < r->min_block) {
			if (!tail)
				return fail("block below min_block without a trimmed tail");
			unit = off / r->min_block * r->min_block;
			if (tail_unit != U64_MAX && tail_unit != unit)
				return fail("blocks below min_block in two units");
			tail_unit = unit;
			tail_bytes += size;
			tail_end = max(tail_end, off + size);
		}
		if (clear_run && !vvram_buddy_block_is_clear(b))
			return fail("CLEAR contiguous missed a zeroed run");
		first = off >> m->shift;
		zeroed = true;
		for (i = first; i < first + (size >> m->shift); i++) {
			if (m->state[i] & C_ALLOC)
				return fail("block overlaps allocated memory");
			if (expect && !(m->scratch[i] & C_GOT_CLEAR))
				return fail("not placed where the model expects");
			zeroed &= !!(m->state[i] & C_CLEAR);
		}
		if (vvram_buddy_block_is_clear(b) && !zeroed)
			return fail("block claims clear over dirty memory");
		if (!vvram_buddy_block_is_clear(b) && zeroed)
			return fail("block all zeroed does not claim clear");
		for (i = first; i < first + (size >> m->shift); i++)
			m->state[i] = C_ALLOC | (vvram_buddy_block_is_clear(b) ?
						 C_GOT_CLEAR : 0);
		st->clear_hits += vvram_buddy_block_is_clear(b);
		bytes += size;
		next = off + size;
	}
	if (bytes != keep)
		return fail("allocation total is not the size asked");
	if (tail_unit != U64_MAX &&
	    (tail_bytes != tail || tail_end != tail_unit + tail))
		return fail("blocks below min_block are not the trimmed tail");

	if (m->nr_allocs == m->cap_allocs) {
		m->cap_allocs = m->cap_allocs ? 2 * m->cap_allocs : 64;
		m->allocs = realloc(m->allocs,
				    m->cap_allocs * sizeof(*m->allocs));
		if (!m->allocs)
			abort();
	}
	a = malloc(sizeof(*a));
	if (!a)
		abort();
	INIT_LIST_HEAD(&a->blocks);
	list_splice_tail_init(got, &a->blocks);
	m->allocs[m->nr_allocs++] = a;
	st->allocs++;
	st->placed += expect;
	st->contig += contig;
	st->range += range;
	return 0;
}

/* Proves that a refused request indeed cannot be placed. */
static int prove_nospc(struct model *m, const struct request *r)
{
	bool range = r->flags & VVRAM_BUDDY_RANGE_ALLOCATION;
	u64 lo = range ? r->start : 0, hi = range ? r->end : m->mm.size;
	u64 align = r->min_block >> m->shift;
	u64 placed = (r->size + r->min_block - 1) / r->min_block * r->min_block;

	lo >>= m->shift;
	hi >>= m->shift;
	placed >>= m->shift;
	if (r->end && r->end - r->start == r->size)
		return has_run(m, r->start >> m->shift, r->end >> m->shift,
			       r->size >> m->shift, 1, false) ?
		       fail("exact range refused while free") : 0;
	if (placed > hi - lo)
		return 0;
	if (r->flags & VVRAM_BUDDY_CONTIGUOUS_ALLOCATION)
		return has_run(m, lo, hi, placed, align, false) ?
		       fail("contiguous refused though an aligned run exists") : 0;
	return free_pieces(m, lo, hi, align) * align >= placed ?
	       fail("refused though enough aligned free pieces exist") : 0;
}

static int op_alloc(struct model *m, struct op_source *src,
		    struct model_stats *st)
{
	u64 avail = m->mm.avail, clear_avail = m->mm.clear_avail;
	struct request r;
	LIST_HEAD(got);
	int err;

	random_request(m, src, &r);
	err = vvram_buddy_alloc_blocks(&m->mm, r.start, r.end, r.size,
				       r.min_block, &got, r.flags);
	if (invalid(m, &r) != (err == -EINVAL)) {
		tap_diag("start %llu end %llu size %llu min %llu flags %#lx: %d",
			 r.start, r.end, r.size, r.min_block, r.flags, err);
		return fail("-EINVAL disagrees with the argument rules");
	}
	if (!err)
		return accept(m, &r, &got, st);
	if (!list_empty(&got) || m->mm.avail != avail ||
	    m->mm.clear_avail != clear_avail)
		return fail("a failed allocation changed something");
	if (err == -EINVAL) {
		st->einval++;
		return 0;
	}
	if (err != -ENOSPC)
		return fail("unexpected error");
	st->nospc++;
	if (prove_nospc(m, &r)) {
		tap_diag("start %llu end %llu size %llu min %llu flags %#lx",
			 r.start, r.end, r.size, r.min_block, r.flags);
		return -1;
	}
	return 0;
}

/* The range an allocation covers if its blocks are contiguous in order. */
static bool contiguous(struct model *m, struct allocation *a, u64 *lo,
		       u64 *hi)
{
	struct vvram_buddy_block *b;

	b = list_first_entry(&a->blocks, struct vvram_buddy_block, link);
	*lo = vvram_buddy_block_offset(b);
	*hi = *lo;
	list_for_each_entry(b, &a->blocks, link) {
		if (vvram_buddy_block_offset(b) != *hi)
			return false;
		*hi += vvram_buddy_block_size(&m->mm, b);
	}
	return true;
}

static int op_trim(struct model *m, struct op_source *src,
		   struct model_stats *st)
{
	unsigned int i = pick(src, m->nr_allocs);
	struct allocation *a = m->allocs[i];
	u64 lo, hi, chunks, keep, start, *startp = NULL, p, first, n;
	struct vvram_buddy_block *b;
	bool ok = contiguous(m, a, &lo, &hi);
	int err;

	chunks = (hi - lo) >> m->shift;
	keep = 1 + pick(src, chunks);
	start = lo;
	if (pick(src, 2)) {
		start = lo + pick(src, chunks - keep + 1) * m->chunk;
		startp = &start;
	}
	err = vvram_buddy_block_trim(&m->mm, startp, keep * m->chunk,
				     &a->blocks);
	if (!ok)
		return err == -EINVAL ? 0 : fail("trim of a non-contiguous list");
	if (err)
		return fail("trim failed");
	if (!contiguous(m, a, &p, &hi) || p != start ||
	    hi - p != keep * m->chunk)
		return fail("trim kept the wrong range");
	list_for_each_entry(b, &a->blocks, link) {
		first = vvram_buddy_block_offset(b) >> m->shift;
		n = 1ULL << vvram_buddy_block_order(b);
		for (p = first; p < first + n; p++)
			if (vvram_buddy_block_is_clear(b) &&
			    !(m->state[p] & C_GOT_CLEAR))
				return fail("trim made a dirty block clear");
	}
	/* Released chunks come back dirty. */
	for (p = lo >> m->shift; p < (start >> m->shift); p++)
		m->state[p] = 0;
	for (p = (start >> m->shift) + keep; p < (lo >> m->shift) + chunks; p++)
		m->state[p] = 0;
	st->trims++;
	return 0;
}

static int op_free_block(struct model *m, struct op_source *src)
{
	unsigned int i = pick(src, m->nr_allocs);
	struct vvram_buddy_block *b;
	u64 first;

	b = list_first_entry(&m->allocs[i]->blocks, struct vvram_buddy_block,
			     link);
	list_del(&b->link);
	first = vvram_buddy_block_offset(b) >> m->shift;
	mark(m, first, first + (1ULL << vvram_buddy_block_order(b)), 0);
	vvram_buddy_free_block(&m->mm, b);
	if (list_empty(&m->allocs[i]->blocks))
		drop_allocation(m, i);
	return 0;
}

static void op_reset_clear(struct model *m, struct op_source *src)
{
	bool is_clear = pick(src, 2);
	u64 i;

	vvram_buddy_reset_clear(&m->mm, is_clear);
	for (i = 0; i < m->nr; i++)
		if (!(m->state[i] & C_ALLOC))
			m->state[i] = is_clear ? C_CLEAR : 0;
}

int model_step(struct model *m, struct op_source *src, struct model_stats *st)
{
	u64 what = pick(src, 100);
	int err = 0;

	st->ops++;
	if (what < 50 || !m->nr_allocs) {
		err = op_alloc(m, src, st);
	} else if (what < 85) {
		free_allocation(m, pick(src, m->nr_allocs), pick(src, 2));
		st->frees++;
	} else if (what < 94) {
		err = op_trim(m, src, st);
	} else if (what < 98) {
		err = op_free_block(m, src);
	} else {
		op_reset_clear(m, src);
		st->resets++;
	}
	return err ? err : model_compare(m);
}
