// SPDX-License-Identifier: MIT
/*
 * fail-nth: every allocation of every vvram ioctl made to fail, in turn.
 *
 * For each step of a table (creating BOs in each domain, mapping, moving
 * and pinning them, PRIME, dumb buffers, framebuffers, modesets, page
 * flips, atomic commits, eviction...), the step's one ioctl runs with the
 * N-th fault-injection point of the call made to fail, for N = 1, 2, ...
 * until the call makes fewer than N allocations (the kernel's
 * /proc/thread-self/fail-nth; the debug kernel's failslab and
 * fail_page_alloc decide what an injection point is, set up by
 * tools/testing/fuzz/guest-fault-inject).
 *
 * After every injected failure: the call's result is 0 or a clean errno;
 * a BO filled with a pattern beforehand, which most steps move, still
 * holds it; and the same call without injection succeeds, so the device
 * is as usable as before.  The kernel's side is judged by the dmesg and
 * kmemleak gates of the guest harness.
 *
 * Usage: fail-nth [--max N]   (at most N injection points per step)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#include "vvram.h"

#define VICTIM_SIZE	(1u << 20)
#define VICTIM_SEED	0x5eed

/* What the steps share. */
struct ctx {
	int fd;		/* primary node, DRM master */
	int render;
	uint32_t victim;	/* the BO whose pattern must survive */
	uint32_t handle;	/* what the step made, for its undo */
	int dmabuf;		/* of the victim, exported once */
	uint32_t dumb, fbs[2];
	uint32_t crtc, connector, plane, fb_prop;
	drmModeModeInfo mode;
};

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

static int create(struct ctx *c, uint64_t size, uint32_t domains, uint32_t flags)
{
	struct vvram_bo_params params = {
		.size_bytes = size, .domains = domains, .flags = flags,
	};

	return vvram_bo_create(c->fd, &params, &c->handle);
}

static int step_create_vram(struct ctx *c)
{
	return create(c, 1 << 20, VVRAM_GEM_DOMAIN_VRAM, 0);
}

static int step_create_contiguous(struct ctx *c)
{
	return create(c, 4 << 20, VVRAM_GEM_DOMAIN_VRAM, VVRAM_GEM_CREATE_CONTIGUOUS);
}

static int step_create_gtt(struct ctx *c)
{
	return create(c, 1 << 20, VVRAM_GEM_DOMAIN_GTT, 0);
}

/*
 * All of VRAM that is not scanned out, less 256 KiB, in one BO: the
 * victim and every other BO in VRAM are evicted for it.
 */
static int step_create_evicting(struct ctx *c)
{
	struct vvram_memory mem;
	int ret = vvram_query_memory(c->fd, &mem);

	if (ret)
		return ret;
	return create(c, mem.vram_total_bytes - mem.scanout_bytes - (256 << 10),
		      VVRAM_GEM_DOMAIN_VRAM, 0);
}

static void undo_close(struct ctx *c)
{
	vvram_bo_close(c->fd, c->handle);
}

static int step_mmap_offset(struct ctx *c)
{
	uint64_t offset;

	return vvram_bo_mmap_offset(c->fd, c->victim, &offset);
}

static int step_info(struct ctx *c)
{
	struct vvram_bo_info info;
	int ret = vvram_bo_info(c->fd, c->victim, &info);

	vvram_bo_info_fini(&info);
	return ret;
}

static int step_to_gtt(struct ctx *c)
{
	return vvram_bo_migrate(c->fd, c->victim, VVRAM_GEM_DOMAIN_GTT);
}

static int step_to_vram(struct ctx *c)
{
	return vvram_bo_migrate(c->fd, c->victim, VVRAM_GEM_DOMAIN_VRAM);
}

static int step_to_cpu(struct ctx *c)
{
	return vvram_bo_migrate(c->fd, c->victim, VVRAM_GEM_DOMAIN_CPU);
}

static int step_pin(struct ctx *c)
{
	return vvram_bo_pin(c->fd, c->victim, VVRAM_GEM_DOMAIN_VRAM);
}

