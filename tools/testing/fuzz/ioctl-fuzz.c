// SPDX-License-Identifier: MIT
/*
 * ioctl-fuzz: random, type-aware ioctl sequences against vvram, from
 * several processes and threads at once.
 *
 * Every thread runs its own sequence, drawn from a generator seeded by the
 * run's seed and the thread's number, so one seed gives the same calls
 * (though not the same interleaving) again.  The calls cover vvram's own
 * ioctls and the generic GEM, PRIME, dumb-buffer, syncobj and KMS ones.
 * Their arguments mix valid values with boundary values, wrong, freed and
 * other clients' handles, overflowing sizes, unaligned values and reserved
 * bits.  Between calls, threads map and unmap BOs, fork children that use
 * the inherited files, start children that are killed half way, and close
 * and reopen their files.
 *
 * What makes a run fail, naming its seed:
 *  - a call whose result is no clean errno (see errno_is_clean()), or that
 *    succeeds on a handle just closed;
 *  - a new BO that does not read as zeros (another client's data), or a
 *    BO of the thread's own whose pattern changed (migration, eviction,
 *    pinning and the other threads' pressure must keep its data);
 *  - a device that, once every client is gone, does not give its VRAM
 *    back or does not work.
 * The kernel's side is judged by the guest harness's dmesg gate: any
 * warning, oops, KASAN or lockdep report fails the run.
 *
 * Usage: ioctl-fuzz [--seed N] [--ops N] [--seconds S] [--procs P]
 *                   [--threads T] [--fail-random]
 * Bounded by --ops calls per thread and by --seconds, whichever comes
 * first.  Prints the seed first and counts per operation at the end.
 * --fail-random marks each thread for fault injection (make-it-fail)
 * around the operations that are only ioctls; the caller sets up the
 * debug kernel's failslab and fail_page_alloc (tools/testing/fuzz/
 * guest-fault-inject).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#include "vvram.h"

#define MAX_BOS		12	/* tracked BOs per thread */
#define MAX_MAPS	8
#define MAX_SIZE	(4ull << 20)	/* of a tracked BO */
#define SHARED_HANDLES	256

/* A generator per thread: xorshift64*, seeded through splitmix64. */
struct rng {
	uint64_t state;
};

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t next(struct rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* Sizes a real client would never ask for, and some it would. */
static uint64_t any_size(struct rng *r)
{
	static const uint64_t edges[] = {
		0, 1, 4095, 4096, 4097, 65536, 1ull << 31, 1ull << 32,
		1ull << 40, UINT64_MAX, UINT64_MAX - 4095, 1ull << 63,
	};

	if (chance(r, 60))
		return 1 + below(r, MAX_SIZE);
	if (chance(r, 70))
		return edges[below(r, sizeof(edges) / sizeof(edges[0]))];
	return next(r);
}

/* 32-bit values: small, boundary, or any bits at all. */
static uint32_t any_u32(struct rng *r, uint32_t valid_mask)
{
	switch (below(r, 5)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)next(r);
	case 2:
		return UINT32_MAX;
	default:
		return (uint32_t)next(r) & valid_mask;
	}
}

/* The operations, for the counts printed at the end. */
enum op {
	OP_CREATE, OP_CREATE_ANY, OP_CLOSE, OP_USE_AFTER_CLOSE, OP_MMAP,
	OP_MUNMAP, OP_MMAP_ANY, OP_INFO, OP_MIGRATE, OP_PIN, OP_QUERY,
	OP_PRIME, OP_DUMB, OP_SYNCOBJ, OP_ADDFB, OP_MODESET, OP_ATOMIC,
	OP_FLIP, OP_PROPS, OP_FOREIGN, OP_VERIFY, OP_FORK, OP_KILL, OP_REOPEN,
	OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
	"create", "create-any", "close", "use-after-close", "mmap", "munmap",
	"mmap-any", "info", "migrate", "pin", "query", "prime", "dumb",
	"syncobj", "addfb", "modeset", "atomic", "flip", "props", "foreign",
	"verify", "fork", "kill", "reopen",
};

/* Shared by every process: handle numbers in use, and the counts. */
struct shared {
	uint32_t handles[SHARED_HANDLES];
	uint64_t calls[OP_COUNT];
	uint64_t failures;
};

static struct shared *shared;
static uint64_t run_seed;
static time_t deadline;

/* A BO of the thread's own, on its main file, with a known pattern. */
struct tracked {
	uint32_t handle;
	uint64_t size, seed;
	bool mappable;
};

struct mapping {
	void *ptr;
	uint64_t size;
	struct tracked *bo;	/* NULL: a mapping of another kind */
};

struct thread {
	unsigned int id;
	struct rng rng;
	int main_fd;	/* render node: tracked BOs only */
	int chaos_fd;	/* primary node: everything else, and KMS */
	struct tracked bos[MAX_BOS];
	unsigned int num_bos;
	struct mapping maps[MAX_MAPS];
	unsigned int num_maps;
	uint64_t ops;
	bool leaf;	/* a child of op_kill(): starts no processes */
	int make_it_fail_fd;	/* --fail-random: this thread's flag */
	bool injecting;		/* the flag is on */
};

static void make_it_fail(struct thread *t, bool on);

/*
 * Reads a byte of a mapping, with no fault injected into the page fault:
 * TTM answers a fault whose page allocation fails with SIGBUS, as it
 * documents, and that is not what the fuzzer is after.
 */
