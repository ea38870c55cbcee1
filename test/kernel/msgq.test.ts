// Message queues: System V msgget/msgsnd/msgrcv/msgctl (ids, msgtyp rules, E2BIG and
// MSG_NOERROR, senders sleeping for room, EIDRM, EINTR) and POSIX mq_* (priorities, sleeping
// senders and receivers, deadlines, descriptor checks), with Linux's error numbers.

import assert from 'node:assert/strict';
import { HEADERS, runSource } from './vm-run';

const MSG_HEADERS = `${HEADERS}\n#include <sys/ipc.h>\n#include <sys/msg.h>\n#include <mqueue.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <time.h>`;

/** Prints what, the result (-1 or as is) and errno, read after the call. */
const SHOW = 'void show(const char *what, long rc) { printf("%s %ld %d\\n", what, rc, rc == -1 ? errno : 0); errno = 0; }';

function run(body: string): string {
  const r = runSource(`${MSG_HEADERS}\nstruct m { long mtype; char text[32]; };\n${SHOW}\n${body}`);
  assert.equal(r.reason, 'exited');
  return r.out;
}

describe('kernel: System V message queues', () => {
  it('msgget finds queues by key and gives ids cyclically; errors as ipc/msg.c', () => {
    const out = run(`
int main(void)
{
    show("missing", msgget(0x42, 0600));
    int a = msgget(0x42, IPC_CREAT | 0600);
    printf("a %d same %d\\n", a, msgget(0x42, 0) == a);
    show("excl", msgget(0x42, IPC_CREAT | IPC_EXCL | 0600));
    int b = msgget(IPC_PRIVATE, 0600);
    msgctl(a, IPC_RMID, NULL);
    int c = msgget(IPC_PRIVATE, 0600);
    printf("b %d c %d\\n", b, c);
    show("bad cmd", msgctl(b, 99, NULL));
    show("gone", msgctl(a, IPC_STAT, NULL));
    return 0;
}
`);
    assert.equal(out, 'missing -1 2\na 0 same 1\nexcl -1 17\nb 1 c 2\nbad cmd -1 22\ngone -1 22\n');
  });

  it('msgtyp: 0 the oldest, > 0 that type, MSG_EXCEPT another, < 0 the lowest type; E2BIG leaves it queued', () => {
    const out = run(`
void put(int q, long t, const char *s) { struct m x; x.mtype = t; strcpy(x.text, s); msgsnd(q, &x, strlen(s) + 1, 0); }
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct m x;
    put(q, 5, "five"); put(q, 2, "two"); put(q, 9, "nine"); put(q, 2, "two-b"); put(q, 7, "seven");
    msgrcv(q, &x, 32, 0, 0); printf("%ld %s\\n", x.mtype, x.text);
    msgrcv(q, &x, 32, 9, 0); printf("%ld %s\\n", x.mtype, x.text);
    msgrcv(q, &x, 32, 2, MSG_EXCEPT); printf("%ld %s\\n", x.mtype, x.text);
    msgrcv(q, &x, 32, -8, 0); printf("%ld %s\\n", x.mtype, x.text);
    show("small", msgrcv(q, &x, 2, 2, 0));
    printf("cut %d\\n", (int) msgrcv(q, &x, 2, 2, MSG_NOERROR));
    show("none", msgrcv(q, &x, 32, 3, IPC_NOWAIT));
    x.mtype = 0;
    show("type 0", msgsnd(q, &x, 1, 0));
    show("too long", msgsnd(q, &x, 8193, 0));
    return 0;
}
`);
    assert.equal(out, '5 five\n9 nine\n7 seven\n2 two\nsmall -1 7\ncut 2\nnone -1 42\ntype 0 -1 22\ntoo long -1 22\n');
  });

  it('a message of ints and a nested struct arrives whole, even through a (void *) cast', () => {
    const out = run(`
struct inner { short a; double d; };
struct rec { long mtype; int n; struct inner in; char tag[5]; };
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct rec s = { 3, -123456, { 7, 2.5 }, "abcd" }, r;
    msgsnd(q, (void *) &s, sizeof(s) - sizeof(long), 0);
    if (fork() == 0) {
        ssize_t n = msgrcv(q, (void *) &r, sizeof(r) - sizeof(long), 0, 0);
        printf("%zd %ld %d %d %.1f %s\\n", n, r.mtype, r.n, r.in.a, r.in.d, r.tag);
        exit(0);
    }
    wait(NULL);
    return 0;
}
`);
    assert.equal(out, '32 3 -123456 7 2.5 abcd\n');
  });

  it('a struct msgbuf with char mtext[1] in a larger malloc block carries the whole text', () => {
    const out = run(`
struct flex { long mtype; char mtext[1]; };
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct flex *s = malloc(sizeof(long) + 40), *r = malloc(sizeof(long) + 40);
    s->mtype = 4;
    strcpy(s->mtext, "longer than one char");
    msgsnd(q, s, strlen(s->mtext) + 1, 0);
    ssize_t n = msgrcv(q, r, 40, 0, 0);
    printf("%zd %ld %s\\n", n, r->mtype, r->mtext);
    return 0;
}
`);
    assert.equal(out, '21 4 longer than one char\n');
  });

  it('a sender sleeps while the bytes pass msg_qbytes; a receiver wakes it; IPC_RMID wakes sleepers with EIDRM', () => {
    const r = runSource(`${MSG_HEADERS}
struct m { long mtype; char text[32]; };
${SHOW}
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct msqid_ds ds;
    struct m x = { 1, "x" };
    msgctl(q, IPC_STAT, &ds);
    ds.msg_qbytes = 30;
    msgctl(q, IPC_SET, &ds);
    msgsnd(q, &x, 20, 0);
    show("nowait", msgsnd(q, &x, 20, IPC_NOWAIT));
    if (fork() == 0) { sleep(1); msgrcv(q, &x, 32, 0, 0); printf("child took\\n"); fflush(stdout); exit(0); }
    msgsnd(q, &x, 20, 0);
    printf("sent after room\\n");
    wait(NULL);
    msgctl(q, IPC_STAT, &ds);
    printf("qnum %lu cbytes %lu qbytes %lu\\n", ds.msg_qnum, ds.__msg_cbytes, ds.msg_qbytes);
    if (fork() == 0) { int rc = msgsnd(q, &x, 20, 0); printf("sender %d %d\\n", rc, errno == EIDRM); exit(0); }
    if (fork() == 0) { int rc = (int) msgrcv(q, &x, 32, 4, 0); printf("receiver %d %d\\n", rc, errno == EIDRM); exit(0); }
    sleep(1);
    msgctl(q, IPC_RMID, NULL);
    while (wait(NULL) > 0) ;
    return 0;
}
`);
    assert.equal(r.out, 'nowait -1 11\nchild took\nsent after room\nqnum 1 cbytes 20 qbytes 30\nsender -1 1\nreceiver -1 1\n');
    assert.equal(r.reason, 'exited');
    assert.equal(r.engine.k.msg_ids.queues.size, 0);
  });

  it('a signal handler interrupts a sleeping msgrcv with EINTR, even with SA_RESTART', () => {
    const out = run(`
void on_alarm(int sig) { (void) sig; }
int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    int q = msgget(IPC_PRIVATE, 0600);
    struct m x;
    alarm(1);
    show("rcv", msgrcv(q, &x, 32, 0, 0));
    return 0;
}
`);
    assert.equal(out, 'rcv -1 4\n');
  });

  it('ftok gives one key per file and project id, and fails for a missing file', () => {
    const out = run(`
int main(void)
{
    key_t a = ftok("/", 'A'), b = ftok("/", 'A'), c = ftok("/", 'B');
    printf("%d %d %d\\n", a == b, a != c, (c >> 24) & 0xff);
    show("missing", ftok("/no/such/file", 1));
    return 0;
}
`);
    assert.equal(out, '1 1 66\nmissing -1 2\n');
  });
});

