// SPDX-License-Identifier: MIT
/*
 * vvram_kms: what vvram's display adds to the generic pipeline that
 * kms_pipeline tests: a framebuffer is scanned out of VRAM, pinned there
 * while shown, never evicted, and a commit that cannot place it fails
 * without changing what is on screen; the pipe layouts the module
 * parameters give, connector hotplug through debugfs, fbdev emulation
 * with its buffer in VRAM, and the formats: which plane takes which,
 * YCbCr framebuffers on the chroma grid, and every BO of a multi-planar
 * framebuffer pinned in VRAM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "vvram_igt.h"

#define MAX_PIPES 8

static int fd = -1;
static struct kms_pipe pipes[MAX_PIPES];
static int num_pipes;

/*
 * The fixture of every topic: the pipes (kms_pipes()), each a Virtual
 * connector preferring 1920x1080, one per CRTC.
 */
static void kms_require(void)
{
	drmModeRes *res;

	num_pipes = kms_pipes(fd, pipes, MAX_PIPES);
	res = drmModeGetResources(fd);
	igt_assert(res);
	igt_assert_eq(num_pipes, res->count_crtcs);
	drmModeFreeResources(res);
	for (int i = 0; i < num_pipes; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, pipes[i].connector);

		igt_assert(conn);
		igt_assert_eq(conn->connector_type, DRM_MODE_CONNECTOR_VIRTUAL);
		drmModeFreeConnector(conn);
		igt_assert_eq(pipes[i].index, i);
		igt_assert_eq(pipes[i].mode.hdisplay, 1920);
		igt_assert_eq(pipes[i].mode.vdisplay, 1080);
	}
}

static uint32_t bo_flags(uint32_t handle)
{
	struct vvram_bo_info info;

	vvram_gem_info(fd, handle, &info);
	return info.flags;
}

static uint64_t bo_dev_addr(uint32_t handle)
{
	struct vvram_bo_info info;

	vvram_gem_info(fd, handle, &info);
	return info.address;
}

/* The scanout_bytes figure of the device's debugfs file "scanout". */
static uint64_t debugfs_scanout_bytes(void)
{
	unsigned long long bytes = ~0ull;
	char path[128];
	struct stat st;
	FILE *file;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/scanout",
		 minor(st.st_rdev));
	file = fopen(path, "r");
	igt_require_f(file, "no %s\n", path);
	igt_assert_eq(fscanf(file, "scanout_bytes %llu", &bytes), 1);
	fclose(file);
	return bytes;
}

static void modeset_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("Every connector lights up on its CRTC with its preferred "
		     "mode, scanning a dumb buffer out of contiguous VRAM that "
		     "QUERY and debugfs count as scanout, and turns off again, "
		     "which drops the scanout pin.");
	igt_subtest("modeset-preferred") {
		int i;

		for (i = 0; i < num_pipes; i++) {
			struct kms_fb fb;
			uint32_t flags;

			kms_fb_create(fd, &fb, pipes[i].mode.hdisplay, pipes[i].mode.vdisplay);
			igt_assert_eq(bo_flags(fb.handle) & VVRAM_GEM_INFO_SCANOUT, 0);
			kms_set_crtc(fd, &pipes[i], &fb);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[i]), fb.id);
			flags = bo_flags(fb.handle);
			igt_assert(flags & VVRAM_GEM_INFO_SCANOUT);
			igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, fb.size);
			igt_assert_eq_u64(debugfs_scanout_bytes(), fb.size);
			igt_assert(flags & VVRAM_GEM_INFO_PINNED);
			igt_assert(flags & VVRAM_GEM_INFO_CONTIGUOUS);
			igt_assert_eq(vvram_gem_domain(fd, fb.handle),
				      VVRAM_GEM_DOMAIN_VRAM);
			kms_disable_crtc(fd, &pipes[i]);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[i]), 0);
			igt_assert_eq(bo_flags(fb.handle) &
				      (VVRAM_GEM_INFO_SCANOUT | VVRAM_GEM_INFO_PINNED), 0);
			igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, 0);
			igt_assert_eq_u64(debugfs_scanout_bytes(), 0);
			kms_fb_destroy(fd, &fb);
		}
	}

	igt_describe("A framebuffer in GTT moves into VRAM when it is shown.");
	igt_subtest("modeset-from-gtt") {
		struct kms_fb fb;

		kms_fb_create(fd, &fb, 1920, 1080);
		vvram_gem_migrate(fd, fb.handle, VVRAM_GEM_DOMAIN_GTT);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_GTT);
		kms_set_crtc(fd, &pipes[0], &fb);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_VRAM);
		igt_assert(bo_flags(fb.handle) & VVRAM_GEM_INFO_SCANOUT);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &fb);
	}

	igt_describe("A cursor is placed top-down: its BO ends where the "
		     "CPU-visible window of VRAM ends, while the primary's starts "
		     "at the bottom, so cursors do not fragment the low VRAM.");
	igt_subtest("modeset-cursor-top-down") {
		struct vvram_memory mem = vvram_memory(fd);
		struct kms_fb fb, cursor;

		kms_fb_create(fd, &fb, 1920, 1080);
		igt_assert_eq(__kms_fb_create(fd, &cursor, 64, 64, DRM_FORMAT_ARGB8888, 32), 0);
		kms_set_crtc(fd, &pipes[0], &fb);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, cursor.handle, 64, 64), 0);
		igt_assert(bo_flags(cursor.handle) & VVRAM_GEM_INFO_SCANOUT);
		igt_assert_eq_u64(bo_dev_addr(cursor.handle) + cursor.size,
				  mem.base_offset + mem.visible_total_bytes);
		igt_assert_eq_u64(bo_dev_addr(fb.handle), mem.base_offset);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, 0, 0, 0), 0);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &cursor);
		kms_fb_destroy(fd, &fb);
	}

	igt_describe("A framebuffer whose BO handle its owner closed stays on "
		     "screen until it is replaced.");
	igt_subtest("modeset-closed-bo-stays") {
		struct kms_fb a, b;

		kms_fb_create(fd, &a, 1920, 1080);
		kms_fb_create(fd, &b, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &a);
		/* Closing the handle leaves the framebuffer's reference. */
		drmModeDestroyDumbBuffer(fd, a.handle);
		a.handle = 0;
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), a.id);
		kms_set_crtc(fd, &pipes[0], &b);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), b.id);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &a);
		kms_fb_destroy(fd, &b);
	}
}