static void touch(struct thread *t, const void *ptr)
{
	bool injecting = t->injecting;

	if (injecting)
		make_it_fail(t, false);
	*(const volatile char *)ptr;
	if (injecting)
		make_it_fail(t, true);
}

static void count(enum op op)
{
	__atomic_fetch_add(&shared->calls[op], 1, __ATOMIC_RELAXED);
}

#define failf(t, ...) do {						\
	fprintf(stderr, "ioctl-fuzz: FAIL (seed %" PRIu64 ", thread %u, call %" PRIu64 "): ", \
		run_seed, (t)->id, (t)->ops);				\
	fprintf(stderr, __VA_ARGS__);					\
	__atomic_fetch_add(&shared->failures, 1, __ATOMIC_RELAXED);	\
} while (0)

/*
 * The errnos an ioctl may answer bad input with. Anything else (EFAULT on
 * a valid pointer, ENOTTY, EIO...) is a bug, as is a crash.
 */
static bool errno_is_clean(int err)
{
	switch (-err) {
	case 0: case EINVAL: case ENOENT: case ENOMEM: case ENOSPC:
	case E2BIG: case EPERM: case EACCES: case EBUSY: case EOPNOTSUPP:
	case ERANGE: case EOVERFLOW: case ETIME: case EAGAIN: case EBADF:
	case EINTR: case EDEADLK: case ENOSYS:
		return true;
	default:
		return false;
	}
}

static int checked(struct thread *t, const char *what, int ret)
{
	if (!errno_is_clean(ret))
		failf(t, "%s returned %d (%s), not a clean errno\n", what, ret,
		      strerror(-ret));
	return ret;
}

static int xioctl(struct thread *t, int fd, unsigned long req, void *arg,
		  const char *what)
{
	return checked(t, what, vvram_ioctl(fd, req, arg));
}

/* Any handle number: ours, another client's, one just freed, or junk. */
static uint32_t any_handle(struct thread *t)
{
	switch (below(&t->rng, 4)) {
	case 0:
		return t->num_bos ? t->bos[below(&t->rng, t->num_bos)].handle : 1;
	case 1:
		return __atomic_load_n(&shared->handles[below(&t->rng, SHARED_HANDLES)],
				       __ATOMIC_RELAXED);
	case 2:
		return (uint32_t)below(&t->rng, 64);
	default:
		return any_u32(&t->rng, 0xffff);
	}
}

static void publish_handle(uint32_t handle)
{
	static unsigned int slot;

	__atomic_store_n(&shared->handles[__atomic_fetch_add(&slot, 1, __ATOMIC_RELAXED) %
					  SHARED_HANDLES], handle, __ATOMIC_RELAXED);
}

static void check_pattern(struct thread *t, const void *ptr, uint64_t size,
			  uint64_t seed, const char *what)
{
	uint64_t bad;

	if (vvram_pattern_check(ptr, size, seed, &bad))
		failf(t, "%s: byte %#" PRIx64 " of %#" PRIx64 " lost its data\n",
		      what, bad, size);
}

/* ---- tracked BOs: created valid, zero-checked, filled, verified ---- */

static void op_create(struct thread *t)
{
	static const uint32_t domains[] = {
		VVRAM_GEM_DOMAIN_VRAM, VVRAM_GEM_DOMAIN_GTT,
		VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT,
		VVRAM_GEM_DOMAIN_VRAM | VVRAM_GEM_DOMAIN_GTT | VVRAM_GEM_DOMAIN_CPU,
	};
	struct vvram_bo_params params = {
		.size_bytes = (1 + below(&t->rng, MAX_SIZE >> 12)) << 12,
		.domains = domains[below(&t->rng, 4)],
	};
	struct tracked *bo;
	void *ptr;
	int ret;

	if (t->num_bos == MAX_BOS)
		return;
	if (chance(&t->rng, 20))
		params.flags |= VVRAM_GEM_CREATE_CONTIGUOUS;
	if (chance(&t->rng, 20))
		params.flags |= VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED;
	count(OP_CREATE);
	bo = &t->bos[t->num_bos];
	ret = checked(t, "GEM_CREATE", vvram_bo_create(t->main_fd, &params, &bo->handle));
	if (ret)
		return;
	bo->size = params.size_bytes;
	bo->seed = next(&t->rng);
	bo->mappable = true;
	ret = checked(t, "mmap of a new BO",
		      vvram_bo_mmap(t->main_fd, bo->handle, bo->size,
				    PROT_READ | PROT_WRITE, &ptr));
	if (ret) {
		vvram_bo_close(t->main_fd, bo->handle);
		return;
	}
	{
		uint64_t bad;

		if (vvram_check_bytes(ptr, bo->size, 0, &bad))
			failf(t, "a new BO of %#" PRIx64 " bytes is not zeroed at %#" PRIx64 "\n",
			      bo->size, bad);
	}
	vvram_pattern_fill(ptr, bo->size, bo->seed);
	munmap(ptr, bo->size);
	t->num_bos++;
	publish_handle(bo->handle);
}

static void verify_bo(struct thread *t, struct tracked *bo)
{
	void *ptr;

	count(OP_VERIFY);
	if (checked(t, "mmap to verify",
		    vvram_bo_mmap(t->main_fd, bo->handle, bo->size, PROT_READ, &ptr)))
		return;
	check_pattern(t, ptr, bo->size, bo->seed, "a tracked BO");
	munmap(ptr, bo->size);
}