describe('kernel: POSIX message queues', () => {
  it('a full queue puts the sender to sleep until a receive makes room; priorities order the messages', () => {
    const out = run(`
int main(void)
{
    struct mq_attr at = { 0, 2, 16, 0 };
    mqd_t q = mq_open("/t1", O_CREAT | O_RDWR, 0600, &at);
    mq_send(q, "a", 2, 1);
    mq_send(q, "b", 2, 3);
    if (fork() == 0) { mq_send(q, "c", 2, 2); printf("child sent\\n"); fflush(stdout); exit(0); }
    sleep(1);
    char buf[16];
    unsigned int p;
    for (int i = 0; i < 3; i++) { mq_receive(q, buf, 16, &p); printf("%s %u\\n", buf, p); fflush(stdout); if (i == 0) sleep(1); }
    wait(NULL);
    mq_unlink("/t1");
    return 0;
}
`);
    assert.equal(out, 'b 3\nchild sent\nc 2\na 1\n');
  });

  it('a struct sent through (const char *) arrives whole through (char *)', () => {
    const out = run(`
struct job { int id; double weight; char name[12]; };
int main(void)
{
    struct mq_attr at = { 0, 4, sizeof(struct job), 0 };
    mqd_t q = mq_open("/t3", O_CREAT | O_RDWR, 0600, &at);
    struct job j = { 42, 1.5, "compile" }, r;
    mq_send(q, (const char *) &j, sizeof(j), 2);
    unsigned int p;
    ssize_t n = mq_receive(q, (char *) &r, sizeof(r), &p);
    printf("%zd %d %.2f %s %u\\n", n, r.id, r.weight, r.name, p);
    return 0;
}
`);
    assert.equal(out, '32 42 1.50 compile 2\n');
  });

  it('descriptor checks, close-on-exec, ENOENT, and the deadline of mq_timedreceive', () => {
    const out = run(`
int main(void)
{
    show("missing", mq_open("/t2", O_RDONLY));
    struct mq_attr bad = { 0, 0, 16, 0 };
    show("bad attr", mq_open("/t2", O_CREAT | O_RDWR, 0600, &bad));
    mqd_t w = mq_open("/t2", O_CREAT | O_WRONLY, 0600, NULL);
    mqd_t r = mq_open("/t2", O_RDONLY);
    printf("cloexec %d\\n", fcntl(r, F_GETFD) & FD_CLOEXEC);
    char buf[8192];
    show("recv on O_WRONLY", mq_receive(w, buf, sizeof(buf), NULL));
    show("send on O_RDONLY", mq_send(r, "x", 1, 0));
    show("prio", mq_send(w, "x", 1, 40000));
    show("not a queue", mq_send(1, "x", 1, 0));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    show("timed", mq_timedreceive(r, buf, sizeof(buf), NULL, &ts));
    ts.tv_nsec = 2000000000;
    show("bad ts", mq_timedreceive(r, buf, sizeof(buf), NULL, &ts));
    struct mq_attr a;
    mq_getattr(r, &a);
    printf("defaults %ld %ld\\n", a.mq_maxmsg, a.mq_msgsize);
    mq_close(w);
    show("closed", mq_close(w));
    return 0;
}
`);
    assert.equal(out, 'missing -1 2\nbad attr -1 22\ncloexec 1\nrecv on O_WRONLY -1 9\nsend on O_RDONLY -1 9\nprio -1 22\nnot a queue -1 9\n'
      + 'timed -1 110\nbad ts -1 22\ndefaults 10 8192\nclosed -1 9\n');
  });
});

