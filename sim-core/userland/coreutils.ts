// /bin/cat, /bin/wc, /bin/grep and /bin/kill as coreutils, GNU grep and procps-ng behave for the
// options they take here, written in the scenario language (each a main of its own in one file).

export const COREUTILS_FILE = 'coreutils.c';

export const COREUTILS_SOURCE = String.raw`/* cat, wc, grep and kill of the simulated system */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>

#define BUFSIZE 4096

/* cat: copies each file (or standard input for - or none) to standard output */
int cat_fd(const char *name, int fd)
{
    char buf[BUFSIZE];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        if (write(1, buf, n) < 0) {
            fprintf(stderr, "cat: write error: %s\n", strerror(errno));
            return 1;
        }
    }
    if (n < 0) {
        fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

int cat_main(int argc, char *argv[])
{
    int i, status = 0;

    if (argc < 2)
        return cat_fd("-", 0);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            status |= cat_fd("-", 0);
            continue;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= cat_fd(argv[i], fd);
        close(fd);
    }
    return status;
}

/* wc: lines, words and bytes; the column width as coreutils computes it (compute_number_width) */
long wc_total[3];
int wc_show[3];
int wc_width;

void wc_print(long *c, const char *name)
{
    int i, first = 1;

    for (i = 0; i < 3; i++) {
        if (!wc_show[i]) continue;
        printf(first ? "%*ld" : " %*ld", wc_width, c[i]);
        first = 0;
    }
    if (name)
        printf(" %s", name);
    printf("\n");
}

int wc_count(int fd, long *c)
{
    char buf[BUFSIZE];
    ssize_t n;
    int in_word = 0, i;

    c[0] = c[1] = c[2] = 0;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        c[2] += n;
        for (i = 0; i < n; i++) {
            char ch = buf[i];
            if (ch == '\n') c[0]++;
            if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c[1]++;
            }
        }
    }
    return n < 0 ? -1 : 0;
}

int wc_main(int argc, char *argv[])
{
    char *files[64];
    int nfiles = 0, i, j, status = 0, things = 0;

    for (i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            for (j = 1; argv[i][j]; j++) {
                if (argv[i][j] == 'l') wc_show[0] = 1;
                else if (argv[i][j] == 'w') wc_show[1] = 1;
                else if (argv[i][j] == 'c') wc_show[2] = 1;
                else {
                    fprintf(stderr, "wc: invalid option -- '%c'\nTry 'wc --help' for more information.\n", argv[i][j]);
                    return 1;
                }
            }
        } else if (nfiles < 64) {
            files[nfiles++] = argv[i];
        }
    }
    things = wc_show[0] + wc_show[1] + wc_show[2];
    if (things == 0) {
        wc_show[0] = wc_show[1] = wc_show[2] = 1;
        things = 3;
    }
    /* one count of one input: width 1; otherwise the digits of the regular files' total size,
       at least 7 when an input is not a regular file (a pipe, the terminal) */
    wc_width = 1;
    if (!(things == 1 && nfiles <= 1)) {
        long size = 0;
        int minimum = 1;
        for (i = 0; i < nfiles || (i == 0 && nfiles == 0); i++) {
            int fd = nfiles == 0 || strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
            if (fd < 0) {
                if (i == 0) minimum = 0;
                continue;
            }
            /* fstat: a regular file adds its st_size; anything else (a pipe, a terminal, a
               device such as /dev/null) makes the columns at least 7 wide */
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
                size += st.st_size;
            else
                minimum = 7;
            if (fd != 0) close(fd);
        }
        if (minimum > 0) {
            for (; size >= 10; size /= 10) wc_width++;
            if (wc_width < minimum) wc_width = minimum;
        }
    }
    long c[3];
    if (nfiles == 0) {
        if (wc_count(0, c) < 0) {
            fprintf(stderr, "wc: 'standard input': %s\n", strerror(errno));
            return 1;
        }
        wc_print(c, NULL);
        return 0;
    }
    for (i = 0; i < nfiles; i++) {
        int fd = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
        if (fd < 0 || wc_count(fd, c) < 0) {
            fprintf(stderr, "wc: %s: %s\n", files[i], strerror(errno));
            status = 1;
            if (fd > 0) close(fd);
            continue;
        }
        if (fd != 0) close(fd);
        for (j = 0; j < 3; j++) wc_total[j] += c[j];
        wc_print(c, files[i]);
    }
    if (nfiles > 1)
        wc_print(wc_total, "total");
    return status;
}

/* grep: lines matching a basic regular expression (literal characters, . * ^ $), -v -c -n -i */
int grep_invert, grep_count, grep_number, grep_icase;

char grep_fold(char c)
{
    return grep_icase && c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int match_here(const char *re, const char *text);

/* c* at the start of text, then the rest of re */
int match_star(char c, const char *re, const char *text)
{
    for (;;) {
        if (match_here(re, text)) return 1;
        if (!*text || (c != '.' && grep_fold(*text) != grep_fold(c))) return 0;
        text++;
    }
}

int match_here(const char *re, const char *text)
{
    if (re[0] == 0) return 1;
    if (re[1] == '*') return match_star(re[0], re + 2, text);
    if (re[0] == '$' && re[1] == 0) return *text == 0;
    if (*text && (re[0] == '.' || grep_fold(re[0]) == grep_fold(*text))) return match_here(re + 1, text + 1);
    return 0;
}

int grep_match(const char *re, const char *text)
{
    if (re[0] == '^') return match_here(re + 1, text);
    do {
        if (match_here(re, text)) return 1;
    } while (*text++);
    return 0;
}

/* The matching lines of one input; the count of them, -1 on a read error */
long grep_fd(const char *re, int fd, const char *name)
{
    char buf[BUFSIZE], line[BUFSIZE];
    long count = 0, lineno = 0;
    int len = 0, i, more = 1;
    ssize_t n;

    while (more) {
        n = read(fd, buf, sizeof(buf));
        if (n < 0) return -1;
        if (n == 0) {
            more = 0;
            if (len == 0) break;
            buf[0] = '\n';
            n = 1;
        }
        for (i = 0; i < n; i++) {
            if (buf[i] != '\n' && len < BUFSIZE - 1) {
                line[len++] = buf[i];
                continue;
            }
            if (buf[i] != '\n') continue;
            line[len] = 0;
            lineno++;
            if (grep_match(re, line) != grep_invert) {
                count++;
                if (!grep_count) {
                    if (name) printf("%s:", name);
                    if (grep_number) printf("%ld:", lineno);
                    printf("%s\n", line);
                }
            }
            len = 0;
        }
    }
    if (grep_count) {
        if (name) printf("%s:", name);
        printf("%ld\n", count);
    }
    return count;
}

int grep_main(int argc, char *argv[])
{
    char *re = NULL;
    char *files[64];
    int nfiles = 0, i, j, found = 0, error = 0;

    for (i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] && re == NULL) {
            for (j = 1; argv[i][j]; j++) {
                if (argv[i][j] == 'v') grep_invert = 1;
                else if (argv[i][j] == 'c') grep_count = 1;
                else if (argv[i][j] == 'n') grep_number = 1;
                else if (argv[i][j] == 'i') grep_icase = 1;
                else {
                    fprintf(stderr, "grep: invalid option -- '%c'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", argv[i][j]);
                    return 2;
                }
            }
        } else if (re == NULL) {
            re = argv[i];
        } else if (nfiles < 64) {
            files[nfiles++] = argv[i];
        }
    }
    if (re == NULL) {
        fprintf(stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
        return 2;
    }
    if (nfiles == 0) {
        long n = grep_fd(re, 0, NULL);
        return n > 0 ? 0 : n == 0 ? 1 : 2;
    }
    for (i = 0; i < nfiles; i++) {
        int fd = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
        const char *shown = nfiles > 1 ? (fd == 0 ? "(standard input)" : files[i]) : NULL;
        if (fd < 0) {
            fprintf(stderr, "grep: %s: %s\n", files[i], strerror(errno));
            error = 1;
            continue;
        }
        long n = grep_fd(re, fd, shown);
        if (n < 0) {
            fprintf(stderr, "grep: %s: %s\n", files[i], strerror(errno));
            error = 1;
        } else if (n > 0) {
            found = 1;
        }
        if (fd != 0) close(fd);
    }
    return error ? 2 : found ? 0 : 1;
}

/* kill (procps-ng): kill PID..., kill -9 PID, kill -s NAME PID, kill -l [SIG] */
const char *sig_names[32] = {
    "0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
    "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"
};

int is_number(const char *s)
{
    int i = 0;

    if (s[0] == '-') i = 1;
    if (!s[i]) return 0;
    for (; s[i]; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* A signal given by number or name (with or without SIG); -1 if none */
int signal_number(const char *s)
{
    int i;

    if (is_number(s)) {
        i = atoi(s);
        return i >= 0 && i < 65 ? i : -1;
    }
    if (strncmp(s, "SIG", 3) == 0) s += 3;
    for (i = 1; i < 32; i++)
        if (strcmp(s, sig_names[i]) == 0) return i;
    return -1;
}

void kill_list(void)
{
    int i, pos = 0;

    for (i = 1; i < 32; i++) {
        if (i > 1) {
            if (pos > 73) {
                printf("\n");
                pos = 0;
            } else {
                printf(" ");
                pos++;
            }
        }
        printf("%s", sig_names[i]);
        pos += strlen(sig_names[i]);
    }
    printf("\n");
}

void kill_usage(void)
{
    fprintf(stderr, "\nUsage:\n kill [options] <pid> [...]\n\nOptions:\n"
        " <pid> [...]            send signal to every <pid> listed\n"
        " -<signal>, -s, --signal <signal>\n"
        "                        specify the <signal> to be sent\n"
        " -q, --queue <value>    integer value to be sent with the signal\n"
        " -l, --list=[<signal>]  list all signal names, or convert one to a name\n"
        " -L, --table            list all signal names in a nice table\n\n"
        " -h, --help     display this help and exit\n"
        " -V, --version  output version information and exit\n\n"
        "For more details see kill(1).\n");
}

int kill_main(int argc, char *argv[])
{
    int sig = SIGTERM, i = 1, status = 0;

    if (argc < 2) {
        kill_usage();
        return 1;
    }
    if (strcmp(argv[1], "-l") == 0) {
        if (argc == 2) {
            kill_list();
            return 0;
        }
        int n = signal_number(argv[2]);
        if (n <= 0 || n >= 32) {
            fprintf(stderr, "%s: unknown signal name %s\n", argv[0], argv[2]);
            return 1;
        }
        if (is_number(argv[2])) printf("%s\n", sig_names[n]);
        else printf("%d\n", n);
        return 0;
    }
    if (strcmp(argv[1], "-s") == 0) {
        if (argc < 3) {
            kill_usage();
            return 1;
        }
        sig = signal_number(argv[2]);
        i = 3;
    } else if (argv[1][0] == '-' && argv[1][1]) {
        sig = signal_number(argv[1] + 1);
        i = 2;
    }
    if (sig < 0) {
        fprintf(stderr, "%s: unknown signal name %s\n", argv[0], argv[i - 1]);
        return 1;
    }
    if (i >= argc) {
        kill_usage();
        return 1;
    }
    for (; i < argc; i++) {
        if (!is_number(argv[i])) {
            fprintf(stderr, "%s: failed to parse argument: '%s'\n", argv[0], argv[i]);
            return 1;
        }
        if (kill(atoi(argv[i]), sig) < 0) {
            fprintf(stderr, "%s: (%s): %s\n", argv[0], argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
`;
