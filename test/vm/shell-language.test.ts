// The shell's language beyond simple commands, as dash has it: $((arithmetic)), variables and
// NAME=value before a command, field splitting, the test and [ builtin, if/while/until/for with
// break and continue, `!`, redirections around builtins and compound commands, multi-line input,
// and dash's messages for each kind of error.

import assert from 'node:assert/strict';
import { HEADERS, runSource } from '../kernel/vm-run';

const PROGRAM_HEADERS = `${HEADERS}\n#include <fcntl.h>\n#include <string.h>`;

/** What `sh -c CMD` prints (stdout and stderr as they interleave) and how it ended. */
function sh(cmd: string, extra = ''): string {
  const r = runSource(`${PROGRAM_HEADERS}\n${extra}\nint main(void)\n{
    int st;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", ${JSON.stringify(cmd)}, (char *)NULL);
        _exit(99);
    }
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("[signal %d]\\n", WTERMSIG(st));
    else printf("[exit %d]\\n", WEXITSTATUS(st));
    return 0;
}\n`, {}, 20_000_000);
  assert.equal(r.reason, 'exited', r.out);
  return r.out;
}

const SHOWENV = '#pragma kproc program "/bin/showenv" showenv_main\nint showenv_main(int argc, char *argv[])\n{\n'
  + '    for (int i = 1; i < argc; i++) printf("%s=%s\\n", argv[i], getenv(argv[i]) ? getenv(argv[i]) : "(unset)");\n    return 0;\n}\n';

describe('shell: arithmetic expansion', () => {
  it('C\'s operators with their precedence, parentheses, octal and hex, 64-bit values', () => {
    assert.equal(sh('echo $((1+2*3)) $(( (1+2)*3 )) $((7/2)) $((-7%3)) $((1<2)) $((2>=3)) $((1&&0)) $((0||5)) $((!3))'), '7 9 3 -1 1 0 0 1 0\n[exit 0]\n');
    assert.equal(sh('echo $(( 5 - - 2 )) $((1<<3)) $((6&3)) $((6|3)) $((6^3)) $((~0)) $((1?2:3)) $((010)) $((0x10))'), '7 8 2 7 5 -1 2 8 16\n[exit 0]\n');
    assert.equal(sh('echo $((9223372036854775807+1)) "$((2 * 3))" \'$((1))\''), '-9223372036854775808 6 $((1))\n[exit 0]\n');
  });

  it('variables with or without $, unset or empty as 0, assignments inside the expression', () => {
    assert.equal(sh('x=5; echo $((x+1)) $(($x*2)) $((y+1)); e=; echo $((e+1))'), '6 10 1\n1\n[exit 0]\n');
    assert.equal(sh('echo $((x=3)) $((x+=2)) $((x*=3)); echo $x; i=0; i=$((i+1)); echo $i'), '3 5 15\n15\n1\n[exit 0]\n');
    assert.equal(sh('echo $((0 && 1/0)) $((1 || 1/0)) $((0 ? 1/0 : 3))'), '0 1 3\n[exit 0]\n');
  });

  it('an error ends the shell with status 2 and dash\'s message; a missing )) is a syntax error', () => {
    assert.equal(sh('echo $((1/0)); echo after'), 'sh: 1: arithmetic expression: division by zero: "1/0"\n[exit 2]\n');
    assert.equal(sh('echo $((1+))'), 'sh: 1: arithmetic expression: expecting primary: "1+"\n[exit 2]\n');
    assert.equal(sh('echo $((a b))'), 'sh: 1: arithmetic expression: expecting EOF: "a b"\n[exit 2]\n');
    assert.equal(sh('echo $((1?2))'), 'sh: 1: arithmetic expression: expecting \':\': "1?2"\n[exit 2]\n');
    assert.equal(sh('x=abc; echo $((x+1))'), 'sh: 1: Illegal number: abc\n[exit 2]\n');
    assert.equal(sh('echo a; echo $(( (1+2 ))'), 'sh: 1: Syntax error: Missing \'))\'\n[exit 2]\n');
  });
});

