/* The real-kernel side of `kproc verify` and of the fidelity tests: pid 1 of a fresh PID namespace,
 * laid out like the simulated boot (pid 2 held where kthreadd sits, the scenario's main as pid 3,
 * every orphan reaped). scripts/build.mjs copies it next to the bundled CLI (dist/init.c).
 *
 * usage: init TIMEOUT_MS PID_MAX UID NPROC BIN_DIR SCENARIO [ARGS...]
 *   PID_MAX  0 keeps the namespace's pid_max; otherwise written to /proc/sys/kernel/pid_max
 *            (per PID namespace since Linux 6.14).
 *   UID      the uid the scenario runs as (-1: stay root). Dropping root matters: RLIMIT_NPROC
 *            does not bind a task with CAP_SYS_ADMIN or CAP_SYS_RESOURCE.
 *   NPROC    RLIMIT_NPROC given to the scenario (0: unchanged).
 *   BIN_DIR  '-' or a directory bind-mounted over /usr/bin (and so /bin) inside this mount
 *            namespace, so that the scenario's `#pragma kproc program` paths exist.
 * Exit status: 0 when everything ended by itself, 124 on timeout, 125 on a setup error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	kill(-1, SIGKILL); /* from pid 1 of a namespace: every other task in it */
}

static void die(const char *what)
{
	fprintf(stderr, "kproc-init: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* True while some task other than pid 1 and pid 2 exists in this namespace (zombies count). */
static int others_alive(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		die("opendir /proc");
	while (!found && (e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		long pid = strtol(e->d_name, NULL, 10);
		if (pid != 1 && pid != 2)
			found = 1;
	}
	closedir(d);
	return found;
}

/* Before Linux 6.14 pid_max is one global setting: writing it here would change the host's. */
static int pid_max_is_per_namespace(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 0;
	return major > 6 || (major == 6 && minor >= 14);
}

static void write_pid_max(const char *value)
{
	if (!pid_max_is_per_namespace()) {
		fprintf(stderr, "kproc-init: pid_max is per PID namespace only from Linux 6.14 on; refusing to change the host's\n");
		exit(125);
	}
	int fd = open("/proc/sys/kernel/pid_max", O_WRONLY);

	if (fd < 0)
		die("open /proc/sys/kernel/pid_max");
	if (write(fd, value, strlen(value)) < 0)
		die("write /proc/sys/kernel/pid_max");
	close(fd);
}

static void start_scenario(long uid, long nproc, char **argv)
{
	if (nproc > 0) {
		struct rlimit rl = { (rlim_t)nproc, (rlim_t)nproc };
		if (setrlimit(RLIMIT_NPROC, &rl) < 0)
			die("setrlimit RLIMIT_NPROC");
	}
	if (uid >= 0) {
		if (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0)
			die("dropping to the scenario's uid");
	}
	/* The simulator starts main with an empty environment (PATH unset: execvp searches
	 * /bin:/usr/bin); the real run gets the same, not the environment of whoever ran verify. */
	char *no_environment[] = { NULL };
	execve(argv[0], argv, no_environment);
	die("execve scenario");
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: init TIMEOUT_MS PID_MAX UID NPROC BIN_DIR SCENARIO [ARGS...]\n");
		return 125;
	}
	if (getpid() != 1) {
		fprintf(stderr, "kproc-init: must run as pid 1 (unshare --pid --fork --mount-proc)\n");
		return 125;
	}
	long timeout_ms = strtol(argv[1], NULL, 10);
	long uid = strtol(argv[3], NULL, 10);
	long nproc = strtol(argv[4], NULL, 10);

	if (strcmp(argv[2], "0") != 0)
		write_pid_max(argv[2]);
	if (strcmp(argv[5], "-") != 0 && mount(argv[5], "/usr/bin", NULL, MS_BIND, NULL) < 0)
		die("bind-mount the program directory over /usr/bin");

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { timeout_ms / 1000, (timeout_ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);

	/* pid 2: stands where kthreadd sits in the simulation; it only waits to be killed. */
	pid_t standin = fork();
	if (standin < 0)
		die("fork stand-in");
	if (standin == 0) {
		prctl(PR_SET_NAME, "kthreadd");
		for (;;)
			pause();
	}

	pid_t scenario = fork();
	if (scenario < 0)
		die("fork scenario");
	if (scenario == 0)
		start_scenario(uid, nproc, argv + 6);

	/* Reap the scenario and every orphan it leaves us until only pid 1 and pid 2 remain. */
	int main_status = -1;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid == scenario)
			main_status = status;
		if (pid < 0 && errno != EINTR)
			break;
		if (timed_out || !others_alive())
			break;
	}
	kill(standin, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (main_status >= 0)
		fprintf(stderr, "kproc-init: main status 0x%x\n", main_status);
	if (timed_out) {
		fprintf(stderr, "kproc-init: timed out after %ld ms\n", timeout_ms);
		return 124;
	}
	return 0;
}
