// /bin/sh as Debian's dash runs `sh -c CMD`, a script file or commands on standard input: words
// with quotes, $parameters and $((arithmetic)), assignments, `|` pipelines, `<` `>` `>>`
// `N>&M`, `;` `&&` `||` `&` and `!`, ( ) and { }, if, while, until and for, the builtins exit, wait, cd, :,
// test and [, break, continue, export and unset, PATH search, and dash's messages. Every
// foreground command is forked, the last one of -c included, as Debian's dash 0.5.12 does; a
// command run by a background or pipeline child execs there directly.
// Written in the scenario language so the debugger steps into it: one source, userland/sh.c, kept
// in parts: sh-parse.ts (state, tokens), sh-grammar.ts (syntax), sh-expand.ts (variables,
// arithmetic), sh-test.ts (test), sh-builtins.ts, and the rest here, running the commands and
// reading the input (sh.c lines 1427-1813, line N of sh.c at line N - 1407 here).

import { SH_BUILTINS_SOURCE } from './sh-builtins';
import { SH_EXPAND_SOURCE } from './sh-expand';
import { SH_GRAMMAR_SOURCE } from './sh-grammar';
import { SH_PARSE_SOURCE } from './sh-parse';
import { SH_TEST_SOURCE } from './sh-test';

export const SH_FILE = 'sh.c';