static void drop_maps_of(struct thread *t, struct tracked *bo)
{
	for (unsigned int i = 0; i < t->num_maps; i++) {
		if (t->maps[i].bo != bo)
			continue;
		munmap(t->maps[i].ptr, t->maps[i].size);
		t->maps[i--] = t->maps[--t->num_maps];
	}
}

static void op_close(struct thread *t)
{
	struct tracked *bo;
	uint32_t handle;
	int ret;

	if (!t->num_bos)
		return;
	bo = &t->bos[below(&t->rng, t->num_bos)];
	verify_bo(t, bo);
	drop_maps_of(t, bo);
	handle = bo->handle;
	count(OP_CLOSE);
	ret = checked(t, "GEM_CLOSE", vvram_bo_close(t->main_fd, handle));
	if (ret)
		failf(t, "GEM_CLOSE of a live handle failed: %d\n", ret);
	*bo = t->bos[--t->num_bos];
	for (unsigned int i = 0; i < t->num_maps; i++)
		if (t->maps[i].bo == &t->bos[t->num_bos])
			t->maps[i].bo = bo;

	/* The handle is gone until the next create: every use is ENOENT. */
	if (chance(&t->rng, 50)) {
		struct drm_vvram_gem_migrate migrate = {
			.handle = handle, .domain = VVRAM_GEM_DOMAIN_GTT,
		};
		uint64_t offset;
		int dmabuf;

		count(OP_USE_AFTER_CLOSE);
		if (!vvram_bo_mmap_offset(t->main_fd, handle, &offset))
			failf(t, "MMAP_OFFSET of closed handle %u succeeded\n", handle);
		if (!vvram_ioctl(t->main_fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, &migrate))
			failf(t, "MIGRATE of closed handle %u succeeded\n", handle);
		if (!drmPrimeHandleToFD(t->main_fd, handle, DRM_CLOEXEC, &dmabuf)) {
			failf(t, "PRIME export of closed handle %u succeeded\n", handle);
			close(dmabuf);
		}
	}
}

static void op_mmap(struct thread *t)
{
	struct mapping *m;
	struct tracked *bo;

	if (!t->num_bos || t->num_maps == MAX_MAPS)
		return;
	bo = &t->bos[below(&t->rng, t->num_bos)];
	m = &t->maps[t->num_maps];
	count(OP_MMAP);
	if (checked(t, "mmap", vvram_bo_mmap(t->main_fd, bo->handle, bo->size,
					     PROT_READ | PROT_WRITE, &m->ptr)))
		return;
	m->size = bo->size;
	m->bo = bo;
	t->num_maps++;
	/* A mapping kept open across the other threads' evictions. */
	check_pattern(t, m->ptr, m->size, bo->seed, "a mapped BO");
}

static void op_munmap(struct thread *t)
{
	struct mapping *m;

	if (!t->num_maps)
		return;
	count(OP_MUNMAP);
	m = &t->maps[below(&t->rng, t->num_maps)];
	if (m->bo)
		check_pattern(t, m->ptr, m->size, m->bo->seed, "a mapping before munmap");
	/* Part of it first, sometimes: the rest stays valid. */
	if (m->size > 8192 && chance(&t->rng, 30)) {
		munmap(m->ptr, 4096);
		for (uint64_t off = 4096; m->bo && off < m->size; off += 4096) {
			uint64_t word = *(volatile uint64_t *)((char *)m->ptr + off);

			if (word != vvram_pattern_word(m->bo->seed, off)) {
				failf(t, "the rest of a partly unmapped BO lost its data at %#" PRIx64 "\n",
				      off);
				break;
			}
		}
		munmap((char *)m->ptr + 4096, m->size - 4096);
	} else {
		munmap(m->ptr, m->size);
	}
	*m = t->maps[--t->num_maps];
}

static void op_migrate(struct thread *t)
{
	struct drm_vvram_gem_migrate migrate = {
		.handle = any_handle(t),
		.domain = chance(&t->rng, 80) ? 1u << below(&t->rng, 3) :
			  any_u32(&t->rng, 7),
		.flags = chance(&t->rng, 90) ? 0 : any_u32(&t->rng, UINT32_MAX),
		.pad = chance(&t->rng, 95) ? 0 : 1,
		.reserved = chance(&t->rng, 95) ? 0 : next(&t->rng),
	};

	count(OP_MIGRATE);
	xioctl(t, t->main_fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, &migrate, "GEM_MIGRATE");
}

static void op_pin(struct thread *t)
{
	struct drm_vvram_gem_pin pin = {
		.handle = any_handle(t),
		.domain = chance(&t->rng, 80) ? 1u << below(&t->rng, 3) :
			  any_u32(&t->rng, 7),
		.flags = chance(&t->rng, 50) ? VVRAM_GEM_PIN_UNPIN :
			 chance(&t->rng, 90) ? 0 : any_u32(&t->rng, UINT32_MAX),
		.reserved = chance(&t->rng, 95) ? 0 : next(&t->rng),
	};

	count(OP_PIN);
	xioctl(t, t->main_fd, DRM_IOCTL_VVRAM_GEM_PIN, &pin, "GEM_PIN");
	/* Do not leave pins behind to starve the others for good. */
	if (!(pin.flags & VVRAM_GEM_PIN_UNPIN) && chance(&t->rng, 70)) {
		pin.flags = VVRAM_GEM_PIN_UNPIN;
		xioctl(t, t->main_fd, DRM_IOCTL_VVRAM_GEM_PIN, &pin, "GEM_PIN unpin");
	}
}

