// /bin/sh's source, first part (userland/sh.c lines 1-239, line N of sh.c at line N + 4 here): the
// shell's state, its error messages, and reading a line: tokens, parameter expansion and dash's
// grammar check. sh.ts holds the rest (running the commands) and joins the two.

export const SH_PARSE_SOURCE = String.raw`/* sh: the shell of the simulated system (dash's behaviour for what it accepts) */
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

`;
