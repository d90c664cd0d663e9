// SPDX-License-Identifier: MIT
/*
 * vvram_igt.c - the IGT glue of the vvram tests (see vvram_igt.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvram_igt.h"

/* ---- Devices ---- */

/**
 * vvram_device_present() - whether a vvram primary node exists.
 *
 * Checked before drm_open_driver(DRIVER_ANY): when that finds no device, the
 * IGT 1.27 library modprobes every driver it knows (i915, amdgpu, ...),
 * which a test machine without vvram loaded should not suffer.
 */
static bool vvram_device_present(void)
{
	int fd = vvram_open(VVRAM_OPEN_PRIMARY);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int open_node(int (*drm_open)(int chipset))
{
	int fd;

	igt_require_f(vvram_device_present(),
		      "no %s DRM device: load vvram.ko first\n", VVRAM_DRIVER_NAME);
	/* IGT_FORCE_DRIVER=vvram is how the runner selects it; default to it. */
	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver(VVRAM_DRIVER_NAME);
	fd = drm_open(DRIVER_ANY);
	igt_assert_f(vvram_is_vvram(fd), "IGT opened another driver: IGT_FORCE_DRIVER=%s\n",
		     getenv("IGT_FORCE_DRIVER"));
	return fd;
}

/** vvram_igt_open() - the vvram primary node, or skip when there is none. */
int vvram_igt_open(void)
{
	return open_node(drm_open_driver);
}

/** vvram_igt_open_render() - the vvram render node, or skip. */
int vvram_igt_open_render(void)
{
	return open_node(drm_open_driver_render);
}

/** vvram_igt_open_driver() - the primary node of driver @name, or skip. */
int vvram_igt_open_driver(const char *name)
{
	int fd = vvram_open_driver(name, VVRAM_OPEN_PRIMARY);

	igt_require_f(fd >= 0, "no %s device\n", name);
	return fd;
}

/**
 * vvram_assert_idle() - check that no BO occupies VRAM or GTT, as tests
 * that reason about placement need. The BOs of a process that just exited
 * may be freed a moment after its exit; anything left after that is a leak.
 */
void vvram_assert_idle(int fd)
{
	struct vvram_memory mem;

	for (int i = 0; i < 300; i++) {
		vvram_query(fd, &mem);
		if (!mem.vram_used_bytes && !mem.gtt_used_bytes)
			return;
		usleep(10000);
	}
	igt_assert_f(false, "VRAM has %llu bytes used, GTT %llu, with no BO alive (leak?)\n",
		     (unsigned long long)mem.vram_used_bytes,
		     (unsigned long long)mem.gtt_used_bytes);
}

/**
 * vvram_igt_run() - the main body of a vvram test: opens the primary node
 * into *@fd (and QUERY's figures into *@mem, if given), runs each topic in
 * a subtest group of its own, then closes *@fd.
 */
void vvram_igt_run(int *fd, struct vvram_memory *mem,
		   const vvram_topic_fn *topics, unsigned int count)
{
	igt_fixture {
		*fd = vvram_igt_open();
		if (mem)
			vvram_query(*fd, mem);
	}
	for (unsigned int i = 0; i < count; i++)
		igt_subtest_group
			topics[i]();
	igt_fixture
		close(*fd);
}

/* ---- Buffer objects ---- */

uint32_t vvram_gem_create(int fd, uint64_t size, uint32_t domains,
			  uint32_t flags)
{
	struct vvram_bo_params params = {
		.size_bytes = size, .domains = domains, .flags = flags,
	};
	uint32_t handle = 0;

	igt_assert_eq(vvram_bo_create(fd, &params, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

void vvram_gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(vvram_bo_close(fd, handle), 0);
}

/** vvram_gem_mmap() - map @size bytes of a BO read-write, shared. */
void *vvram_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = NULL;

	igt_assert_eq(vvram_bo_mmap(fd, handle, size, PROT_READ | PROT_WRITE, &ptr), 0);
	return ptr;
}

/** vvram_gem_blocks() - GEM_INFO with the block list; vvram_bo_info_fini() it. */
void vvram_gem_blocks(int fd, uint32_t handle, struct vvram_bo_info *info)
{
	igt_assert_eq(vvram_bo_info(fd, handle, info), 0);
}

/** vvram_gem_info() - GEM_INFO; block_count is set, the list is not kept. */
void vvram_gem_info(int fd, uint32_t handle, struct vvram_bo_info *info)
{
	vvram_gem_blocks(fd, handle, info);
	free(info->blocks);
	info->blocks = NULL;
}

uint32_t vvram_gem_domain(int fd, uint32_t handle)
{
	struct vvram_bo_info info;

	vvram_gem_info(fd, handle, &info);
	return info.domain;
}

uint64_t vvram_blocks_total(const struct vvram_bo_info *info)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < info->block_count; i++)
		total += info->blocks[i].size_bytes;
	return total;
}

