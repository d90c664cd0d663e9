// SPDX-License-Identifier: MIT
/*
 * vvram_hotunplug: unbinding the device from its platform driver, as a GPU
 * that is hot-unplugged, and binding it again, with clients holding it.
 * This is what IGT's core_hotunplug checks on real hardware.
 *
 * What the driver documents: unbinding always succeeds; the nodes go away
 * and every ioctl of a file still open fails with ENODEV, and so does a
 * new mmap(), of the device or of a dma-buf it exported; mappings made
 * before stay valid (no SIGBUS) but show a dummy zeroed page, as amdgpu's
 * do when the GPU is gone; the old device's memory, its emulated VRAM
 * included, is freed when the last file, mapping or dma-buf lets go of it;
 * binding gives a new, fully working device even while the old one is
 * still held.  The freeing is measured in /proc/meminfo's VmallocUsed: the
 * emulated VRAM is one vmalloc() area.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vvram_igt.h"

#define DRIVER_DIR "/sys/bus/platform/drivers/" VVRAM_DRIVER_NAME
#define CYCLES 50
#define BO_SIZE SZ_64K

/* Writes the device's name to the driver's @file; 0 or the write's -errno. */
static int driver_write(const char *file)
{
	char path[PATH_MAX];
	ssize_t written;
	int fd, err = 0;

	snprintf(path, sizeof(path), DRIVER_DIR "/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "cannot open %s: %m\n", path);
	written = write(fd, VVRAM_DRIVER_NAME, strlen(VVRAM_DRIVER_NAME));
	if (written < 0)
		err = -errno;
	close(fd);
	return err;
}

static bool bound(void)
{
	return access(DRIVER_DIR "/" VVRAM_DRIVER_NAME, F_OK) == 0;
}

static uint64_t vmalloc_used_bytes(void)
{
	unsigned long long kib = 0;
	char line[256];
	FILE *file = fopen("/proc/meminfo", "re");

	igt_assert(file);
	while (fgets(line, sizeof(line), file))
		if (sscanf(line, "VmallocUsed: %llu kB", &kib) == 1)
			break;
	fclose(file);
	igt_assert(kib);
	return kib << 10;
}

/* The device's nodes appear (devtmpfs makes them from the uevent). */
static int open_new_device(void)
{
	int fd = -ENODEV;

	for (int i = 0; i < 200 && fd < 0; i++) {
		fd = vvram_open(VVRAM_OPEN_PRIMARY);
		if (fd < 0)
			usleep(10000);
	}
	igt_assert_f(fd >= 0, "no vvram node after binding: %d\n", fd);
	return fd;
}

static void unbind(void)
{
	igt_assert_eq(driver_write("unbind"), 0);
	igt_assert(!bound());
	igt_assert_eq(vvram_open(0), -ENODEV);
}

static void bind(void)
{
	igt_assert_eq(driver_write("bind"), 0);
	igt_assert(bound());
}

/* Whatever failed, the next test binary finds the device bound. */
static void rebind_at_exit(int sig __attribute__((unused)))
{
	int fd;

	if (!vvram_module_loaded() || bound())
		return;
	fd = open(DRIVER_DIR "/bind", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, VVRAM_DRIVER_NAME, strlen(VVRAM_DRIVER_NAME)) < 0)
			igt_warn("cannot bind vvram again: %m\n");
		close(fd);
	}
}

/* Each subtest starts with the device loaded and bound. */
static void require_bound(void)
{
	vvram_igt_restore();
	if (!bound())
		bind();
	close(open_new_device());
}

/* Every way in through an unplugged device's file fails with ENODEV. */
static void assert_enodev(int fd, uint32_t handle)
{
	struct drm_vvram_gem_create create = { .size = BO_SIZE, .domains = VRAM };
	struct drm_mode_create_dumb dumb = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_gem_close gem_close = { .handle = handle };
	struct drm_vvram_query query = {};
	uint64_t offset;
	int dmabuf;

	igt_assert_eq(__vvram_gem_create(fd, &create), -ENODEV);
	igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, &query), -ENODEV);
	igt_assert_eq(vvram_bo_mmap_offset(fd, handle, &offset), -ENODEV);
	igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), -ENODEV);
	igt_assert(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC, &dmabuf) && errno == ENODEV);
	igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gem_close), -ENODEV);
}

