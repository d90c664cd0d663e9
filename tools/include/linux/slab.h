/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in for the kmem_cache part of <linux/slab.h>, on malloc,
 * with accounting and fault injection for the tests (tools/testing/buddy/
 * tools_slab.c):
 * - tools_slab_live / tools_slab_live_bytes / tools_slab_peak_bytes count
 *   objects and bytes handed out by all caches;
 * - tools_slab_fail_after(n) makes allocation number n from now on (0 is
 *   the next one) and every later one fail, until tools_slab_fail_off();
 *   allocations with __GFP_NOFAIL never fail.
 */
#ifndef _TOOLS_LINUX_SLAB_H_
#define _TOOLS_LINUX_SLAB_H_

#include <linux/types.h>

#define GFP_KERNEL	0x1u
#define __GFP_NOFAIL	0x2u

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);

/* Plain allocations: counted, never fault-injected. */
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *obj);
#define kvcalloc(n, size, gfp)	kcalloc(n, size, gfp)
#define kvfree(obj)		kfree(obj)

extern unsigned long tools_slab_live;
extern unsigned long long tools_slab_live_bytes;
extern unsigned long long tools_slab_peak_bytes;
extern unsigned long tools_slab_allocs;
void tools_slab_fail_after(unsigned long n);
void tools_slab_fail_off(void);

#endif
