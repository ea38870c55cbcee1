// /bin/sh's source, third part (userland/sh.c lines 547-927, line N of sh.c at line N - 541 here):
// shell variables (a table of their own; exported ones live in the environment), the special
// and positional parameters, the expansion of the marks a word carries, field splitting, and
// dash's arithmetic: C's integer operators on 64-bit values, with its messages.

export const SH_EXPAND_SOURCE = String.raw`#define MAXVAR 64

char *var_name[MAXVAR];      /* variables not exported: exported ones are in environ */
char *var_value[MAXVAR];
int nvar;

int var_index(const char *name)
{
    int i;

    for (i = 0; i < nvar; i++)
        if (strcmp(var_name[i], name) == 0) return i;
    return -1;
}

const char *getvar(const char *name)
{
    int i = var_index(name);

    if (i >= 0) return var_value[i];
    return getenv(name);
}

void dropvar(int i)
{
    free(var_name[i]);
    free(var_value[i]);
    nvar--;
    var_name[i] = var_name[nvar];
    var_value[i] = var_value[nvar];
}

/* NAME=value: a variable already exported changes in the environment, others in the shell's table */
void setvar(const char *name, const char *value)
{
    int i = var_index(name);

    if (i < 0 && getenv(name)) {
        setenv(name, value, 1);
        return;
    }
    if (i < 0) {
        if (nvar == MAXVAR) {
            fprintf(stderr, "sh: %d: too many variables\n", lineno);
            return;
        }
        i = nvar++;
        var_name[i] = strdup(name);
        var_value[i] = NULL;
    }
    free(var_value[i]);
    var_value[i] = strdup(value);
}

/* An assignment word NAME=value (already expanded) */
void assign_word(char *w)
{
    char *eq = strchr(w, '=');

    *eq = 0;
    setvar(w, eq + 1);
    *eq = '=';
}

void unsetvar(const char *name)
{
    int i = var_index(name);

    if (i >= 0) dropvar(i);
    unsetenv(name);
}

/* export NAME[=value]: the variable moves to the environment */
void exportvar(char *w)
{
    char *eq = strchr(w, '=');
    int i;

    if (eq) *eq = 0;
    i = var_index(w);
    if (eq) setenv(w, eq + 1, 1);
    else if (i >= 0) setenv(w, var_value[i], 1);
    if (i >= 0) dropvar(i);
    if (eq) *eq = '=';
}

const char *ap;              /* where arithmetic is in its expression */
const char *arith_text;      /* the whole expression, for the messages */
int arith_failed;
int noeval;                  /* inside the branch && || or ?: leave out: no division error, no assignment */

long arith_fail(const char *why)
{
    if (!arith_failed)
        fprintf(stderr, "sh: %d: arithmetic expression: %s: \"%s\"\n", lineno, why, arith_text);
    arith_failed = 1;
    return 0;
}

void arith_space(void)
{
    while (*ap == ' ' || *ap == '\t' || *ap == '\n') ap++;
}

/* A variable's value as a number: unset or empty is 0, anything else must be a number */
long var_number(const char *name)
{
    const char *v = getvar(name);
    char *end;

    if (!v || !*v) return 0;
    long n = strtol(v, &end, 0);
    while (isspace(*end)) end++;
    if (end == v || *end) {
        fprintf(stderr, "sh: %d: Illegal number: %s\n", lineno, v);
        exit(2);
    }
    return n;
}

long a_assign(void);

long a_primary(void)
{
    char name[128], buf[32];
    int k = 0;

    arith_space();
    if (*ap == '(') {
        ap++;
        long v = a_assign();
        arith_space();
        if (*ap != ')') return arith_fail("expecting ')'");
        ap++;
        return v;
    }
    if (*ap >= '0' && *ap <= '9') {
        char *end;
        long v = strtol(ap, &end, 0);
        ap = end;
        return v;
    }
    if (!is_name_char(*ap, 1)) return arith_fail("expecting primary");
    while (is_name_char(*ap, 0) && k < 127) name[k++] = *ap++;
    name[k] = 0;
    arith_space();
    char op = 0;
    if (ap[0] == '=' && ap[1] != '=') op = '=';
    else if ((ap[0] == '+' || ap[0] == '-' || ap[0] == '*' || ap[0] == '/' || ap[0] == '%') && ap[1] == '=') op = *ap++;
    if (!op) return var_number(name);
    ap++;
    long v = a_assign();
    if (arith_failed || noeval) return v;
    if (op != '=') {
        long old = var_number(name);
        if ((op == '/' || op == '%') && v == 0) return arith_fail("division by zero");
        v = op == '+' ? old + v : op == '-' ? old - v : op == '*' ? old * v : op == '/' ? old / v : old % v;
    }
    snprintf(buf, sizeof(buf), "%ld", v);
    setvar(name, buf);
    return v;
}

long a_unary(void)
{
    arith_space();
    if (*ap == '!' && ap[1] != '=') { ap++; return !a_unary(); }
    if (*ap == '~') { ap++; return ~a_unary(); }
    if (*ap == '-') { ap++; return -a_unary(); }
    if (*ap == '+') { ap++; return a_unary(); }
    return a_primary();
}

/* The binary operator at ap: its precedence (1, ||, binds least), 0 for none */
int a_operator(int *op, int *len)
{
    char c = ap[0], d = c ? ap[1] : 0;

    *len = 2;
    *op = c;
    if (c == '|' && d == '|') { *op = 'O'; return 1; }
    if (c == '&' && d == '&') { *op = 'A'; return 2; }
    if (c == '=' && d == '=') { *op = 'E'; return 6; }
    if (c == '!' && d == '=') { *op = 'N'; return 6; }
    if (c == '<' && d == '=') { *op = 'l'; return 7; }
    if (c == '>' && d == '=') { *op = 'g'; return 7; }
    if (c == '<' && d == '<') { *op = 'L'; return 8; }
    if (c == '>' && d == '>') { *op = 'R'; return 8; }
    *len = 1;
    if (c == '|') return 3;
    if (c == '^') return 4;
    if (c == '&') return 5;
    if (c == '<' || c == '>') return 7;
    if (c == '+' || c == '-') return 9;
    if (c == '*' || c == '/' || c == '%') return 10;
    return 0;
}

/* Operators of precedence min and above, left to right */
long a_binary(int min)
{
    long x = a_unary(), y;
    int op, len, p;

    for (;;) {
        arith_space();
        p = a_operator(&op, &len);
        if (p == 0 || p < min || arith_failed) return x;
        ap += len;
        int skip = (op == 'A' && !x) || (op == 'O' && x);
        noeval += skip;
        y = a_binary(p + 1);
        noeval -= skip;
        if ((op == '/' || op == '%') && y == 0) {
            if (noeval) x = 0;
            else return arith_fail("division by zero");
        } else if (op == '/' || op == '%') {
            x = op == '/' ? x / y : x % y;
        } else if (op == 'O' || op == 'A') {
            x = op == 'O' ? (x || y) : (x && y);
        } else {
            switch (op) {
            case '|': x = x | y; break;
            case '^': x = x ^ y; break;
            case '&': x = x & y; break;
            case 'E': x = x == y; break;
            case 'N': x = x != y; break;
            case '<': x = x < y; break;
            case 'l': x = x <= y; break;
            case '>': x = x > y; break;
            case 'g': x = x >= y; break;
            case 'L': x = x << y; break;
            case 'R': x = x >> y; break;
            case '+': x = x + y; break;
            case '-': x = x - y; break;
            default: x = x * y; break;
            }
        }
    }
}

/* COND ? A : B, and assignments (parsed where their name is) */
long a_assign(void)
{
    long c = a_binary(1);

    arith_space();
    if (*ap != '?' || arith_failed) return c;
    ap++;
    noeval += !c;
    long x = a_assign();
    noeval -= !c;
    arith_space();
    if (*ap != ':') return arith_fail("expecting ':'");
    ap++;
    noeval += c != 0;
    long y = a_assign();
    noeval -= c != 0;
    return c ? x : y;
}

/* $((text)) after its parameters were expanded; an error ends the shell (status 2) as in dash */
long arith(const char *text)
{
    arith_text = text;
    ap = text;
    arith_failed = 0;
    noeval = 0;
    long v = a_assign();
    arith_space();
    if (*ap && !arith_failed) arith_fail("expecting EOF");
    if (arith_failed) exit(2);
    return v;
}

char all_args[1024];         /* $@ and $* */
int at_no_args;              /* a "$@" came to no words: it leaves no empty field */

/*
 * The value of parameter name ($? $$ $! $# $0-$9 $@ $*, or a variable; "" when unset); num is room for a
 * number. With split, $@'s arguments are kept apart by byte 7, quoted or not.
 */
const char *special_parameter(const char *name, char *num, int split)
{
    const char *v;
    int i;

    if (strcmp(name, "?") == 0 || strcmp(name, "$") == 0 || strcmp(name, "!") == 0 || strcmp(name, "#") == 0) {
        sprintf(num, "%d", name[0] == '?' ? exit_status : name[0] == '$' ? shell_pid : name[0] == '!' ? last_bg : npos);
        return num;
    }
    if (name[0] >= '0' && name[0] <= '9') {
        i = atoi(name);
        return i == 0 ? arg0 : i <= npos ? pos_args[i - 1] : "";
    }
    if (strcmp(name, "@") == 0 || strcmp(name, "*") == 0) {
        all_args[0] = 0;
        if (split && name[0] == '@' && npos == 0) at_no_args = 1;
        for (i = 0; i < npos && strlen(all_args) + strlen(pos_args[i]) < 1000; i++) {
            if (i > 0) strcat(all_args, split && name[0] == '@' ? "\007" : " ");
            strcat(all_args, pos_args[i]);
        }
        return all_args;
    }
    v = getvar(name);
    return v ? v : "";
}

/*
 * A word with its parameters and arithmetic replaced by their values (a new string). With split, the blanks
 * in the values of unquoted parameters (mark 5) become byte 7, where expand_fields cuts the word.
 */
char *expand_split(const char *w, int split)
{
    char out[1024], name[128], num[32];
    int n = 0, i = 0;

    while (w[i] && n < 1000) {
        if (w[i] == 3) {
            int depth = 0, j = i + 1, k = 0;
            while (w[j] && (w[j] != 4 || depth > 0)) {
                if (w[j] == 3) depth++;
                if (w[j] == 4) depth--;
                j++;
            }
            char *inner = strndup(w + i + 1, j - i - 1);
            char *text = expand_split(inner, 0);
            snprintf(num, sizeof(num), "%ld", arith(text));
            free(inner);
            free(text);
            while (num[k] && n < 1000) out[n++] = num[k++];
            i = w[j] ? j + 1 : j;
            continue;
        }
        if (w[i] != 1 && w[i] != 5) {
            out[n++] = w[i++];
            continue;
        }
        int k = 0, cut = split && w[i] == 5;
        const char *v;
        i++;
        while (w[i] && w[i] != 2 && k < 127) name[k++] = w[i++];
        name[k] = 0;
        if (w[i] == 2) i++;
        v = special_parameter(name, num, split);
        for (; *v && n < 1000; v++)
            out[n++] = cut && (*v == ' ' || *v == '\t' || *v == '\n') ? 7 : *v;
    }
    out[n] = 0;
    return strdup(out);
}

char *expand(const char *w)
{
    return expand_split(w, 0);
}

/*
 * The fields of word w added to argv[argc...] (at most max): its expansion cut where unquoted values had
 * blanks, empty fields left out; a quoted word that comes to nothing stays one empty field. The new argc.
 */
int expand_fields(const char *w, int quoted, char **argv, int argc, int max)
{
    int i = 0, start, added = 0;
    at_no_args = 0;
    char *text = expand_split(w, 1);

    while (text[i]) {
        while (text[i] == 7) i++;
        start = i;
        while (text[i] && text[i] != 7) i++;
        if (i > start && argc < max) {
            argv[argc++] = strndup(text + start, i - start);
            added++;
        }
    }
    if (!added && quoted && !at_no_args && argc < max) argv[argc++] = strdup("");
    free(text);
    return argc;
}

`;
