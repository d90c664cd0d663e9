// SPDX-License-Identifier: MIT
/*
 * kmem_cache on malloc for the userspace build, with the accounting and
 * fault injection declared in tools/include/linux/slab.h. Each object
 * carries a small header with its size so frees can be accounted.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/bug.h>
#include <linux/slab.h>

struct kmem_cache {
	const char *name;
	unsigned int size;
};

struct obj_header {
	size_t size;
	size_t pad;	/* keeps the object 16-byte aligned */
};

unsigned long tools_warn_count;
unsigned long tools_slab_live;
unsigned long long tools_slab_live_bytes;
unsigned long long tools_slab_peak_bytes;
unsigned long tools_slab_allocs;

static bool fail_armed;
static unsigned long fail_countdown;

void tools_slab_fail_after(unsigned long n)
{
	fail_armed = true;
	fail_countdown = n;
}

void tools_slab_fail_off(void)
{
	fail_armed = false;
}

static void *obj_alloc(size_t size, bool zero)
{
	struct obj_header *h = zero ? calloc(1, sizeof(*h) + size) :
				      malloc(sizeof(*h) + size);

	if (!h)
		abort();
	h->size = size;
	tools_slab_live++;
	tools_slab_live_bytes += size;
	if (tools_slab_live_bytes > tools_slab_peak_bytes)
		tools_slab_peak_bytes = tools_slab_live_bytes;
	return h + 1;
}

static void obj_free(const void *obj)
{
	struct obj_header *h;

	if (!obj)
		return;
	h = (struct obj_header *)obj - 1;
	tools_slab_live--;
	tools_slab_live_bytes -= h->size;
	free(h);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *cache = calloc(1, sizeof(*cache));

	(void)align;
	(void)flags;
	(void)ctor;
	if (cache) {
		cache->name = name;
		cache->size = size;
	}
	return cache;
}

void kmem_cache_destroy(struct kmem_cache *cache)
{
	free(cache);
}

/* Whether an armed fault injection fails this allocation. */
static bool injected_failure(gfp_t gfp)
{
	tools_slab_allocs++;
	if (fail_armed && !(gfp & __GFP_NOFAIL)) {
		if (!fail_countdown)
			return true;
		fail_countdown--;
	}
	return false;
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	return injected_failure(gfp) ? NULL : obj_alloc(cache->size, false);
}

void kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	(void)cache;
	obj_free(obj);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return injected_failure(gfp) ? NULL : obj_alloc(size, true);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return injected_failure(gfp) ? NULL : obj_alloc(n * size, true);
}

void kfree(const void *obj)
{
	obj_free(obj);
}
