// SPDX-License-Identifier: MIT
/*
 * Clear on allocation: a new BO never shows what another BO wrote, in
 * any domain, with any placement flag, whether the writer was this file,
 * another file, or another process, and whether the old data reached
 * VRAM by a CPU write, a migration or an eviction.
 *
 * Runs on a 16 MiB VRAM so that a new BO must reuse dirty memory, all of
 * it CPU-visible so that mapping a BO never moves it: the placement test
 * covers the window.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvram_test.h"

#define VRAM_SIZE (16 * MiB)
#define VRAM VVRAM_GEM_DOMAIN_VRAM
#define GTT VVRAM_GEM_DOMAIN_GTT
#define CPU VVRAM_GEM_DOMAIN_CPU

static void load_small_vram(void)
{
	vt_reload_with_vram("vram_size=16777216 visible_size=16777216",
			    VRAM_SIZE, VRAM_SIZE);
}

/* Create a BO, fill it with @seed's pattern, leave it alive; */
static uint32_t dirty_bo(int fd, uint64_t size, uint32_t domains,
			 uint32_t flags, uint64_t seed)
{
	uint32_t handle = vt_bo_create(fd, size, domains, flags);
	uint8_t *map = vt_bo_map(fd, handle, size);

	vvram_pattern_fill(map, size, seed);
	vt_bo_unmap(map, size);
	return handle;
}

static void check_new_bo_zero(int fd, uint64_t size, uint32_t domains,
			      uint32_t flags, const char *what)
{
	uint32_t handle = vt_bo_create(fd, size, domains, flags);
	uint8_t *map = vt_bo_map(fd, handle, size);

	vt_check_zero(map, size, what);
	vt_bo_unmap(map, size);
	VT_OK(vvram_bo_close(fd, handle));
}

/* The whole of VRAM written and freed, then every kind of BO reads 0. */
static void new_bo_zero_after_vram_dirtied(void)
{
	static const struct {
		uint32_t domains, flags;
		const char *what;
	} kinds[] = {
		{ VRAM, 0, "new VRAM BO" },
		{ VRAM, VVRAM_GEM_CREATE_CONTIGUOUS, "new contiguous BO" },
		{ VRAM, VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED, "new visible BO" },
		{ VRAM | GTT, 0, "new VRAM-or-GTT BO" },
		{ GTT, 0, "new GTT BO" },
		{ CPU, 0, "new CPU BO" },
	};
	int fd = vt_open();
	size_t k;
	int i;

	vt_wait_idle(fd);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		uint32_t handles[4];

		/* Four 4 MiB BOs cover all of VRAM with a pattern. */
		for (i = 0; i < 4; i++)
			handles[i] = dirty_bo(fd, 4 * MiB, VRAM, 0, 10 * k + i + 1);
		for (i = 0; i < 4; i++)
			VT_OK(vvram_bo_close(fd, handles[i]));
		check_new_bo_zero(fd, 4 * MiB, kinds[k].domains, kinds[k].flags,
				  kinds[k].what);
		check_new_bo_zero(fd, 8 * MiB, kinds[k].domains, kinds[k].flags,
				  kinds[k].what);
	}
	vvram_close(fd);
}

/* Small BOs reuse dirty chunks inside larger freed blocks. */
static void small_bos_zero_after_large_freed(void)
{
	int fd = vt_open();
	uint32_t big;
	int i;

	vt_wait_idle(fd);
	big = dirty_bo(fd, VRAM_SIZE, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS, 99);
	VT_OK(vvram_bo_close(fd, big));
	for (i = 0; i < 64; i++) {
		uint64_t size = (uint64_t)(1 + i % 7) * 4 * KiB;
		uint32_t handle = vt_bo_create(fd, size, VRAM, 0);
		uint8_t *map = vt_bo_map(fd, handle, size);

		/* Keep it: the next one must come from other dirty memory. */
		vt_check_zero(map, size, "small BO carved from a freed large one");
		vt_bo_unmap(map, size);
	}
	vvram_close(fd);
}

