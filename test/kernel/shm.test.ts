// System V shared memory: shmget by key and IPC_PRIVATE, shmat and shmdt across fork, shmctl
// IPC_STAT and IPC_RMID (the segment goes with its last attachment), with Linux's error numbers.

import assert from 'node:assert/strict';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';

const SHM_HEADERS = `${HEADERS}\n#include <sys/ipc.h>\n#include <sys/shm.h>`;

describe('kernel: System V shared memory', () => {
  it('finds a segment by key, and refuses with ENOENT, EEXIST and EINVAL as ipc/shm.c does', () => {
    const r = runSource(`${SHM_HEADERS}
void show(const char *what, int rc) { printf("%s %d %d\\n", what, rc < 0 ? -1 : 0, rc < 0 ? errno : 0); errno = 0; }
int main(void)
{
    show("missing", shmget(0x51, 100, 0600));
    int id = shmget(0x51, 100, IPC_CREAT | 0600);
    show("create", id);
    printf("same %d\\n", shmget(0x51, 50, 0) == id);
    show("excl", shmget(0x51, 100, IPC_CREAT | IPC_EXCL | 0600));
    show("bigger", shmget(0x51, 200, 0));
    show("size 0", shmget(IPC_PRIVATE, 0, 0600));
    printf("private differs %d\\n", shmget(IPC_PRIVATE, 10, 0600) != shmget(IPC_PRIVATE, 10, 0600));
    void *p = shmat(12345, NULL, 0);
    printf("bad id %d %d\\n", p == (void *) -1, errno);
    errno = 0;
    show("shmdt not attached", shmdt(&id));
    show("bad cmd", shmctl(id, 99, NULL));
    show("rmid", shmctl(id, IPC_RMID, NULL));
    show("gone", shmctl(id, IPC_STAT, NULL));
    show("key free again", shmget(0x51, 100, 0600));
    return 0;
}
`);
    assert.equal(r.out, 'missing -1 2\ncreate 0 0\nsame 1\nexcl -1 17\nbigger -1 22\nsize 0 -1 22\nprivate differs 1\nbad id 1 22\n'
      + 'shmdt not attached -1 22\nbad cmd -1 22\nrmid 0 0\ngone -1 22\nkey free again -1 2\n');
  });

  it('a child inherits the attachment; IPC_STAT counts attachments; the cells go back after IPC_RMID and the last detach', () => {
    const e = bootSource(`${SHM_HEADERS}
int main(void)
{
    int id = shmget(IPC_PRIVATE, 4096 * 2, 0600);
    long *p = shmat(id, NULL, 0);
    struct shmid_ds ds;
    if (fork() == 0) {
        p[100] = 77;
        shmctl(id, IPC_STAT, &ds);
        printf("child %lu\\n", (unsigned long) ds.shm_nattch);
        exit(0);
    }
    wait(NULL);
    shmctl(id, IPC_STAT, &ds);
    printf("parent %ld %lu %zu\\n", p[100], (unsigned long) ds.shm_nattch, ds.shm_segsz);
    shmctl(id, IPC_RMID, NULL);
    shmdt(p);
    return 0;
}
`);
    let peak = 0;
    const base = e.k.mem_budget.used;
    for (let i = 0; i < 1_000_000 && !e.finished(); i++) {
      e.tick();
      peak = Math.max(peak, e.k.mem_budget.used);
    }
    assert.equal(outputOf(e), 'child 2\nparent 77 1 8192\n');
    assert.ok(peak - base >= 8192, 'the segment was charged');
    assert.equal(e.k.shm_ids.segs.size, 0, 'destroyed with its last attachment');
  });
});
