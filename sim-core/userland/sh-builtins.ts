// /bin/sh's source, fifth part (userland/sh.c lines 1151-1319, line N of sh.c at line N - 1146 here):
// waiting for children, redirections (kept, or saved and put back around a builtin or compound
// command) and the builtins: exit, wait, cd, :, test and [, break, continue, export and unset.

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
        || strcmp(name, "continue") == 0 || strcmp(name, "export") == 0 || strcmp(name, "unset") == 0;
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