/* A TEST_ONLY atomic commit showing @fb on pipe 0; returns its errno. */
static int scanout_test_only(const struct kms_fb *fb)
{
	drmModeAtomicReq *req;
	uint32_t blob;
	int ret;

	igt_assert_eq(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1), 0);
	req = kms_primary_req(fd, &pipes[0], &pipes[0].mode, fb, &blob);
	ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
				  DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	return ret;
}

static void vram_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("While shown, a framebuffer stays put through 4x VRAM "
		     "overcommit, and every byte of the BOs evicted around it "
		     "survives.");
	igt_subtest("scanout-survives-overcommit") {
		uint32_t handles[64];
		uint64_t addr, bo_size = SZ_4M;
		int i, n;
		struct kms_fb fb;

		n = 4 * vvram_memory(fd).vram_total_bytes / bo_size;
		igt_require(n <= 64);
		kms_fb_create(fd, &fb, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &fb);
		addr = bo_dev_addr(fb.handle);
		for (i = 0; i < n; i++)
			handles[i] = vvram_bo_create_in_vram(fd, bo_size,
							     VVRAM_GEM_DOMAIN_VRAM |
							     VVRAM_GEM_DOMAIN_GTT,
							     0, 100 + i);
		igt_assert_eq(vvram_gem_domain(fd, fb.handle), VVRAM_GEM_DOMAIN_VRAM);
		igt_assert_eq(bo_dev_addr(fb.handle), addr);
		for (i = 0; i < n; i++) {
			vvram_bo_assert_pattern(fd, handles[i], bo_size, 100 + i);
			vvram_gem_close(fd, handles[i]);
		}
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &fb);
	}

	igt_describe("A commit whose framebuffer does not fit VRAM even after "
		     "eviction (the rest is pinned) fails with ENOSPC, TEST_ONLY "
		     "too, and leaves the old frame on screen; once the rest is "
		     "unpinned, the same commit passes.");
	igt_subtest("scanout-no-room-is-enospc") {
		uint32_t pinned[64];
		struct kms_fb shown, next;
		int i, n = 0;

		kms_fb_create(fd, &shown, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &shown);
		kms_fb_create(fd, &next, 1920, 1080);
		vvram_gem_migrate(fd, next.handle, VVRAM_GEM_DOMAIN_GTT);
		/* Pin VRAM full around the shown framebuffer. */
		for (;;) {
			struct vvram_memory mem = vvram_memory(fd);
			uint32_t h;

			if (mem.vram_total_bytes - mem.vram_used_bytes < SZ_1M || n == 64)
				break;
			h = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
			vvram_gem_pin(fd, h, VVRAM_GEM_DOMAIN_VRAM);
			pinned[n++] = h;
		}
		igt_assert_eq(scanout_test_only(&next), -ENOSPC);
		igt_assert_eq(__kms_set_crtc(fd, &pipes[0], &next, &pipes[0].mode), -ENOSPC);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), shown.id);
		igt_assert(bo_flags(shown.handle) & VVRAM_GEM_INFO_SCANOUT);
		igt_assert_eq(bo_flags(next.handle) & VVRAM_GEM_INFO_PINNED, 0);
		/* Unpinned, the same BOs are evicted to make room. */
		for (i = 0; i < n; i++)
			vvram_gem_unpin(fd, pinned[i]);
		igt_assert_eq(scanout_test_only(&next), 0);
		kms_set_crtc(fd, &pipes[0], &next);
		for (i = 0; i < n; i++)
			vvram_gem_close(fd, pinned[i]);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &shown);
		kms_fb_destroy(fd, &next);
	}

	igt_describe("A framebuffer on a BO that may never be in VRAM (GTT "
		     "only) is EINVAL, one larger than VRAM E2BIG, TEST_ONLY "
		     "too, and the old frame stays.");
	igt_subtest("scanout-impossible") {
		uint32_t handles[4] = {}, pitches[4] = { 1920 * 4 }, offsets[4] = {};
		drmModeModeInfo big_mode;
		struct kms_fb shown, big, gtt = {};
		uint64_t vram_total;
		uint32_t id;
		drmModeConnector *conn;
		int m;

		kms_fb_create(fd, &shown, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &shown);

		handles[0] = vvram_gem_create(fd, 1920 * 1080 * 4,
					      VVRAM_GEM_DOMAIN_GTT, 0);
		igt_assert_eq(drmModeAddFB2(fd, 1920, 1080, DRM_FORMAT_XRGB8888,
					    handles, pitches, offsets, &id, 0), 0);
		gtt.id = id;
		igt_assert_eq(scanout_test_only(&gtt), -EINVAL);
		igt_assert_eq(__kms_set_crtc(fd, &pipes[0], &gtt, &pipes[0].mode), -EINVAL);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), shown.id);
		drmModeRmFB(fd, id);
		vvram_gem_close(fd, handles[0]);

		vram_total = vvram_memory(fd).vram_total_bytes;
		conn = drmModeGetConnector(fd, pipes[0].connector);
		igt_assert(conn);
		memset(&big_mode, 0, sizeof(big_mode));
		for (m = 0; m < conn->count_modes; m++)
			if ((uint64_t)conn->modes[m].hdisplay * conn->modes[m].vdisplay * 4 >
			    vram_total)
				big_mode = conn->modes[m];
		drmModeFreeConnector(conn);
		igt_require_f(big_mode.hdisplay, "VRAM larger than every mode\n");
		kms_fb_create(fd, &big, big_mode.hdisplay, big_mode.vdisplay);
		igt_assert_eq(scanout_test_only(&big), -E2BIG);
		igt_assert_eq(__kms_set_crtc(fd, &pipes[0], &big, &big_mode), -E2BIG);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), shown.id);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &big);
		kms_fb_destroy(fd, &shown);
	}
}

