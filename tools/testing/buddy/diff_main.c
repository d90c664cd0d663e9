// SPDX-License-Identifier: MIT
/*
 * Differential random test: millions of random operations on allocators
 * of many shapes, each checked against the reference model (model.c).
 * Usage: buddy_diff [total_ops [seed]]; prints one TAP line per shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/bug.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "model.h"
#include "tap.h"

#ifndef DIFF_DEFAULT_OPS
#define DIFF_DEFAULT_OPS 1000000UL
#endif
#define OPS_PER_ALLOCATOR 3000

static u64 xorshift(void *arg)
{
	u64 *s = arg;

	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/**
 * struct shape - one family of allocators
 * @name: TAP name.
 * @chunk: chunk size.
 * @min_chunks: smallest chunk count.
 * @max_chunks: largest chunk count.
 * @pow2: chunk counts are powers of two only.
 * @share: this shape runs total_ops / @share operations; large spaces
 *	cost O(chunks) per operation to check, so they get fewer.
 */
struct shape {
	const char *name;
	u64 chunk;
	u64 min_chunks;
	u64 max_chunks;
	bool pow2;
	unsigned long share;
};

static const struct shape shapes[] = {
	{ "differential: small spaces, 1-64 chunks of 4 KiB", SZ_4K, 1, 64, false,  4 },
	{ "differential: 65-1024 chunks of 4 KiB, any size", SZ_4K, 65, 1024, false,  4 },
	{ "differential: power-of-two spaces, 64 KiB chunks", SZ_64K, 1, 1024, true,  4 },
	{ "differential: 1025-2048 chunks of 8 KiB", SZ_8K, 1025, 2048, false,  4 },
	/* Deep enough for three summary levels in the chunk bitsets. */
	{ "differential: 262145-300000 chunks of 4 KiB", SZ_4K, 262145, 300000,
	  false, 512 },
};

static bool run_shape(const struct shape *sh, unsigned long ops, u64 *seed)
{
	struct op_source src = { .next = xorshift, .arg = seed };
	struct model_stats st = { 0 };
	unsigned long warns = tools_warn_count, live = tools_slab_live;
	unsigned long done;
	bool pass = true;
	u64 nr;

	while (st.ops < ops && pass) {
		struct model *m;

		nr = sh->min_chunks + xorshift(seed) %
		     (sh->max_chunks - sh->min_chunks + 1);
		if (sh->pow2)
			nr = 1ULL << ilog2(nr);
		m = model_new(nr, sh->chunk);
		if (!m) {
			tap_diag("cannot create an allocator of %llu chunks", nr);
			return tap_result(false, sh->name);
		}
		for (done = 0; done < OPS_PER_ALLOCATOR && st.ops < ops; done++) {
			if (model_step(m, &src, &st)) {
				tap_diag("at op %lu of an allocator of %llu chunks",
					 st.ops, nr);
				pass = false;
				break;
			}
		}
		if (model_free(m))
			pass = false;
	}
	if (tools_warn_count != warns) {
		tap_diag("warnings raised");
		pass = false;
	}
	if (tools_slab_live != live) {
		tap_diag("%ld objects leaked", (long)(tools_slab_live - live));
		pass = false;
	}
	tap_diag("%lu ops: %lu allocs (%lu contiguous, %lu range, %lu clear blocks)",
		 st.ops, st.allocs, st.contig, st.range, st.clear_hits);
	tap_diag("%lu placed where the model expects", st.placed);
	tap_diag("%lu -ENOSPC and %lu -EINVAL proven, %lu frees, %lu trims, %lu resets",
		 st.nospc, st.einval, st.frees, st.trims, st.resets);
	return tap_result(pass, sh->name);
}

int main(int argc, char **argv)
{
	unsigned long total = argc > 1 ? strtoul(argv[1], NULL, 0) :
			      DIFF_DEFAULT_OPS;
	u64 seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed5eed1234ULL;
	unsigned int i;

	tap_diag("seed %#llx, %lu operations", seed, total);
	for (i = 0; i < ARRAY_SIZE(shapes); i++)
		run_shape(&shapes[i], total / shapes[i].share, &seed);
	return tap_done();
}