static void op_info(struct thread *t)
{
	struct drm_vvram_gem_block blocks[4];
	struct drm_vvram_gem_info info = {
		.handle = any_handle(t),
		.num_blocks = (uint32_t)below(&t->rng, 5),
		.flags = chance(&t->rng, 90) ? 0 : any_u32(&t->rng, UINT32_MAX),
	};
	int ret;

	/* A good array, none, or a pointer the kernel must refuse. */
	switch (below(&t->rng, 4)) {
	case 0:
		info.blocks_ptr = 0;
		break;
	case 1:
		info.blocks_ptr = next(&t->rng) | (1ull << 63);
		break;
	default:
		info.blocks_ptr = (uintptr_t)blocks;
		break;
	}
	count(OP_INFO);
	ret = vvram_ioctl(t->main_fd, DRM_IOCTL_VVRAM_GEM_INFO, &info);
	if (ret != -EFAULT || info.blocks_ptr == (uintptr_t)blocks)
		checked(t, "GEM_INFO", ret);
}

static void op_query(struct thread *t)
{
	struct drm_vvram_query_mem_regions regions;
	struct drm_vvram_query query = {
		.query = chance(&t->rng, 80) ? VVRAM_QUERY_MEM_REGIONS :
			 any_u32(&t->rng, 7),
		.size = chance(&t->rng, 70) ? sizeof(regions) :
			any_u32(&t->rng, 1023),
		.data = chance(&t->rng, 90) ? (uintptr_t)&regions : next(&t->rng),
		.reserved = chance(&t->rng, 95) ? 0 : 1,
	};
	int ret;

	if (query.size > sizeof(regions) && query.data == (uintptr_t)&regions)
		query.size = sizeof(regions);
	count(OP_QUERY);
	ret = vvram_ioctl(t->main_fd, DRM_IOCTL_VVRAM_QUERY, &query);
	if (ret != -EFAULT || query.data == (uintptr_t)&regions)
		checked(t, "QUERY", ret);
}

/* GEM_CREATE with any arguments at all, on the chaos file. */
static void op_create_any(struct thread *t)
{
	struct drm_vvram_gem_create create = {
		.size = any_size(&t->rng),
		.alignment = chance(&t->rng, 50) ? 0 : any_size(&t->rng),
		.domains = any_u32(&t->rng, 7),
		.flags = any_u32(&t->rng, 7),
		.pad = chance(&t->rng, 95) ? 0 : 1,
	};
	struct drm_gem_close close_arg = {};

	if (chance(&t->rng, 5))
		create.reserved[below(&t->rng, 2)] = next(&t->rng);
	count(OP_CREATE_ANY);
	if (xioctl(t, t->chaos_fd, DRM_IOCTL_VVRAM_GEM_CREATE, &create, "GEM_CREATE any"))
		return;
	publish_handle(create.handle);
	if (chance(&t->rng, 60)) {
		close_arg.handle = create.handle;
		xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_CLOSE, &close_arg, "GEM_CLOSE");
	}
}

static void op_mmap_any(struct thread *t)
{
	struct drm_vvram_gem_mmap_offset arg = {
		.handle = any_handle(t),
		.flags = chance(&t->rng, 90) ? 0 : any_u32(&t->rng, UINT32_MAX),
	};
	uint64_t len = chance(&t->rng, 50) ? 4096 : any_size(&t->rng) & ((1ull << 30) - 1);
	void *ptr;

	count(OP_MMAP_ANY);
	if (xioctl(t, t->chaos_fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &arg, "MMAP_OFFSET"))
		arg.offset = next(&t->rng) & ~4095ull;
	if (chance(&t->rng, 20))
		arg.offset += 4096 * below(&t->rng, 1024);
	ptr = mmap(NULL, len ? len : 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		   t->chaos_fd, (off_t)arg.offset);
	if (ptr == MAP_FAILED)
		return;
	/* Touching may fault with SIGBUS only past the BO's end: stay in. */
	touch(t, ptr);
	munmap(ptr, len ? len : 4096);
}

static void op_prime(struct thread *t)
{
	uint32_t handle = any_handle(t), imported;
	int fd = chance(&t->rng, 50) ? t->main_fd : t->chaos_fd, dmabuf;
	uint32_t flags = chance(&t->rng, 80) ? DRM_CLOEXEC | (chance(&t->rng, 50) ? DRM_RDWR : 0)
					    : any_u32(&t->rng, UINT32_MAX);

	count(OP_PRIME);
	if (checked(t, "PRIME export", drmPrimeHandleToFD(fd, handle, flags, &dmabuf) ? -errno : 0))
		return;
	/* Into the other file, then away again; or a mapping of the dma-buf. */
	if (!checked(t, "PRIME import", drmPrimeFDToHandle(t->chaos_fd, dmabuf, &imported) ?
		     -errno : 0)) {
		struct drm_gem_close arg = { .handle = imported };

		if (chance(&t->rng, 50))
			xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_CLOSE, &arg, "GEM_CLOSE import");
	}
	if (chance(&t->rng, 30)) {
		void *ptr = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dmabuf, 0);

		if (ptr != MAP_FAILED) {
			touch(t, ptr);
			munmap(ptr, 4096);
		}
	}
	close(dmabuf);
}

