// SPDX-License-Identifier: MIT
/*
 * vvram_igt.c - helpers shared by every vvram IGT test (see vvram_igt.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvram_igt.h"

/* ---- Devices ---- */

static bool is_driver(int fd, const char *name)
{
	drmVersionPtr version = drmGetVersion(fd);
	bool match;

	if (!version)
		return false;
	match = strcmp(version->name, name) == 0;
	drmFreeVersion(version);
	return match;
}

/**
 * vvram_is_device() - whether @fd is a DRM file of the vvram driver.
 */
bool vvram_is_device(int fd)
{
	return is_driver(fd, VVRAM_DRIVER_NAME);
}

/**
 * vvram_open_driver_by_name() - open the primary node of driver @name.
 *
 * Returns the file descriptor, or -1 when no such device exists.  Unlike
 * drm_open_driver() it never loads a module and ignores IGT_FORCE_DRIVER.
 */
int vvram_open_driver_by_name(const char *name)
{
	for (int minor = 0; minor < 16; minor++) {
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (is_driver(fd, name))
			return fd;
		close(fd);
	}
	return -1;
}

/**
 * vvram_device_present() - whether a vvram primary node exists.
 *
 * Checked before drm_open_driver(DRIVER_ANY): when that finds no device, the
 * IGT 1.27 library modprobes every driver it knows (i915, amdgpu, ...),
 * which a test machine without vvram loaded should not suffer.
 */
bool vvram_device_present(void)
{
	int fd = vvram_open_driver_by_name(VVRAM_DRIVER_NAME);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void vvram_require_device(void)
{
	igt_require_f(vvram_device_present(),
		      "no %s DRM device: load vvram.ko first\n",
		      VVRAM_DRIVER_NAME);
	/* IGT_FORCE_DRIVER=vvram is how the runner selects it; default to it. */
	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver(VVRAM_DRIVER_NAME);
}

/**
 * vvram_open() - open the vvram primary node, or skip when there is none.
 */
int vvram_open(void)
{
	int fd;

	vvram_require_device();
	fd = drm_open_driver(DRIVER_ANY);
	igt_assert_f(vvram_is_device(fd),
		     "drm_open_driver() opened another driver: IGT_FORCE_DRIVER=%s\n",
		     getenv("IGT_FORCE_DRIVER"));
	return fd;
}

/**
 * vvram_open_render() - open the vvram render node, or skip when there is none.
 */
int vvram_open_render(void)
{
	int fd;

	vvram_require_device();
	fd = drm_open_driver_render(DRIVER_ANY);
	igt_assert_f(vvram_is_device(fd),
		     "drm_open_driver_render() opened another driver\n");
	return fd;
}

/**
 * vvram_sysfs_device_dir() - directory fd of the device behind DRM file @fd
 * (/sys/dev/char/226:N/device), where the mem_info_* attributes live.
 */
int vvram_sysfs_device_dir(int fd)
{
	char path[64];
	struct stat st;
	int dir;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	igt_assert_f(dir >= 0, "cannot open %s: %m\n", path);
	return dir;
}

/* ---- Buffer objects ---- */

static int vvram_ioctl(int fd, unsigned long request, void *arg)
{
	errno = 0;
	if (drmIoctl(fd, request, arg))
		return -errno;
	return 0;
}

int __vvram_gem_create(int fd, struct drm_vvram_gem_create *create)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_CREATE, create);
}

/**
 * vvram_gem_create() - create a BO of @size bytes and return its handle.
 */
uint32_t vvram_gem_create(int fd, uint64_t size, uint32_t domains,
			  uint32_t flags)
{
	struct drm_vvram_gem_create create = {
		.size = size,
		.domains = domains,
		.flags = flags,
	};

	igt_assert_eq(__vvram_gem_create(fd, &create), 0);
	igt_assert_neq(create.handle, 0);
	return create.handle;
}

void vvram_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close close_args = { .handle = handle };

	igt_assert_eq(vvram_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_args), 0);
}

int __vvram_gem_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_vvram_gem_mmap_offset arg = { .handle = handle };
	int err;

	err = vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MMAP_OFFSET, &arg);
	if (!err)
		*offset = arg.offset;
	return err;
}

/**
 * vvram_gem_mmap() - map @size bytes of a BO read-write, shared.
 */
void *vvram_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	uint64_t offset;
	void *ptr;

	igt_assert_eq(__vvram_gem_mmap_offset(fd, handle, &offset), 0);
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap of BO %u failed: %m\n", handle);
	return ptr;
}

int __vvram_gem_info(int fd, struct drm_vvram_gem_info *info)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_INFO, info);
}

/**
 * vvram_gem_info() - the state of a BO, without its block list.
 */
void vvram_gem_info(int fd, uint32_t handle, struct drm_vvram_gem_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = handle;
	igt_assert_eq(__vvram_gem_info(fd, info), 0);
}

/**
 * vvram_gem_blocks() - the VRAM blocks backing a BO, in a malloc'ed array
 * of *@count entries (NULL when the BO is not in VRAM).
 */
