// /bin/sh's source, first part (userland/sh.c lines 1-265, line N of sh.c at line N + 4 here):
// the shell's state, its error messages, and the reading of a line into tokens, with the marks
// that parameter and arithmetic expansion leave in a word. sh.ts joins the parts.

export const SH_PARSE_SOURCE = String.raw`/* sh: the shell of the simulated system (dash's behaviour for what it accepts) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <ctype.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAXTOK 1024
#define MAXARG 64
#define MAXJOB 64

/* T_NL ends a line; the redirections come last (t >= T_LESS) */
enum { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_BG, T_LPAREN, T_RPAREN, T_NL, T_LESS, T_GREAT, T_DGREAT, T_DUP };

int tok_type[MAXTOK];
char *tok_text[MAXTOK];
int tok_fd[MAXTOK];          /* the descriptor a redirection is for */
int tok_line[MAXTOK];        /* the input line a token was read on */
int tok_plain[MAXTOK];       /* a word with no quote, escape or expansion: it may be a reserved word */
int tok_assign[MAXTOK];      /* a word NAME=... with NAME unquoted: an assignment before a command */
int tok_quoted[MAXTOK];      /* a word with quotes or escapes: it stays a word when it expands to nothing */
int tok_end[MAXTOK];         /* set by the parser: where the command that starts here ends */
int tok_link[MAXTOK];        /* set by the parser: a compound command's next keyword */
int ntok;
int lineno;                  /* the line messages name */
int src_line;                /* lines of input read so far */
int exit_status;             /* $? */
int bg_pid[MAXJOB];          /* background commands not waited for yet */
int bg_status[MAXJOB];       /* -1 while running */
int nbg;
int last_bg;                 /* $! */
int shell_pid;               /* $$: the shell's own pid, also in the children it forks */
char *arg0 = "sh";           /* $0: the script, or the name after -c's command */
char **pos_args;             /* $1, $2...: the arguments after it */
int npos;                    /* $# */
int at_eof;                  /* no input follows the line being parsed */
int last_nl;                 /* the last line read ended with a newline */
int loop_nest;               /* loops running, for break and continue */
int skip_kind;               /* 1 after break, 2 after continue, until the loops have seen it */
int skip_count;

/* The parts call one another */
char *expand(const char *w);
int run_list(int a, int b, int may_exec);
int test_main(int argc, char **argv);

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
        free(text);
        return -1;
    }
    tok_type[ntok] = type;
    tok_text[ntok] = text;
    tok_fd[ntok] = fd;
    tok_line[ntok] = lineno;
    tok_plain[ntok] = 0;
    tok_assign[ntok] = 0;
    tok_quoted[ntok] = 0;
    tok_end[ntok] = 0;
    tok_link[ntok] = 0;
    ntok++;
    return 0;
}

int is_special(char c)
{
    return c == ' ' || c == '\t' || c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == 0;
}

int is_name_char(char c, int first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/*
 * A parameter at s[i] ($? $$ $! $NAME, or the name in braces) is kept in the word as a mark (byte 1, or 5
 * outside double quotes where its value is split into fields; the name; byte 2) and expanded when the
 * command runs, as the shell expands words after parsing the line.
 */
int mark_parameter(const char *s, int i, char *word, int *n, int split)
{
    int k = 0;

    if (*n > 990)
        return i + 1;
    i++;
    if (s[i] == '?' || s[i] == '$' || s[i] == '!' || s[i] == '#' || s[i] == '@' || s[i] == '*' || (s[i] >= '0' && s[i] <= '9')) {
        word[(*n)++] = split ? 5 : 1;
        word[(*n)++] = s[i];
        word[(*n)++] = 2;
        return i + 1;
    }
    int brace = s[i] == '{';
    if (brace) i++;
    if (!brace && !is_name_char(s[i], 1)) {
        word[(*n)++] = '$';
        return i;
    }
    word[(*n)++] = split ? 5 : 1;
    while (*n < 990 && is_name_char(s[i], k == 0)) {
        word[(*n)++] = s[i++];
        k++;
    }
    word[(*n)++] = 2;
    if (brace && s[i] == '}') i++;
    return i;
}

/*
 * $((expression)) at s[i]: byte 3, the expression with its own parameters marked, byte 4. The end is the
 * first "))" outside the expression's parentheses; -1 (reported) when the line has none.
 */
int mark_arith(const char *s, int i, char *word, int *n)
{
    int depth = 0;

    i += 3;
    if (*n < 990) word[(*n)++] = 3;
    while (s[i]) {
        if (s[i] == ')' && depth == 0 && s[i + 1] == ')') {
            if (*n < 995) word[(*n)++] = 4;
            return i + 2;
        }
        if (s[i] == '$' && s[i + 1] == '(' && s[i + 2] == '(') {
            i = mark_arith(s, i, word, n);
            if (i < 0) return -1;
            continue;
        }
        if (s[i] == '$' && s[i + 1] && !is_special(s[i + 1])) {
            i = mark_parameter(s, i, word, n, 0);
            continue;
        }
        if (s[i] == '(') depth++;
        if (s[i] == ')' && depth > 0) depth--;
        if (*n < 990) word[(*n)++] = s[i];
        i++;
    }
    fprintf(stderr, "sh: %d: Syntax error: Missing '))'\n", lineno);
    return -1;
}

/* Whether the $ at s[i] begins a parameter or an arithmetic expansion */
int starts_expansion(const char *s, int i)
{
    return (s[i + 1] && !is_special(s[i + 1])) || (s[i + 1] == '(' && s[i + 2] == '(');
}

/* A $ at s[i] in a word or in double quotes: its mark, and where the word goes on (-1 after an error) */
int mark_dollar(const char *s, int i, char *word, int *n, int split)
{
    if (s[i + 1] == '(' && s[i + 2] == '(')
        return mark_arith(s, i, word, n);
    return mark_parameter(s, i, word, n, split);
}

/* Splits one line into tokens, added to those of the lines before it; 2 after a syntax error (reported) */
int tokenize(const char *s)
{
    char word[1024];
    int i = 0;

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
        int r = 0;
        if (c == '|' && s[i + 1] == '|') { r = add_token(T_OR, NULL, 0); i += 2; }
        else if (c == '|') { r = add_token(T_PIPE, NULL, 0); i++; }
        else if (c == '&' && s[i + 1] == '&') { r = add_token(T_AND, NULL, 0); i += 2; }
        else if (c == '&') { r = add_token(T_BG, NULL, 0); i++; }
        else if (c == ';') { r = add_token(T_SEMI, NULL, 0); i++; }
        else if (c == '(') { r = add_token(T_LPAREN, NULL, 0); i++; }
        else if (c == ')') { r = add_token(T_RPAREN, NULL, 0); i++; }
        else if (c == '<' && s[i + 1] == '&') { r = add_token(T_DUP, NULL, fd < 0 ? 0 : fd); i += 2; }
        else if (c == '<') { r = add_token(T_LESS, NULL, fd < 0 ? 0 : fd); i++; }
        else if (c == '>' && s[i + 1] == '>') { r = add_token(T_DGREAT, NULL, fd < 0 ? 1 : fd); i += 2; }
        else if (c == '>' && s[i + 1] == '&') { r = add_token(T_DUP, NULL, fd < 0 ? 1 : fd); i += 2; }
        else if (c == '>') { r = add_token(T_GREAT, NULL, fd < 0 ? 1 : fd); i++; }
        else r = 1;
        if (r < 0) return 2;
        if (r == 0) continue;
        int n = 0, plain = 1, quoted = 0, k = i;
        /* NAME= at the start of the word, unquoted */
        while (is_name_char(s[k], k == i)) k++;
        int assign = k > i && s[k] == '=';
        while (!is_special(s[i]) && n < 1000) {
            if (s[i] == '\'') {
                plain = 0;
                quoted = 1;
                i++;
                while (s[i] && s[i] != '\'') {
                    if (n < 1000) word[n++] = s[i];
                    i++;
                }
                if (!s[i]) { fprintf(stderr, "sh: %d: Syntax error: Unterminated quoted string\n", lineno); return 2; }
                i++;
            } else if (s[i] == '"') {
                plain = 0;
                quoted = 1;
                i++;
                while (s[i] && s[i] != '"') {
                    if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == 96))
                        i++;
                    else if (s[i] == '$' && s[i + 1] != '"' && starts_expansion(s, i)) {
                        i = mark_dollar(s, i, word, &n, 0);
                        if (i < 0) return 2;
                        continue;
                    }
                    if (n < 1000) word[n++] = s[i];
                    i++;
                }
                if (!s[i]) { fprintf(stderr, "sh: %d: Syntax error: Unterminated quoted string\n", lineno); return 2; }
                i++;
            } else if (s[i] == '$' && starts_expansion(s, i)) {
                plain = 0;
                i = mark_dollar(s, i, word, &n, 1);
                if (i < 0) return 2;
            } else if (s[i] == '\\' && s[i + 1]) {
                plain = 0;
                quoted = 1;
                word[n++] = s[i + 1];
                i += 2;
            } else {
                word[n++] = s[i++];
            }
        }
        word[n] = 0;
        if (add_token(T_WORD, strdup(word), 0) < 0) return 2;
        tok_plain[ntok - 1] = plain;
        tok_quoted[ntok - 1] = quoted;
        tok_assign[ntok - 1] = assign;
    }
    return 0;
}

`;
