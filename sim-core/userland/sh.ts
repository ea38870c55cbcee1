// /bin/sh as Debian's dash runs `sh -c CMD`, a script file or commands on standard input: words
// with quotes, `|` pipelines, `<` `>` `>>` `N>&M`, `;` `&&` `||` `&`, the builtins exit, wait
// and cd, PATH search, and dash's messages. Every foreground command is forked, the last one of
// -c included, as Debian's dash 0.5.12 does; a background command's child execs it directly.
// Written in the scenario language so the debugger steps into it.

export const SH_FILE = 'sh.c';

export const SH_SOURCE = String.raw`/* sh: the shell of the simulated system (dash's behaviour for what it accepts) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#define MAXTOK 256
#define MAXARG 64
#define MAXJOB 64

enum { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_BG, T_LESS, T_GREAT, T_DGREAT, T_DUP };

int tok_type[MAXTOK];
char *tok_text[MAXTOK];
int tok_fd[MAXTOK];          /* the descriptor a redirection is for */
int ntok;
int lineno;
int exit_status;             /* $? */
int bg_pid[MAXJOB];          /* background commands not waited for yet */
int bg_status[MAXJOB];       /* -1 while running */
int nbg;

void sh_error(const char *what, const char *why)
{
    fprintf(stderr, "sh: %d: %s: %s\n", lineno, what, why);
}

/* dash's errmsg: ENOENT and ENOTDIR get their own words per action */
const char *errmsg(int e, int action)
{
    if (e != ENOENT && e != ENOTDIR)
        return strerror(e);
    if (action == 1)
        return "No such file";
    if (action == 2)
        return "Directory nonexistent";
    return "not found";
}

int add_token(int type, char *text, int fd)
{
    if (ntok == MAXTOK) {
        fprintf(stderr, "sh: %d: too many words\n", lineno);
        return -1;
    }
    tok_type[ntok] = type;
    tok_text[ntok] = text;
    tok_fd[ntok] = fd;
    ntok++;
    return 0;
}

int is_special(char c)
{
    return c == ' ' || c == '\t' || c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == 0;
}

int last_bg;                 /* $! */
int shell_pid;               /* $$: the shell's own pid, also in the children it forks */
int at_eof;                  /* the line being parsed is the last of the input */

/*
 * A parameter at s[i] ($? $$ $! $NAME, or the name in braces) is kept in the word as a mark (byte 1, the name,
 * byte 2) and expanded when the command runs, as the shell expands words after parsing the line.
 */
int mark_parameter(const char *s, int i, char *word, int *n)
{
    int k = 0;

    if (*n > 990)
        return i + 1;
    i++;
    if (s[i] == '?' || s[i] == '$' || s[i] == '!') {
        word[(*n)++] = 1;
        word[(*n)++] = s[i];
        word[(*n)++] = 2;
        return i + 1;
    }
    int brace = s[i] == '{';
    if (brace) i++;
    if (!brace && !(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) {
        word[(*n)++] = '$';
        return i;
    }
    word[(*n)++] = 1;
    while (*n < 990 && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (k > 0 && s[i] >= '0' && s[i] <= '9'))) {
        word[(*n)++] = s[i++];
        k++;
    }
    word[(*n)++] = 2;
    if (brace && s[i] == '}') i++;
    return i;
}

/* A word with its parameters replaced by their values (a new string) */
char *expand(const char *w)
{
    char out[1024], name[128], num[32];
    int n = 0, i = 0;

    while (w[i] && n < 1000) {
        if (w[i] != 1) {
            out[n++] = w[i++];
            continue;
        }
        int k = 0;
        const char *v;
        i++;
        while (w[i] && w[i] != 2 && k < 127) name[k++] = w[i++];
        name[k] = 0;
        if (w[i] == 2) i++;
        if (strcmp(name, "?") == 0 || strcmp(name, "$") == 0 || strcmp(name, "!") == 0) {
            sprintf(num, "%d", name[0] == '?' ? exit_status : name[0] == '$' ? shell_pid : last_bg);
            v = num;
        } else {
            v = getenv(name);
            if (!v) v = "";
        }
        while (*v && n < 1000) out[n++] = *v++;
    }
    out[n] = 0;
    return strdup(out);
}

/* Splits one line into tokens; 2 after a syntax error (reported) */
int tokenize(const char *s)
{
    char word[1024];
    int i = 0;

    ntok = 0;
    while (s[i]) {
        char c = s[i];
        int fd = -1;
        if (c == ' ' || c == '\t') { i++; continue; }
        if (c == '#') break;
        if (c >= '0' && c <= '9') {
            int j = i;
            while (s[j] >= '0' && s[j] <= '9') j++;
            if (s[j] == '<' || s[j] == '>') { fd = atoi(s + i); i = j; c = s[i]; }
        }
        if (c == '|' && s[i + 1] == '|') { add_token(T_OR, NULL, 0); i += 2; continue; }
        if (c == '|') { add_token(T_PIPE, NULL, 0); i++; continue; }
        if (c == '&' && s[i + 1] == '&') { add_token(T_AND, NULL, 0); i += 2; continue; }
        if (c == '&') { add_token(T_BG, NULL, 0); i++; continue; }
        if (c == ';') { add_token(T_SEMI, NULL, 0); i++; continue; }
        if (c == '<' && s[i + 1] == '&') { add_token(T_DUP, NULL, fd < 0 ? 0 : fd); i += 2; continue; }
        if (c == '<') { add_token(T_LESS, NULL, fd < 0 ? 0 : fd); i++; continue; }
        if (c == '>' && s[i + 1] == '>') { add_token(T_DGREAT, NULL, fd < 0 ? 1 : fd); i += 2; continue; }
        if (c == '>' && s[i + 1] == '&') { add_token(T_DUP, NULL, fd < 0 ? 1 : fd); i += 2; continue; }
        if (c == '>') { add_token(T_GREAT, NULL, fd < 0 ? 1 : fd); i++; continue; }
        int n = 0;
        while (!is_special(s[i]) && n < 1000) {
            if (s[i] == '\'') {
                i++;
                while (s[i] && s[i] != '\'') {
                    if (n < 1000) word[n++] = s[i];
                    i++;
                }
                if (!s[i]) { fprintf(stderr, "sh: %d: Syntax error: Unterminated quoted string\n", lineno); return 2; }
                i++;
            } else if (s[i] == '"') {
                i++;
                while (s[i] && s[i] != '"') {
                    if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == 96))
                        i++;
                    if (s[i] == '$' && s[i + 1] != '"' && s[i + 1] && !is_special(s[i + 1])) {
                        i = mark_parameter(s, i, word, &n);
                        continue;
                    }
                    if (n < 1000) word[n++] = s[i];
                    i++;
                }
                if (!s[i]) { fprintf(stderr, "sh: %d: Syntax error: Unterminated quoted string\n", lineno); return 2; }
                i++;
            } else if (s[i] == '$' && s[i + 1] && !is_special(s[i + 1])) {
                i = mark_parameter(s, i, word, &n);
            } else if (s[i] == '\\' && s[i + 1]) {
                word[n++] = s[i + 1];
                i += 2;
            } else {
                word[n++] = s[i++];
            }
        }
        word[n] = 0;
        if (add_token(T_WORD, strdup(word), 0) < 0) return 2;
    }
    return 0;
}

const char *token_name(int t)
{
    switch (t) {
    case T_PIPE: return "|";
    case T_AND: return "&&";
    case T_OR: return "||";
    case T_SEMI: return ";";
    case T_BG: return "&";
    default: return "newline";
    }
}

/* The grammar check dash's parser makes before anything of the line runs */
int check_syntax(void)
{
    int i, have_cmd = 0;

    for (i = 0; i < ntok; i++) {
        int t = tok_type[i];
        if (t == T_WORD) { have_cmd = 1; continue; }
        if (t >= T_LESS) {
            if (i + 1 >= ntok || tok_type[i + 1] != T_WORD) {
                if (i + 1 < ntok)
                    fprintf(stderr, "sh: %d: Syntax error: \"%s\" unexpected\n", lineno, token_name(tok_type[i + 1]));
                else
                    fprintf(stderr, "sh: %d: Syntax error: %s unexpected\n", lineno, at_eof ? "end of file" : "newline");
                return 2;
            }
            i++;
            have_cmd = 1;
            continue;
        }
        if (!have_cmd) {
            fprintf(stderr, "sh: %d: Syntax error: \"%s\" unexpected\n", lineno, token_name(t));
            return 2;
        }
        if ((t == T_PIPE || t == T_AND || t == T_OR) && i + 1 >= ntok) {
            fprintf(stderr, "sh: %d: Syntax error: end of file unexpected\n", lineno);
            return 2;
        }
        have_cmd = 0;
    }
    return 0;
}

int status_of(int st)
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
