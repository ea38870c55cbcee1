// /bin/sh's source, second part (userland/sh.c lines 266-546, line N of sh.c at line N - 259 here):
// dash's grammar over the tokens of one complete command: lists, and-or lists, pipelines,
// simple commands, ( ) and { } groups and the compound commands if, while, until and for. The
// check runs before anything of the command does, marks where each command ends and links each
// compound command's keywords for the part that runs them.

export const SH_GRAMMAR_SOURCE = String.raw`int pi;                      /* the token the parser is at */
int need_more;               /* the tokens ended where another line may go on */

int kw(int i, const char *w)
{
    return i < ntok && tok_type[i] == T_WORD && tok_plain[i] && strcmp(tok_text[i], w) == 0;
}

int is_keyword(int i)
{
    return kw(i, "if") || kw(i, "then") || kw(i, "elif") || kw(i, "else") || kw(i, "fi") || kw(i, "while")
        || kw(i, "until") || kw(i, "for") || kw(i, "do") || kw(i, "done") || kw(i, "in") || kw(i, "{") || kw(i, "}");
}

/* The keywords (and the parenthesis) that end a compound list */
int is_closer(int i)
{
    return kw(i, "then") || kw(i, "elif") || kw(i, "else") || kw(i, "fi") || kw(i, "do") || kw(i, "done") || kw(i, "}")
        || (i < ntok && tok_type[i] == T_RPAREN);
}

int is_compound(int i)
{
    return kw(i, "if") || kw(i, "while") || kw(i, "until") || kw(i, "for") || kw(i, "{") || (i < ntok && tok_type[i] == T_LPAREN);
}

const char *token_name(int t)
{
    switch (t) {
    case T_PIPE: return "|";
    case T_AND: return "&&";
    case T_OR: return "||";
    case T_SEMI: return ";";
    case T_BG: return "&";
    case T_LPAREN: return "(";
    case T_RPAREN: return ")";
    case T_LESS: return "<";
    case T_GREAT: return ">";
    case T_DGREAT: return ">>";
    default: return ">&";
    }
}

/* The line dash is on when it reads token i: past a newline once it has read it */
int line_of(int i)
{
    if (i >= ntok) return src_line + last_nl;
    return tok_line[i] + (tok_type[i] == T_NL);
}

/*
 * dash's "X unexpected (expecting Y)" for token i, a keyword quoted where keywords count; -1. At the end of
 * the tokens with more input to come, nothing is said: the caller reads another line and parses again.
 */
int syn_error(int i, int kwpos, const char *expecting)
{
    char what[32];

    if (i >= ntok && !at_eof) {
        need_more = 1;
        return -1;
    }
    lineno = line_of(i);
    if (i >= ntok)
        strcpy(what, "end of file");
    else if (tok_type[i] == T_NL)
        strcpy(what, "newline");
    else if (tok_type[i] == T_WORD && kwpos && is_keyword(i))
        snprintf(what, sizeof(what), "\"%s\"", tok_text[i]);
    else if (tok_type[i] == T_WORD)
        strcpy(what, "word");
    else
        snprintf(what, sizeof(what), "\"%s\"", token_name(tok_type[i]));
    if (expecting)
        fprintf(stderr, "sh: %d: Syntax error: %s unexpected (expecting \"%s\")\n", lineno, what, expecting);
    else
        fprintf(stderr, "sh: %d: Syntax error: %s unexpected\n", lineno, what);
    return -1;
}

void skip_newlines(void)
{
    while (pi < ntok && tok_type[pi] == T_NL) pi++;
}

/* The keyword w at pi: its index (pi moves past it), or -1 (reported) */
int expect_kw(const char *w)
{
    if (kw(pi, w)) return pi++;
    return syn_error(pi, 1, w);
}

int p_list(int top);

/* Redirections after a compound command */
int p_redirections(void)
{
    while (pi < ntok && tok_type[pi] >= T_LESS) {
        if (pi + 1 >= ntok || tok_type[pi + 1] != T_WORD) return syn_error(pi + 1, 0, NULL);
        pi += 2;
    }
    return 0;
}

/* if LIST then LIST [elif LIST then LIST]... [else LIST] fi: if and elif link to their then, then to what follows */
int p_if(void)
{
    int at = pi++, t;

    for (;;) {
        if (p_list(0) < 0) return -1;
        t = expect_kw("then");
        if (t < 0) return -1;
        tok_link[at] = t;
        if (p_list(0) < 0) return -1;
        if (kw(pi, "elif")) {
            tok_link[t] = pi;
            at = pi++;
            continue;
        }
        if (kw(pi, "else")) {
            tok_link[t] = pi;
            at = pi++;
            if (p_list(0) < 0) return -1;
            t = expect_kw("fi");
            tok_link[at] = t;
            return t < 0 ? -1 : 0;
        }
        tok_link[t] = expect_kw("fi");
        return tok_link[t] < 0 ? -1 : 0;
    }
}

/* do LIST done: do links to done */
int p_do_done(int at)
{
    skip_newlines();
    int d = expect_kw("do");
    if (d < 0) return -1;
    tok_link[at] = d;
    if (p_list(0) < 0) return -1;
    tok_link[d] = expect_kw("done");
    return tok_link[d] < 0 ? -1 : 0;
}

/* for NAME [in WORD...] ; do LIST done: the name's link is its "in" (0 without one) */
int p_for(void)
{
    int at = pi++, name = pi;
    const char *v = name < ntok && tok_type[name] == T_WORD && tok_plain[name] ? tok_text[name] : "";
    int k = 0;

    while (is_name_char(v[k], k == 0)) k++;
    if (k == 0 || v[k]) {
        if (name >= ntok && !at_eof) return syn_error(name, 0, NULL);
        lineno = line_of(name);
        fprintf(stderr, "sh: %d: Syntax error: Bad for loop variable\n", lineno);
        return -1;
    }
    pi++;
    skip_newlines();
    if (kw(pi, "in")) {
        tok_link[name] = pi++;
        while (pi < ntok && tok_type[pi] == T_WORD) pi++;
        if (pi >= ntok || (tok_type[pi] != T_NL && tok_type[pi] != T_SEMI)) return syn_error(pi, 0, NULL);
        pi++;
    } else if (pi < ntok && tok_type[pi] == T_SEMI) {
        pi++;
    }
    return p_do_done(at);
}

/* ( LIST ) and { LIST }: the opening token links to the closing one */
int p_group(void)
{
    int at = pi++, paren = tok_type[at] == T_LPAREN;

    if (p_list(0) < 0) return -1;
    if (paren && (pi >= ntok || tok_type[pi] != T_RPAREN)) return syn_error(pi, 1, ")");
    if (!paren && !kw(pi, "}")) return syn_error(pi, 1, "}");
    tok_link[at] = pi++;
    return 0;
}

/* One command: compound (with its redirections) or simple; tok_end[start] is where it ends */
int p_command(void)
{
    int start = pi, r = 0;

    if (pi < ntok && (tok_type[pi] == T_LPAREN || kw(pi, "{"))) r = p_group();
    else if (pi >= ntok || (tok_type[pi] != T_WORD && tok_type[pi] < T_LESS) || is_closer(pi) || kw(pi, "in"))
        return syn_error(pi, 1, NULL);
    else if (kw(pi, "if")) r = p_if();
    else if (kw(pi, "while") || kw(pi, "until")) { pi++; if (p_list(0) < 0) return -1; r = p_do_done(start); }
    else if (kw(pi, "for")) r = p_for();
    else {
        while (pi < ntok && (tok_type[pi] == T_WORD || tok_type[pi] >= T_LESS)) {
            if (tok_type[pi] >= T_LESS) {
                if (pi + 1 >= ntok || tok_type[pi + 1] != T_WORD) return syn_error(pi + 1, 0, NULL);
                pi++;
            }
            pi++;
        }
        /* NAME ( is where a function definition starts: not in this shell */
        if (pi < ntok && tok_type[pi] == T_LPAREN && pi == start + 1) {
            if (pi + 1 >= ntok || tok_type[pi + 1] != T_RPAREN) return syn_error(pi + 1, 0, ")");
            fprintf(stderr, "sh: %d: Syntax error: functions are not supported here\n", lineno);
            return -1;
        }
        if (pi < ntok && tok_type[pi] == T_LPAREN) return syn_error(pi, 0, NULL);
        tok_end[start] = pi;
        return 0;
    }
    if (r < 0 || p_redirections() < 0) return -1;
    tok_end[start] = pi;
    return 0;
}

/* [!] command [| command]... */
int p_pipeline(void)
{
    if (kw(pi, "!")) pi++;
    for (;;) {
        if (p_command() < 0) return -1;
        if (pi >= ntok || tok_type[pi] != T_PIPE) return 0;
        pi++;
        skip_newlines();
    }
}

int p_and_or(void)
{
    for (;;) {
        if (p_pipeline() < 0) return -1;
        if (pi >= ntok || (tok_type[pi] != T_AND && tok_type[pi] != T_OR)) return 0;
        pi++;
        skip_newlines();
    }
}

/*
 * and-or lists separated by ; & or newlines. top: the commands of one input line, up to its newline;
 * otherwise a compound list, up to the keyword that closes it (which must not come first).
 */
int p_list(int top)
{
    int first = 1;

    for (;;) {
        if (!top) skip_newlines();
        if (pi >= ntok) return 0;
        if (top && tok_type[pi] == T_NL) {
            pi++;
            return 0;
        }
        if (!first && is_closer(pi)) return 0;
        first = 0;
        if (p_and_or() < 0) return -1;
        if (pi < ntok && (tok_type[pi] == T_SEMI || tok_type[pi] == T_BG)) {
            pi++;
            continue;
        }
        if (pi >= ntok || tok_type[pi] == T_NL) continue;
        if (top) return syn_error(pi, 1, NULL);
        return 0;
    }
}

/* The tokens read so far: 0 when they hold complete commands, 1 when they need another line, 2 after a syntax error */
int parse_tokens(void)
{
    pi = 0;
    need_more = 0;
    if (p_list(1) < 0) return need_more ? 1 : 2;
    if (pi < ntok) {
        syn_error(pi, 1, NULL);
        return 2;
    }
    return 0;
}

`;