/* Data that reached VRAM by migration or eviction is cleared too. */
static void zero_after_migrated_data_freed(void)
{
	int fd = vt_open();
	uint32_t handles[4];
	int i;

	vt_wait_idle(fd);
	/* Written in GTT, then moved into VRAM by the kernel's copy. */
	for (i = 0; i < 4; i++) {
		handles[i] = dirty_bo(fd, 4 * MiB, VRAM | GTT, 0, 200 + i);
		VT_OK(vvram_bo_migrate(fd, handles[i], GTT));
	}
	for (i = 0; i < 4; i++)
		VT_OK(vvram_bo_migrate(fd, handles[i], VRAM));
	for (i = 0; i < 4; i++)
		VT_OK(vvram_bo_close(fd, handles[i]));
	check_new_bo_zero(fd, VRAM_SIZE, VRAM, 0, "new BO after migrated data");

	/* Evicted BOs leave their old VRAM behind: the newcomer sees none of it. */
	for (i = 0; i < 4; i++)
		handles[i] = dirty_bo(fd, 4 * MiB, VRAM, 0, 300 + i);
	check_new_bo_zero(fd, 8 * MiB, VRAM, VVRAM_GEM_CREATE_CONTIGUOUS,
			  "new BO that evicted patterned BOs");
	vvram_close(fd);
}

/* One file writes, closes; another file's new BO reads zero. */
static void zero_across_files(void)
{
	int writer = vt_open(), reader = vt_open();
	int i;

	vt_wait_idle(writer);
	for (i = 0; i < 4; i++)
		dirty_bo(writer, 4 * MiB, VRAM, 0, 400 + i);
	vvram_close(writer);
	vt_wait_idle(reader);
	check_new_bo_zero(reader, VRAM_SIZE, VRAM, 0, "BO of another file");
	vvram_close(reader);
}

/*
 * Two processes at once: the writer fills VRAM and exits while holding
 * nothing; the reader, started after, sees zeros in all of VRAM. Then
 * the reverse with the reader holding zeros while the writer evicts it.
 */
static void zero_across_processes(void)
{
	int status, fd;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	VT_ASSERT(pid >= 0);
	if (pid == 0) {
		int wfd = vvram_open(VVRAM_OPEN_RENDER);
		int i;

		if (wfd < 0)
			_exit(2);
		for (i = 0; i < 4; i++)
			dirty_bo(wfd, 4 * MiB, VRAM, 0, 500 + i);
		_exit(0);
	}
	VT_ASSERT(waitpid(pid, &status, 0) == pid);
	VT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fd = vt_open();
	vt_wait_idle(fd);
	check_new_bo_zero(fd, VRAM_SIZE, VRAM, 0, "BO after another process");
	check_new_bo_zero(fd, VRAM_SIZE / 2, VRAM,
			  VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED,
			  "visible BO after another process");
	vvram_close(fd);
}

/* Dumb buffers come out zeroed too (IGT's dumb_buffer@create-clear). */
static void dumb_zero_after_dirty(void)
{
	struct drm_mode_create_dumb create = { .width = 1024, .height = 1024, .bpp = 32 };
	struct drm_mode_map_dumb map_args = { 0 };
	int fd = vt_open_primary();
	uint8_t *map;
	int i;

	vt_wait_idle(fd);
	for (i = 0; i < 4; i++)
		VT_OK(vvram_bo_close(fd, dirty_bo(fd, 4 * MiB, VRAM, 0, 600 + i)));
	VT_OK(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create));
	map_args.handle = create.handle;
	VT_OK(vvram_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map_args));
	map = mmap(NULL, create.size, PROT_READ, MAP_SHARED, fd, (off_t)map_args.offset);
	VT_ASSERT(map != MAP_FAILED);
	vt_check_zero(map, create.size, "new dumb buffer");
	vt_bo_unmap(map, create.size);
	vvram_close(fd);
}

int main(void)
{
	static const struct vt_subtest subtests[] = {
		{ "new-bo-zero-after-vram-dirtied", new_bo_zero_after_vram_dirtied },
		{ "small-bos-zero-after-large-freed", small_bos_zero_after_large_freed },
		{ "zero-after-migrated-and-evicted-data", zero_after_migrated_data_freed },
		{ "zero-across-files", zero_across_files },
		{ "zero-across-processes", zero_across_processes },
		{ "dumb-zero-after-dirty-vram", dumb_zero_after_dirty },
	};
	vt_run_after_setup("load-16MiB-vram", load_small_vram, subtests,
			   sizeof(subtests) / sizeof(subtests[0]), 300,
			   "vvram not loaded with a 16 MiB VRAM");
	return vt_exit();
}
