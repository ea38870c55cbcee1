// /bin/ls and /bin/ps of the simulated system, written in the scenario language: ls lists the
// simulated file system with opendir/readdir as coreutils does (C-locale order, one name a line),
// ps reads /proc as procps-ng does (its columns, headers and widths for -e, -f and -o).

export const LSPS_FILE = 'lsps.c';

export const LSPS_SOURCE = String.raw`/* ls and ps of the simulated system */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <dirent.h>
#include <sys/stat.h>

#define MAXNAMES 1024

/* ls: the names are sorted with strcmp (the C locale), hidden ones shown only with -a. On a
   terminal coreutils would lay them out in columns; this ls prints one a line everywhere. */
int ls_all;

void ls_sort(char **v, int n)
{
    int i, j;

    for (i = 1; i < n; i++) {
        char *x = v[i];
        for (j = i; j > 0 && strcmp(v[j - 1], x) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

int ls_dir(const char *path)
{
    char *names[MAXNAMES];
    int n = 0, i;
    struct dirent *e;
    DIR *d = opendir(path);

    if (d == NULL) {
        fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
        return 2;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !ls_all)
            continue;
        if (n < MAXNAMES)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    ls_sort(names, n);
    for (i = 0; i < n; i++) {
        printf("%s\n", names[i]);
        free(names[i]);
    }
    return 0;
}

int ls_main(int argc, char *argv[])
{
    char *files[MAXNAMES], *dirs[MAXNAMES];
    int nfiles = 0, ndirs = 0, nargs = 0, status = 0, i, j;
    struct stat st;

    for (i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            for (j = 1; argv[i][j]; j++) {
                if (argv[i][j] == 'a') ls_all = 1;
                else if (argv[i][j] != '1') {
                    fprintf(stderr, "ls: invalid option -- '%c'\nTry 'ls --help' for more information.\n", argv[i][j]);
                    return 2;
                }
            }
            continue;
        }
        nargs++;
        if (stat(argv[i], &st) < 0) {
            fprintf(stderr, "ls: cannot access '%s': %s\n", argv[i], strerror(errno));
            status = 2;
        } else if (S_ISDIR(st.st_mode)) {
            if (ndirs < MAXNAMES) dirs[ndirs++] = argv[i];
        } else if (nfiles < MAXNAMES) {
            files[nfiles++] = argv[i];
        }
    }
    if (nargs == 0)
        return ls_dir(".");
    /* the files first, then each directory under a heading when there is more than one thing */
    ls_sort(files, nfiles);
    ls_sort(dirs, ndirs);
    for (i = 0; i < nfiles; i++)
        printf("%s\n", files[i]);
    for (i = 0; i < ndirs; i++) {
        if (nfiles > 0 || i > 0)
            printf("\n");
        if (nargs > 1)
            printf("%s:\n", dirs[i]);
        int s = ls_dir(dirs[i]);
        if (s > status) status = s;
    }
    return status;
}

/* ps: one process of /proc as procps-ng reads it */
struct ps_proc {
    int pid, ppid, pgrp, sid, tty, tpgid, nice, nlwp, uid;
    char state;
    long utime, stime, start;
    char comm[64];
    char args[256];
};

int ps_pidwidth = 5;
long ps_uptime;

/* a whole small file of /proc into buf (NUL-terminated); its length, or -1 */
int ps_read(const char *path, char *buf, int size)
{
    int fd = open(path, O_RDONLY), n, got = 0;

    if (fd < 0)
        return -1;
    while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
        got += n;
    close(fd);
    buf[got] = 0;
    return got;
}

/* the n-th space-separated field of s (0 is the first) as a number */
long ps_field(const char *s, int n)
{
    while (n > 0 && *s) {
        if (*s == ' ') n--;
        s++;
    }
    return atol(s);
}

int ps_load(int pid, struct ps_proc *p)
{
    char path[64], buf[1024];
    int n, i;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    if (ps_read(path, buf, sizeof(buf)) < 0)
        return -1;
    char *open_paren = strchr(buf, '(');
    char *close_paren = strrchr(buf, ')');
    if (open_paren == NULL || close_paren == NULL)
        return -1;
    n = close_paren - open_paren - 1;
    if (n > 63) n = 63;
    memcpy(p->comm, open_paren + 1, n);
    p->comm[n] = 0;
    /* after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
       stime cutime cstime priority nice num_threads itrealvalue starttime */
    char *f = close_paren + 2;
    p->pid = pid;
    p->state = f[0];
    p->ppid = ps_field(f, 1);
    p->pgrp = ps_field(f, 2);
    p->sid = ps_field(f, 3);
    p->tty = ps_field(f, 4);
    p->tpgid = ps_field(f, 5);
    p->utime = ps_field(f, 11);
    p->stime = ps_field(f, 12);
    p->nice = ps_field(f, 16);
    p->nlwp = ps_field(f, 17);
    p->start = ps_field(f, 19);
    /* the effective uid: the second number of status's Uid line */
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    p->uid = 0;
    if (ps_read(path, buf, sizeof(buf)) > 0) {
        char *u = strstr(buf, "\nUid:");
        if (u != NULL) {
            u += 5;
            while (*u == '\t' || *u == ' ') u++;
            while (*u >= '0' && *u <= '9') u++;
            p->uid = atoi(u);
        }
    }
    /* the command line, its NULs as spaces; none (a zombie, a kernel thread): [comm] */
    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    n = ps_read(path, p->args, sizeof(p->args));
    if (n > 0) {
        for (i = 0; i < n - 1; i++)
            if (p->args[i] == 0) p->args[i] = ' ';
    } else if (p->state == 'Z') {
        snprintf(p->args, sizeof(p->args), "[%s] <defunct>", p->comm);
    } else {
        snprintf(p->args, sizeof(p->args), "[%s]", p->comm);
    }
    return 0;
}

/* the terminal as procps names it from tty_nr: pts/N, ttyN, or ? */
void ps_ttyname(int tty, char *out)
{
    int major = (tty >> 8) & 0xfff, minor = (tty & 0xff) | ((tty >> 12) & 0xfff00);

    if (tty == 0) strcpy(out, "?");
    else if (major == 136) sprintf(out, "pts/%d", minor);
    else if (major == 4) sprintf(out, "tty%d", minor);
    else strcpy(out, "?");
}

/* a column: its -o key, header, width, and whether it is left-aligned */
int ps_key(const char *key, char *header, int *width, int *left)
{
    *left = 0;
    if (strcmp(key, "pid") == 0) { strcpy(header, "PID"); *width = ps_pidwidth; }
    else if (strcmp(key, "ppid") == 0) { strcpy(header, "PPID"); *width = ps_pidwidth; }
    else if (strcmp(key, "pgid") == 0 || strcmp(key, "pgrp") == 0) { strcpy(header, "PGID"); *width = ps_pidwidth; }
    else if (strcmp(key, "sid") == 0 || strcmp(key, "sess") == 0) { strcpy(header, "SID"); *width = ps_pidwidth; }
    else if (strcmp(key, "stat") == 0) { strcpy(header, "STAT"); *width = 4; *left = 1; }
    else if (strcmp(key, "state") == 0 || strcmp(key, "s") == 0) { strcpy(header, "S"); *width = 1; *left = 1; }
    else if (strcmp(key, "comm") == 0 || strcmp(key, "ucmd") == 0) { strcpy(header, strcmp(key, "comm") == 0 ? "COMMAND" : "CMD"); *width = 15; *left = 1; }
    else if (strcmp(key, "args") == 0 || strcmp(key, "cmd") == 0) { strcpy(header, strcmp(key, "args") == 0 ? "COMMAND" : "CMD"); *width = 27; *left = 1; }
    else if (strcmp(key, "user") == 0 || strcmp(key, "uname") == 0) { strcpy(header, "USER"); *width = 8; *left = 1; }
    else if (strcmp(key, "uid_hack") == 0) { strcpy(header, "UID"); *width = 8; *left = 1; }
    else if (strcmp(key, "uid") == 0 || strcmp(key, "euid") == 0) { strcpy(header, "UID"); *width = 5; }
    else if (strcmp(key, "nlwp") == 0 || strcmp(key, "thcount") == 0) { strcpy(header, "NLWP"); *width = 4; }
    else if (strcmp(key, "tty") == 0 || strcmp(key, "tt") == 0) { strcpy(header, "TT"); *width = 8; *left = 1; }
    else if (strcmp(key, "tname") == 0) { strcpy(header, "TTY"); *width = 8; *left = 1; }
    else if (strcmp(key, "time") == 0) { strcpy(header, "TIME"); *width = 8; }
    else if (strcmp(key, "ni") == 0 || strcmp(key, "nice") == 0) { strcpy(header, "NI"); *width = 3; }
    else if (strcmp(key, "c") == 0) { strcpy(header, "C"); *width = 2; }
    else if (strcmp(key, "stime") == 0 || strcmp(key, "start_time") == 0) { strcpy(header, "STIME"); *width = 5; }
    else return -1;
    return 0;
}

/* the value of one column for p */
void ps_value(const char *key, struct ps_proc *p, char *out)
{
    if (strcmp(key, "pid") == 0) sprintf(out, "%d", p->pid);
    else if (strcmp(key, "ppid") == 0) sprintf(out, "%d", p->ppid);
    else if (strcmp(key, "pgid") == 0 || strcmp(key, "pgrp") == 0) sprintf(out, "%d", p->pgrp);
    else if (strcmp(key, "sid") == 0 || strcmp(key, "sess") == 0) sprintf(out, "%d", p->sid);
    else if (strcmp(key, "stat") == 0) {
        /* the state, then < or N for the nice value, s for a session leader, l for several
           threads, + for the terminal's foreground process group */
        int n = 0;
        out[n++] = p->state;
        if (p->nice < 0) out[n++] = '<';
        else if (p->nice > 0) out[n++] = 'N';
        if (p->sid == p->pid) out[n++] = 's';
        if (p->nlwp > 1) out[n++] = 'l';
        if (p->tpgid != -1 && p->tpgid == p->pgrp) out[n++] = '+';
        out[n] = 0;
    }
    else if (strcmp(key, "state") == 0 || strcmp(key, "s") == 0) sprintf(out, "%c", p->state);
    else if (strcmp(key, "comm") == 0 || strcmp(key, "ucmd") == 0) strcpy(out, p->comm);
    else if (strcmp(key, "args") == 0 || strcmp(key, "cmd") == 0) strcpy(out, p->args);
    else if (strcmp(key, "user") == 0 || strcmp(key, "uname") == 0 || strcmp(key, "uid_hack") == 0) sprintf(out, "%d", p->uid);
    else if (strcmp(key, "uid") == 0 || strcmp(key, "euid") == 0) sprintf(out, "%d", p->uid);
    else if (strcmp(key, "nlwp") == 0 || strcmp(key, "thcount") == 0) sprintf(out, "%d", p->nlwp);
    else if (strcmp(key, "tty") == 0 || strcmp(key, "tt") == 0 || strcmp(key, "tname") == 0) ps_ttyname(p->tty, out);
    else if (strcmp(key, "time") == 0) {
        long t = (p->utime + p->stime) / 100;
        sprintf(out, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    }
    else if (strcmp(key, "ni") == 0 || strcmp(key, "nice") == 0) sprintf(out, "%d", p->nice);
    else if (strcmp(key, "c") == 0) {
        /* the CPU share of its life so far, in percent, at most 99 */
        long life = ps_uptime - p->start, c = 0;
        if (life > 0) c = (p->utime + p->stime) * 100 / life;
        sprintf(out, "%ld", c > 99 ? 99 : c);
    }
    else {
        /* stime: the start's hour and minute on the simulated clock, which starts at 00:00 */
        long m = p->start / 100 / 60;
        sprintf(out, "%02ld:%02ld", m / 60 % 24, m % 60);
    }
}

int ps_main(int argc, char *argv[])
{
    char keys[32][16], header[16], cell[300], buf[256];
    int nkeys = 0, every = 0, full = 0, i, k, width, left, myuid = 0, mytty = 0;
    const char *format = NULL;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "-A") == 0) every = 1;
        else if (strcmp(argv[i], "-f") == 0) full = 1;
        else if (strcmp(argv[i], "-ef") == 0 || strcmp(argv[i], "-fe") == 0) every = full = 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) format = argv[++i];
        else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2]) format = argv[i] + 2;
        else {
            fprintf(stderr, "error: unsupported option (BSD syntax)\n");
            return 1;
        }
    }
    if (format == NULL)
        format = full ? "uid_hack,pid,ppid,c,stime,tname,time,cmd" : "pid,tname,time,ucmd";
    /* the keys, split at commas */
    for (i = 0; format[i] && nkeys < 32; ) {
        k = 0;
        while (format[i] && format[i] != ',' && k < 15) keys[nkeys][k++] = format[i++];
        keys[nkeys][k] = 0;
        if (format[i] == ',') i++;
        if (ps_key(keys[nkeys], header, &width, &left) < 0) {
            fprintf(stderr, "error: unknown user-defined format specifier \"%s\"\n", keys[nkeys]);
            return 1;
        }
        nkeys++;
    }
    /* the PID columns are as wide as pid_max - 1 has digits */
    if (ps_read("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0) {
        sprintf(cell, "%ld", atol(buf) - 1);
        ps_pidwidth = strlen(cell) > 5 ? strlen(cell) : 5;
    }
    if (ps_read("/proc/uptime", buf, sizeof(buf)) > 0)
        ps_uptime = atol(buf) * 100;
    /* without -e: the processes of ps's own effective uid and terminal */
    struct ps_proc *me = malloc(sizeof(struct ps_proc));
    if (me != NULL && ps_load(getpid(), me) == 0) {
        myuid = me->uid;
        mytty = me->tty;
    }
    free(me);
    for (k = 0; k < nkeys; k++) {
        ps_key(keys[k], header, &width, &left);
        if (k + 1 == nkeys) printf(k ? " %s" : "%s", header);
        else if (left) printf(k ? " %-*s" : "%-*s", width, header);
        else printf(k ? " %*s" : "%*s", width, header);
    }
    printf("\n");
    /* /proc lists the processes in pid order after its own files */
    DIR *d = opendir("/proc");
    struct dirent *e;
    struct ps_proc *p = malloc(sizeof(struct ps_proc));
    if (d == NULL || p == NULL)
        return 1;
    while ((e = readdir(d)) != NULL) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || ps_load(pid, p) < 0)
            continue;
        if (!every && (p->uid != myuid || p->tty != mytty))
            continue;
        for (k = 0; k < nkeys; k++) {
            ps_key(keys[k], header, &width, &left);
            ps_value(keys[k], p, cell);
            if (k + 1 == nkeys) printf(k ? " %s" : "%s", cell);
            else if (left) printf(k ? " %-*s" : "%-*s", width, cell);
            else printf(k ? " %*s" : "%*s", width, cell);
        }
        printf("\n");
    }
    closedir(d);
    free(p);
    return 0;
}
`;