static void undo_unpin(struct ctx *c)
{
	vvram_bo_unpin(c->fd, c->victim);
}

static int step_export(struct ctx *c)
{
	int fd, ret = neg_errno(drmPrimeHandleToFD(c->fd, c->victim, DRM_CLOEXEC, &fd));

	if (!ret)
		c->handle = (uint32_t)fd;
	return ret;
}

static void undo_close_fd(struct ctx *c)
{
	close((int)c->handle);
}

static int step_import(struct ctx *c)
{
	return neg_errno(drmPrimeFDToHandle(c->render, c->dmabuf, &c->handle));
}

static void undo_close_render(struct ctx *c)
{
	vvram_bo_close(c->render, c->handle);
}

static int step_dumb(struct ctx *c)
{
	struct drm_mode_create_dumb dumb = { .width = 256, .height = 256, .bpp = 32 };
	int ret = vvram_ioctl(c->fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb);

	c->handle = dumb.handle;
	return ret;
}

static void undo_dumb(struct ctx *c)
{
	struct drm_mode_destroy_dumb destroy = { .handle = c->handle };

	vvram_ioctl(c->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
}

static int add_fb(struct ctx *c, uint32_t *fb)
{
	uint32_t handles[4] = { c->dumb }, pitches[4] = { c->mode.hdisplay * 4 };
	uint32_t offsets[4] = {};

	return drmModeAddFB2(c->fd, c->mode.hdisplay, c->mode.vdisplay,
			     DRM_FORMAT_XRGB8888, handles, pitches, offsets, fb, 0);
}

static int step_addfb(struct ctx *c)
{
	return add_fb(c, &c->handle);
}

static void undo_rmfb(struct ctx *c)
{
	drmModeRmFB(c->fd, c->handle);
}

static int step_setcrtc(struct ctx *c)
{
	return drmModeSetCrtc(c->fd, c->crtc, c->fbs[0], 0, 0, &c->connector, 1, &c->mode);
}

static void undo_crtc_off(struct ctx *c)
{
	drmModeSetCrtc(c->fd, c->crtc, 0, 0, 0, NULL, 0, NULL);
}

#define UNUSED __attribute__((unused))

static void flip_done(int fd UNUSED, unsigned int frame UNUSED,
		      unsigned int sec UNUSED, unsigned int usec UNUSED, void *data)
{
	*(bool *)data = true;
}

static void wait_flip(struct ctx *c, bool *done)
{
	drmEventContext ev = { .version = 2, .page_flip_handler = flip_done };

	while (!*done)
		drmHandleEvent(c->fd, &ev);
}

/* Runs with the CRTC on (set up by the caller): flips to the other fb. */
static int step_flip(struct ctx *c)
{
	static bool done;
	int ret;

	done = false;
	ret = drmModePageFlip(c->fd, c->crtc, c->fbs[1], DRM_MODE_PAGE_FLIP_EVENT, &done);
	if (!ret)
		wait_flip(c, &done);
	return ret;
}

static int step_atomic(struct ctx *c)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	int ret;

	drmModeAtomicAddProperty(req, c->plane, c->fb_prop, c->fbs[0]);
	ret = drmModeAtomicCommit(c->fd, req, 0, NULL);
	drmModeAtomicFree(req);
	return ret;
}

static int step_query(struct ctx *c)
{
	struct vvram_memory mem;

	return vvram_query_memory(c->fd, &mem);
}

static int step_syncobj(struct ctx *c)
{
	return neg_errno(drmSyncobjCreate(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED, &c->handle));
}

static void undo_syncobj(struct ctx *c)
{
	drmSyncobjDestroy(c->fd, c->handle);
}