export const SH_SOURCE = SH_PARSE_SOURCE + SH_GRAMMAR_SOURCE + SH_EXPAND_SOURCE + SH_TEST_SOURCE + SH_BUILTINS_SOURCE + String.raw`/* Runs argv in this process (a child, or a child's last command): never returns */
void exec_argv(int a, int b, char **argv, char **assign, int nassign)
{
    int i, e;

    if (redirect(a, b, NULL)) _exit(2);
    for (i = 0; i < nassign; i++) {
        char *eq = strchr(assign[i], '=');
        *eq = 0;
        setenv(assign[i], eq + 1, 1);
    }
    execvp(argv[0], argv);
    e = errno;
    sh_error(argv[0], errmsg(e, 0));
    _exit(e == EACCES ? 126 : e == ENOENT || e == ENOTDIR ? 127 : 2);
}

/* A simple command of tokens [a, b): assignments, words and redirections; its status */
int run_simple(int a, int b, int may_exec)
{
    char *argv[MAXARG], *assign[MAXARG];
    int argc = 0, nassign = 0, has_cmd = 0, i, st = 0, saved[10];

    lineno = tok_line[a];
    for (i = a; i < b; i++) {
        if (tok_type[i] >= T_LESS) i++;
        else if (!tok_assign[i]) has_cmd = 1;
    }
    for (i = a; i < b; i++) {
        if (tok_type[i] >= T_LESS) { i++; continue; }
        if (argc == 0 && tok_assign[i]) {
            char *w = expand(tok_text[i]);
            /* without a command the variables are set one by one, each seen by the next */
            if (!has_cmd) { assign_word(w); free(w); }
            else if (nassign < MAXARG) assign[nassign++] = w;
            else free(w);
            continue;
        }
        argc = expand_fields(tok_text[i], tok_quoted[i], argv, argc, MAXARG - 1);
    }
    argv[argc] = NULL;
    /* a command that expanded to no words: its assignments stay, as without a command */
    if (argc == 0)
        for (i = 0; i < nassign; i++) assign_word(assign[i]);
    if (argc > 0 && !is_builtin(argv[0])) {
        if (may_exec) exec_argv(a, b, argv, assign, nassign);
        int pid = fork();
        if (pid == 0) exec_argv(a, b, argv, assign, nassign);
        st = wait_job(&pid, 1);
    } else {
        for (i = 0; i < 10; i++) saved[i] = -2;
        if (redirect(a, b, saved)) st = 2;
        else if (argc > 0) {
            if (is_special_builtin(argv[0]))
                for (i = 0; i < nassign; i++) assign_word(assign[i]);
            st = run_builtin(argc, argv);
        }
        restore_fds(saved);
    }
    for (i = 0; i < argc; i++) free(argv[i]);
    for (i = 0; i < nassign; i++) free(assign[i]);
    return st;
}

/* After a loop's condition or body: 1 when the loop stops there (break, or continue of an outer loop) */
int loop_stops(void)
{
    int kind = skip_kind;

    if (!kind) return 0;
    if (--skip_count > 0) return 1;
    skip_kind = 0;
    return kind == 1;
}

/* if, elif and else: the first condition with status 0 runs its branch; none ran: 0 */
int run_if(int i, int may_exec)
{
    for (;;) {
        int then = tok_link[i], next = tok_link[then];
        int c = run_list(i + 1, then, 0);
        if (skip_kind) return c;
        if (c == 0) return run_list(then + 1, next, may_exec);
        if (kw(next, "else")) return run_list(next + 1, tok_link[next], may_exec);
        if (!kw(next, "elif")) return 0;
        i = next;
    }
}

/* while and until: the status of the body's last run (0 when it never ran) */
int run_while(int a)
{
    int d = tok_link[a], done = tok_link[d], status = 0, until = kw(a, "until");

    loop_nest++;
    for (;;) {
        int c = run_list(a + 1, d, 0);
        if (skip_kind) {
            if (loop_stops()) break;
            continue;
        }
        if ((c == 0) == until) break;
        status = run_list(d + 1, done, 0);
        if (loop_stops()) break;
    }
    loop_nest--;
    return status;
}

/* for NAME in WORDS: the body once per word, the variable set to it */
int run_for(int a)
{
    int d = tok_link[a], done = tok_link[d], in = tok_link[a + 1], status = 0, i, n = 0, k;
    char *words[MAXARG];

    loop_nest++;
    for (i = in + 1; in && i < d && tok_type[i] == T_WORD; i++)
        n = expand_fields(tok_text[i], tok_quoted[i], words, n, MAXARG);
    /* without in: the shell's arguments */
    for (i = 0; !in && i < npos && n < MAXARG; i++) words[n++] = strdup(pos_args[i]);
    for (k = 0; k < n; k++) {
        setvar(tok_text[a + 1], words[k]);
        status = run_list(d + 1, done, 0);
        if (loop_stops()) break;
    }
    for (k = 0; k < n; k++) free(words[k]);
    loop_nest--;
    return status;
}

/* A compound command starting at a and ending (after its redirections) at b */
int run_compound(int a, int b, int may_exec)
{
    int close_kw = a, saved[10], i, st;

    while (tok_link[close_kw] && !kw(close_kw, "fi") && !kw(close_kw, "done")) close_kw = tok_link[close_kw];
    for (i = 0; i < 10; i++) saved[i] = -2;
    lineno = tok_line[a];
    if (redirect(close_kw + 1, b, saved)) st = 2;
    else if (tok_type[a] == T_LPAREN) {
        /* a subshell: a child runs the list, its last command exec'd there */
        int pid = fork();
        if (pid == 0) _exit(run_list(a + 1, close_kw, 1));
        st = wait_job(&pid, 1);
    } else if (kw(a, "{")) st = run_list(a + 1, close_kw, may_exec);
    else if (kw(a, "if")) st = run_if(a, may_exec);
    else if (kw(a, "for")) st = run_for(a);
    else st = run_while(a);
    restore_fds(saved);
    return st;
}

int run_command(int a, int may_exec)
{
    if (is_compound(a)) return run_compound(a, tok_end[a], may_exec);
    return run_simple(a, tok_end[a], may_exec);
}

/* A pipeline of tokens [a, b): its status; may_exec when nothing follows it */
int run_pipeline(int a, int b, int may_exec)
{
    int start[MAXARG], pids[MAXARG];
    int n = 0, i, prev = -1, c, negate = kw(a, "!");

    if (negate) a++;
    for (c = a; c < b; ) {
        if (n == MAXARG) {
            fprintf(stderr, "sh: %d: too many commands in a pipeline\n", lineno);
            return 2;
        }
        start[n++] = c;
        c = tok_end[c];
        while (c < b && (tok_type[c] == T_PIPE || tok_type[c] == T_NL)) c++;
    }
    if (n == 1) {
        int st = run_command(a, may_exec && !negate);
        return negate ? !st : st;
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
            _exit(run_command(start[i], 1));
        }
        if (prev > 0) close(prev);
        if (p[1] >= 0) close(p[1]);
        prev = p[0];
    }
    int st = wait_job(pids, n);
    return negate ? !st : st;
}

/* Where the pipeline starting at i ends */
int pipeline_end(int i, int b)
{
    if (kw(i, "!")) i++;
    for (;;) {
        i = tok_end[i];
        if (i >= b || tok_type[i] != T_PIPE) return i;
        i++;
        while (i < b && tok_type[i] == T_NL) i++;
    }
}

/* cmd1 && cmd2 || cmd3 ... over tokens [a, b) */
int run_and_or(int a, int b, int may_exec)
{
    int i = a, op = T_AND, status = 0, first = 1;

    while (i < b) {
        int j = pipeline_end(i, b);
        if (first || (op == T_AND && status == 0) || (op == T_OR && status != 0))
            status = run_pipeline(i, j, may_exec && j >= b);
        exit_status = status;
        if (skip_kind) break;
        first = 0;
        if (j < b) op = tok_type[j];
        i = j + 1;
        while (i < b && tok_type[i] == T_NL) i++;
    }
    return status;
}

/* Lists over tokens [a, b): and-or lists separated by ; & and newlines; the status of the last */
int run_list(int a, int b, int may_exec)
{
    int i = a;

    while (i < b) {
        if (tok_type[i] == T_NL || tok_type[i] == T_SEMI) { i++; continue; }
        int j = i;
        for (;;) {
            j = pipeline_end(j, b);
            if (j >= b || (tok_type[j] != T_AND && tok_type[j] != T_OR)) break;
            j++;
            while (j < b && tok_type[j] == T_NL) j++;
        }
        if (j < b && tok_type[j] == T_BG) {
            int pid = fork();
            if (pid == 0) {
                /* no job control: a background command ignores SIGINT and SIGQUIT and reads /dev/null */
                signal(SIGINT, SIG_IGN);
                signal(SIGQUIT, SIG_IGN);
                close(0);
                open("/dev/null", O_RDONLY);
                _exit(run_and_or(i, j, 1));
            }
            if (nbg < MAXJOB) {
                bg_pid[nbg] = pid;
                last_bg = pid;
                bg_status[nbg] = -1;
                nbg++;
            }
            exit_status = 0;
        } else {
            int k = j + 1;
            while (k < b && (tok_type[k] == T_NL || tok_type[k] == T_SEMI)) k++;
            exit_status = run_and_or(i, j, may_exec && k >= b);
        }
        if (skip_kind) break;
        i = j + 1;
    }
    return exit_status;
}

char *src_text;              /* what -c has left to read; NULL when lines come from src_fd */
int src_fd;

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

/* Reads the next line of input and adds its tokens (a newline token unless the input ends there): 0 at the end */
int read_line(int *bad)
{
    char buf[1024];
    char *line = buf, c;
    int n = 0, got = 0, nl = 0;

    if (src_text) {
        if (!*src_text) return 0;
        char *end = line_end(src_text);
        line = src_text;
        if (end) *end = 0;
        at_eof = end == NULL || end[1] == 0;
        nl = end != NULL;
        src_text = end ? end + 1 : src_text + strlen(src_text);
    } else {
        while (n < 1023 && read(src_fd, &c, 1) == 1) {
            got = 1;
            if (c == '\n') { nl = 1; break; }
            buf[n++] = c;
        }
        if (!got) return 0;
        buf[n] = 0;
        at_eof = !nl && n < 1023;
    }
    src_line++;
    lineno = src_line;
    last_nl = nl;
    if (tokenize(line)) *bad = 1;
    else if (nl && add_token(T_NL, NULL, 0) < 0) *bad = 1;
    return 1;
}

/* Reads and runs complete commands until the input ends; a syntax error ends the shell (2) as in dash */
void run_input(void)
{
    int i;

    for (;;) {
        int bad = 0, r = 1;
        ntok = 0;
        if (!read_line(&bad)) return;
        while (!bad) {
            r = parse_tokens();
            if (r != 1) break;
            if (!read_line(&bad)) {
                at_eof = 1;
                lineno = src_line;
                r = parse_tokens();
                break;
            }
        }
        if (bad || r == 2) exit(2);
        run_list(0, ntok, 0);
        for (i = 0; i < ntok; i++) free(tok_text[i]);
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
        src_text = strdup(argv[2]);
        if (argc > 3) arg0 = argv[3];
        pos_args = argv + 4;
        npos = argc > 4 ? argc - 4 : 0;
        run_input();
        return exit_status;
    }
    if (argc >= 2) {
        arg0 = argv[1];
        pos_args = argv + 2;
        npos = argc - 2;
        src_fd = open(argv[1], O_RDONLY);
        if (src_fd < 0) {
            fprintf(stderr, "sh: 0: cannot open %s: %s\n", argv[1], errmsg(errno, 1));
            return 2;
        }
    }
    run_input();
    return exit_status;
}
`;