static void layout_tests(void)
{
	igt_fixture {
		close(fd);
		vvram_igt_reload("crtcs=4 enable_overlay=2");
		fd = vvram_igt_open();
		kms_require();
	}

	igt_describe("With crtcs=4 and enable_overlay=2, each of the four pipes "
		     "has a primary, a cursor and two overlay planes of its own.");
	igt_subtest("four-pipes-have-their-planes") {
		drmModePlaneRes *res = drmModeGetPlaneResources(fd);
		unsigned int count[4][3] = {}, i;

		igt_assert_eq(num_pipes, 4);
		igt_assert(res);
		igt_assert_eq(res->count_planes, 16);
		for (i = 0; i < res->count_planes; i++) {
			drmModePlane *plane = drmModeGetPlane(fd, res->planes[i]);
			uint32_t type = 3;
			uint64_t value;
			int pipe = __builtin_ffs(plane->possible_crtcs) - 1;

			igt_assert(plane);
			igt_assert_f(pipe >= 0 && plane->possible_crtcs == 1u << pipe,
				     "plane %u has possible_crtcs %#x\n",
				     plane->plane_id, plane->possible_crtcs);
			value = kms_prop_value(fd, plane->plane_id, DRM_MODE_OBJECT_PLANE, "type");
			if (value == DRM_PLANE_TYPE_PRIMARY)
				type = 0;
			else if (value == DRM_PLANE_TYPE_CURSOR)
				type = 1;
			else if (value == DRM_PLANE_TYPE_OVERLAY)
				type = 2;
			igt_assert(type < 3);
			count[pipe][type]++;
			drmModeFreePlane(plane);
		}
		for (i = 0; i < 4; i++) {
			igt_assert_eq(count[i][0], 1);
			igt_assert_eq(count[i][1], 1);
			igt_assert_eq(count[i][2], 2);
		}
		drmModeFreePlaneResources(res);
	}

	igt_describe("All four pipes light up at once, each on its own "
		     "framebuffer pinned in VRAM, and turn off.");
	igt_subtest("four-pipes-at-once") {
		struct kms_fb fbs[4];
		int i;

		for (i = 0; i < 4; i++) {
			drmModeModeInfo mode = kms_pipe_mode(fd, &pipes[i], 1024, 768);

			kms_fb_create(fd, &fbs[i], 1024, 768);
			igt_assert_eq(__kms_set_crtc(fd, &pipes[i], &fbs[i], &mode), 0);
		}
		for (i = 0; i < 4; i++) {
			igt_assert_eq(kms_crtc_fb(fd, &pipes[i]), fbs[i].id);
			igt_assert(bo_flags(fbs[i].handle) & VVRAM_GEM_INFO_SCANOUT);
		}
		for (i = 0; i < 4; i++) {
			kms_disable_crtc(fd, &pipes[i]);
			kms_fb_destroy(fd, &fbs[i]);
		}
	}

	igt_describe("Twenty unload and load cycles, each with a mode set and a "
		     "page flip in between, leave the device working.");
	igt_subtest("reload-cycles-with-modeset") {
		int cycle;

		for (cycle = 0; cycle < 20; cycle++) {
			struct kms_fb fbs[2];

			close(fd);
			vvram_igt_reload("");
			fd = vvram_igt_open();
			kms_require();
			kms_fb_create(fd, &fbs[0], 1920, 1080);
			kms_fb_create(fd, &fbs[1], 1920, 1080);
			kms_set_crtc(fd, &pipes[0], &fbs[0]);
			kms_flip_and_wait(fd, &pipes[0], &fbs[1]);
			igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbs[1].id);
			/* Closing the file takes the framebuffers off screen. */
		}
	}

	igt_describe("With scanout_contiguous=0 a framebuffer scattered over "
		     "fragmented VRAM is shown, and written back byte for byte.");
	igt_subtest("scattered-scanout-writeback") {
		uint32_t holes[256], *px, *got, blob;
		drmModeAtomicReq *req;
		drmModeModeInfo mode;
		struct kms_fb primary, out;
		int n, i;

		close(fd);
		vvram_igt_reload("scanout_contiguous=0");
		fd = vvram_igt_open();
		kms_require();
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0);
		/* Fill the CPU-visible window with 64 KiB BOs, free every other. */
		for (n = 0; n < 256; n++) {
			struct vvram_memory mem = vvram_memory(fd);

			if (mem.visible_used_bytes + SZ_64K > mem.visible_total_bytes)
				break;
			holes[n] = vvram_gem_create(fd, SZ_64K, VVRAM_GEM_DOMAIN_VRAM,
						    VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED);
		}
		for (i = 0; i < n; i += 2)
			vvram_gem_close(fd, holes[i]);

		mode = kms_pipe_mode(fd, &pipes[0], 640, 480);
		kms_fb_create(fd, &primary, 640, 480);
		px = kms_fb_map(fd, &primary);
		for (i = 0; i < 640 * 480; i++)
			px[i] = (uint32_t)(i * 2654435761u >> 8);
		kms_fb_create(fd, &out, 640, 480);
		req = kms_primary_req(fd, &pipes[0], &mode, &primary, &blob);
		kms_writeback_commit(fd, req, &pipes[0], &out, DRM_MODE_ATOMIC_ALLOW_MODESET);
		drmModeAtomicFree(req);
		drmModeDestroyPropertyBlob(fd, blob);
		/* XRGB8888 comes back with X set, the colour bytes as they were. */
		got = kms_fb_map(fd, &out);
		for (i = 0; i < 640 * 480; i++)
			igt_assert_f(got[i] == (px[i] | 0xff000000),
				     "pixel %d is %#x, not %#x\n", i, got[i], px[i] | 0xff000000);
		munmap(got, out.size);
		munmap(px, primary.size);
		igt_assert(bo_flags(primary.handle) & VVRAM_GEM_INFO_SCANOUT);
		igt_assert_eq(bo_flags(primary.handle) & VVRAM_GEM_INFO_CONTIGUOUS, 0);

		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &primary);
		kms_fb_destroy(fd, &out);
		for (i = 1; i < n; i += 2)
			vvram_gem_close(fd, holes[i]);
		drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("With display=0 the device is render-only: no KMS, and "
		     "the GEM UAPI works as before.");
	igt_subtest("display-off-is-render-only") {
		uint32_t handle;

		close(fd);
		vvram_igt_reload("display=0");
		fd = vvram_igt_open();
		igt_assert(!drmModeGetResources(fd));
		handle = vvram_gem_create(fd, SZ_1M, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_bo_fill(fd, handle, SZ_1M, 5);
		vvram_bo_assert_pattern(fd, handle, SZ_1M, 5);
		vvram_gem_close(fd, handle);
	}

	igt_fixture {
		close(fd);
		vvram_igt_restore();
		fd = vvram_igt_open();
	}
}

