// /bin/sh as Debian's dash runs `sh -c CMD`, a script file or commands on standard input: words
// with quotes, `|` pipelines, `<` `>` `>>` `N>&M`, `;` `&&` `||` `&`, the builtins exit, wait
// and cd, PATH search, and dash's messages. Every foreground command is forked, the last one of
// -c included, as Debian's dash 0.5.12 does; a background command's child execs it directly.
// Written in the scenario language so the debugger steps into it: one source, userland/sh.c, kept
// in two parts: sh-parse.ts (state, tokens, grammar check) and the rest here, running the
// commands (sh.c's line N, from 240 on, at line N - 227 here).

import { SH_PARSE_SOURCE } from './sh-parse';

export const SH_FILE = 'sh.c';

export const SH_SOURCE = SH_PARSE_SOURCE + String.raw`int status_of(int st)
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

/* Opens and installs the redirections of tokens [a, b); nonzero (reported) on failure */
int redirect(int a, int b)
{
    int i;

    for (i = a; i < b; i++) {
        int t = tok_type[i], f = -1, fd = tok_fd[i];
        if (t < T_LESS) continue;
        char *w = expand(tok_text[i + 1]);
        i++;
        if (t == T_DUP) {
            if (strcmp(w, "-") == 0) { close(fd); continue; }
            f = atoi(w);
            if (dup2(f, fd) < 0) { sh_error(w, "Bad file descriptor"); return 2; }
            continue;
        }
        if (t == T_LESS) f = open(w, O_RDONLY);
        else if (t == T_GREAT) f = open(w, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        else f = open(w, O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (f < 0) {
            fprintf(stderr, "sh: %d: cannot %s %s: %s\n", lineno, t == T_LESS ? "open" : "create", w, errmsg(errno, t == T_LESS ? 1 : 2));
            return 2;
        }
        if (f != fd) {
            dup2(f, fd);
            close(f);
        }
    }
    return 0;
}

int words(int a, int b, char **argv)
{
    int i, argc = 0;

    for (i = a; i < b && argc < MAXARG - 1; i++) {
        if (tok_type[i] >= T_LESS) { i++; continue; }
        argv[argc++] = expand(tok_text[i]);
    }
    argv[argc] = NULL;
    return argc;
}

int is_builtin(const char *name)
{
    return strcmp(name, "exit") == 0 || strcmp(name, "wait") == 0 || strcmp(name, "cd") == 0 || strcmp(name, ":") == 0;
}

int run_builtin(int argc, char **argv)
{
    int i;

    if (strcmp(argv[0], "exit") == 0) {
        int n = exit_status;
        if (argc > 1) {
            for (i = 0; argv[1][i]; i++) {
                if (argv[1][i] < '0' || argv[1][i] > '9') {
                    fprintf(stderr, "sh: %d: exit: Illegal number: %s\n", lineno, argv[1]);
                    exit(2);
                }
            }
            n = atoi(argv[1]);
        }
        exit(n & 255);
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

/* Runs a simple command in this process (a child, or the shell's last command): never returns */
void exec_command(int a, int b)
{
    char *argv[MAXARG];
    int argc = words(a, b, argv), e;

    if (redirect(a, b)) _exit(2);
    if (argc == 0) _exit(0);
    if (is_builtin(argv[0])) _exit(run_builtin(argc, argv));
    execvp(argv[0], argv);
    e = errno;
    sh_error(argv[0], errmsg(e, 0));
    _exit(e == EACCES ? 126 : e == ENOENT || e == ENOTDIR ? 127 : 2);
}

/* A pipeline of tokens [a, b): its status; may_exec when nothing follows it */
int run_pipeline(int a, int b, int may_exec)
{
    int start[MAXARG], end[MAXARG], pids[MAXARG];
    int n = 0, i, prev = -1;

    start[0] = a;
    for (i = a; i < b; i++) {
        if (tok_type[i] == T_PIPE) {
            if (n == MAXARG - 1) {
                fprintf(stderr, "sh: %d: too many commands in a pipeline\n", lineno);
                return 2;
            }
            end[n++] = i;
            start[n] = i + 1;
        }
    }
    end[n++] = b;
    if (n == 1) {
        char *argv[MAXARG];
        int argc = words(a, b, argv);
        if (argc > 0 && is_builtin(argv[0]))
            return run_builtin(argc, argv);
        if (may_exec)
            exec_command(a, b);
    }
    for (i = 0; i < n; i++) {
        int p[2] = { -1, -1 };
        if (i + 1 < n && pipe(p) < 0) {
            sh_error("Pipe call failed", strerror(errno));
            return 2;
        }
        pids[i] = fork();
        if (pids[i] == 0) {
            if (p[1] >= 0) close(p[0]);
            if (prev > 0) {
                dup2(prev, 0);
                close(prev);
            }
            if (p[1] > 1) {
                dup2(p[1], 1);
                close(p[1]);
            }
            exec_command(start[i], end[i]);
        }
        if (prev > 0) close(prev);
        if (p[1] >= 0) close(p[1]);
        prev = p[0];
    }
    return wait_job(pids, n);
}

/* cmd1 && cmd2 || cmd3 ... over tokens [a, b) */
int run_and_or(int a, int b, int may_exec)
{
    int i = a, op = T_AND, status = 0, first = 1;

    while (i < b) {
        int j = i;
        while (j < b && tok_type[j] != T_AND && tok_type[j] != T_OR) j++;
        if (first || (op == T_AND && status == 0) || (op == T_OR && status != 0))
            status = run_pipeline(i, j, may_exec && j >= b);
        first = 0;
        if (j < b) op = tok_type[j];
        i = j + 1;
    }
    return status;
}

/* One line of commands, separated by ; and & */
void run_line(const char *line)
{
    int start = 0, i;

    if (tokenize(line) || check_syntax()) {
        exit_status = 2;
        for (i = 0; i < ntok; i++) free(tok_text[i]);
        return;
    }
    while (start < ntok) {
        i = start;
        while (i < ntok && tok_type[i] != T_SEMI && tok_type[i] != T_BG) i++;
        if (i < ntok && tok_type[i] == T_BG) {
            int pid = fork();
            if (pid == 0) {
                /* no job control: a background command ignores SIGINT and SIGQUIT and reads /dev/null */
                signal(SIGINT, SIG_IGN);
                signal(SIGQUIT, SIG_IGN);
                close(0);
                open("/dev/null", O_RDONLY);
                _exit(run_and_or(start, i, 1));
            }
            if (nbg < MAXJOB) {
                bg_pid[nbg] = pid;
                last_bg = pid;
                bg_status[nbg] = -1;
                nbg++;
            }
            exit_status = 0;
        } else {
            exit_status = run_and_or(start, i, 0);
        }
        start = i + 1;
    }
    for (i = 0; i < ntok; i++) free(tok_text[i]);
}

/* The newline that ends the line at p, outside quotes (NULL at the end of the text) */
char *line_end(char *p)
{
    char quote = 0;

    for (; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
            else if (quote == '"' && *p == '\\' && p[1]) p++;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '\n') {
            return p;
        }
    }
    return NULL;
}

/* Runs text line by line */
void run_text(char *text)
{
    char *p = text;

    while (*p) {
        char *nl = line_end(p);
        if (nl) *nl = 0;
        lineno++;
        at_eof = nl == NULL || nl[1] == 0;
        run_line(p);
        if (!nl) break;
        p = nl + 1;
    }
}

/* Commands read from a descriptor a line at a time, each run before the next is read */
void run_fd(int fd)
{
    char line[1024];
    int n = 0;
    char c;

    while (read(fd, &c, 1) == 1) {
        if (c == '\n' || n == 1023) {
            line[n] = 0;
            lineno++;
            run_line(line);
            n = 0;
        } else {
            line[n++] = c;
        }
    }
    if (n > 0) {
        line[n] = 0;
        lineno++;
        run_line(line);
    }
}

int sh_main(int argc, char *argv[])
{
    shell_pid = getpid();
    if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) {
            fprintf(stderr, "sh: 0: -c requires an argument\n");
            return 2;
        }
        char *text = strdup(argv[2]);
        run_text(text);
        return exit_status;
    }
    if (argc >= 2) {
        int fd = open(argv[1], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "sh: 0: cannot open %s: %s\n", argv[1], errmsg(errno, 1));
            return 2;
        }
        run_fd(fd);
        return exit_status;
    }
    run_fd(0);
    return exit_status;
}
`;