describe('shell: variables and assignments', () => {
  it('NAME=value is the shell\'s own; export puts it in the environment of the commands; unset removes it', () => {
    assert.equal(sh('C=red; echo $C; showenv C; export C; showenv C; C=blue; showenv C; unset C; showenv C; echo [$C]', SHOWENV),
      'red\nC=(unset)\nC=red\nC=blue\nC=(unset)\n[]\n[exit 0]\n');
    assert.equal(sh('export A=1 B; showenv A B', SHOWENV), 'A=1\nB=(unset)\n[exit 0]\n');
  });

  it('NAME=value before a command is in that command\'s environment only; words see the old value', () => {
    assert.equal(sh('C=blue showenv C; echo [$C]; A=1 B=2 showenv A B', SHOWENV), 'C=blue\n[]\nA=1\nB=2\n[exit 0]\n');
    assert.equal(sh('a=1; a=$((a+1)) echo $a; x=$((1+1)) y=$x; echo $x $y'), '1\n2 2\n[exit 0]\n');
    // before a special builtin (:) it stays; before a regular one (cd) it does not
    assert.equal(sh('x=1 : ; echo $x; y=2 cd /; echo [$y]'), '1\n[]\n[exit 0]\n');
  });

  it('unquoted values are split at blanks and an empty one is no word; quoted ones stay whole', () => {
    assert.equal(sh('list="a b  c"; for w in $list; do echo "<$w>"; done; for w in "$list"; do echo "<$w>"; done'), '<a>\n<b>\n<c>\n<a b  c>\n[exit 0]\n');
    assert.equal(sh('e=; echo [$e] "$e" $e end; $e; echo $?'), '[]  end\n0\n[exit 0]\n');
    assert.equal(sh('"x=1"'), 'sh: 1: x=1: not found\n[exit 127]\n');
  });
});

describe('shell: test and [', () => {
  it('strings, integers (blanks and a sign allowed), ! -a -o and parentheses; no arguments is false', () => {
    assert.equal(sh('[ a = a ]; echo $?; [ a != a ]; echo $?; test -z ""; echo $?; test -n ""; echo $?; [ -n ]; echo $?'), '0\n1\n0\n1\n0\n[exit 0]\n');
    assert.equal(sh('test " 5" -eq 5; echo $?; test -5 -lt 3; echo $?; test +5 -ge 5; echo $?; [ 2 -gt 3 ]; echo $?; [ 2 -ne 3 ]; echo $?'), '0\n0\n0\n1\n0\n[exit 0]\n');
    assert.equal(sh('test 1 -gt 2 -o 3 -gt 2; echo $?; [ \\( 1 = 1 \\) -a ! 1 = 2 ]; echo $?; test; echo $?; test x; echo $?; [ ! ]; echo $?'), '0\n0\n1\n0\n0\n[exit 0]\n');
  });

  it('files: -e -f -d -r -w -x -s on the simulated file system', () => {
    assert.equal(sh('echo x > /tmp/t; : > /tmp/e; [ -e /tmp/t -a -f /tmp/t -a -s /tmp/t -a -r /tmp/t -a -w /tmp/t ]; echo $?; [ -s /tmp/e ]; echo $?; [ -d /tmp ] && [ ! -d /tmp/t ] && [ -x /bin/sh ] && [ ! -x /tmp/t ] && [ ! -e /nosuch ] && echo ok'),
      '0\n1\nok\n[exit 0]\n');
  });

  it('dash\'s messages (status 2, the shell goes on); redirections apply to the builtin', () => {
    assert.equal(sh('[ 1 -eq 1; echo $?'), 'sh: 1: [: missing ]\n2\n[exit 0]\n');
    assert.equal(sh('[ abc -eq 1 ]; echo $?; test 99999999999999999999 -eq 1'), 'sh: 1: [: Illegal number: abc\n2\nsh: 1: test: Illegal number: 99999999999999999999\n[exit 2]\n');
    assert.equal(sh('test 1 -lt; echo $?; [ a = ]; echo $?'), 'sh: 1: test: -lt: argument expected\n2\nsh: 1: [: =: argument expected\n2\n[exit 0]\n');
    assert.equal(sh('[ a b ]; echo $?; x=; [ $x = yes ]; echo $?'), 'sh: 1: [: a: unexpected operator\n2\nsh: 1: [: =: unexpected operator\n2\n[exit 0]\n');
    assert.equal(sh('[ x -gt 1 ] 2>/dev/null; echo $?'), '2\n[exit 0]\n');
  });
});