static void op_dumb(struct thread *t)
{
	struct drm_mode_create_dumb create = {
		.width = chance(&t->rng, 70) ? 1 + below(&t->rng, 2048) : any_u32(&t->rng, 0xffff),
		.height = chance(&t->rng, 70) ? 1 + below(&t->rng, 2048) : any_u32(&t->rng, 0xffff),
		.bpp = chance(&t->rng, 70) ? 32 : any_u32(&t->rng, 64),
		.flags = chance(&t->rng, 95) ? 0 : any_u32(&t->rng, UINT32_MAX),
	};
	struct drm_mode_map_dumb map = {};
	struct drm_mode_destroy_dumb destroy = {};

	count(OP_DUMB);
	if (xioctl(t, t->chaos_fd, DRM_IOCTL_MODE_CREATE_DUMB, &create, "CREATE_DUMB"))
		return;
	publish_handle(create.handle);
	map.handle = chance(&t->rng, 80) ? create.handle : any_handle(t);
	xioctl(t, t->chaos_fd, DRM_IOCTL_MODE_MAP_DUMB, &map, "MAP_DUMB");
	if (chance(&t->rng, 50)) {
		destroy.handle = create.handle;
		xioctl(t, t->chaos_fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy, "DESTROY_DUMB");
	}
}

static void op_syncobj(struct thread *t)
{
	uint32_t handle = 0, other = any_u32(&t->rng, 0xff);
	int fd = t->chaos_fd, sync_fd;
	uint64_t point = below(&t->rng, 4);

	count(OP_SYNCOBJ);
	if (checked(t, "SYNCOBJ_CREATE",
		    drmSyncobjCreate(fd, chance(&t->rng, 50) ? DRM_SYNCOBJ_CREATE_SIGNALED :
				     any_u32(&t->rng, 3), &handle) ? -errno : 0))
		return;
	switch (below(&t->rng, 5)) {
	case 0:
		checked(t, "SYNCOBJ_WAIT",
			drmSyncobjWait(fd, chance(&t->rng, 80) ? &handle : &other, 1, 0,
				       any_u32(&t->rng, 7), NULL) ? -errno : 0);
		break;
	case 1:
		checked(t, "SYNCOBJ_TIMELINE_SIGNAL",
			drmSyncobjTimelineSignal(fd, &handle, &point, 1) ? -errno : 0);
		break;
	case 2:
		if (!checked(t, "SYNCOBJ_HANDLE_TO_FD",
			     drmSyncobjHandleToFD(fd, chance(&t->rng, 80) ? handle : other,
						  &sync_fd) ? -errno : 0))
			close(sync_fd);
		break;
	case 3:
		checked(t, "SYNCOBJ_RESET", drmSyncobjReset(fd, &handle, 1) ? -errno : 0);
		break;
	default:
		checked(t, "SYNCOBJ_QUERY",
			drmSyncobjQuery(fd, chance(&t->rng, 80) ? &handle : &other, &point, 1) ?
			-errno : 0);
		break;
	}
	checked(t, "SYNCOBJ_DESTROY",
		drmSyncobjDestroy(fd, chance(&t->rng, 90) ? handle : other) ? -errno : 0);
}

/* ---- KMS, on the chaos file: master or not, whoever got there first ---- */

static uint32_t any_fourcc(struct rng *r)
{
	static const uint32_t formats[] = {
		DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_RGB565,
		DRM_FORMAT_XBGR8888, DRM_FORMAT_NV12, DRM_FORMAT_YUV420,
		DRM_FORMAT_RGB888, 0, 0x20202020,
	};

	return formats[below(r, sizeof(formats) / sizeof(formats[0]))];
}

static uint32_t any_object(struct thread *t, drmModeRes *res)
{
	switch (below(&t->rng, 4)) {
	case 0:
		return res && res->count_crtcs ? res->crtcs[below(&t->rng, res->count_crtcs)] : 0;
	case 1:
		return res && res->count_connectors ?
		       res->connectors[below(&t->rng, res->count_connectors)] : 0;
	case 2:
		return res && res->count_fbs ? res->fbs[below(&t->rng, res->count_fbs)] : 0;
	default:
		return any_u32(&t->rng, 0xff);
	}
}

static void op_addfb(struct thread *t)
{
	uint32_t handles[4] = {}, pitches[4] = {}, offsets[4] = {}, fb;
	uint64_t modifiers[4] = {};
	uint32_t width = chance(&t->rng, 80) ? 1 + below(&t->rng, 1920) : any_u32(&t->rng, 0xffff);
	uint32_t height = chance(&t->rng, 80) ? 1 + below(&t->rng, 1080) : any_u32(&t->rng, 0xffff);
	uint32_t flags = chance(&t->rng, 80) ? 0 : any_u32(&t->rng, 3);
	struct drm_mode_create_dumb dumb = { .width = width, .height = height, .bpp = 32 };

	count(OP_ADDFB);
	if (chance(&t->rng, 70) && width <= 4096 && height <= 4096 &&
	    !xioctl(t, t->chaos_fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb, "CREATE_DUMB")) {
		handles[0] = dumb.handle;
		pitches[0] = dumb.pitch;
	} else {
		handles[0] = any_handle(t);
		pitches[0] = any_u32(&t->rng, 0x3fff);
	}
	for (int i = 1; i < 4; i++) {
		if (chance(&t->rng, 30)) {
			handles[i] = chance(&t->rng, 50) ? handles[0] : any_handle(t);
			pitches[i] = any_u32(&t->rng, 0x3fff);
			offsets[i] = any_u32(&t->rng, 0xffffff);
		}
	}
	if (chance(&t->rng, 20)) {
		flags |= DRM_MODE_FB_MODIFIERS;
		modifiers[0] = chance(&t->rng, 50) ? DRM_FORMAT_MOD_LINEAR : next(&t->rng);
	}
	if (!checked(t, "ADDFB2",
		     drmModeAddFB2WithModifiers(t->chaos_fd, width, height, any_fourcc(&t->rng),
						handles, pitches, offsets,
						flags & DRM_MODE_FB_MODIFIERS ? modifiers : NULL,
						&fb, flags))) {
		if (chance(&t->rng, 50))
			checked(t, "RMFB", drmModeRmFB(t->chaos_fd, fb));
	}
}