/* A socket that receives the kernel's uevents. */
static int uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	igt_assert(sock >= 0);
	igt_assert_eq(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return sock;
}

/* Whether a DRM hotplug uevent arrives on @sock within 5 s. */
static bool uevent_hotplug(int sock)
{
	char msg[4096];
	struct pollfd pfd = { .fd = sock, .events = POLLIN };

	while (poll(&pfd, 1, 5000) == 1) {
		ssize_t n = recv(sock, msg, sizeof(msg) - 1, 0), i;
		bool drm = false, hotplug = false;

		for (i = 0; i < n; i += strlen(msg + i) + 1) {
			drm |= !strcmp(msg + i, "SUBSYSTEM=drm");
			hotplug |= !strcmp(msg + i, "HOTPLUG=1");
		}
		if (drm && hotplug)
			return true;
	}
	return false;
}

static int status_write(const char *value)
{
	char path[160];
	struct stat st;
	int file, ret;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/Virtual-1/vvram_status",
		 minor(st.st_rdev));
	file = open(path, O_WRONLY);
	igt_require_f(file >= 0, "no %s\n", path);
	ret = write(file, value, strlen(value)) < 0 ? -errno : 0;
	close(file);
	return ret;
}

static drmModeConnection connector_state(int *modes)
{
	drmModeConnector *conn = drmModeGetConnector(fd, pipes[0].connector);
	drmModeConnection state;

	igt_assert(conn);
	state = conn->connection;
	*modes = conn->count_modes;
	drmModeFreeConnector(conn);
	return state;
}

static void hotplug_tests(void)
{
	int sock, modes;

	igt_fixture {
		kms_require();
		sock = uevent_open();
	}

	igt_describe("Unplugging and replugging the connector through debugfs "
		     "sends hotplug uevents; unplugged it offers no mode.");
	igt_subtest("connector-unplug-replug") {
		igt_assert_eq(status_write("disconnected"), 0);
		igt_assert_f(uevent_hotplug(sock), "no hotplug uevent\n");
		igt_assert_eq(connector_state(&modes), DRM_MODE_DISCONNECTED);
		igt_assert_eq(modes, 0);
		igt_assert_eq(status_write("connected\n"), 0);
		igt_assert_f(uevent_hotplug(sock), "no hotplug uevent\n");
		igt_assert_eq(connector_state(&modes), DRM_MODE_CONNECTED);
		igt_assert(modes > 0);
	}

	igt_describe("Anything but connected or disconnected is EINVAL and "
		     "changes nothing.");
	igt_subtest("connector-bad-status-is-einval") {
		igt_assert_eq(status_write("unplugged"), -EINVAL);
		igt_assert_eq(status_write(""), -EINVAL);
		igt_assert_eq(status_write("connected-and-more-than-16-bytes"), -EINVAL);
		igt_assert_eq(connector_state(&modes), DRM_MODE_CONNECTED);
	}

	igt_fixture {
		status_write("connected");
		close(sock);
	}
}

/*
 * vvram's own limits, which the DRM core leaves to the driver: modes up to
 * 8192 pixels a side, cursors up to 512x512.
 */