static const struct step {
	const char *name;
	int (*run)(struct ctx *c);
	void (*undo)(struct ctx *c);
	bool kms;	/* needs the CRTC on */
} steps[] = {
	{ .name = "gem-create-vram", .run = step_create_vram, .undo = undo_close },
	{ .name = "gem-create-contiguous", .run = step_create_contiguous, .undo = undo_close },
	{ .name = "gem-create-gtt", .run = step_create_gtt, .undo = undo_close },
	{ .name = "gem-mmap-offset", .run = step_mmap_offset },
	{ .name = "gem-info", .run = step_info },
	{ .name = "migrate-to-gtt", .run = step_to_gtt },
	{ .name = "migrate-to-cpu", .run = step_to_cpu },
	{ .name = "migrate-to-vram", .run = step_to_vram },
	{ .name = "gem-create-evicting", .run = step_create_evicting, .undo = undo_close },
	{ .name = "pin-in-vram", .run = step_pin, .undo = undo_unpin },
	{ .name = "prime-export", .run = step_export, .undo = undo_close_fd },
	{ .name = "prime-import", .run = step_import, .undo = undo_close_render },
	{ .name = "dumb-create", .run = step_dumb, .undo = undo_dumb },
	{ .name = "addfb2", .run = step_addfb, .undo = undo_rmfb },
	{ .name = "setcrtc", .run = step_setcrtc, .undo = undo_crtc_off },
	{ .name = "page-flip", .run = step_flip, .kms = true },
	{ .name = "atomic-commit", .run = step_atomic, .kms = true },
	{ .name = "query", .run = step_query },
	{ .name = "syncobj-create", .run = step_syncobj, .undo = undo_syncobj },
};

static int fail_nth_fd;

/* Arms the N-th injection point of what this thread does next (0: none). */
static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, (size_t)len, 0) != len) {
		perror("fail-nth: /proc/thread-self/fail-nth");
		exit(2);
	}
}

/* Whether the armed injection happened; disarms. */
static bool injected(void)
{
	char buf[16] = "";
	bool done = pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) > 0 && atoi(buf) == 0;

	arm(0);
	return done;
}

static bool errno_is_clean(int ret)
{
	return !ret || ret == -ENOMEM || ret == -ENOSPC || ret == -EINVAL ||
	       ret == -EBUSY || ret == -EAGAIN || ret == -EINTR || ret == -E2BIG ||
	       ret == -ENOENT || ret == -EDEADLK;
}

static bool victim_intact(struct ctx *c)
{
	uint64_t bad;
	void *ptr;
	bool ok;

	if (vvram_bo_mmap(c->fd, c->victim, VICTIM_SIZE, PROT_READ, &ptr))
		return false;
	ok = !vvram_pattern_check(ptr, VICTIM_SIZE, VICTIM_SEED, &bad);
	munmap(ptr, VICTIM_SIZE);
	return ok;
}