static void op_modeset(struct thread *t)
{
	drmModeRes *res = drmModeGetResources(t->chaos_fd);
	drmModeModeInfo mode = {};
	uint32_t connector;

	count(OP_MODESET);
	if (!res)
		return;
	connector = any_object(t, res);
	if (res->count_connectors) {
		drmModeConnector *c = drmModeGetConnector(t->chaos_fd, res->connectors[0]);

		if (c && c->count_modes)
			mode = c->modes[below(&t->rng, c->count_modes)];
		drmModeFreeConnector(c);
	}
	if (chance(&t->rng, 20)) {
		mode.hdisplay = (uint16_t)any_u32(&t->rng, 0xffff);
		mode.clock = any_u32(&t->rng, 0xfffff);
	}
	checked(t, "SETCRTC",
		drmModeSetCrtc(t->chaos_fd, any_object(t, res), chance(&t->rng, 20) ? 0 :
			       any_object(t, res), (uint32_t)below(&t->rng, 64),
			       (uint32_t)below(&t->rng, 64), &connector, 1,
			       chance(&t->rng, 10) ? NULL : &mode));
	drmModeFreeResources(res);
}

static void op_atomic(struct thread *t)
{
	drmModeObjectPropertiesPtr props;
	drmModeAtomicReqPtr req;
	drmModeRes *res;
	drmModePlaneRes *planes;
	uint32_t obj;

	count(OP_ATOMIC);
	drmSetClientCap(t->chaos_fd, DRM_CLIENT_CAP_ATOMIC, 1);
	res = drmModeGetResources(t->chaos_fd);
	planes = drmModeGetPlaneResources(t->chaos_fd);
	req = drmModeAtomicAlloc();
	for (int i = 0; req && res && i < 1 + (int)below(&t->rng, 6); i++) {
		obj = planes && planes->count_planes && chance(&t->rng, 50) ?
		      planes->planes[below(&t->rng, planes->count_planes)] : any_object(t, res);
		props = drmModeObjectGetProperties(t->chaos_fd, obj, DRM_MODE_OBJECT_ANY);
		if (props && props->count_props) {
			uint32_t prop = props->props[below(&t->rng, props->count_props)];
			uint64_t value = chance(&t->rng, 50) ?
					 props->prop_values[below(&t->rng, props->count_props)] :
					 chance(&t->rng, 50) ? below(&t->rng, 4096) : next(&t->rng);

			drmModeAtomicAddProperty(req, obj, prop, value);
		} else {
			drmModeAtomicAddProperty(req, obj, any_u32(&t->rng, 0xff), next(&t->rng));
		}
		drmModeFreeObjectProperties(props);
	}
	/* EFAULT is clean here: OUT_FENCE_PTR's value is a user pointer. */
	if (req) {
		int ret = drmModeAtomicCommit(t->chaos_fd, req,
					      chance(&t->rng, 70) ? DRM_MODE_ATOMIC_TEST_ONLY :
					      any_u32(&t->rng, DRM_MODE_ATOMIC_FLAGS), NULL);

		if (ret != -EFAULT)
			checked(t, "ATOMIC", ret);
	}
	drmModeAtomicFree(req);
	drmModeFreePlaneResources(planes);
	drmModeFreeResources(res);
}

static void op_flip(struct thread *t)
{
	drmModeRes *res = drmModeGetResources(t->chaos_fd);

	count(OP_FLIP);
	if (!res)
		return;
	checked(t, "PAGE_FLIP",
		drmModePageFlip(t->chaos_fd, any_object(t, res), any_object(t, res),
				chance(&t->rng, 80) ? 0 : any_u32(&t->rng, 0xff), NULL));
	drmModeFreeResources(res);
}

static void op_props(struct thread *t)
{
	drmModeRes *res = drmModeGetResources(t->chaos_fd);
	drmModePropertyBlobPtr blob;
	uint32_t blob_id = 0;
	char data[64] = {};

	count(OP_PROPS);
	checked(t, "OBJ_SETPROPERTY",
		drmModeObjectSetProperty(t->chaos_fd, any_object(t, res),
					 chance(&t->rng, 50) ? DRM_MODE_OBJECT_CRTC :
					 any_u32(&t->rng, UINT32_MAX),
					 any_u32(&t->rng, 0xff), next(&t->rng)));
	if (!checked(t, "CREATEPROPBLOB",
		     drmModeCreatePropertyBlob(t->chaos_fd, data,
					       chance(&t->rng, 80) ? below(&t->rng, sizeof(data)) :
					       0, &blob_id))) {
		blob = drmModeGetPropertyBlob(t->chaos_fd, blob_id);
		drmModeFreePropertyBlob(blob);
		checked(t, "DESTROYPROPBLOB",
			drmModeDestroyPropertyBlob(t->chaos_fd,
						   chance(&t->rng, 90) ? blob_id :
						   any_u32(&t->rng, 0xff)));
	}
	drmModeFreeResources(res);
}

