// <ctype.h> run by the VM: glibc's class bits in the C locale and toupper/tolower's tables.
import { strict as assert } from 'node:assert';
import { ctypeCall } from '../../sim-core/vm/libc-ctype';
import { runToExit, start } from './helpers';

function out(body: string): string {
  const r = runToExit(start(`#include <stdio.h>\n#include <ctype.h>\nint main(void) {\n${body}\nreturn 0; }`));
  assert.equal(r.trap.kind, 'syscall', JSON.stringify(r.trap));
  return r.out;
}

describe('vm: libc ctype', () => {
  it('a class test gives its bit of glibc\'s table (isalpha is 1024), 0 outside the class', () => {
    assert.equal(out('printf("%d %d %d %d %d %d\\n", isalpha(\'q\'), isdigit(\'7\'), isspace(\'\\n\'), isupper(\'Q\'), ispunct(\'_\'), isalnum(\'-\'));'),
      '1024 2048 8192 256 4 0\n');
    assert.equal(out('printf("%d %d %d %d\\n", isxdigit(\'F\'), isxdigit(\'g\'), isblank(\'\\t\'), iscntrl(127));'), '4096 0 1 2\n');
  });

  it('EOF and bytes past 127 are in no class', () => {
    for (const name of ['isalpha', 'isprint', 'iscntrl', 'isspace']) {
      assert.equal(ctypeCall(name, [-1]), 0, name);
      assert.equal(ctypeCall(name, [200]), 0, name);
    }
    assert.equal(ctypeCall('isprint', [32]), 0x4000);
    assert.equal(ctypeCall('isgraph', [32]), 0);
  });

  it('toupper and tolower change letters only; a negative char maps to its byte, EOF and far values stay', () => {
    assert.equal(out('char s[] = "mIx3d!"; for (int i = 0; s[i]; i++) s[i] = toupper(s[i]); printf("%s %c\\n", s, tolower(\'Q\'));'), 'MIX3D! q\n');
    assert.equal(ctypeCall('toupper', [-23]), 233);
    assert.equal(ctypeCall('tolower', [-1]), -1);
    assert.equal(ctypeCall('toupper', [1000]), 1000);
    assert.equal(ctypeCall('toupper', [-200]), -200);
    assert.equal(ctypeCall('strlen', [0]), undefined);
  });
});
