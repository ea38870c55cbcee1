// POSIX shared memory and named semaphores: shm_open objects and sem_open semaphores are files in
// /dev/shm (vm/libc-shm.ts), mapped through the page cache kernel/shmem.ts gives a file; ftruncate,
// linkat and the SIGBUS of a mapping past the file's end.

import assert from 'node:assert/strict';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';
import { shm_get_name } from '../../sim-core/vm/libc-shm';
import { boot } from '../../sim-core/machine';
import type { Stop } from '../../sim-core/machine-types';

const POSIX_HEADERS = `${HEADERS}\n#include <fcntl.h>\n#include <semaphore.h>\n#include <sys/mman.h>\n#include <sys/stat.h>\n#include <string.h>\n#include <dirent.h>`;

describe('kernel: POSIX shared memory and named semaphores', () => {
  it('names an object as __shm_get_name does: one leading slash or more, no other, a semaphore under sem.', () => {
    assert.equal(shm_get_name('/box', false), '/dev/shm/box');
    assert.equal(shm_get_name('//box', true), '/dev/shm/sem.box');
    assert.equal(shm_get_name('box', false), '/dev/shm/box');
    assert.equal(shm_get_name('/a/b', false), 22);
    assert.equal(shm_get_name('/', false), 22);
    assert.equal(shm_get_name('', true), 22);
    assert.equal(shm_get_name(`/${'x'.repeat(300)}`, false), 36);
  });

  it('processes that open the same name share its memory; read and write on the descriptor see the mapped bytes', () => {
    const r = runSource(`${POSIX_HEADERS}
int main(void)
{
    int fd = shm_open("/box", O_CREAT | O_RDWR, 0600);
    ftruncate(fd, 64);
    if (fork() == 0) {
        int f = shm_open("/box", O_RDWR, 0);
        char *c = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        strcpy(c, "from the child");
        _exit(0);
    }
    wait(NULL);
    char *p = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("%s\\n", p);
    char buf[8] = {0};
    read(fd, buf, 4);
    printf("read %s\\n", buf);
    lseek(fd, 5, SEEK_SET);
    write(fd, "XYZ", 3);
    printf("mapped %s\\n", p);
    struct stat st;
    fstat(fd, &st);
    printf("size %ld\\n", (long) st.st_size);
    int t = shm_open("/box", O_RDWR | O_TRUNC, 0);
    printf("after O_TRUNC [%s]\\n", p);
    close(t);
    close(fd);
    shm_unlink("/box");
    return 0;
}
`);
    assert.equal(r.out, 'from the child\nread from\nmapped from XYZ child\nsize 64\nafter O_TRUNC []\n');
  });

  it('MAP_PRIVATE is copy-on-write: it shows the file until its own first store, in a child forked before that too', () => {
    const r = runSource(`${POSIX_HEADERS}
int main(void)
{
    int fd = shm_open("/lpl_cow_demo", O_CREAT | O_RDWR, 0600);
    ftruncate(fd, 4096);
    char *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *pv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    strcpy(sh, "first");
    printf("private before its own store: %s\\n", pv);
    if (fork() == 0) {
        printf("child private: %s\\n", pv);
        pv[0] = 'F';
        printf("child after store: %s / shared %s\\n", pv, sh);
        _exit(0);
    }
    wait(NULL);
    strcpy(sh, "second");
    printf("parent private: %s\\n", pv);
    pv[0] = 'S';
    strcpy(sh, "third");
    printf("parent private after store: %s / shared %s\\n", pv, sh);
    shm_unlink("/lpl_cow_demo");
    return 0;
}
`);
    assert.equal(r.out, 'private before its own store: first\nchild private: first\nchild after store: First / shared first\n'
      + 'parent private: second\nparent private after store: Second / shared third\n');
  });

  it('a mapping reaching past the file is SIGBUS there until ftruncate grows the file under it', () => {
    const r = runSource(`${POSIX_HEADERS}
int main(void)
{
    int fd = shm_open("/grow", O_CREAT | O_RDWR, 0600);
    ftruncate(fd, 4096);
    int *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int status;
    if (fork() == 0) { p[5000] = 1; _exit(0); }
    wait(&status);
    printf("before %d\\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    ftruncate(fd, 8192);
    p[5000] = 7;
    printf("after %d\\n", p[5000]);
    shm_unlink("/grow");
    return 0;
}
`);
    assert.equal(r.out, 'before 7\nafter 7\n');
  });

  it('sem_open publishes sem.NAME in /dev/shm with no temporary file left; a second open is the same pointer; sem_close counts opens', () => {
    const r = runSource(`${POSIX_HEADERS}
void list(void)
{
    DIR *d = opendir("/dev/shm");
    struct dirent *e;
    printf("[");
    while ((e = readdir(d)) != NULL) if (e->d_name[0] != '.') printf(" %s", e->d_name);
    printf(" ]\\n");
    closedir(d);
}
int main(void)
{
    sem_t *a = sem_open("/s1", O_CREAT, 0600, 2);
    list();
    sem_t *b = sem_open("s1", 0);
    sem_t *c = sem_open("/s1", 0);
    printf("same %d %d\\n", a == c, a == b);
    sem_close(a);
    sem_wait(c);
    int v;
    sem_getvalue(c, &v);
    printf("value %d\\n", v);
    sem_close(c);
    int rc = sem_close(c);
    printf("third close %d %d\\n", rc, errno);
    sem_close(b);
    sem_unlink("/s1");
    list();
    return 0;
}
`);
    assert.equal(r.out, '[ sem.s1 ]\nsame 1 0\nvalue 1\nthird close -1 22\n[ ]\n');
  });

  it('sem_wait on a named semaphore sleeps in the scheduler until another process posts it', () => {
    const r = runSource(`${POSIX_HEADERS}
int main(void)
{
    sem_t *s = sem_open("/gate", O_CREAT | O_EXCL, 0600, 0);
    if (fork() == 0) {
        sem_t *g = sem_open("/gate", 0);
        printf("child waits\\n");
        sem_wait(g);
        printf("child through\\n");
        _exit(0);
    }
    sleep(1);
    printf("parent posts\\n");
    sem_post(s);
    wait(NULL);
    sem_unlink("/gate");
    return 0;
}
`);
    assert.equal(r.out, 'child waits\nparent posts\nchild through\n');
  });

  it('a program execve started (no mapping or semaphore inherited) meets its parent by name', () => {
    const r = runSource(`${POSIX_HEADERS}
#define SHM "/exec_msg"
#define SEM "/exec_sem"

#pragma kproc program "/bin/reader" reader_main
int reader_main(int argc, char *argv[])
{
    sem_t *s = sem_open(SEM, 0);
    if (s == SEM_FAILED) { perror("reader: sem_open"); return 1; }
    int fd = shm_open(SHM, O_RDONLY, 0);
    if (fd < 0) { perror("reader: shm_open"); return 1; }
    char *msg = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    sem_wait(s);
    printf("%s: got \\"%s\\"\\n", argv[0], msg);
    sem_close(s);
    munmap(msg, 4096);
    return 0;
}

int main(void)
{
    int fd = shm_open(SHM, O_CREAT | O_EXCL | O_RDWR, 0600);
    ftruncate(fd, 4096);
    char *msg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    sem_t *s = sem_open(SEM, O_CREAT | O_EXCL, 0600, 0);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/reader", "reader", (char *) NULL);
        perror("execl");
        _exit(127);
    }
    usleep(100000);
    strcpy(msg, "hello across exec");
    sem_post(s);
    int status;
    waitpid(pid, &status, 0);
    printf("reader exited %d\\n", WEXITSTATUS(status));
    sem_close(s);
    sem_unlink(SEM);
    munmap(msg, 4096);
    shm_unlink(SHM);
    return 0;
}
`);
    assert.equal(r.out, 'reader: got "hello across exec"\nreader exited 0\n');
  });

  it('an object\'s cells are charged while named or mapped and go back after shm_unlink and the last munmap', () => {
    const e = bootSource(`${POSIX_HEADERS}
int main(void)
{
    int fd = shm_open("/big", O_CREAT | O_RDWR, 0600);
    ftruncate(fd, 4096 * 16);
    char *p = mmap(NULL, 4096 * 16, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    p[0] = 1;
    shm_unlink("/big");
    p[1] = 2;
    printf("%d %d\\n", p[0], p[1]);
    munmap(p, 4096 * 16);
    pause();
    return 0;
}
`);
    const base = e.k.mem_budget.used;
    let peak = 0;
    for (let i = 0; i < 200_000 && !outputOf(e).includes('\n'); i++) { e.tick(); peak = Math.max(peak, e.k.mem_budget.used); }
    for (let i = 0; i < 2000; i++) e.tick();
    assert.equal(outputOf(e), '1 2\n');
    assert.ok(peak - base >= 4096 * 16, 'the object was charged');
    assert.ok(e.k.mem_budget.used - base < 4096, 'and given back');
  });

  it('linkat gives a file a second name (EEXIST, ENOENT), unlink of one keeps the other', () => {
    const r = runSource(`${POSIX_HEADERS}
int main(void)
{
    int fd = open("/tmp/a", O_CREAT | O_WRONLY, 0600);
    write(fd, "hi", 2);
    close(fd);
    printf("link %d\\n", link("/tmp/a", "/tmp/b"));
    int rc = link("/tmp/a", "/tmp/b");
    printf("again %d %d\\n", rc, errno);
    rc = link("/tmp/none", "/tmp/c");
    printf("missing %d %d\\n", rc, errno);
    struct stat st;
    stat("/tmp/b", &st);
    printf("nlink %ld\\n", (long) st.st_nlink);
    unlink("/tmp/a");
    stat("/tmp/b", &st);
    printf("left %ld %ld\\n", (long) st.st_nlink, (long) st.st_size);
    return 0;
}
`);
    assert.equal(r.out, 'link 0\nagain -1 17\nmissing -1 2\nnlink 2\nleft 1 2\n');
  });
});

