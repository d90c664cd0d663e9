// SPDX-License-Identifier: MIT
/*
 * Test patterns for buffer contents.
 *
 * Every 8-byte word gets a value derived from a seed and the word's own
 * offset, so a check catches not only lost data but also pages that moved
 * (a page swapped with another holds the right kind of data at the wrong
 * place), and two buffers filled with different seeds never look alike.
 * The offset is relative to the start of the buffer, so a pattern survives
 * any move that keeps the buffer's contents, which is what eviction and
 * migration must do.
 */
#include <errno.h>
#include <string.h>

#include "vvram.h"

/* splitmix64's finaliser: cheap, and every input bit reaches every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

uint64_t vvram_pattern_word(uint64_t seed, uint64_t offset_bytes)
{
	/* The seed is mixed first so that seeds s and s+1 differ everywhere. */
	return mix64(mix64(seed + 0x9e3779b97f4a7c15ull) ^ offset_bytes);
}

static uint8_t pattern_byte(uint64_t seed, uint64_t offset_bytes)
{
	uint64_t word = vvram_pattern_word(seed, offset_bytes & ~7ull);
	uint8_t bytes[8];

	/* Same byte order as the word stores of vvram_pattern_fill(). */
	memcpy(bytes, &word, sizeof(bytes));
	return bytes[offset_bytes & 7];
}

void vvram_pattern_fill(void *ptr, uint64_t size_bytes, uint64_t seed)
{
	uint8_t *bytes = ptr;
	uint64_t off = 0;

	/* Buffers are page aligned; the byte loops only serve odd sizes. */
	for (; off < size_bytes && ((uintptr_t)(bytes + off) & 7); off++)
		bytes[off] = pattern_byte(seed, off);
	for (; off + 8 <= size_bytes; off += 8) {
		uint64_t word = vvram_pattern_word(seed, off);

		memcpy(bytes + off, &word, 8);
	}
	for (; off < size_bytes; off++)
		bytes[off] = pattern_byte(seed, off);
}

/*
 * Compare byte by byte only in the word that differs, so that the report
 * names the first bad byte while the common case stays a word compare.
 */
static int first_bad_byte(const uint8_t *bytes, uint64_t from, uint64_t to,
			  uint64_t seed, const uint8_t *fixed,
			  uint64_t *bad_offset)
{
	for (; from < to; from++) {
		uint8_t want = fixed ? *fixed : pattern_byte(seed, from);

		if (bytes[from] != want) {
			if (bad_offset)
				*bad_offset = from;
			return -EILSEQ;
		}
	}
	return 0;
}

static int check(const void *ptr, uint64_t size_bytes, uint64_t seed,
		 const uint8_t *fixed, uint64_t *bad_offset)
{
	const uint8_t *bytes = ptr;
	uint64_t fixed_word = 0;
	uint64_t off = 0;

	if (fixed)
		memset(&fixed_word, *fixed, sizeof(fixed_word));
	for (; off < size_bytes && ((uintptr_t)(bytes + off) & 7); off++)
		if (first_bad_byte(bytes, off, off + 1, seed, fixed, bad_offset))
			return -EILSEQ;
	for (; off + 8 <= size_bytes; off += 8) {
		uint64_t want = fixed ? fixed_word :
				vvram_pattern_word(seed, off);
		uint64_t have;

		memcpy(&have, bytes + off, 8);
		if (have != want)
			return first_bad_byte(bytes, off, off + 8, seed, fixed,
					      bad_offset);
	}
	return first_bad_byte(bytes, off, size_bytes, seed, fixed, bad_offset);
}

int vvram_pattern_check(const void *ptr, uint64_t size_bytes, uint64_t seed,
			uint64_t *bad_offset)
{
	return check(ptr, size_bytes, seed, NULL, bad_offset);
}

int vvram_check_bytes(const void *ptr, uint64_t size_bytes, uint8_t value,
		      uint64_t *bad_offset)
{
	return check(ptr, size_bytes, 0, &value, bad_offset);
}

uint8_t vvram_pattern_expected(uint64_t seed, uint64_t offset_bytes)
{
	return pattern_byte(seed, offset_bytes);
}
