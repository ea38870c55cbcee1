// /bin/sh's source, fourth part (userland/sh.c lines 928-1150, line N of sh.c at line N - 923 here):
// the test and [ builtin as dash has it: POSIX's rules for three and four arguments, then ! -a
// -o and parentheses over the string, integer and file tests, with dash's messages.

export const SH_TEST_SOURCE = String.raw`enum { TK_EOI = -1, TK_OPERAND, TK_UNARY, TK_BINARY, TK_NOT, TK_AND, TK_OR, TK_LPAREN, TK_RPAREN };

char **t_wp;                 /* the word test looks at */
int t_kind;                  /* the kind of operator t_lex found there (TK_OPERAND for none) */
const char *t_name;          /* test or [, for the messages */
int t_failed;

int t_getop(const char *s)
{
    if (!s) return TK_OPERAND;
    if (s[0] == '-' && s[1] && !s[2] && strchr("rwxefdszntcphL", s[1])) return TK_UNARY;
    if (strcmp(s, "=") == 0 || strcmp(s, "!=") == 0 || strcmp(s, "<") == 0 || strcmp(s, ">") == 0)
        return TK_BINARY;
    if (s[0] == '-' && (strcmp(s + 1, "eq") == 0 || strcmp(s + 1, "ne") == 0 || strcmp(s + 1, "lt") == 0
        || strcmp(s + 1, "le") == 0 || strcmp(s + 1, "gt") == 0 || strcmp(s + 1, "ge") == 0))
        return TK_BINARY;
    if (strcmp(s, "!") == 0) return TK_NOT;
    if (strcmp(s, "-a") == 0) return TK_AND;
    if (strcmp(s, "-o") == 0) return TK_OR;
    if (strcmp(s, "(") == 0) return TK_LPAREN;
    if (strcmp(s, ")") == 0) return TK_RPAREN;
    return TK_OPERAND;
}

/* "sh: N: test: OP: MSG"; the test's status is then 2 */
int t_syntax(const char *op, const char *msg)
{
    if (!t_failed) {
        if (op && *op) fprintf(stderr, "sh: %d: %s: %s: %s\n", lineno, t_name, op, msg);
        else fprintf(stderr, "sh: %d: %s: %s\n", lineno, t_name, msg);
    }
    t_failed = 1;
    return 0;
}

/* A unary operator is an operand when it is the last word, or comes before a binary operator and one more word */
int t_isoperand(char **tp)
{
    if (!tp[1]) return 1;
    if (!tp[2]) return 0;
    return t_getop(tp[1]) == TK_BINARY;
}

int t_lex(char **tp)
{
    if (!*tp) {
        t_kind = TK_OPERAND;
        return TK_EOI;
    }
    int k = t_getop(*tp);
    if (k != TK_OPERAND && !(k == TK_UNARY && t_isoperand(tp)) && !(k == TK_LPAREN && !tp[1])) {
        t_kind = k;
        return k;
    }
    t_kind = TK_OPERAND;
    return TK_OPERAND;
}

/* An integer operand: blanks around it allowed, nothing else */
long t_getn(const char *s)
{
    char *end;

    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno != ERANGE && end != s) {
        while (isspace(*end)) end++;
        if (!*end) return n;
    }
    return t_syntax("Illegal number", s);
}

int t_filstat(const char *path, char op)
{
    struct stat st;

    if (op == 'r') return access(path, R_OK) == 0;
    if (op == 'w') return access(path, W_OK) == 0;
    if (op == 'x') return access(path, X_OK) == 0;
    if ((op == 'h' || op == 'L' ? lstat(path, &st) : stat(path, &st)) < 0) return 0;
    switch (op) {
    case 'f': return S_ISREG(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 's': return st.st_size > 0;
    case 'c': return S_ISCHR(st.st_mode);
    case 'p': return S_ISFIFO(st.st_mode);
    case 'h': case 'L': return S_ISLNK(st.st_mode);
    default: return 1;
    }
}

int t_binop(void)
{
    const char *a = *t_wp, *op, *b;

    t_lex(++t_wp);
    op = *t_wp;
    b = *++t_wp;
    if (!b) return t_syntax(op, "argument expected");
    if (strcmp(op, "=") == 0) return strcmp(a, b) == 0;
    if (strcmp(op, "!=") == 0) return strcmp(a, b) != 0;
    if (strcmp(op, "<") == 0) return strcmp(a, b) < 0;
    if (strcmp(op, ">") == 0) return strcmp(a, b) > 0;
    long x = t_getn(a);
    if (t_failed) return 0;
    long y = t_getn(b);
    if (t_failed) return 0;
    if (op[1] == 'e') return x == y;
    if (op[1] == 'n') return x != y;
    if (op[1] == 'l') return op[2] == 't' ? x < y : x <= y;
    return op[2] == 't' ? x > y : x >= y;
}

int t_or(int n);

int t_primary(int n)
{
    if (n == TK_EOI) return 0;
    if (n == TK_LPAREN) {
        int nn = t_lex(++t_wp);
        if (nn == TK_RPAREN) return 0;
        int res = t_or(nn);
        if (t_failed) return 0;
        if (t_lex(++t_wp) != TK_RPAREN) return t_syntax(NULL, "closing paren expected");
        return res;
    }
    if (t_kind == TK_UNARY) {
        const char *op = *t_wp;
        if (!*++t_wp) return t_syntax(op, "argument expected");
        if (op[1] == 'z') return strlen(*t_wp) == 0;
        if (op[1] == 'n') return strlen(*t_wp) != 0;
        if (op[1] == 't') {
            long fd = t_getn(*t_wp);
            return t_failed ? 0 : isatty(fd);
        }
        return t_filstat(*t_wp, op[1]);
    }
    t_lex(t_wp + 1);
    if (t_kind == TK_BINARY) return t_binop();
    return strlen(*t_wp) > 0;
}

int t_not(int n)
{
    if (n == TK_NOT) return !t_not(t_lex(++t_wp));
    return t_primary(n);
}

int t_and(int n)
{
    int res = 1;

    for (;;) {
        if (!t_not(n)) res = 0;
        if (t_failed) return 0;
        n = t_lex(t_wp + 1);
        if (n != TK_AND) return res;
        t_wp += 2;
        n = t_lex(t_wp);
    }
}

int t_or(int n)
{
    int res = 0;

    for (;;) {
        res |= t_and(n);
        if (t_failed) return 0;
        n = t_lex(t_wp + 1);
        if (n != TK_OR) return res;
        t_wp += 2;
        n = t_lex(t_wp);
    }
}

/* test EXPR and [ EXPR ]: 0 true, 1 false, 2 after an error (reported) */
int test_main(int argc, char **args)
{
    char *argv[MAXARG + 1];
    int res = 1, n, i;

    for (i = 0; i <= argc; i++) argv[i] = args[i];
    t_name = argv[0];
    t_failed = 0;
    if (strcmp(argv[0], "[") == 0) {
        if (strcmp(argv[--argc], "]") != 0) {
            t_syntax(NULL, "missing ]");
            return 2;
        }
        argv[argc] = NULL;
    }
    char **av = argv;
    for (;;) {
        av++;
        argc--;
        if (argc < 1) return res;
        if (argc == 3 && t_getop(av[1]) == TK_BINARY) {
            t_kind = TK_OPERAND;
            n = TK_OPERAND;
            break;
        }
        if ((argc == 3 || argc == 4) && strcmp(av[0], "(") == 0 && strcmp(av[argc - 1], ")") == 0) {
            av[--argc] = NULL;
            av++;
            argc--;
        } else if ((argc == 3 || argc == 4) && strcmp(av[0], "!") == 0) {
            res = 0;
            continue;
        }
        n = t_lex(av);
        break;
    }
    t_wp = av;
    res ^= t_or(n);
    if (t_failed) return 2;
    if (t_wp[0] && t_wp[1]) {
        t_syntax(t_wp[0], "unexpected operator");
        return 2;
    }
    return res;
}

`;