describe('shell: if, while, until, for', () => {
  it('if/elif/else runs the first branch whose condition is 0; none: status 0', () => {
    assert.equal(sh('if true; then echo a; elif false; then echo b; else echo c; fi; if false; then echo a; elif true; then echo b; fi; if false; then :; fi; echo $?'), 'a\nb\n0\n[exit 0]\n');
  });

  it('while and until loops with arithmetic; a loop that never ran has status 0', () => {
    assert.equal(sh('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done; until [ $i -eq 0 ]; do i=$((i-1)); done; echo i=$i; while false; do :; done; echo $?'), '0\n1\n2\ni=0\n0\n[exit 0]\n');
  });

  it('for over words (the variable keeps the last one), over nothing, and without in', () => {
    assert.equal(sh('for x in a b "c d"; do echo "[$x]"; done; echo $x; for x in; do echo n; done; for y do echo n; done; echo $?'), '[a]\n[b]\n[c d]\nc d\n0\n[exit 0]\n');
  });

  it('break and continue, with a count; outside a loop they do nothing; a bad count ends the shell', () => {
    assert.equal(sh('for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done; for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done'), '1\n3\n1a\n[exit 0]\n');
    assert.equal(sh('for i in 1 2 3; do for j in 1 2 3; do [ $j -eq 2 ] && continue 2; echo $i$j; done; done; break; echo $?'), '11\n21\n31\n0\n[exit 0]\n');
    assert.equal(sh('for i in 1 2; do break 0; done; echo $?'), 'sh: 1: break: Illegal number: 0\n[exit 2]\n');
  });

  it('a compound command in a pipeline, with its redirections, and ! before a pipeline', () => {
    assert.equal(sh('for i in 1 2 3; do echo $i; done | wc -l; if true; then echo hidden; fi > /dev/null; ! true; echo $?; ! false; echo $?'), '3\n1\n0\n[exit 0]\n');
    assert.equal(sh('i=0; while [ $i -lt 2 ]; do echo l$i; i=$((i+1)); done > /tmp/w; echo i=$i; cat /tmp/w'), 'i=2\nl0\nl1\n[exit 0]\n');
  });

  it('commands over several lines run when complete; messages name the line', () => {
    assert.equal(sh('echo a; if true; then\necho b\nfi; nosuch'), 'a\nb\nsh: 3: nosuch: not found\n[exit 127]\n');
    assert.equal(sh('for i in 1 2\ndo\n  echo $i\ndone\necho a &&\necho b'), '1\n2\na\nb\n[exit 0]\n');
  });

  it('syntax errors as dash reports them: nothing of the command runs, the shell ends with 2', () => {
    const cases: [string, string][] = [
      ['if true; then echo a', 'end of file unexpected (expecting "fi")'],
      ['if true; echo a; fi', '"fi" unexpected (expecting "then")'],
      ['if true; then fi', '"fi" unexpected'],
      ['while true; do; done', '";" unexpected'],
      ['for 1x in a; do echo; done', 'Bad for loop variable'],
      ['for x in a b; echo $x; done', 'word unexpected (expecting "do")'],
      ['for x in a b', 'end of file unexpected'],
      ['until', 'end of file unexpected (expecting "do")'],
      ['if true; then echo; fi echo', 'word unexpected'],
      ['if true; then echo; fi fi', '"fi" unexpected'],
      ['done', '"done" unexpected'],
    ];
    for (const [cmd, msg] of cases) assert.equal(sh(`echo no; ${cmd}`), `sh: 1: Syntax error: ${msg}\n[exit 2]\n`, cmd);
    assert.equal(sh('echo one\nfi\necho two'), 'one\nsh: 2: Syntax error: "fi" unexpected\n[exit 2]\n');
    // a newline read moves the line on: the end after it is on the next line
    assert.equal(sh('if true; then\n'), 'sh: 2: Syntax error: end of file unexpected (expecting "fi")\n[exit 2]\n');
    assert.equal(sh('echo >\n'), 'sh: 2: Syntax error: newline unexpected\n[exit 2]\n');
    assert.equal(sh('echo if then fi'), 'if then fi\n[exit 0]\n');
  });
});

describe('shell: echo, true, false and read are builtins', () => {
  it('echo: dash\'s escapes (\\n \\t octal, \\c ends the output), -n only as the first word', () => {
    assert.equal(sh('echo "a\\tb" "q\\101\\0102\\z" -n; echo -n "x "; echo -e y; echo "stop\\c" more; echo after'), 'a\tb qAB\\z -n\nx -e y\nstopafter\n[exit 0]\n');
  });

  it('no process for echo, true or false: the next fork has the next pid', () => {
    assert.equal(sh('true && echo t; false || echo f; sh -c \'echo $$\''), 't\nf\n5\n[exit 0]\n');
  });

  it('read: a line split between the names, the rest to the last, \\ keeps a blank (not with -r); 1 at the end', () => {
    const out = sh('echo "a b  c d" > /tmp/r; echo "x\\ y z" >> /tmp/r; { read p q; read -r u v; read w; echo "$? [$w]"; } < /tmp/r; echo "[$p] [$q] [$u] [$v]"; read');
    assert.equal(out, '1 []\n[a] [b  c d] [x\\] [y z]\nsh: 1: read: arg count\n[exit 2]\n');
  });
});