/* Other clients' handle numbers, used on our chaos file. */
static void op_foreign(struct thread *t)
{
	struct drm_gem_close arg = {
		.handle = __atomic_load_n(&shared->handles[below(&t->rng, SHARED_HANDLES)],
					  __ATOMIC_RELAXED),
	};
	struct drm_gem_flink flink = { .handle = arg.handle };
	struct drm_gem_open open_arg = {};

	count(OP_FOREIGN);
	if (!xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_FLINK, &flink, "GEM_FLINK")) {
		open_arg.name = chance(&t->rng, 80) ? flink.name : any_u32(&t->rng, 0xff);
		if (!xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_OPEN, &open_arg, "GEM_OPEN")) {
			struct drm_gem_close opened = { .handle = open_arg.handle };

			xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_CLOSE, &opened, "GEM_CLOSE");
		}
	}
	if (chance(&t->rng, 50))
		xioctl(t, t->chaos_fd, DRM_IOCTL_GEM_CLOSE, &arg, "GEM_CLOSE foreign");
}

/* ---- processes ---- */

/*
 * --fail-random: the debug kernel's failslab and fail_page_alloc, set up
 * by the caller with task-filter on, fail allocations of the tasks that
 * ask for it, at random, while they ask.
 */
static bool fail_random;

/*
 * The write can fail too, when an allocation of its own is made to fail
 * (ENOMEM, or EIO): it is tried again until the flag is as asked.
 */
static void make_it_fail(struct thread *t, bool on)
{
	t->injecting = on;
	for (int i = 0; i < 1000; i++)
		if (pwrite(t->make_it_fail_fd, on ? "1" : "0", 1, 0) == 1)
			return;
	failf(t, "cannot write /proc/thread-self/make-it-fail: %m\n");
}

static int open_node(unsigned int flags)
{
	int fd = vvram_open(flags);

	if (fd < 0) {
		fprintf(stderr, "ioctl-fuzz: cannot open vvram: %s\n", strerror(-fd));
		exit(2);
	}
	return fd;
}

/* A child on the inherited files: reads our BOs, messes with the chaos file. */
static void op_fork(struct thread *t)
{
	pid_t pid;
	int status;

	count(OP_FORK);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		for (int i = 0; i < 8; i++) {
			if (t->num_bos)
				verify_bo(t, &t->bos[below(&t->rng, t->num_bos)]);
			op_create_any(t);
			op_prime(t);
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
}

static void thread_ops(struct thread *t, unsigned int n);

/* A child with files of its own, killed at a random moment. */
static void op_kill(struct thread *t)
{
	pid_t pid;

	count(OP_KILL);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		struct thread child = {
			.id = t->id + 1000, .rng = { next(&t->rng) | 1 }, .leaf = true,
		};

		child.main_fd = open_node(VVRAM_OPEN_RENDER);
		child.chaos_fd = open_node(VVRAM_OPEN_PRIMARY);
		child.make_it_fail_fd = fail_random ?
			open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC) : -1;
		if (fail_random && child.make_it_fail_fd < 0)
			_exit(2);
		thread_ops(&child, 1000000);
		_exit(0);
	}
	usleep(below(&t->rng, 20000));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void op_reopen(struct thread *t)
{
	count(OP_REOPEN);
	close(t->chaos_fd);
	t->chaos_fd = open_node(chance(&t->rng, 50) ? VVRAM_OPEN_PRIMARY : VVRAM_OPEN_RENDER);
}

/* Which entry of one_op()'s table runs, for a report of a crash in it. */
static __thread unsigned int current_op;
static __thread const struct thread *current_thread;

static void crashed(int sig)
{
	char msg[160];
	int len = snprintf(msg, sizeof(msg),
			   "ioctl-fuzz: FAIL (seed %" PRIu64 ", thread %u): signal %d in operation %u\n",
			   run_seed, current_thread ? current_thread->id : 0, sig, current_op);

	if (write(2, msg, (size_t)len) < 0)
		_exit(3);
	_exit(3);
}

static void one_op(struct thread *t)
{
	static void (*const ops[])(struct thread *t) = {
		op_create, op_create, op_create, op_close, op_close, op_mmap,
		op_munmap, op_migrate, op_migrate, op_pin, op_info, op_query,
		op_create_any, op_create_any, op_mmap_any, op_prime, op_prime,
		op_dumb, op_syncobj, op_addfb, op_addfb, op_modeset, op_atomic,
		op_atomic, op_flip, op_props, op_foreign, op_fork, op_kill,
		op_reopen,
	};
	unsigned int n = sizeof(ops) / sizeof(ops[0]);
	unsigned int i = (unsigned int)below(&t->rng, n);
	bool inject;

	/* fork and kill are slow in an emulated guest: keep them rare. */
	if ((ops[i] == op_fork || ops[i] == op_kill) && (t->leaf || !chance(&t->rng, 10)))
		i = 0;
	/*
	 * Under --fail-random, allocations fail only inside the calls that
	 * are nothing but ioctls: a page fault of our own that fails would
	 * test the kernel's fault handling, not vvram.
	 */
	inject = fail_random && ops[i] != op_create && ops[i] != op_close &&
		 ops[i] != op_mmap && ops[i] != op_munmap && ops[i] != op_mmap_any &&
		 ops[i] != op_fork && ops[i] != op_kill && ops[i] != op_reopen;
	current_op = i;
	if (inject)
		make_it_fail(t, true);
	ops[i](t);
	if (inject)
		make_it_fail(t, false);
	t->ops++;
}

