// /bin/sh's source, fifth part (userland/sh.c lines 1151-1426, line N of sh.c at line N - 1145 here):
// waiting for children, redirections (kept, or saved and put back around a builtin or compound
// command) and the builtins: exit, wait, cd, :, true, false, echo, test and [, break, continue,
// export, unset and read.

export const SH_BUILTINS_SOURCE = String.raw`int status_of(int st)
{
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

/* A foreground process killed by a signal is named on stderr (not SIGINT or SIGPIPE) */
void report_signal(int st)
{
    if (WIFSIGNALED(st) && WTERMSIG(st) != SIGINT && WTERMSIG(st) != SIGPIPE)
        fprintf(stderr, "%s%s\n", strsignal(WTERMSIG(st)), WCOREDUMP(st) ? " (core dumped)" : "");
}

/* Waits for every pid of a job as dash does (any child, background ones noted); the last one's status */
int wait_job(int *pids, int n)
{
    int left = n, last = 0, st, i;

    while (left > 0) {
        int pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (i = 0; i < n; i++) {
            if (pids[i] == pid) {
                report_signal(st);
                if (i == n - 1) last = status_of(st);
                pids[i] = -1;
                left--;
            }
        }
        for (i = 0; i < nbg; i++)
            if (bg_pid[i] == pid) bg_status[i] = status_of(st);
    }
    return last;
}

/*
 * Opens and installs the redirections of tokens [a, b); nonzero (reported) on failure. With saved, each
 * descriptor's old file is first kept above 9 (saved[fd], -1 when it was closed) for restore_fds.
 */
int redirect(int a, int b, int *saved)
{
    int i;

    for (i = a; i < b; i++) {
        int t = tok_type[i], f = -1, fd = tok_fd[i];
        if (t < T_LESS) continue;
        char *w = expand(tok_text[i + 1]);
        i++;
        if (saved && fd < 10 && saved[fd] == -2)
            saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
        if (t == T_DUP) {
            if (strcmp(w, "-") == 0) { close(fd); free(w); continue; }
            f = atoi(w);
            if (dup2(f, fd) < 0) { sh_error(w, "Bad file descriptor"); free(w); return 2; }
            free(w);
            continue;
        }
        if (t == T_LESS) f = open(w, O_RDONLY);
        else if (t == T_GREAT) f = open(w, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        else f = open(w, O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (f < 0) {
            fprintf(stderr, "sh: %d: cannot %s %s: %s\n", lineno, t == T_LESS ? "open" : "create", w, errmsg(errno, t == T_LESS ? 1 : 2));
            free(w);
            return 2;
        }
        free(w);
        if (f != fd) {
            dup2(f, fd);
            close(f);
        }
    }
    return 0;
}

void restore_fds(int *saved)
{
    int fd;

    for (fd = 0; fd < 10; fd++) {
        if (saved[fd] == -2) continue;
        if (saved[fd] >= 0) {
            dup2(saved[fd], fd);
            close(saved[fd]);
        } else {
            close(fd);
        }
    }
}

int is_builtin(const char *name)
{
    return strcmp(name, "exit") == 0 || strcmp(name, "wait") == 0 || strcmp(name, "cd") == 0 || strcmp(name, ":") == 0
        || strcmp(name, "test") == 0 || strcmp(name, "[") == 0 || strcmp(name, "break") == 0
        || strcmp(name, "continue") == 0 || strcmp(name, "export") == 0 || strcmp(name, "unset") == 0
        || strcmp(name, "read") == 0 || strcmp(name, "echo") == 0 || strcmp(name, "true") == 0
        || strcmp(name, "false") == 0;
}

/* echo as dash has it: -n only as the first word, backslash escapes in every word, \c ends all output */
int echo_builtin(int argc, char **argv)
{
    int i = 1, newline = 1;

    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        i = 2;
    }
    for (; i < argc; i++) {
        const char *s = argv[i];
        while (*s) {
            char c = *s++;
            if (c == '\\' && *s) {
                char e = *s++;
                if (e == 'c') {
                    fflush(stdout);
                    return 0;
                }
                if (e >= '0' && e <= '7') {
                    /* \0NNN, or \NNN: octal */
                    int v = e - '0', k = 0, most = e == '0' ? 3 : 2;
                    while (k < most && *s >= '0' && *s <= '7') {
                        v = v * 8 + (*s++ - '0');
                        k++;
                    }
                    c = v;
                } else if (e == 'n') c = '\n';
                else if (e == 't') c = '\t';
                else if (e == 'r') c = '\r';
                else if (e == 'a') c = 7;
                else if (e == 'b') c = 8;
                else if (e == 'f') c = 12;
                else if (e == 'v') c = 11;
                else if (e == '\\') c = '\\';
                else {
                    putchar('\\');
                    c = e;
                }
            }
            putchar(c);
        }
        if (i + 1 < argc) putchar(' ');
    }
    if (newline) putchar('\n');
    fflush(stdout);
    return 0;
}

/*
 * read [-r] NAME...: one line of standard input, a byte at a time as dash reads a pipe, split at blanks:
 * a word for each name, the rest of the line for the last. 1 at the end of the input.
 */
int read_builtin(int argc, char **argv)
{
    char line[1024], kept[1024], c;
    int n = 0, i = 1, raw = 0, status = 0, k = 0, escaped;

    if (i < argc && strcmp(argv[i], "-r") == 0) {
        raw = 1;
        i++;
    }
    if (i >= argc) {
        fprintf(stderr, "sh: %d: read: arg count\n", lineno);
        return 2;
    }
    for (;;) {
        escaped = 0;
        if (read(0, &c, 1) != 1) { status = 1; break; }
        if (c == '\\' && !raw) {
            escaped = 1;
            /* a backslash keeps the next character; before a newline it joins the lines */
            if (read(0, &c, 1) != 1) { status = 1; break; }
            if (c == '\n') continue;
        } else if (c == '\n') {
            break;
        }
        if (n < 1023) {
            kept[n] = escaped;
            line[n++] = c;
        }
    }
    line[n] = 0;
    for (; i < argc; i++) {
        while ((line[k] == ' ' || line[k] == '\t') && !kept[k]) k++;
        int start = k;
        if (i == argc - 1) {
            int e = n;
            while (e > k && (line[e - 1] == ' ' || line[e - 1] == '\t') && !kept[e - 1]) e--;
            line[e] = 0;
        } else {
            while (line[k] && ((line[k] != ' ' && line[k] != '\t') || kept[k])) k++;
            if (line[k]) line[k++] = 0;
        }
        setvar(argv[i], line + start);
    }
    return status;
}

/* Assignments before these stay after the command, as POSIX's special builtins keep them */
int is_special_builtin(const char *name)
{
    return strcmp(name, "exit") == 0 || strcmp(name, ":") == 0 || strcmp(name, "break") == 0
        || strcmp(name, "continue") == 0 || strcmp(name, "export") == 0 || strcmp(name, "unset") == 0;
}

/* A count for exit, break and continue: digits only (and above 0 for a loop), else the shell ends with 2 */
int builtin_number(const char *name, const char *arg, int min)
{
    int i;

    for (i = 0; arg[i]; i++)
        if (arg[i] < '0' || arg[i] > '9') break;
    if (i == 0 || arg[i] || atoi(arg) < min) {
        fprintf(stderr, "sh: %d: %s: Illegal number: %s\n", lineno, name, arg);
        exit(2);
    }
    return atoi(arg);
}

int run_builtin(int argc, char **argv)
{
    int i;

    if (strcmp(argv[0], "exit") == 0)
        exit((argc > 1 ? builtin_number("exit", argv[1], 0) : exit_status) & 255);
    if (strcmp(argv[0], "test") == 0 || strcmp(argv[0], "[") == 0)
        return test_main(argc, argv);
    if (strcmp(argv[0], "read") == 0)
        return read_builtin(argc, argv);
    if (strcmp(argv[0], "echo") == 0)
        return echo_builtin(argc, argv);
    if (strcmp(argv[0], "false") == 0)
        return 1;
    if (strcmp(argv[0], "break") == 0 || strcmp(argv[0], "continue") == 0) {
        int n = argc > 1 ? builtin_number(argv[0], argv[1], 1) : 1;
        if (n > loop_nest) n = loop_nest;
        if (n > 0) {
            skip_kind = argv[0][0] == 'b' ? 1 : 2;
            skip_count = n;
        }
        return 0;
    }
    if (strcmp(argv[0], "export") == 0 || strcmp(argv[0], "unset") == 0) {
        for (i = 1; i < argc; i++) {
            if (argv[0][0] == 'e') exportvar(argv[i]);
            else unsetvar(argv[i]);
        }
        return 0;
    }
    if (strcmp(argv[0], "wait") == 0) {
        int status = 0;
        for (i = 0; i < nbg; i++) {
            if (argc > 1 && bg_pid[i] != atoi(argv[1])) continue;
            if (bg_status[i] < 0) {
                int one[1];
                one[0] = bg_pid[i];
                wait_job(one, 1);
            }
            if (argc > 1) status = bg_status[i];
        }
        if (argc == 1) nbg = 0;
        return status;
    }
    if (strcmp(argv[0], "cd") == 0) {
        const char *dir = argc > 1 ? argv[1] : "/";
        if (chdir(dir) < 0) {
            fprintf(stderr, "sh: %d: cd: can't cd to %s\n", lineno, dir);
            return 2;
        }
    }
    return 0;
}

`;