describe('shell: ( ) and { } groups', () => {
  it('( list ) runs in a child: its variables and cd stay there; { list; } runs in the shell', () => {
    assert.equal(sh('x=1; (x=2; echo in $x; exit 3); echo $? $x; { x=5; echo b; } | wc -l; { x=6; }; echo $x'), 'in 2\n3 1\n1\n6\n[exit 0]\n');
    assert.equal(sh('(cd /tmp && ls /tmp/nosuch 2>/dev/null) || echo failed; if (true); then echo yes; fi'), 'failed\nyes\n[exit 0]\n');
  });

  it('dash\'s syntax errors for parentheses and braces', () => {
    assert.equal(sh('echo a (b)'), 'sh: 1: Syntax error: "(" unexpected\n[exit 2]\n');
    assert.equal(sh('test ( a = a )'), 'sh: 1: Syntax error: word unexpected (expecting ")")\n[exit 2]\n');
    assert.equal(sh('( echo x'), 'sh: 1: Syntax error: end of file unexpected (expecting ")")\n[exit 2]\n');
    assert.equal(sh('{ echo x }'), 'sh: 1: Syntax error: end of file unexpected (expecting "}")\n[exit 2]\n');
    assert.equal(sh('echo a; )'), 'sh: 1: Syntax error: ")" unexpected\n[exit 2]\n');
  });
});

describe('shell: positional parameters, and scripts run by exec', () => {
  it('$0 $# $1... $@ and $* after sh -c\'s command; for without in walks them; "$@" keeps each whole', () => {
    assert.equal(sh('sh -c \'echo $0 $# $1 [$3]; for a; do echo "<$a>"; done; for a in "$@"; do echo "($a)"; done; for a in "$*"; do echo "{$a}"; done\' name one "two words"'),
      'name 2 one []\n<one>\n<two words>\n(one)\n(two words)\n{one two words}\n[exit 0]\n');
    assert.equal(sh('for a in "$@"; do echo never; done; echo $0 $#'), 'sh 0\n[exit 0]\n');
  });

  const WRITE = 'void put(const char *path, const char *text, int mode)\n{\n    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);\n'
    + '    write(fd, text, strlen(text));\n    close(fd);\n}\n';
  function execs(setup: string, call: string): string {
    const r = runSource(`${PROGRAM_HEADERS}\n${WRITE}\nint main(void)\n{\n${setup}\n    pid_t pid = fork();\n    if (pid == 0) {\n`
      + `        char *args[] = { "name", "a", "b c", NULL };\n        ${call};\n        printf("failed: %s\\n", strerror(errno));\n        _exit(100);\n    }\n`
      + '    int st;\n    waitpid(pid, &st, 0);\n    printf("[exit %d]\\n", WEXITSTATUS(st));\n    return 0;\n}\n', {}, 20_000_000);
    assert.equal(r.reason, 'exited', r.out);
    return r.out;
  }

  it('the kernel runs a #! file by its interpreter: argv [interpreter, script, argv[1]...], for execv too', () => {
    const script = 'put("/tmp/s", "#!/bin/sh\\necho $0 $# $1 \\"$2\\"\\nexit 4\\n", 0755);';
    assert.equal(execs(script, 'execv("/tmp/s", args)'), '/tmp/s 2 a b c\n[exit 4]\n');
    assert.equal(execs('put("/tmp/s", "#!/no/such/sh\\n", 0755);', 'execv("/tmp/s", args)'), 'failed: No such file or directory\n[exit 100]\n');
    assert.equal(execs('put("/tmp/s", "#!  \\necho x\\n", 0755);', 'execv("/tmp/s", args)'), 'failed: Exec format error\n[exit 100]\n');
  });

  it('a file without #!: ENOEXEC from execv, run by /bin/sh from execvp and execlp (glibc), also found on PATH', () => {
    const script = 'put("/tmp/p", "echo plain $0 $#\\n", 0755);';
    assert.equal(execs(script, 'execv("/tmp/p", args)'), 'failed: Exec format error\n[exit 100]\n');
    assert.equal(execs(script, 'execvp("/tmp/p", args)'), 'plain /tmp/p 2\n[exit 0]\n');
    assert.equal(execs(script, 'execlp("/tmp/p", "p", (char *)NULL)'), 'plain /tmp/p 0\n[exit 0]\n');
    assert.equal(execs(`${script}\n    setenv("PATH", "/nosuch:/tmp:/bin", 1);`, 'execvp("p", args)'), 'plain /tmp/p 2\n[exit 0]\n');
  });
});