static void thread_ops(struct thread *t, unsigned int n)
{
	for (unsigned int i = 0; i < n && time(NULL) < deadline; i++)
		one_op(t);
}

static unsigned int ops_per_thread;

static void *thread_main(void *arg)
{
	struct thread *t = arg;

	current_thread = t;
	t->main_fd = open_node(VVRAM_OPEN_RENDER);
	t->chaos_fd = open_node(VVRAM_OPEN_PRIMARY);
	if (fail_random) {
		t->make_it_fail_fd = open("/proc/thread-self/make-it-fail",
					  O_WRONLY | O_CLOEXEC);
		if (t->make_it_fail_fd < 0) {
			perror("ioctl-fuzz: /proc/thread-self/make-it-fail");
			exit(2);
		}
	}
	thread_ops(t, ops_per_thread);
	/* Everything the thread still holds must have kept its data. */
	while (t->num_maps)
		op_munmap(t);
	for (unsigned int i = 0; i < t->num_bos; i++)
		verify_bo(t, &t->bos[i]);
	close(t->chaos_fd);
	close(t->main_fd);
	return NULL;
}

static void process_main(unsigned int proc, unsigned int threads)
{
	pthread_t ids[16];
	struct thread *ts = calloc(threads, sizeof(*ts));

	if (!ts)
		exit(2);
	for (unsigned int i = 0; i < threads; i++) {
		ts[i].id = proc * 100 + i;
		ts[i].rng.state = splitmix(run_seed ^ splitmix(ts[i].id)) | 1;
		pthread_create(&ids[i], NULL, thread_main, &ts[i]);
	}
	for (unsigned int i = 0; i < threads; i++)
		pthread_join(ids[i], NULL);
	free(ts);
}

/* Once everyone is gone: all VRAM back, and the device still works. */
static int check_device_after(uint64_t used_before)
{
	struct vvram_bo_params params = {
		.size_bytes = 1 << 20, .domains = VVRAM_GEM_DOMAIN_VRAM,
	};
	struct vvram_memory mem;
	uint32_t handle;
	uint64_t bad;
	void *ptr;
	int fd = open_node(VVRAM_OPEN_RENDER), failed = 0;

	if (vvram_query_memory(fd, &mem) || mem.vram_used_bytes > used_before) {
		fprintf(stderr, "ioctl-fuzz: FAIL (seed %" PRIu64 "): %" PRIu64
			" bytes of VRAM in use after every client left, %" PRIu64 " before\n",
			run_seed, mem.vram_used_bytes, used_before);
		failed = 1;
	}
	if (vvram_bo_create(fd, &params, &handle) ||
	    vvram_bo_mmap(fd, handle, params.size_bytes, PROT_READ | PROT_WRITE, &ptr)) {
		fprintf(stderr, "ioctl-fuzz: FAIL (seed %" PRIu64 "): the device no longer works\n",
			run_seed);
		close(fd);
		return 1;
	}
	if (vvram_check_bytes(ptr, params.size_bytes, 0, &bad)) {
		fprintf(stderr, "ioctl-fuzz: FAIL (seed %" PRIu64 "): a new BO is not zeroed\n",
			run_seed);
		failed = 1;
	}
	vvram_pattern_fill(ptr, params.size_bytes, run_seed);
	if (vvram_pattern_check(ptr, params.size_bytes, run_seed, &bad))
		failed = 1;
	munmap(ptr, params.size_bytes);
	close(fd);
	return failed;
}

static void usage(void)
{
	fprintf(stderr, "usage: ioctl-fuzz [--seed N] [--ops N] [--seconds S] [--procs P] [--threads T] [--fail-random]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 'j' },
		{ "fail-random", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int procs = 3, threads = 2, seconds = 30;
	struct vvram_memory mem;
	uint64_t total = 0, used_before;
	int opt, fd, status, failed;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	run_seed = splitmix((uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec);
	ops_per_thread = 100000;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's': run_seed = strtoull(optarg, NULL, 0); break;
		case 'n': ops_per_thread = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 't': seconds = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': procs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'j': threads = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'f': fail_random = true; break;
		default: usage();
		}
	}
	if (optind != argc || !procs || procs > 16 || !threads || threads > 16)
		usage();
	printf("ioctl-fuzz: seed %" PRIu64 ", %u processes of %u threads, at most %u calls each, %u s\n",
	       run_seed, procs, threads, ops_per_thread, seconds);
	fflush(stdout);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 2;
	fd = open_node(VVRAM_OPEN_RENDER);
	if (vvram_query_memory(fd, &mem))
		return 2;
	used_before = mem.vram_used_bytes;
	close(fd);

	signal(SIGBUS, crashed);
	signal(SIGSEGV, crashed);
	deadline = time(NULL) + seconds;
	for (unsigned int p = 0; p < procs; p++) {
		if (!fork()) {
			process_main(p, threads);
			_exit(0);
		}
	}
	failed = 0;
	while (wait(&status) > 0) {
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "ioctl-fuzz: FAIL (seed %" PRIu64 "): a worker died (status %#x)\n",
				run_seed, status);
			failed = 1;
		}
	}
	for (int i = 0; i < OP_COUNT; i++) {
		printf("  %-16s %" PRIu64 "\n", op_names[i], shared->calls[i]);
		total += shared->calls[i];
	}
	failed |= check_device_after(used_before);
	printf("ioctl-fuzz: seed %" PRIu64 ": %" PRIu64 " operations, %" PRIu64 " failures\n",
	       run_seed, total, shared->failures);
	return failed || shared->failures ? 1 : 0;
}