/*
 * The clients of one cycle: a file with a BO holding a pattern, a mapping
 * of another BO, a dma-buf whose handle and file are gone, and, when
 * @display, a framebuffer on the first pipe.
 */
struct clients {
	int fd, dmabuf;
	uint32_t handle;
	uint64_t offset, seed;
	void *map;
	struct kms_pipe pipe;
	struct kms_fb fb;
	bool display;
};

static void clients_start(struct clients *c, uint64_t seed, bool display)
{
	uint32_t exported;
	int other;

	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->display = display;
	c->fd = open_new_device();
	c->handle = vvram_gem_create(c->fd, BO_SIZE, VRAM, 0);
	vvram_bo_fill(c->fd, c->handle, BO_SIZE, seed);
	igt_assert_eq(vvram_bo_mmap_offset(c->fd, c->handle, &c->offset), 0);
	c->map = vvram_gem_mmap(c->fd, vvram_gem_create(c->fd, BO_SIZE, VRAM, 0),
				BO_SIZE);
	vvram_pattern_fill(c->map, BO_SIZE, seed + 1);

	other = open_new_device();
	exported = vvram_gem_create(other, BO_SIZE, VRAM, 0);
	igt_assert_eq(drmPrimeHandleToFD(other, exported, DRM_CLOEXEC, &c->dmabuf), 0);
	close(other);

	if (display) {
		kms_pipes(c->fd, &c->pipe, 1);
		kms_fb_create(c->fd, &c->fb, c->pipe.mode.hdisplay,
			      c->pipe.mode.vdisplay);
		kms_set_crtc(c->fd, &c->pipe, &c->fb);
	}
}

/*
 * After unbinding: ENODEV everywhere. Mappings made before stay valid, but
 * show a dummy zeroed page from then on, as on a GPU whose VRAM is gone.
 */
static void clients_check_unplugged(struct clients *c)
{
	void *ptr;

	assert_enodev(c->fd, c->handle);
	if (c->display) {
		drmModeModeInfo mode = c->pipe.mode;

		igt_assert_eq(__kms_set_crtc(c->fd, &c->pipe, &c->fb, &mode), -ENODEV);
	}
	/* New mappings are refused, of an offset got before or of the dma-buf. */
	ptr = mmap(NULL, BO_SIZE, PROT_READ, MAP_SHARED, c->fd, c->offset);
	igt_assert(ptr == MAP_FAILED && errno == ENODEV);
	ptr = mmap(NULL, BO_SIZE, PROT_READ, MAP_SHARED, c->dmabuf, 0);
	igt_assert(ptr == MAP_FAILED && errno == ENODEV);

	vvram_assert_zero(c->map, BO_SIZE);
	vvram_pattern_fill(c->map, BO_SIZE, c->seed + 3);
}

static void clients_stop(struct clients *c)
{
	munmap(c->map, BO_SIZE);
	close(c->dmabuf);
	close(c->fd);
}

/*
 * Unbinds with @c's clients, checks them, binds, checks that the new device
 * works beside the old one, then lets the old one go and checks that its
 * VRAM (@vram_bytes of vmalloc) is freed.
 */
static void unplug_cycle(struct clients *c, uint64_t vram_bytes)
{
	uint64_t held;
	int fresh;

	unbind();
	clients_check_unplugged(c);
	bind();
	fresh = open_new_device();
	vvram_assert_device_works(fresh, c->seed + 4);
	if (c->display) {
		struct kms_pipe pipe;
		struct kms_fb fb;

		close(fresh);	/* the new device's master is the one to set a mode */
		fresh = open_new_device();
		kms_pipes(fresh, &pipe, 1);
		kms_fb_create(fresh, &fb, pipe.mode.hdisplay, pipe.mode.vdisplay);
		kms_set_crtc(fresh, &pipe, &fb);
		kms_disable_crtc(fresh, &pipe);
		kms_fb_destroy(fresh, &fb);
	}
	close(fresh);

	/* Others may vmalloc meanwhile (kernel stacks): allow them 1 MiB. */
	held = vmalloc_used_bytes();
	clients_stop(c);
	igt_assert_f(held - vmalloc_used_bytes() + (1 << 20) >= vram_bytes,
		     "the old device's %llu bytes of VRAM were not freed at its last close (vmalloc %llu -> %llu)\n",
		     (unsigned long long)vram_bytes, (unsigned long long)held,
		     (unsigned long long)vmalloc_used_bytes());
}