static void limit_tests(void)
{
	igt_fixture
		kms_require();

	igt_describe("An atomic commit of a mode wider than 8192 pixels is "
		     "refused, TEST_ONLY or not.");
	igt_subtest("mode-too-wide-is-einval") {
		drmModeModeInfo mode = pipes[0].mode;
		drmModeAtomicReq *req;
		uint32_t blob;

		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		mode.hdisplay = 9000;
		mode.hsync_start = 9010;
		mode.hsync_end = 9020;
		mode.htotal = 9100;
		igt_assert_eq(drmModeCreatePropertyBlob(fd, &mode, sizeof(mode),
							&blob), 0);
		req = drmModeAtomicAlloc();
		drmModeAtomicAddProperty(req, pipes[0].crtc,
					 kms_prop_id(fd, pipes[0].crtc, DRM_MODE_OBJECT_CRTC,
						 "MODE_ID"), blob);
		drmModeAtomicAddProperty(req, pipes[0].crtc,
					 kms_prop_id(fd, pipes[0].crtc, DRM_MODE_OBJECT_CRTC,
						 "ACTIVE"), 1);
		drmModeAtomicAddProperty(req, pipes[0].connector,
					 kms_prop_id(fd, pipes[0].connector,
						 DRM_MODE_OBJECT_CONNECTOR,
						 "CRTC_ID"), pipes[0].crtc);
		igt_assert_eq(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
						  DRM_MODE_ATOMIC_ALLOW_MODESET,
						  NULL), -EINVAL);
		igt_assert_eq(drmModeAtomicCommit(fd, req,
						  DRM_MODE_ATOMIC_ALLOW_MODESET,
						  NULL), -EINVAL);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), 0);
		drmModeAtomicFree(req);
		drmModeDestroyPropertyBlob(fd, blob);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("A DEGAMMA_LUT or GAMMA_LUT of other than 256 entries, or a "
		     "CTM blob of the wrong size, is refused, TEST_ONLY or not.");
	igt_subtest("color-blobs-of-wrong-size-are-einval") {
		static const struct {
			const char *prop;
			size_t size;
		} bad[] = {
			{ "DEGAMMA_LUT", 255 * sizeof(struct drm_color_lut) },
			{ "DEGAMMA_LUT", 257 * sizeof(struct drm_color_lut) },
			{ "GAMMA_LUT", 16 * sizeof(struct drm_color_lut) },
			{ "CTM", sizeof(struct drm_color_ctm) - 8 },
			{ "CTM", sizeof(struct drm_color_ctm) + 8 },
		};
		static struct drm_color_lut data[257];

		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			drmModeAtomicReq *req = drmModeAtomicAlloc();
			uint32_t blob;

			igt_assert_eq(drmModeCreatePropertyBlob(fd, data, bad[i].size,
								&blob), 0);
			kms_add_prop(fd, req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC,
				     bad[i].prop, blob);
			igt_assert_eq(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY,
							  NULL), -EINVAL);
			igt_assert_eq(drmModeAtomicCommit(fd, req, 0, NULL), -EINVAL);
			drmModeAtomicFree(req);
			drmModeDestroyPropertyBlob(fd, blob);
		}
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("A cursor larger than 512x512 is refused.");
	igt_subtest("cursor-too-large-is-einval") {
		uint32_t pitch, handle;
		uint64_t size;
		struct kms_fb fb;

		kms_fb_create(fd, &fb, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &fb);
		igt_assert_eq(drmModeCreateDumbBuffer(fd, 1024, 1024, 32, 0, &handle,
						      &pitch, &size), 0);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, handle, 1024, 1024),
			      -EINVAL);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, handle, 64, 64), 0);
		igt_assert_eq(drmModeSetCursor(fd, pipes[0].crtc, 0, 0, 0), 0);
		drmModeDestroyDumbBuffer(fd, handle);
		kms_disable_crtc(fd, &pipes[0]);
		kms_fb_destroy(fd, &fb);
	}
}

/* ---- Formats ---- */

/*
 * An atomic request showing @fb_id on pipe 0's @plane, the @sw x @sh
 * source rectangle at (@sx, @sy) at the top left, in the preferred mode.
 * The mode's blob goes to *@blob.
 */
static drmModeAtomicReq *plane_req(uint32_t plane, uint32_t fb_id, int sx, int sy,
				   int sw, int sh, uint32_t *blob)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	const struct {
		const char *name;
		uint64_t value;
	} props[] = {
		{ "FB_ID", fb_id }, { "CRTC_ID", pipes[0].crtc },
		{ "SRC_X", (uint64_t)sx << 16 }, { "SRC_Y", (uint64_t)sy << 16 },
		{ "SRC_W", (uint64_t)sw << 16 }, { "SRC_H", (uint64_t)sh << 16 },
		{ "CRTC_X", 0 }, { "CRTC_Y", 0 }, { "CRTC_W", sw }, { "CRTC_H", sh },
	};

	igt_assert(req);
	igt_assert_eq(drmModeCreatePropertyBlob(fd, &pipes[0].mode, sizeof(pipes[0].mode),
						blob), 0);
	kms_add_prop(fd, req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", *blob);
	kms_add_prop(fd, req, pipes[0].crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kms_add_prop(fd, req, pipes[0].connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
		     pipes[0].crtc);
	for (unsigned int i = 0; i < ARRAY_SIZE(props); i++)
		kms_add_prop(fd, req, plane, DRM_MODE_OBJECT_PLANE, props[i].name,
			     props[i].value);
	return req;
}

/* A TEST_ONLY commit of plane_req(); returns its errno. */
static int plane_test_only(uint32_t plane, uint32_t fb_id, int sx, int sy, int sw, int sh)
{
	uint32_t blob;
	drmModeAtomicReq *req = plane_req(plane, fb_id, sx, sy, sw, sh, &blob);
	int ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
				      DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);

	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	return ret;
}

/* Whether @plane lists @format. */
static bool plane_has_format(uint32_t plane, uint32_t format)
{
	drmModePlane *p = drmModeGetPlane(fd, plane);
	bool found = false;

	igt_assert(p);
	for (uint32_t i = 0; i < p->count_formats; i++)
		found |= p->formats[i] == format;
	drmModeFreePlane(p);
	return found;
}

