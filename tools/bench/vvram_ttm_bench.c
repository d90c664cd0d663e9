// SPDX-License-Identifier: MIT
/*
 * TTM-level benchmark of the vvram device, run in the guest once with
 * vvram.ko on allocator=vvram and once on allocator=kernel (see
 * guest-ttm-bench). It measures the whole path an application sees: GEM
 * ioctl, TTM placement, the VRAM manager and its buddy allocator, and the
 * zeroing the driver guarantees.
 *
 *   create-destroy  CREATE_DESTROY_COUNT x (create a VRAM BO, close it),
 *                   sizes cycling 4 KiB, 64 KiB, 256 KiB, 1 MiB;
 *   fill-vram       random 4 KiB..2 MiB VRAM BOs (fixed seed) until the
 *                   next one would pass the VRAM size, then close them all.
 *
 * Output, one line per test: "<test> <ms> <ops> <ok>"; exit status 1 if
 * the device cannot be opened or a test could not run.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vvram.h"

#define CREATE_DESTROY_COUNT	4000
#define FILL_SEED		0x5eed7711ull
#define FILL_MAX_BOS		65536

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* xorshift64*, the generator of the buddy workloads. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static int create_vram_bo(int fd, uint64_t size_bytes, uint32_t *handle)
{
	struct vvram_bo_params params = {
		.size_bytes = size_bytes,
		.domains = VVRAM_GEM_DOMAIN_VRAM,
	};

	return vvram_bo_create(fd, &params, handle);
}

static int bench_create_destroy(int fd)
{
	static const uint64_t sizes[] = { 4096, 65536, 262144, 1048576 };
	unsigned int i, ok = 0;
	uint32_t handle;
	uint64_t t0;

	t0 = now_ns();
	for (i = 0; i < CREATE_DESTROY_COUNT; i++) {
		if (create_vram_bo(fd, sizes[i % 4], &handle))
			continue;
		ok++;
		vvram_bo_close(fd, handle);
	}
	printf("create-destroy %.3f %u %u\n", (now_ns() - t0) / 1e6,
	       CREATE_DESTROY_COUNT, ok);
	return ok == CREATE_DESTROY_COUNT ? 0 : 1;
}

static int bench_fill(int fd)
{
	struct vvram_memory mem;
	uint64_t rng = FILL_SEED, placed = 0, size, t0;
	unsigned int n = 0, i;
	uint32_t *handles;
	int err;

	err = vvram_query_memory(fd, &mem);
	if (err) {
		fprintf(stderr, "query: %s\n", strerror(-err));
		return 1;
	}
	handles = calloc(FILL_MAX_BOS, sizeof(*handles));
	if (!handles)
		return 1;
	t0 = now_ns();
	while (n < FILL_MAX_BOS) {
		size = 4096 * (1 + next_rand(&rng) % 512);
		if (placed + size > mem.vram_total_bytes)
			break;
		if (create_vram_bo(fd, size, &handles[n]))
			break;
		placed += size;
		n++;
	}
	for (i = 0; i < n; i++)
		vvram_bo_close(fd, handles[i]);
	printf("fill-vram %.3f %u %u\n", (now_ns() - t0) / 1e6, n, n);
	free(handles);
	return 0;
}

int main(void)
{
	int fd = vvram_open(0);
	int status;

	if (fd < 0) {
		fprintf(stderr, "vvram_ttm_bench: no vvram device: %s\n",
			strerror(-fd));
		return 1;
	}
	status = bench_create_destroy(fd);
	status |= bench_fill(fd);
	vvram_close(fd);
	return status;
}
