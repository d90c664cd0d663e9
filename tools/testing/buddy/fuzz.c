// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the input is a sequence of operation choices fed to
 * the reference model (model.c), which runs them on a fresh allocator and
 * checks every result; any mismatch aborts, which libFuzzer reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <linux/types.h>

#include "model.h"

/**
 * struct byte_source - the fuzz input, consumed two bytes per choice
 * @data: the input.
 * @size: its length.
 * @pos: bytes consumed.
 * @src: the &struct op_source that reads it.
 */
struct byte_source {
	const uint8_t *data;
	size_t size;
	size_t pos;
	struct op_source *src;
};

static u64 next_choice(void *arg)
{
	struct byte_source *bs = arg;
	u64 v;

	if (bs->pos + 2 > bs->size) {
		bs->src->exhausted = true;
		return 0;
	}
	v = bs->data[bs->pos] | (u64)bs->data[bs->pos + 1] << 8;
	bs->pos += 2;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct op_source src = { .next = next_choice };
	struct byte_source bs = { .data = data, .size = size, .src = &src };
	struct model_stats st = { 0 };
	struct model *m;
	u64 nr, chunk;

	src.arg = &bs;
	nr = 1 + next_choice(&bs) % 300;
	chunk = 4096ULL << (next_choice(&bs) % 3);
	m = model_new(nr, chunk);
	if (!m)
		abort();
	while (!src.exhausted && st.ops < 400)
		if (model_step(m, &src, &st))
			abort();
	if (model_free(m))
		abort();
	return 0;
}