static uint64_t vram_total_bytes(void)
{
	int fd = open_new_device();
	uint64_t bytes = vvram_memory(fd).vram_total_bytes;

	close(fd);
	return bytes;
}

static void unplug_tests(void)
{
	uint64_t vram_bytes = 0;

	igt_fixture {
		require_bound();
		vram_bytes = vram_total_bytes();
	}

	igt_describe("Unbinding removes the nodes; binding again gives a working device.");
	igt_subtest("unbind-rebind") {
		int fd;

		require_bound();
		unbind();
		bind();
		fd = open_new_device();
		vvram_assert_device_works(fd, 1);
		close(fd);
	}

	igt_describe("Unbinding with a file, a mapping and a dma-buf open succeeds; ioctls and new mmaps then fail with ENODEV, the mapping shows a zeroed dummy page, a new device binds beside the old one, and the last close frees the old device's VRAM.");
	igt_subtest("unbind-with-open-file") {
		struct clients c;

		require_bound();
		clients_start(&c, 10, false);
		unplug_cycle(&c, vram_bytes);
	}

	igt_describe("Unbinding while a framebuffer is displayed succeeds; the old file's KMS ioctls fail with ENODEV, and the new device sets a mode.");
	igt_subtest("unbind-while-displaying") {
		struct clients c;

		require_bound();
		clients_start(&c, 20, true);
		unplug_cycle(&c, vram_bytes);
	}

	igt_describe_f("%d cycles of unbinding and binding with an open file, a mapping, a dma-buf and, every other cycle, a displayed framebuffer: each cycle's old device refuses new work with ENODEV, its mappings turn to a zeroed dummy page without SIGBUS, and its VRAM is freed at the last close.",
		       CYCLES);
	igt_subtest_f("unbind-rebind-%d-cycles-with-clients", CYCLES) {
		require_bound();
		for (unsigned int cycle = 0; cycle < CYCLES; cycle++) {
			struct clients c;

			clients_start(&c, 100 + 10 * cycle, cycle & 1);
			unplug_cycle(&c, vram_bytes);
		}
	}

	igt_describe("With fbdev emulation (fbcon on vvram) and its framebuffer device held open, unbinding succeeds; binding gives the new device its own framebuffer device.");
	igt_subtest("unbind-with-fbcon") {
		int fbdev;

		require_bound();
		vvram_igt_reload("fbdev=1");
		fbdev = kms_fbdev_open();
		igt_assert_f(fbdev >= 0, "fbdev=1 but no vvramdrmfb framebuffer device\n");
		unbind();
		igt_assert_eq(kms_fbdev_open(), -1);
		close(fbdev);
		bind();
		fbdev = kms_fbdev_open();
		igt_assert_f(fbdev >= 0, "no vvramdrmfb framebuffer device after binding\n");
		close(fbdev);
		vvram_igt_reload("");
	}

	igt_describe("The module cannot unload while an unbound device's file is open; it unloads once the file is closed.");
	igt_subtest("unload-after-unbind-waits-for-clients") {
		int fd, err;

		require_bound();
		fd = open_new_device();
		unbind();
		err = vvram_module_unload();
		igt_assert_f(err == -EAGAIN || err == -EBUSY,
			     "unloading with an unbound device's file open returned %d\n", err);
		close(fd);
		igt_assert_eq(vvram_module_unload(), 0);
		igt_assert_eq(vvram_module_load(vvram_igt_params()), 0);
		close(open_new_device());
	}
}

static void bad_input_tests(void)
{
	igt_describe("Binding a device that is already bound fails with EBUSY and leaves it working.");
	igt_subtest("bind-bound-is-ebusy") {
		int fd;

		require_bound();
		igt_assert_eq(driver_write("bind"), -EBUSY);
		fd = open_new_device();
		vvram_assert_device_works(fd, 2);
		close(fd);
	}

	igt_describe("Unbinding a device that is not bound fails with ENODEV.");
	igt_subtest("unbind-unbound-is-enodev") {
		require_bound();
		unbind();
		igt_assert_eq(driver_write("unbind"), -ENODEV);
		bind();
	}
}

igt_main
{
	igt_fixture
	{
		igt_require_f(geteuid() == 0 && vvram_igt_params(),
			      "unbinding vvram needs root\n");
		igt_install_exit_handler(rebind_at_exit);
	}

	igt_subtest_group
		unplug_tests();
	igt_subtest_group
		bad_input_tests();
}