static void setup(struct ctx *c)
{
	struct vvram_bo_params params = {
		.size_bytes = VICTIM_SIZE, .domains = VVRAM_GEM_DOMAIN_VRAM |
			VVRAM_GEM_DOMAIN_GTT | VVRAM_GEM_DOMAIN_CPU,
	};
	drmModeObjectPropertiesPtr props;
	struct drm_mode_create_dumb dumb = {};
	struct vvram_memory mem;
	drmModeConnector *conn;
	drmModePlaneRes *planes;
	drmModeRes *res;
	void *ptr;
	int ret;

	c->fd = vvram_open(VVRAM_OPEN_PRIMARY);
	c->render = vvram_open(VVRAM_OPEN_RENDER);
	if (c->fd < 0 || c->render < 0 || vvram_query_memory(c->fd, &mem) ||
	    vvram_bo_create(c->fd, &params, &c->victim) ||
	    vvram_bo_mmap(c->fd, c->victim, VICTIM_SIZE, PROT_WRITE, &ptr)) {
		fprintf(stderr, "fail-nth: cannot set up on vvram\n");
		exit(2);
	}
	vvram_pattern_fill(ptr, VICTIM_SIZE, VICTIM_SEED);
	munmap(ptr, VICTIM_SIZE);
	if (drmPrimeHandleToFD(c->fd, c->victim, DRM_CLOEXEC, &c->dmabuf))
		exit(2);

	drmSetClientCap(c->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	drmSetClientCap(c->fd, DRM_CLIENT_CAP_ATOMIC, 1);
	res = drmModeGetResources(c->fd);
	planes = drmModeGetPlaneResources(c->fd);
	conn = res && res->count_connectors ? drmModeGetConnector(c->fd, res->connectors[0]) : NULL;
	if (!conn || !conn->count_modes || !res->count_crtcs || !planes ||
	    !planes->count_planes) {
		fprintf(stderr, "fail-nth: vvram has no display to set\n");
		exit(2);
	}
	c->crtc = res->crtcs[0];
	c->connector = conn->connector_id;
	c->mode = conn->modes[0];
	/* The first plane is the first pipe's primary. */
	c->plane = planes->planes[0];
	props = drmModeObjectGetProperties(c->fd, c->plane, DRM_MODE_OBJECT_PLANE);
	for (uint32_t i = 0; props && i < props->count_props; i++) {
		drmModePropertyPtr prop = drmModeGetProperty(c->fd, props->props[i]);

		if (prop && !strcmp(prop->name, "FB_ID"))
			c->fb_prop = prop->prop_id;
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	drmModeFreeConnector(conn);
	drmModeFreePlaneResources(planes);
	drmModeFreeResources(res);

	dumb.width = c->mode.hdisplay;
	dumb.height = c->mode.vdisplay;
	dumb.bpp = 32;
	ret = vvram_ioctl(c->fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	c->dumb = dumb.handle;
	if (!ret && dumb.pitch != dumb.width * 4)
		ret = -EINVAL;
	if (!ret)
		ret = add_fb(c, &c->fbs[0]);
	if (!ret)
		ret = add_fb(c, &c->fbs[1]);
	if (ret || !c->fb_prop) {
		fprintf(stderr, "fail-nth: cannot make %ux%u framebuffers (%d, pitch %u, FB_ID %u)\n",
			dumb.width, dumb.height, ret, dumb.pitch, c->fb_prop);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned int max = 200, total = 0, unclean = 0, lost = 0, stuck = 0;
	struct ctx c = {};
	int opt;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm') {
			fprintf(stderr, "usage: fail-nth [-m MAX-POINTS-PER-STEP]\n");
			return 2;
		}
		max = (unsigned int)strtoul(optarg, NULL, 0);
	}
	setup(&c);
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0) {
		perror("fail-nth: /proc/thread-self/fail-nth (a kernel without fault injection?)");
		return 2;
	}

	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		const struct step *step = &steps[s];
		unsigned int n, failed = 0;
		int ret;

		if (step->kms && step_setcrtc(&c))
			stuck++;
		for (n = 1; n <= max; n++) {
			arm(n);
			ret = step->run(&c);
			if (!injected())
				break;
			if (!errno_is_clean(ret)) {
				printf("fail-nth: %s, point %u: %d (%s) is not a clean errno\n",
				       step->name, n, ret, strerror(-ret));
				unclean++;
			}
			if (!victim_intact(&c)) {
				printf("fail-nth: %s, point %u: the pattern BO lost its data\n",
				       step->name, n);
				lost++;
			}
			if (ret) {
				failed++;
				/* The device must still do it. */
				ret = step->run(&c);
				if (ret) {
					printf("fail-nth: %s, point %u: fails without injection too: %d\n",
					       step->name, n, ret);
					stuck++;
				}
			}
			if (!ret && step->undo)
				step->undo(&c);
		}
		/* The run that no injection reached is a plain one. */
		if (n <= max && ret) {
			printf("fail-nth: %s fails without injection: %d\n", step->name, ret);
			stuck++;
		} else if (n <= max && step->undo) {
			step->undo(&c);
		}
		printf("fail-nth: %-22s %3u injection points, %3u made the call fail\n",
		       step->name, n - 1, failed);
		total += n - 1;
		if (step->kms)
			undo_crtc_off(&c);
	}
	if (!victim_intact(&c))
		lost++;
	printf("fail-nth: %u steps, %u injected failures; %u unclean errnos, %u lost data, %u stuck\n",
	       (unsigned int)(sizeof(steps) / sizeof(steps[0])), total, unclean, lost, stuck);
	return unclean || lost || stuck ? 1 : 0;
}