describe('machine: POSIX shared memory and time travel', () => {
  it('going back and forward again keeps one object: the file\'s page cache and the mappings of it stay the same cells', () => {
    const src = `${POSIX_HEADERS}
int main(void)
{
    int fd = shm_open("/tt", O_CREAT | O_RDWR, 0600);
    ftruncate(fd, sizeof(int));
    int *s = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (fork() == 0) {
        int *c = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, shm_open("/tt", O_RDWR, 0), 0);
        *c = 41;
        exit(0);
    }
    wait(NULL);
    *s += 1;
    printf("%d\\n", *s);
    return 0;
}
`;
    const lineOf = (text: string): number => src.split('\n').findIndex((l) => l.includes(text)) + 1;
    const { machine: m } = boot({ file: '/scenarios/tt.kproc', source: src });
    assert.ok(m);
    const drive = (): Stop => { for (;;) { const st = m.run(5000); if (st.reason !== 'yield') return st; } };
    m.setLineBreakpoints('/scenarios/tt.kproc', [{ line: lineOf('printf(') }]);
    m.continue();
    assert.equal(drive().reason, 'breakpoint');
    assert.equal(m.evaluate('*s', undefined).value, '42');
    // Back to after the parent mapped the object (the file and the mapping hold it), then forward again.
    m.setLineBreakpoints('/scenarios/tt.kproc', [{ line: lineOf('if (fork()') }]);
    m.reverseContinue();
    assert.equal(drive().reason, 'breakpoint');
    m.setLineBreakpoints('/scenarios/tt.kproc', [{ line: lineOf('printf(') }]);
    m.continue();
    assert.equal(drive().reason, 'breakpoint');
    assert.equal(m.evaluate('*s', undefined).value, '42', 'the child\'s store reached the parent\'s mapping again');
    m.setLineBreakpoints('/scenarios/tt.kproc', []);
    m.continue();
    drive();
    assert.equal(m.output(), '42\n');
  });
});