static int block_cmp(const void *a, const void *b)
{
	const struct vvram_block *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

/**
 * vvram_blocks_contiguous() - sort the blocks by address and tell whether
 * they form one range without gaps.
 */
bool vvram_blocks_contiguous(struct vvram_bo_info *info)
{
	struct vvram_block *b = info->blocks;

	qsort(b, info->block_count, sizeof(*b), block_cmp);
	for (uint32_t i = 1; i < info->block_count; i++)
		if (b[i].address != b[i - 1].address + b[i - 1].size_bytes)
			return false;
	return info->block_count > 0;
}

/** vvram_gem_migrate() - move a BO to @domain and check that it got there. */
void vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain)
{
	igt_assert_eq(vvram_bo_migrate(fd, handle, domain), 0);
	igt_assert_eq_u32(vvram_gem_domain(fd, handle), domain);
}

/** vvram_gem_pin() - pin a BO in @domain and check that it is there, pinned. */
void vvram_gem_pin(int fd, uint32_t handle, uint32_t domain)
{
	struct vvram_bo_info info;

	igt_assert_eq(vvram_bo_pin(fd, handle, domain), 0);
	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u32(info.domain, domain);
	igt_assert(info.flags & VVRAM_GEM_INFO_PINNED);
}

void vvram_gem_unpin(int fd, uint32_t handle)
{
	igt_assert_eq(vvram_bo_unpin(fd, handle), 0);
}

void vvram_query(int fd, struct vvram_memory *mem)
{
	igt_assert_eq(vvram_query_memory(fd, mem), 0);
}

struct vvram_memory vvram_memory(int fd)
{
	struct vvram_memory mem;

	vvram_query(fd, &mem);
	return mem;
}

/** vvram_sysfs() - a numeric device attribute, e.g. "mem_info_vram_used". */
uint64_t vvram_sysfs(int fd, const char *attr)
{
	uint64_t value = 0;

	igt_assert_f(vvram_sysfs_read_u64(fd, attr, &value) == 0,
		     "cannot read %s: %m\n", attr);
	return value;
}

/* ---- Data ---- */

/** vvram_pattern_assert() - check every byte of a vvram_pattern_fill() area. */
void vvram_pattern_assert(const void *ptr, uint64_t size, uint64_t seed)
{
	uint64_t bad = 0;

	igt_assert_f(vvram_pattern_check(ptr, size, seed, &bad) == 0,
		     "pattern %#llx: byte %#llx of %#llx holds %#x, expected %#x\n",
		     (unsigned long long)seed, (unsigned long long)bad,
		     (unsigned long long)size, ((const uint8_t *)ptr)[bad],
		     vvram_pattern_expected(seed, bad));
}

void vvram_assert_zero(const void *ptr, uint64_t size)
{
	uint64_t bad = 0;

	igt_assert_f(vvram_check_bytes(ptr, size, 0, &bad) == 0,
		     "byte %#llx of %#llx holds %#x, expected zero\n",
		     (unsigned long long)bad, (unsigned long long)size,
		     ((const uint8_t *)ptr)[bad]);
}

void vvram_bo_fill(int fd, uint32_t handle, uint64_t size, uint64_t seed)
{
	void *ptr = vvram_gem_mmap(fd, handle, size);

	vvram_pattern_fill(ptr, size, seed);
	munmap(ptr, size);
}

void vvram_bo_assert_pattern(int fd, uint32_t handle, uint64_t size,
			     uint64_t seed)
{
	void *ptr = vvram_gem_mmap(fd, handle, size);

	vvram_pattern_assert(ptr, size, seed);
	munmap(ptr, size);
}

void vvram_bo_assert_zero(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = vvram_gem_mmap(fd, handle, size);

	vvram_assert_zero(ptr, size);
	munmap(ptr, size);
}

/**
 * vvram_assert_device_works() - a new 256 KiB BO in VRAM reads as zeros and
 * keeps the pattern of @seed written to it: the quick check of a device
 * just loaded or bound.
 */
void vvram_assert_device_works(int fd, uint64_t seed)
{
	uint32_t handle = vvram_gem_create(fd, 256 << 10, VRAM, 0);

	vvram_bo_assert_zero(fd, handle, 256 << 10);
	vvram_bo_fill(fd, handle, 256 << 10, seed);
	vvram_bo_assert_pattern(fd, handle, 256 << 10, seed);
	vvram_gem_close(fd, handle);
}

/**
 * vvram_bo_create_in_vram() - a BO in VRAM that holds pattern @seed.
 *
 * The pattern is written while the BO sits in system memory, then the BO
 * migrates to VRAM: making room for it evicts other BOs. (Writing through
 * a mapping of a BO outside the visible window would instead move that BO
 * to the window or to GTT, and VRAM would never fill up.) This is also
 * how the data of a BO reaches VRAM outside the window.
 */
uint32_t vvram_bo_create_in_vram(int fd, uint64_t size, uint32_t domains,
				 uint32_t flags, uint64_t seed)
{
	uint32_t handle = vvram_gem_create(fd, size, domains, flags);

	vvram_gem_migrate(fd, handle, CPU);
	vvram_bo_fill(fd, handle, size, seed);
	vvram_gem_migrate(fd, handle, VRAM);
	return handle;
}

/* ---- Processes ---- */

