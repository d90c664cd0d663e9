// SPDX-License-Identifier: MIT
/*
 * Userspace-only vvram_buddy tests: metadata allocation failures injected
 * at every allocation of every operation that may fail (init, each kind
 * of alloc, trim), each proven to leave no leak and no corruption; frees
 * that must not fail; and fini with blocks still allocated.
 */
#include <stdio.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vvram_buddy.h>

#include "tap.h"

#define RANGE		VVRAM_BUDDY_RANGE_ALLOCATION
#define TOPDOWN		VVRAM_BUDDY_TOPDOWN_ALLOCATION
#define CONTIG		VVRAM_BUDDY_CONTIGUOUS_ALLOCATION
#define CLEAR		VVRAM_BUDDY_CLEAR_ALLOCATION

#define SPACE		SZ_4M
#define HELD_MAX	256

static u64 rng_state;

static u64 rng(u64 bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % bound;
}

/**
 * struct scene - a fragmented allocator and what the test holds in it
 * @mm: the allocator.
 * @held: allocations kept while the operation under test runs.
 * @nr_held: entries of @held in use.
 */
struct scene {
	struct vvram_buddy mm;
	struct list_head held[HELD_MAX];
	unsigned int nr_held;
};

/*
 * Fragments [0, 3 MiB) with a fixed pattern of allocations and frees, some
 * cleared; [3 MiB, 4 MiB) stays free and one 64 KiB range there is held.
 */
static int scene_setup(struct scene *s)
{
	unsigned int i;
	LIST_HEAD(tmp);

	rng_state = 0x1234567887654321ULL;
	if (vvram_buddy_init(&s->mm, SPACE, SZ_4K))
		return -1;
	s->nr_held = 0;
	for (i = 0; i < 160; i++) {
		struct list_head *l = &s->held[s->nr_held];
		u64 size = (1 + rng(8)) * SZ_4K;

		INIT_LIST_HEAD(l);
		if (vvram_buddy_alloc_blocks(&s->mm, 0, 3 * SZ_1M, size,
					     SZ_4K << rng(3), l, RANGE))
			continue;
		if (rng(2))
			s->nr_held++;
		else
			vvram_buddy_free_list(&s->mm, l, rng(2) ?
					      VVRAM_BUDDY_CLEARED : 0);
	}
	INIT_LIST_HEAD(&s->held[s->nr_held]);
	if (vvram_buddy_alloc_blocks(&s->mm, 0, 0, SZ_64K, SZ_4K,
				     &s->held[s->nr_held], CONTIG))
		return -1;
	s->nr_held++;
	/*
	 * Last, a chunk out of the middle of the big free block: its split
	 * uses spare nodes, so the next call must allocate some first and
	 * every case below meets at least one injected failure.
	 */
	INIT_LIST_HEAD(&s->held[s->nr_held]);
	if (vvram_buddy_alloc_blocks(&s->mm, 3 * SZ_1M + SZ_4K,
				     3 * SZ_1M + SZ_8K, SZ_4K, SZ_4K,
				     &s->held[s->nr_held], RANGE))
		return -1;
	s->nr_held++;
	return vvram_buddy_check(&s->mm);
}

static void scene_teardown(struct scene *s)
{
	while (s->nr_held)
		vvram_buddy_free_list(&s->mm, &s->held[--s->nr_held], 0);
	vvram_buddy_fini(&s->mm);
}

/**
 * struct snapshot - what a failed operation must leave as it was
 * @avail: free bytes.
 * @clear_avail: zeroed free bytes (may only drop, see the core's DOC).
 * @stats: the rest of the visible state.
 */
struct snapshot {
	u64 avail;
	u64 clear_avail;
	struct vvram_buddy_stats stats;
};

static void snap(struct vvram_buddy *mm, struct snapshot *sn)
{
	sn->avail = mm->avail;
	sn->clear_avail = mm->clear_avail;
	vvram_buddy_get_stats(mm, &sn->stats);
}