struct drm_vvram_gem_block *vvram_gem_blocks(int fd, uint32_t handle,
					     uint32_t *count)
{
	struct drm_vvram_gem_block *blocks;
	struct drm_vvram_gem_info info;
	uint32_t capacity;

	vvram_gem_info(fd, handle, &info);
	capacity = info.num_blocks;
	*count = capacity;
	if (!capacity)
		return NULL;

	blocks = calloc(capacity, sizeof(*blocks));
	igt_assert(blocks);
	memset(&info, 0, sizeof(info));
	info.handle = handle;
	info.num_blocks = capacity;
	info.blocks_ptr = to_user_pointer(blocks);
	igt_assert_eq(__vvram_gem_info(fd, &info), 0);
	/* Nothing else runs on this BO, so its placement did not change. */
	igt_assert_eq(info.num_blocks, capacity);
	return blocks;
}

uint64_t vvram_blocks_total(const struct drm_vvram_gem_block *blocks,
			    uint32_t count)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < count; i++)
		total += blocks[i].size;
	return total;
}

static int block_cmp(const void *a, const void *b)
{
	const struct drm_vvram_gem_block *x = a, *y = b;

	return x->dev_addr < y->dev_addr ? -1 : x->dev_addr > y->dev_addr;
}

/**
 * vvram_blocks_contiguous() - sort @blocks by address and tell whether they
 * form one range without gaps.
 */
bool vvram_blocks_contiguous(struct drm_vvram_gem_block *blocks,
			     uint32_t count)
{
	qsort(blocks, count, sizeof(*blocks), block_cmp);
	for (uint32_t i = 1; i < count; i++) {
		if (blocks[i].dev_addr != blocks[i - 1].dev_addr + blocks[i - 1].size)
			return false;
	}
	return count > 0;
}

uint32_t vvram_gem_domain(int fd, uint32_t handle)
{
	struct drm_vvram_gem_info info;

	vvram_gem_info(fd, handle, &info);
	return info.domain;
}

int __vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain)
{
	struct drm_vvram_gem_migrate migrate = {
		.handle = handle,
		.domain = domain,
	};

	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_MIGRATE, &migrate);
}

/**
 * vvram_gem_migrate() - move a BO to @domain and check that it got there.
 */
void vvram_gem_migrate(int fd, uint32_t handle, uint32_t domain)
{
	igt_assert_eq(__vvram_gem_migrate(fd, handle, domain), 0);
	igt_assert_eq_u32(vvram_gem_domain(fd, handle), domain);
}

int __vvram_gem_pin(int fd, uint32_t handle, uint32_t domain, uint32_t flags)
{
	struct drm_vvram_gem_pin pin = {
		.handle = handle,
		.domain = domain,
		.flags = flags,
	};

	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_GEM_PIN, &pin);
}

/**
 * vvram_gem_pin() - pin a BO in @domain and check that it is there, pinned.
 */
void vvram_gem_pin(int fd, uint32_t handle, uint32_t domain)
{
	struct drm_vvram_gem_info info;

	igt_assert_eq(__vvram_gem_pin(fd, handle, domain, 0), 0);
	vvram_gem_info(fd, handle, &info);
	igt_assert_eq_u32(info.domain, domain);
	igt_assert(info.flags & VVRAM_GEM_INFO_PINNED);
}

void vvram_gem_unpin(int fd, uint32_t handle)
{
	igt_assert_eq(__vvram_gem_pin(fd, handle, 0, VVRAM_GEM_PIN_UNPIN), 0);
}

int __vvram_query(int fd, struct drm_vvram_query *query)
{
	return vvram_ioctl(fd, DRM_IOCTL_VVRAM_QUERY, query);
}

/**
 * vvram_query_mem_regions() - the memory figures, through the two-call
 * size protocol.
 */
void vvram_query_mem_regions(int fd, struct drm_vvram_query_mem_regions *regions)
{
	struct drm_vvram_query query = { .query = VVRAM_QUERY_MEM_REGIONS };

	igt_assert_eq(__vvram_query(fd, &query), 0);
	igt_assert_eq(query.size, sizeof(*regions));
	memset(regions, 0, sizeof(*regions));
	query.data = to_user_pointer(regions);
	igt_assert_eq(__vvram_query(fd, &query), 0);
}

/**
 * vvram_assert_vram_empty() - check that no BO occupies VRAM, as tests that
 * reason about placement need.  Every test frees its BOs, and the runner
 * runs one subtest per process, so anything left is a leak.
 */
void vvram_assert_vram_empty(int fd)
{
	struct drm_vvram_query_mem_regions regions;

	vvram_query_mem_regions(fd, &regions);
	igt_assert_f(regions.vram_used == 0,
		     "VRAM not empty at the start: %llu bytes used (leaked BOs?)\n",
		     (unsigned long long)regions.vram_used);
}

/* ---- Data patterns ---- */

/*
 * Every 64-bit word gets a value unique to (seed, word index): the index
 * term is a bijection of the index, the seed term differs in the upper
 * half.  So data from another BO, or from another place in the same BO,
 * never passes for the expected pattern.
 */