static const uint32_t rgb_formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616, DRM_FORMAT_RGB565, DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888, DRM_FORMAT_RGB888, DRM_FORMAT_BGR888,
};

static const uint32_t yuv_formats[] = {
	DRM_FORMAT_NV12, DRM_FORMAT_NV21, DRM_FORMAT_NV16, DRM_FORMAT_YUV420,
};

static bool bo_scanout_pinned(uint32_t handle)
{
	uint32_t want = VVRAM_GEM_INFO_SCANOUT | VVRAM_GEM_INFO_PINNED;

	return (bo_flags(handle) & want) == want;
}

/*
 * The formats where they make sense, YCbCr framebuffers' sizes and source
 * rectangles on the chroma grid, and every BO of a multi-planar
 * framebuffer scanned out of VRAM.
 */
static void format_tests(void)
{
	igt_fixture {
		kms_require();
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
	}

	igt_describe("Primary and overlay planes list every RGB and YCbCr "
		     "format, with COLOR_ENCODING and COLOR_RANGE; the cursor "
		     "lists the RGB formats only and has neither property, and "
		     "an NV12 cursor is refused.");
	igt_subtest("formats-where-they-make-sense") {
		uint32_t primary = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_PRIMARY);
		uint32_t overlay = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_OVERLAY);
		uint32_t cursor = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_CURSOR);
		struct kms_yuv_fb nv12;

		for (unsigned int i = 0; i < ARRAY_SIZE(rgb_formats); i++) {
			igt_assert(plane_has_format(primary, rgb_formats[i]));
			igt_assert(plane_has_format(overlay, rgb_formats[i]));
			igt_assert(plane_has_format(cursor, rgb_formats[i]));
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(yuv_formats); i++) {
			igt_assert(plane_has_format(primary, yuv_formats[i]));
			igt_assert(plane_has_format(overlay, yuv_formats[i]));
			igt_assert(!plane_has_format(cursor, yuv_formats[i]));
		}
		for (unsigned int i = 0; i < 2; i++) {
			const char *name = i ? "COLOR_RANGE" : "COLOR_ENCODING";

			igt_assert(vvram_kms_prop_id(fd, primary, DRM_MODE_OBJECT_PLANE, name));
			igt_assert(vvram_kms_prop_id(fd, overlay, DRM_MODE_OBJECT_PLANE, name));
			igt_assert(!vvram_kms_prop_id(fd, cursor, DRM_MODE_OBJECT_PLANE, name));
		}
		/* The default: BT.601, limited range. */
		igt_assert_eq_u64(kms_prop_value(fd, primary, DRM_MODE_OBJECT_PLANE,
						 "COLOR_ENCODING"),
				  kms_prop_enum(fd, primary, DRM_MODE_OBJECT_PLANE,
						"COLOR_ENCODING", "ITU-R BT.601 YCbCr"));
		igt_assert_eq_u64(kms_prop_value(fd, primary, DRM_MODE_OBJECT_PLANE,
						 "COLOR_RANGE"),
				  kms_prop_enum(fd, primary, DRM_MODE_OBJECT_PLANE,
						"COLOR_RANGE", "YCbCr limited range"));
		kms_yuv_fb_create(fd, &nv12, DRM_FORMAT_NV12, 64, 64, true);
		igt_assert_eq(plane_test_only(cursor, nv12.id, 0, 0, 64, 64), -EINVAL);
		igt_assert_eq(plane_test_only(overlay, nv12.id, 0, 0, 64, 64), 0);
		kms_yuv_fb_destroy(fd, &nv12);
	}

	igt_describe("A subsampled framebuffer that ends in the middle of a "
		     "chroma sample (an odd width; an odd height in 4:2:0) is "
		     "refused when created; NV16 may have an odd height.");
	igt_subtest("addfb-subsampled-odd-size-is-einval") {
		static const struct {
			uint32_t format, width, height;
			int err;
		} cases[] = {
			{ DRM_FORMAT_NV12, 256, 256, 0 },
			{ DRM_FORMAT_NV12, 255, 256, -EINVAL },
			{ DRM_FORMAT_NV12, 256, 255, -EINVAL },
			{ DRM_FORMAT_NV21, 255, 255, -EINVAL },
			{ DRM_FORMAT_NV16, 255, 256, -EINVAL },
			{ DRM_FORMAT_NV16, 256, 255, 0 },
			{ DRM_FORMAT_YUV420, 255, 256, -EINVAL },
			{ DRM_FORMAT_YUV420, 256, 255, -EINVAL },
			{ DRM_FORMAT_YUV420, 1, 1, -EINVAL },
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
			struct kms_yuv_fb fb;

			igt_assert_f(__kms_yuv_fb_create(fd, &fb, cases[i].format,
							 cases[i].width, cases[i].height,
							 i % 2) == cases[i].err,
				     "case %u: not %d\n", i, cases[i].err);
			kms_yuv_fb_destroy(fd, &fb);
		}
	}

	igt_describe("A YCbCr plane whose source rectangle starts or ends off "
		     "the chroma grid (odd x or width; odd y or height in 4:2:0) "
		     "is refused, TEST_ONLY or not, and one on it is accepted.");
	igt_subtest("yuv-source-off-chroma-grid-is-einval") {
		uint32_t primary = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_PRIMARY);
		static const struct {
			uint32_t format;
			int sx, sy, sw, sh, err;
		} cases[] = {
			{ DRM_FORMAT_NV12, 2, 2, 100, 100, 0 },
			{ DRM_FORMAT_NV12, 1, 0, 100, 100, -EINVAL },
			{ DRM_FORMAT_NV12, 0, 0, 101, 100, -EINVAL },
			{ DRM_FORMAT_NV12, 0, 1, 100, 100, -EINVAL },
			{ DRM_FORMAT_NV12, 0, 0, 100, 101, -EINVAL },
			{ DRM_FORMAT_YUV420, 0, 3, 100, 100, -EINVAL },
			{ DRM_FORMAT_NV16, 0, 1, 100, 101, 0 },
			{ DRM_FORMAT_NV16, 3, 0, 100, 100, -EINVAL },
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
			struct kms_yuv_fb fb;
			drmModeAtomicReq *req;
			uint32_t blob;

			kms_yuv_fb_create(fd, &fb, cases[i].format, 256, 256, true);
			igt_assert_f(plane_test_only(primary, fb.id, cases[i].sx, cases[i].sy,
						     cases[i].sw, cases[i].sh) == cases[i].err,
				     "case %u: not %d\n", i, cases[i].err);
			if (cases[i].err) {
				req = plane_req(primary, fb.id, cases[i].sx, cases[i].sy,
						cases[i].sw, cases[i].sh, &blob);
				igt_assert_eq(drmModeAtomicCommit(fd, req,
								  DRM_MODE_ATOMIC_ALLOW_MODESET,
								  NULL), cases[i].err);
				drmModeAtomicFree(req);
				drmModeDestroyPropertyBlob(fd, blob);
			}
			kms_yuv_fb_destroy(fd, &fb);
		}
	}

	igt_describe("A YUV420 framebuffer with a BO per colour plane, all in "
		     "GTT, is shown with every BO moved into VRAM and pinned for "
		     "scanout and all three counted; an NV12 one sharing one BO "
		     "counts it once; turning the CRTC off unpins each.");
	igt_subtest("yuv-scanout-pins-every-bo") {
		struct kms_yuv_fb yuv420, nv12;
		uint64_t sum = 0;

		kms_yuv_fb_create(fd, &yuv420, DRM_FORMAT_YUV420, 1920, 1080, false);
		for (unsigned int i = 0; i < yuv420.num_bos; i++) {
			vvram_gem_migrate(fd, yuv420.bos[i], VVRAM_GEM_DOMAIN_GTT);
			sum += yuv420.bo_sizes[i];
		}
		kms_set_crtc(fd, &pipes[0], &(struct kms_fb){ .id = yuv420.id });
		for (unsigned int i = 0; i < yuv420.num_bos; i++) {
			igt_assert_eq(vvram_gem_domain(fd, yuv420.bos[i]),
				      VVRAM_GEM_DOMAIN_VRAM);
			igt_assert(bo_scanout_pinned(yuv420.bos[i]));
		}
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, sum);
		igt_assert_eq_u64(debugfs_scanout_bytes(), sum);

		kms_yuv_fb_create(fd, &nv12, DRM_FORMAT_NV12, 1920, 1080, true);
		kms_set_crtc(fd, &pipes[0], &(struct kms_fb){ .id = nv12.id });
		igt_assert(bo_scanout_pinned(nv12.bos[0]));
		for (unsigned int i = 0; i < yuv420.num_bos; i++)
			igt_assert_eq(bo_flags(yuv420.bos[i]) &
				      (VVRAM_GEM_INFO_SCANOUT | VVRAM_GEM_INFO_PINNED), 0);
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, nv12.bo_sizes[0]);
		kms_disable_crtc(fd, &pipes[0]);
		/* One pin per BO: none is left behind. */
		igt_assert_eq(bo_flags(nv12.bos[0]) &
			      (VVRAM_GEM_INFO_SCANOUT | VVRAM_GEM_INFO_PINNED), 0);
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, 0);
		kms_yuv_fb_destroy(fd, &nv12);
		kms_yuv_fb_destroy(fd, &yuv420);
	}

	igt_describe("TEST_ONLY's room check adds up the BOs of a multi-planar "
		     "framebuffer: with room for the largest of its three BOs but "
		     "not for all of them it is ENOSPC; with the pinned BO gone "
		     "the commit passes.");
	igt_subtest("yuv-room-counts-every-bo") {
		uint32_t primary = kms_pipe_plane(fd, &pipes[0], DRM_PLANE_TYPE_PRIMARY);
		struct vvram_memory mem = vvram_memory(fd);
		uint64_t largest = 0, sum = 0, pinned_size;
		struct kms_yuv_fb yuv;
		uint32_t pinned;

		kms_yuv_fb_create(fd, &yuv, DRM_FORMAT_YUV420, 1920, 1080, false);
		for (unsigned int i = 0; i < yuv.num_bos; i++) {
			vvram_gem_migrate(fd, yuv.bos[i], VVRAM_GEM_DOMAIN_GTT);
			largest = yuv.bo_sizes[i] > largest ? yuv.bo_sizes[i] : largest;
			sum += yuv.bo_sizes[i];
		}
		/* Pinned VRAM leaves room for the largest BO alone. */
		pinned_size = (mem.vram_total_bytes - largest) / mem.chunk_size_bytes *
			      mem.chunk_size_bytes;
		igt_assert(pinned_size + sum > mem.vram_total_bytes);
		pinned = vvram_gem_create(fd, pinned_size, VVRAM_GEM_DOMAIN_VRAM, 0);
		vvram_gem_pin(fd, pinned, VVRAM_GEM_DOMAIN_VRAM);
		igt_assert_eq(plane_test_only(primary, yuv.id, 0, 0, 1920, 1080), -ENOSPC);
		vvram_gem_unpin(fd, pinned);
		vvram_gem_close(fd, pinned);
		igt_assert_eq(plane_test_only(primary, yuv.id, 0, 0, 1920, 1080), 0);
		kms_yuv_fb_destroy(fd, &yuv);
	}

	igt_fixture
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
}