static bool unchanged(struct vvram_buddy *mm, const struct snapshot *before)
{
	struct snapshot now;

	snap(mm, &now);
	if (vvram_buddy_check(mm)) {
		tap_diag("books broken after -ENOMEM");
		return false;
	}
	if (now.avail != before->avail ||
	    now.stats.nr_free_runs != before->stats.nr_free_runs ||
	    now.stats.largest_free != before->stats.largest_free ||
	    now.stats.nr_allocated_blocks != before->stats.nr_allocated_blocks) {
		tap_diag("free memory changed after -ENOMEM");
		return false;
	}
	if (now.clear_avail > before->clear_avail) {
		tap_diag("clear memory grew after -ENOMEM");
		return false;
	}
	return true;
}

/**
 * struct alloc_case - one allocation under fault injection
 * @name: TAP name.
 * @start: start argument.
 * @end: end argument.
 * @size: size argument.
 * @min_block: min_block_size argument.
 * @flags: flags argument.
 */
struct alloc_case {
	const char *name;
	u64 start, end, size, min_block;
	unsigned long flags;
};

static const struct alloc_case alloc_cases[] = {
	{ "fault: plain alloc of many pieces", 0, 0, SZ_1M + SZ_512K, SZ_4K, 0 },
	/* 255 chunks: one piece per order, each split off a larger block. */
	{ "fault: plain alloc failing between pieces", 0, 0, 255 * SZ_4K,
	  SZ_4K, 0 },
	{ "fault: top-down alloc failing between pieces", 0, 0, 255 * SZ_4K,
	  SZ_4K, TOPDOWN },
	{ "fault: clear alloc failing between pieces", 0, 0, 255 * SZ_4K,
	  SZ_4K, CLEAR },
	{ "fault: top-down alloc", 0, 0, SZ_256K, SZ_16K, TOPDOWN },
	{ "fault: clear alloc of many pieces", 0, 0, SZ_2M, SZ_4K, CLEAR },
	{ "fault: range alloc over holes", 0, 3 * SZ_1M, SZ_256K, SZ_4K, RANGE },
	{ "fault: range clear alloc", 0, 3 * SZ_1M, SZ_64K, SZ_4K, RANGE | CLEAR },
	{ "fault: contiguous alloc", 0, 0, SZ_512K + SZ_4K, SZ_4K, CONTIG },
	{ "fault: contiguous clear alloc", 0, 0, SZ_8K, SZ_8K, CONTIG | CLEAR },
	{ "fault: exact range alloc", 3 * SZ_1M + SZ_256K + SZ_4K,
	  3 * SZ_1M + SZ_256K + SZ_128K, SZ_128K - SZ_4K, SZ_4K, RANGE },
};

/* Fails allocation n, for n = 0, 1, ... until the call needs no more. */
static void test_alloc_faults(const struct alloc_case *c)
{
	unsigned long live = tools_slab_live, warns = tools_warn_count;
	unsigned int n, enomem = 0;
	struct snapshot before;
	struct scene s;
	bool pass = true;
	LIST_HEAD(got);
	int err;

	for (n = 0; pass; n++) {
		if (scene_setup(&s)) {
			tap_diag("setup failed");
			pass = false;
			break;
		}
		snap(&s.mm, &before);
		tools_slab_fail_after(n);
		err = vvram_buddy_alloc_blocks(&s.mm, c->start, c->end, c->size,
					       c->min_block, &got, c->flags);
		tools_slab_fail_off();
		if (err == -ENOMEM) {
			enomem++;
			pass = list_empty(&got) && unchanged(&s.mm, &before);
		} else if (err) {
			tap_diag("failed with %d at fault %u", err, n);
			pass = false;
		}
		vvram_buddy_free_list(&s.mm, &got, 0);
		pass = pass && !vvram_buddy_check(&s.mm);
		scene_teardown(&s);
		if (!err)
			break;
	}
	if (tools_slab_live != live || tools_warn_count != warns) {
		tap_diag("leaked %ld objects, %lu warnings",
			 (long)(tools_slab_live - live),
			 tools_warn_count - warns);
		pass = false;
	}
	tap_diag("%u injected failures before success", enomem);
	tap_result(pass && enomem > 0, c->name);
}