/**
 * vvram_access_signal() - touch one byte at @ptr in a child process.
 *
 * Returns the signal that killed the child (SIGBUS, SIGSEGV), or 0 when
 * the access worked. The child restores the default handlers first, so
 * IGT's crash handler does not report an expected fault as a failure.
 */
int vvram_access_signal(volatile void *ptr, bool write)
{
	volatile uint8_t *byte = ptr;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		if (write)
			*byte = 0x5a;
		else
			(void)*byte;
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "access child exited with status %#x\n", status);
	return 0;
}

/* ---- Module ---- */

#define PARAMS_DIR "/sys/module/vvram/parameters"

bool vvram_module_loaded(void)
{
	return access("/sys/module/vvram", F_OK) == 0;
}

/**
 * vvram_module_params() - the loaded module's parameters as an insmod
 * argument string ("vram_size=... visible_size=..."), so a reload can put
 * the same device back.  Returns a static buffer.
 */
static const char *vvram_module_params(void)
{
	static char params[1024];
	struct dirent *entry;
	size_t len = 0;
	DIR *dir = opendir(PARAMS_DIR);

	params[0] = '\0';
	igt_assert_f(dir, "cannot open %s: %m\n", PARAMS_DIR);
	while ((entry = readdir(dir))) {
		char path[PATH_MAX], value[128];
		FILE *file;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PARAMS_DIR "/%s", entry->d_name);
		file = fopen(path, "r");
		if (!file)
			continue;
		if (fgets(value, sizeof(value), file)) {
			value[strcspn(value, "\n")] = '\0';
			len += snprintf(params + len, sizeof(params) - len, "%s%s=%s",
					len ? " " : "", entry->d_name, value);
			igt_assert_lt(len, sizeof(params));
		}
		fclose(file);
	}
	closedir(dir);
	return params;
}

/**
 * vvram_module_unload() - remove vvram.ko as rmmod does (without waiting).
 *
 * Returns 0 or the negative errno: -EWOULDBLOCK (-EAGAIN) while the module
 * is in use.
 */
int vvram_module_unload(void)
{
	if (syscall(SYS_delete_module, "vvram", O_NONBLOCK))
		return -errno;
	return 0;
}

/**
 * vvram_module_load() - load the tree's vvram.ko (or $VVRAM_KO) with
 * @params.  vvram_buddy.ko and the kernel modules vvram needs must already
 * be loaded, as they stay after vvram is unloaded.
 *
 * Returns 0 or the negative errno of finit_module().
 */
int vvram_module_load(const char *params)
{
	char path[PATH_MAX], exe[PATH_MAX];
	ssize_t len;
	int fd, err = 0;

	if (getenv("VVRAM_KO")) {
		snprintf(path, sizeof(path), "%s", getenv("VVRAM_KO"));
	} else {
		/* The tree's module, from build/igt/<test> up to the top. */
		len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		igt_assert(len > 0);
		exe[len] = '\0';
		snprintf(path, sizeof(path), "%s/../../drivers/gpu/drm/vvram/vvram.ko",
			 dirname(exe));
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_require_f(fd >= 0, "cannot open %s: %m\n", path);
	if (syscall(SYS_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}

/* The parameters vvram had when the test first asked for them. */
static char saved_params[1024];

static void restore(int sig)
{
	(void)sig;
	if (!vvram_module_loaded() || strcmp(vvram_module_params(), saved_params)) {
		vvram_module_unload();
		vvram_module_load(saved_params);
	}
}

/**
 * vvram_igt_params() - the parameters vvram had when the test first
 * called this (the runner's), which the test's exit puts back.
 */
const char *vvram_igt_params(void)
{
	if (!saved_params[0]) {
		igt_require_f(vvram_module_loaded(), "vvram is not loaded\n");
		snprintf(saved_params, sizeof(saved_params), "%s", vvram_module_params());
		igt_install_exit_handler(restore);
	}
	return saved_params;
}

static void wait_for_nodes(const char *params)
{
	/* devtmpfs creates the nodes asynchronously from the uevent. */
	for (int i = 0; i < 200 && !vvram_device_present(); i++)
		usleep(10000);
	igt_assert_f(vvram_device_present(), "vvram loaded with '%s' but no node appeared\n",
		     params);
}

/**
 * vvram_igt_reload() - reload vvram with vvram_igt_params(), then @params
 * (later ones win), and wait for its nodes.  No file of this process may
 * hold the device.
 */
void vvram_igt_reload(const char *params)
{
	char all[2048];

	igt_require_f(geteuid() == 0, "reloading vvram needs root\n");
	snprintf(all, sizeof(all), "%s %s", vvram_igt_params(), params);
	igt_assert_eq(vvram_module_unload(), 0);
	igt_assert_eq(vvram_module_load(all), 0);
	wait_for_nodes(all);
}

/**
 * vvram_igt_restore() - vvram loaded again with vvram_igt_params(), if a
 * reload or an earlier failure changed or removed it.
 */
void vvram_igt_restore(void)
{
	restore(0);
	igt_assert_f(vvram_module_loaded(), "vvram does not load with '%s'\n", saved_params);
	wait_for_nodes(saved_params);
}