/* ---- fbdev emulation ---- */

#define FBCON_BYTES (1920 * 1080 * 4)

/* The colour of pixel (@x, @y) of the test's rows on the fbdev. */
static uint32_t fbdev_pixel(int x, int y)
{
	return (uint32_t)((x + 1) * 2654435761u ^ y * 40503u) & 0xffffff;
}

static void fbdev_tests(void)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	uint32_t fbcon_fb = 0;
	int fbdev = -1, tty = -1;

	igt_fixture {
		close(fd);
		vvram_igt_reload("fbdev=1");
		fd = vvram_igt_open();
		kms_require();
		fbcon_fb = kms_crtc_fb(fd, &pipes[0]);
		fbdev = kms_fbdev_open();
		igt_assert_f(fbdev >= 0, "fbdev=1 but no vvramdrmfb framebuffer device\n");
		igt_assert_eq(ioctl(fbdev, FBIOGET_VSCREENINFO, &var), 0);
		igt_assert_eq(ioctl(fbdev, FBIOGET_FSCREENINFO, &fix), 0);
		/* fbcon's text must not scroll over the test's pixels. */
		tty = open("/dev/tty0", O_RDWR | O_CLOEXEC);
		if (tty >= 0 && ioctl(tty, KDSETMODE, KD_GRAPHICS)) {
			close(tty);
			tty = -1;
		}
	}

	igt_describe("fbdev emulation gives fbcon a 1920x1080, 32 bpp framebuffer "
		     "device, shown on the first pipe from a dumb buffer pinned in "
		     "VRAM, which QUERY and debugfs count as scanout.");
	igt_subtest("fbdev-scanout-in-vram") {
		igt_assert_eq(var.xres, 1920);
		igt_assert_eq(var.yres, 1080);
		igt_assert_eq(var.bits_per_pixel, 32);
		igt_assert_lte(FBCON_BYTES, fix.smem_len);
		igt_assert_f(fbcon_fb, "fbcon's framebuffer is not on screen\n");
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, FBCON_BYTES);
		igt_assert_eq_u64(debugfs_scanout_bytes(), FBCON_BYTES);
	}

	igt_describe("Pixels written to the framebuffer device reach the screen: "
		     "a writeback of the pipe, fbcon's framebuffer left in place, "
		     "gives them back within a second.");
	igt_subtest("fbdev-write-reaches-writeback") {
		const int first = 100, rows = 64;
		uint32_t *rows_px = malloc((size_t)rows * fix.line_length), *got;
		struct kms_fb out;
		uint32_t seen = 0;
		bool same = false;
		int x, y, try;

		igt_require_f(tty >= 0, "cannot put the console in graphics mode\n");
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0);
		igt_require(drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0);
		igt_assert(rows_px);
		for (y = 0; y < rows; y++)
			for (x = 0; x < 1920; x++)
				rows_px[y * (fix.line_length / 4) + x] = fbdev_pixel(x, first + y);
		/*
		 * One write of all the rows: 6.12's fbdev helper turns a write
		 * of exactly one whole line into an empty damage rectangle.
		 */
		igt_assert_eq(pwrite(fbdev, rows_px, (size_t)rows * fix.line_length,
				     (off_t)first * fix.line_length),
			      (ssize_t)rows * fix.line_length);
		kms_fb_create(fd, &out, 1920, 1080);
		/* The fbdev helper copies the damage into VRAM on a worker. */
		for (try = 0; try < 20 && !same; try++) {
			drmModeAtomicReq *req = drmModeAtomicAlloc();

			igt_assert(req);
			kms_writeback_commit(fd, req, &pipes[0], &out,
					     DRM_MODE_ATOMIC_ALLOW_MODESET);
			drmModeAtomicFree(req);
			got = kms_fb_map(fd, &out);
			same = true;
			for (y = first; y < first + rows && same; y++)
				for (x = 0; x < 1920 && same; x++) {
					seen = got[y * (out.pitch / 4) + x];
					same = seen == (fbdev_pixel(x, y) | 0xff000000);
				}
			munmap(got, out.size);
			if (!same)
				usleep(50000);
		}
		igt_assert_f(same, "pixel (%d, %d) written to the fbdev as %#x is %#x on screen\n",
			     x - 1, y - 1, fbdev_pixel(x - 1, y - 1), seen);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbcon_fb);
		kms_fb_destroy(fd, &out);
		free(rows_px);
		drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
		drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 0);
	}

	igt_describe("A client may replace fbcon's framebuffer; when the last "
		     "client closes the device, fbcon's is shown again.");
	igt_subtest("fbdev-restored-after-close") {
		struct kms_fb own;

		igt_require(fbcon_fb);
		kms_fb_create(fd, &own, 1920, 1080);
		kms_set_crtc(fd, &pipes[0], &own);
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), own.id);
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, FBCON_BYTES);
		close(fd);
		fd = vvram_igt_open();
		kms_require();
		igt_assert_eq(kms_crtc_fb(fd, &pipes[0]), fbcon_fb);
		igt_assert_eq_u64(vvram_memory(fd).scanout_bytes, FBCON_BYTES);
	}

	igt_fixture {
		if (tty >= 0) {
			ioctl(tty, KDSETMODE, KD_TEXT);
			close(tty);
		}
		if (fbdev >= 0)
			close(fbdev);
		close(fd);
		vvram_igt_restore();
		fd = vvram_igt_open();
	}
}

igt_main
{
	static const vvram_topic_fn topics[] = {
		modeset_tests,
		vram_tests,
		hotplug_tests,
		limit_tests,
		format_tests,
		layout_tests,
		fbdev_tests,
	};

	vvram_igt_run(&fd, NULL, topics, ARRAY_SIZE(topics));
}