describe('kernel: message queue sleepers that are killed', () => {
  it('leave no trace on the queues: the next message stays queued, the full POSIX queue keeps its count', () => {
    const r = runSource(`${MSG_HEADERS}
struct m { long mtype; char text[16]; };
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    struct mq_attr at = { 0, 1, 16, 0 };
    mqd_t mq = mq_open("/t4", O_CREAT | O_RDWR, 0600, &at);
    mq_send(mq, "full", 5, 0);
    pid_t a = fork();
    if (a == 0) { struct m x; msgrcv(q, &x, 16, 0, 0); exit(0); }
    pid_t b = fork();
    if (b == 0) { mq_send(mq, "blocked", 8, 1); exit(0); }
    sleep(1);
    kill(a, SIGKILL);
    kill(b, SIGKILL);
    while (wait(NULL) > 0) ;
    struct m x = { 5, "hello" };
    msgsnd(q, &x, 6, 0);
    struct mq_attr now;
    mq_getattr(mq, &now);
    printf("%ld\\n", now.mq_curmsgs);
    return 0;
}
`);
    assert.equal(r.out, '1\n');
    const msq = [...r.engine.k.msg_ids.queues.values()][0];
    assert.equal(msq.q_qnum, 1);
    assert.equal(msq.q_receivers.length, 0);
    const info = r.engine.k.mq_ns.names.get('t4');
    assert.equal(info?.senders.length, 0);
  });
});