static void test_init_faults(void)
{
	unsigned long live = tools_slab_live;
	struct vvram_buddy mm;
	unsigned int n, enomem = 0;
	bool pass = true;
	int err;

	for (n = 0;; n++) {
		tools_slab_fail_after(n);
		/* Not a power of two: every bitset of a multi-root space. */
		err = vvram_buddy_init(&mm, SZ_256M + 3 * SZ_4K, SZ_4K);
		tools_slab_fail_off();
		if (err != -ENOMEM)
			break;
		enomem++;
		if (tools_slab_live != live) {
			tap_diag("init leaked at fault %u", n);
			pass = false;
		}
	}
	if (err) {
		tap_diag("init failed with %d", err);
		pass = false;
	} else {
		pass = pass && !vvram_buddy_check(&mm);
		vvram_buddy_fini(&mm);
	}
	pass = pass && tools_slab_live == live;
	tap_result(pass && enomem > 0, "fault: init fails cleanly at every allocation");
}

static void test_trim_faults(void)
{
	unsigned long live = tools_slab_live;
	unsigned int n, enomem = 0;
	struct vvram_buddy_block *b;
	struct snapshot before;
	struct list_head *l;
	struct scene s;
	u64 start, first;
	bool pass = true;
	int err;

	for (n = 0; pass; n++) {
		if (scene_setup(&s)) {
			pass = false;
			break;
		}
		l = &s.held[s.nr_held - 2];	/* the 64 KiB contiguous one */
		first = vvram_buddy_block_offset(list_first_entry(l,
					struct vvram_buddy_block, link));
		start = first + 3 * SZ_4K;
		snap(&s.mm, &before);
		tools_slab_fail_after(n);
		err = vvram_buddy_block_trim(&s.mm, &start, 5 * SZ_4K, l);
		tools_slab_fail_off();
		if (err == -ENOMEM) {
			enomem++;
			b = list_first_entry(l, struct vvram_buddy_block, link);
			pass = vvram_buddy_block_offset(b) == first &&
			       unchanged(&s.mm, &before);
		} else if (err) {
			pass = false;
		}
		scene_teardown(&s);
		if (!err)
			break;
	}
	pass = pass && tools_slab_live == live;
	tap_diag("%u injected failures before success", enomem);
	tap_result(pass && enomem > 0, "fault: trim leaves the list and pool unchanged");
}

/* Frees and reset_clear run with every fallible allocation failing. */
static void test_free_never_fails(void)
{
	unsigned long live = tools_slab_live;
	struct scene s;
	bool pass;

	pass = !scene_setup(&s);
	tools_slab_fail_after(0);
	while (s.nr_held) {
		s.nr_held--;
		vvram_buddy_free_list(&s.mm, &s.held[s.nr_held],
				      s.nr_held & 1 ? VVRAM_BUDDY_CLEARED : 0);
	}
	vvram_buddy_reset_clear(&s.mm, true);
	tools_slab_fail_off();
	pass = pass && !vvram_buddy_check(&s.mm) && s.mm.avail == s.mm.size &&
	       s.mm.clear_avail <= s.mm.avail;
	vvram_buddy_fini(&s.mm);
	pass = pass && tools_slab_live == live;
	tap_result(pass, "fault: frees and reset_clear succeed with allocation failing");
}

static void test_fini_with_blocks_warns_once(void)
{
	unsigned long live = tools_slab_live, warns = tools_warn_count;
	struct vvram_buddy mm;
	LIST_HEAD(got);
	bool pass;

	pass = !vvram_buddy_init(&mm, SZ_16M, SZ_4K) &&
	       !vvram_buddy_alloc_blocks(&mm, 0, 0, SZ_1M + SZ_4K, SZ_4K, &got,
					 0);
	vvram_buddy_fini(&mm);
	pass = pass && tools_warn_count == warns + 1;
	/* The caller's two blocks lived in the instance's slabs: gone too. */
	pass = pass && tools_slab_live == live;
	tap_result(pass, "fini with blocks still allocated warns once and frees its metadata");
}

int main(void)
{
	unsigned int i;

	test_init_faults();
	for (i = 0; i < sizeof(alloc_cases) / sizeof(alloc_cases[0]); i++)
		test_alloc_faults(&alloc_cases[i]);
	test_trim_faults();
	test_free_never_fails();
	test_fini_with_blocks_warns_once();
	return tap_done();
}