static inline uint64_t pattern_word(uint32_t seed, uint64_t index)
{
	return ((uint64_t)seed << 32) ^ (index * 0x9e3779b97f4a7c15ull);
}

void vvram_pattern_fill(void *ptr, uint64_t size, uint32_t seed)
{
	uint64_t *words = ptr;

	igt_assert_eq_u64(size % sizeof(*words), 0);
	for (uint64_t i = 0; i < size / sizeof(*words); i++)
		words[i] = pattern_word(seed, i);
}

/**
 * vvram_pattern_assert() - check every byte of a vvram_pattern_fill() area.
 */
void vvram_pattern_assert(const void *ptr, uint64_t size, uint32_t seed)
{
	const uint64_t *words = ptr;

	igt_assert_eq_u64(size % sizeof(*words), 0);
	for (uint64_t i = 0; i < size / sizeof(*words); i++) {
		if (words[i] != pattern_word(seed, i))
			igt_assert_f(false,
				     "pattern %#x: byte offset %#llx holds %#llx, expected %#llx\n",
				     seed, (unsigned long long)(i * sizeof(*words)),
				     (unsigned long long)words[i],
				     (unsigned long long)pattern_word(seed, i));
	}
}

void vvram_assert_zero(const void *ptr, uint64_t size)
{
	const uint64_t *words = ptr;

	igt_assert_eq_u64(size % sizeof(*words), 0);
	for (uint64_t i = 0; i < size / sizeof(*words); i++) {
		if (words[i])
			igt_assert_f(false,
				     "byte offset %#llx holds %#llx, expected zero\n",
				     (unsigned long long)(i * sizeof(*words)),
				     (unsigned long long)words[i]);
	}
}

void vvram_bo_fill(int fd, uint32_t handle, uint64_t size, uint32_t seed)
{
	void *ptr = vvram_gem_mmap(fd, handle, size);

	vvram_pattern_fill(ptr, size, seed);
	munmap(ptr, size);
}

void vvram_bo_assert_pattern(int fd, uint32_t handle, uint64_t size,
			     uint32_t seed)
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
 * vvram_bo_create_in_vram() - a BO in VRAM that holds pattern @seed.
 *
 * The pattern is written while the BO sits in system memory, then the BO
 * migrates to VRAM: making room for it evicts other BOs.  (Writing through
 * a mapping of a BO outside the visible window would instead move that BO
 * to the window or to GTT, and VRAM would never fill up.)  This is also
 * how the data of a BO reaches VRAM outside the window.
 */
uint32_t vvram_bo_create_in_vram(int fd, uint64_t size, uint32_t domains,
				 uint32_t seed)
{
	uint32_t handle = vvram_gem_create(fd, size, domains, 0);

	vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_CPU);
	vvram_bo_fill(fd, handle, size, seed);
	vvram_gem_migrate(fd, handle, VVRAM_GEM_DOMAIN_VRAM);
	return handle;
}

/* ---- Processes ---- */

/**
 * vvram_access_signal() - touch one byte at @ptr in a child process.
 *
 * Returns the signal that killed the child (SIGBUS, SIGSEGV), or 0 when
 * the access worked.  The child restores the default handlers first, so
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

#define VVRAM_PARAMS_DIR "/sys/module/vvram/parameters"

bool vvram_module_loaded(void)
{
	return access("/sys/module/vvram", F_OK) == 0;
}

/**
 * vvram_module_params() - the loaded module's parameters as an insmod
 * argument string ("vram_size=... visible_size=..."), so a reload can put
 * the same device back.  Returns a static buffer.
 */
const char *vvram_module_params(void)
{
	static char params[1024];
	struct dirent *entry;
	size_t len = 0;
	DIR *dir;

	params[0] = '\0';
	dir = opendir(VVRAM_PARAMS_DIR);
	igt_assert_f(dir, "cannot open %s: %m\n", VVRAM_PARAMS_DIR);
	while ((entry = readdir(dir))) {
		char path[PATH_MAX], value[128];
		FILE *file;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), VVRAM_PARAMS_DIR "/%s",
			 entry->d_name);
		file = fopen(path, "r");
		if (!file)
			continue;
		if (fgets(value, sizeof(value), file)) {
			value[strcspn(value, "\n")] = '\0';
			len += snprintf(params + len, sizeof(params) - len,
					"%s%s=%s", len ? " " : "",
					entry->d_name, value);
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

static void vvram_module_path(char *path, size_t size)
{
	const char *env = getenv("VVRAM_KO");
	char exe[PATH_MAX];
	ssize_t len;

	if (env) {
		snprintf(path, size, "%s", env);
		return;
	}
	/* The tree's module, from build/igt/<test> up to the top. */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	igt_assert(len > 0);
	exe[len] = '\0';
	snprintf(path, size, "%s/../../drivers/gpu/drm/vvram/vvram.ko",
		 dirname(exe));
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
	char path[PATH_MAX];
	int fd, err = 0;

	vvram_module_path(path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_require_f(fd >= 0, "cannot open %s: %m\n", path);
	if (syscall(SYS_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}
