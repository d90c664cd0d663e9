// SPDX-License-Identifier: MIT
/*
 * The shared helper of the vvram guest tests: TAP output, subtests in
 * child processes, and the checks every test needs. See vvram_test.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vvram_test.h"

#define VT_EXIT_SKIP 77
#define VT_REASON_LEN 256

static unsigned int vt_count, vt_failed;
/* Shared with the subtest's process, which writes its skip reason here. */
static char *vt_reason;

void vt_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

noreturn void vt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	_exit(1);
}

noreturn void vt_skip(const char *fmt, ...)
{
	va_list ap;

	if (vt_reason) {
		va_start(ap, fmt);
		vsnprintf(vt_reason, VT_REASON_LEN, fmt, ap);
		va_end(ap);
	}
	fflush(stdout);
	_exit(VT_EXIT_SKIP);
}

static bool print_result(const char *name, bool ok, const char *skip_reason)
{
	vt_count++;
	if (!ok)
		vt_failed++;
	if (skip_reason)
		printf("ok %u - %s # SKIP %s\n", vt_count, name, skip_reason);
	else
		printf("%sok %u - %s\n", ok ? "" : "not ", vt_count, name);
	fflush(stdout);
	return ok && !skip_reason;
}

bool vt_run(const char *name, vt_subtest_fn fn, unsigned int timeout_s)
{
	int status;
	pid_t pid;

	if (!vt_reason) {
		vt_reason = mmap(NULL, VT_REASON_LEN, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (vt_reason == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
	}
	vt_reason[0] = '\0';
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		vt_diag("fork: %s", strerror(errno));
		return print_result(name, false, NULL);
	}
	if (pid == 0) {
		/* Default SIGALRM kills the subtest: a hang fails, never blocks. */
		alarm(timeout_s);
		fn();
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == VT_EXIT_SKIP) {
		return print_result(name, true,
				    vt_reason[0] ? vt_reason : "skipped");
	}
	if (WIFSIGNALED(status))
		vt_diag("%s: killed by signal %d (%s)%s", name, WTERMSIG(status),
			strsignal(WTERMSIG(status)),
			WTERMSIG(status) == SIGALRM ? ": time limit reached" : "");
	return print_result(name, WIFEXITED(status) && WEXITSTATUS(status) == 0,
			    NULL);
}

void vt_skip_subtest(const char *name, const char *reason)
{
	print_result(name, true, reason);
}

void vt_run_after_setup(const char *setup_name, vt_subtest_fn setup,
			const struct vt_subtest *subtests, size_t count,
			unsigned int timeout_s, const char *skip_reason)
{
	bool ready = vt_run(setup_name, setup, 120);
	size_t i;

	for (i = 0; i < count; i++) {
		if (ready)
			vt_run(subtests[i].name, subtests[i].fn, timeout_s);
		else
			vt_skip_subtest(subtests[i].name, skip_reason);
	}
}

void vt_wait_idle(int fd)
{
	struct vvram_memory mem;
	int i;

	/* BOs of an exited process may be freed a moment after its exit. */
	for (i = 0; i < 300; i++) {
		vt_query(fd, &mem);
		if (!mem.vram_used_bytes && !mem.gtt_used_bytes)
			return;
		usleep(10000);
	}
	VT_FAIL("VRAM still has %llu bytes used, GTT %llu, with no BO alive",
		(unsigned long long)mem.vram_used_bytes,
		(unsigned long long)mem.gtt_used_bytes);
}

int vt_exit(void)
{
	printf("1..%u\n", vt_count);
	vt_diag("%u subtests, %u failed", vt_count, vt_failed);
	return vt_failed ? 1 : 0;
}

const char *vt_errname(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOSYS, "ENOSYS" },
		{ EILSEQ, "EILSEQ" }, { EPROTO, "EPROTO" },
	};
	static __thread char other[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

int vt_open(void)
{
	int fd = vvram_open(VVRAM_OPEN_RENDER);

	if (fd < 0)
		VT_FAIL("no vvram render node: %s", vt_errname(-fd));
	return fd;
}

int vt_open_primary(void)
{
	int fd = vvram_open(VVRAM_OPEN_PRIMARY);

	if (fd < 0)
		VT_FAIL("no vvram primary node: %s", vt_errname(-fd));
	return fd;
}

/* Run a command, its output as TAP-ignored lines; returns its exit status. */
static int run_command(const char *cmd)
{
	char *line = NULL;
	size_t cap = 0;
	int status;
	FILE *out;

	fflush(stdout);
	if (asprintf(&line, "%s 2>&1", cmd) < 0)
		return -1;
	out = popen(line, "r");
	free(line);
	line = NULL;
	if (!out)
		return -1;
	while (getline(&line, &cap, out) > 0)
		printf("#   %s", line);
	free(line);
	status = pclose(out);
	fflush(stdout);
	if (status < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int vt_unload_module(void)
{
	/* The syscall rather than rmmod(8): the test wants the kernel's errno. */
	if (syscall(SYS_delete_module, "vvram", O_NONBLOCK) == 0)
		return 0;
	return errno == ENOENT ? 0 : errno;
}

/* load-modules, for when vvram's in-kernel dependencies are not loaded. */
static int load_with_harness(const char *params)
{
	char *cmd = NULL, *p, *tok, *save = NULL;
	size_t len;
	int status = -1;

	/* load-modules takes "module.param=value" words. */
	len = strlen(VVRAM_TOP) + 32 + 2 * strlen(params);
	cmd = calloc(1, len);
	p = strdup(params);
	if (!cmd || !p)
		goto out;
	snprintf(cmd, len, "%s/tools/vm/load-modules", VVRAM_TOP);
	for (tok = strtok_r(p, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		strcat(cmd, " vvram.");
		strcat(cmd, tok);
	}
	status = run_command(cmd);
out:
	free(p);
	free(cmd);
	return status ? EIO : 0;
}

int vt_load_module(const char *params)
{
	const char *ko = VVRAM_TOP "/drivers/gpu/drm/vvram/vvram.ko";
	int fd, err = 0;

	if (!params)
		params = "";
	/*
	 * finit_module(2) itself: the kernel's own errno for bad parameters,
	 * and a load in a second where load-modules spends ten under TCG
	 * asking modprobe about dependencies that are loaded already.
	 */
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = errno;
	close(fd);
	/* Unknown symbols: drm, ttm or vvram_buddy are not loaded yet. */
	if (err == ENOENT)
		return load_with_harness(params);
	return err;
}

void vt_reload_module(const char *params)
{
	int err, i;

	if (geteuid() != 0)
		vt_skip("reloading vvram needs root");
	err = vt_unload_module();
	if (err)
		VT_FAIL("rmmod vvram: %s", vt_errname(err));
	err = vt_load_module(params);
	if (err)
		VT_FAIL("loading vvram with '%s': %s", params, vt_errname(err));

	/* devtmpfs creates the nodes asynchronously from the uevent. */
	for (i = 0; i < 200; i++) {
		int fd = vvram_open(VVRAM_OPEN_RENDER);

		if (fd >= 0) {
			vvram_close(fd);
			return;
		}
		usleep(10000);
	}
	VT_FAIL("vvram loaded with '%s' but no render node appeared", params);
}

void vt_reload_with_vram(const char *params, uint64_t vram_bytes,
			 uint64_t visible_bytes)
{
	struct vvram_memory mem;
	int fd;

	vt_reload_module(params);
	fd = vt_open();
	vt_query(fd, &mem);
	VT_ASSERT_EQ(mem.vram_total_bytes, vram_bytes);
	VT_ASSERT_EQ(mem.visible_total_bytes, visible_bytes);
	vvram_close(fd);
}

int64_t vt_module_param(const char *name)
{
	char path[256];
	long long value;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/module/vvram/parameters/%s", name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fscanf(f, "%lli", &value);
	fclose(f);
	return n == 1 ? value : -1;
}

uint64_t vt_sysfs(int fd, const char *attr)
{
	uint64_t value;

	VT_OK(vvram_sysfs_read_u64(fd, attr, &value));
	return value;
}

uint32_t vt_bo_create(int fd, uint64_t size_bytes, uint32_t domains,
		      uint32_t flags)
{
	struct vvram_bo_params params = {
		.size_bytes = size_bytes,
		.domains = domains,
		.flags = flags,
	};
	uint32_t handle;
	int ret;

	ret = vvram_bo_create(fd, &params, &handle);
	if (ret)
		VT_FAIL("creating a %llu-byte BO (domains %#x flags %#x): %s",
			(unsigned long long)size_bytes, domains, flags,
			vt_errname(-ret));
	return handle;
}

void *vt_bo_map(int fd, uint32_t handle, uint64_t size_bytes)
{
	void *ptr;
	int ret;

	ret = vvram_bo_mmap(fd, handle, size_bytes, PROT_READ | PROT_WRITE, &ptr);
	if (ret)
		VT_FAIL("mapping BO %u: %s", handle, vt_errname(-ret));
	return ptr;
}

void vt_bo_unmap(void *ptr, uint64_t size_bytes)
{
	if (munmap(ptr, size_bytes))
		VT_FAIL("munmap: %s", vt_errname(errno));
}

void vt_check_pattern(const void *ptr, uint64_t size_bytes, uint64_t seed,
		      const char *what)
{
	uint64_t bad;

	if (vvram_pattern_check(ptr, size_bytes, seed, &bad))
		VT_FAIL("%s: byte %llu of %llu is %#x, pattern %llu wants %#x",
			what, (unsigned long long)bad,
			(unsigned long long)size_bytes,
			((const uint8_t *)ptr)[bad], (unsigned long long)seed,
			vvram_pattern_expected(seed, bad));
}

void vt_check_zero(const void *ptr, uint64_t size_bytes, const char *what)
{
	uint64_t bad;

	if (vvram_check_bytes(ptr, size_bytes, 0, &bad))
		VT_FAIL("%s: byte %llu of %llu is %#x, not zero", what,
			(unsigned long long)bad, (unsigned long long)size_bytes,
			((const uint8_t *)ptr)[bad]);
}

void vt_bo_info(int fd, uint32_t handle, struct vvram_bo_info *info)
{
	int ret = vvram_bo_info(fd, handle, info);

	if (ret)
		VT_FAIL("GEM_INFO of BO %u: %s", handle, vt_errname(-ret));
}

static const char *domain_name(uint32_t domain)
{
	switch (domain) {
	case VVRAM_GEM_DOMAIN_VRAM: return "vram";
	case VVRAM_GEM_DOMAIN_GTT: return "gtt";
	case VVRAM_GEM_DOMAIN_CPU: return "cpu";
	default: return "?";
	}
}

void vt_assert_domain(int fd, uint32_t handle, uint32_t domain)
{
	struct vvram_bo_info info;

	vt_bo_info(fd, handle, &info);
	vvram_bo_info_fini(&info);
	if (info.domain != domain)
		VT_FAIL("BO %u is in %s (%#x), expected %s", handle,
			domain_name(info.domain), info.domain,
			domain_name(domain));
}

void vt_query(int fd, struct vvram_memory *mem)
{
	VT_OK(vvram_query_memory(fd, mem));
}

uint64_t vt_rand(uint64_t *state)
{
	/* xorshift64*: enough for choosing sizes and actions. */
	uint64_t x = *state ? *state : 0x2545f4914f6cdd1dull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}
