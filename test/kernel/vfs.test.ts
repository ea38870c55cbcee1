// The in-memory file system: stat and fstat of files, directories, pipes and the terminal;
// directories listed with opendir/readdir (getdents64); mkdir, unlink and rmdir with their errnos;
// the working directory; access and chmod; isatty through the TCGETS ioctl; /bin listing the programs exec runs.

import assert from 'node:assert/strict';
import { HEADERS, runSource } from './vm-run';

const VFS_HEADERS = `${HEADERS}\n#include <fcntl.h>\n#include <string.h>\n#include <sys/stat.h>\n#include <dirent.h>`;

function run(body: string, extra = ''): string {
  const r = runSource(`${VFS_HEADERS}\n${extra}\nint main(void)\n{\n${body}\n}\n`);
  assert.equal(r.reason, 'exited', r.out);
  return r.out;
}

describe('kernel: the file system', () => {
  it('stat and fstat: sizes, types and modes of a file, /tmp, a pipe, /dev/null and the terminal', () => {
    const out = run(`
    struct stat st;
    int fd = open("/tmp/a", O_CREAT | O_WRONLY, 0666);
    write(fd, "hello", 5);
    fstat(fd, &st);
    printf("file %ld %o %d %ld\\n", (long)st.st_size, st.st_mode, S_ISREG(st.st_mode), (long)st.st_blksize);
    stat("/tmp", &st);
    printf("tmp %d %o\\n", S_ISDIR(st.st_mode), st.st_mode & 07777);
    int p[2];
    pipe(p);
    fstat(p[1], &st);
    printf("pipe %d %ld\\n", S_ISFIFO(st.st_mode), (long)st.st_size);
    stat("/dev/null", &st);
    printf("null %d %o\\n", S_ISCHR(st.st_mode), st.st_mode & 0777);
    fstat(1, &st);
    printf("tty %d %ld\\n", S_ISCHR(st.st_mode), (long)st.st_blksize);
    int r = stat("/tmp/nope", &st);
    printf("missing %d %d\\n", r, errno == ENOENT);
    r = stat("/tmp/a/b", &st);
    printf("notdir %d %d\\n", r, errno == ENOTDIR);
    return 0;`);
    assert.equal(out, 'file 5 100644 1 4096\ntmp 1 1777\npipe 1 0\nnull 1 666\ntty 1 1024\nmissing -1 1\nnotdir -1 1\n');
  });

  it('access checks the real user against the mode bits chmod sets; root still needs an x bit for X_OK', () => {
    const body = `
    close(open("/tmp/f", O_CREAT | O_WRONLY, 0644));
    printf("%d %d %d", access("/tmp/f", F_OK), access("/tmp/f", R_OK | W_OK), access("/tmp/f", X_OK));
    printf(" %d", errno == EACCES);
    chmod("/tmp/f", 0200);
    printf(" %d %d", access("/tmp/f", R_OK), access("/tmp/f", W_OK));
    chmod("/tmp/f", 0711);
    printf(" %d %d", access("/tmp/f", X_OK), access("/tmp", W_OK | X_OK));
    int r = access("/tmp/f", 8);
    printf(" %d %d", r, errno == EINVAL);
    r = access("/tmp/none", F_OK);
    printf(" %d %d", r, errno == ENOENT);
    r = chmod("/", 0777);
    printf(" %d %d\\n", r, errno == EPERM);
    return 0;`;
    assert.equal(run(body, '#pragma kproc uid 1000'), '0 0 -1 1 -1 0 0 0 -1 1 -1 1 -1 1\n');
    // Root reads what no one may read, but executes only what someone may execute.
    assert.equal(run(body, '#pragma kproc uid 0'), '0 0 -1 1 0 0 0 0 -1 1 -1 1 0 0\n');
  });

  it('remove unlinks a file and rmdirs an empty directory; rmdir of / is EBUSY, of . EINVAL, of .. ENOTEMPTY', () => {
    const out = run(`
    close(open("/tmp/f", O_CREAT | O_WRONLY, 0644));
    mkdir("/tmp/d", 0755);
    int a = remove("/tmp/f"), b = remove("/tmp/d"), c = remove("/tmp/f");
    printf("%d %d %d %d", a, b, c, errno == ENOENT);
    int r = remove("/");
    printf(" %d %d", r, errno == EBUSY);
    chdir("/tmp");
    r = rmdir(".");
    printf(" %d %d", r, errno == EINVAL);
    r = rmdir("..");
    printf(" %d %d", r, errno == ENOTEMPTY);
    r = unlink("/");
    printf(" %d %d\\n", r, errno == EISDIR);
    return 0;`);
    assert.equal(out, '0 0 -1 1 -1 1 -1 1 -1 1 -1 1\n');
  });

  it('fseek, ftell and rewind count what the program read or wrote, not the buffer; a pipe is ESPIPE', () => {
    const out = run(`
    FILE *f = fopen("/tmp/s", "w+");
    fputs("hello\\nworld\\n", f);
    long w = ftell(f);
    rewind(f);
    char b[16];
    fgets(b, sizeof b, f);
    long r1 = ftell(f);
    fseek(f, -3, SEEK_CUR);
    int c = fgetc(f);
    fseek(f, 0, SEEK_END);
    int e = fgetc(f);
    int eof = feof(f) != 0;
    fseek(f, 0, SEEK_SET);
    printf("%ld %ld %c %d %d %d", w, r1, c, e, eof, feof(f));
    int p[2];
    pipe(p);
    int k = fseek(fdopen(p[0], "r"), 0, SEEK_SET);
    printf(" %d %d\\n", k, errno == ESPIPE);
    return 0;`);
    assert.equal(out, '12 6 l -1 1 0 -1 1\n');
  });

  it('isatty: the terminal yes, a pipe and a file no (ENOTTY), a closed descriptor EBADF', () => {
    const out = run(`
    int p[2];
    pipe(p);
    printf("%d", isatty(1));
    int r = isatty(p[0]);
    printf(" %d %d", r, errno == ENOTTY);
    r = isatty(42);
    printf(" %d %d\\n", r, errno == EBADF);
    return 0;`);
    assert.equal(out, '1 0 1 0 1\n');
  });

  it('mkdir, readdir (newest first after . and ..), chdir with relative paths, unlink and rmdir', () => {
    const out = run(`
    mkdir("/tmp/d", 0755);
    chdir("/tmp/d");
    close(open("one", O_CREAT | O_WRONLY, 0644));
    close(open("./two", O_CREAT | O_WRONLY, 0644));
    mkdir("sub", 0700);
    DIR *d = opendir(".");
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        printf("%s:%d ", e->d_name, e->d_type);
    closedir(d);
    printf("\\n");
    int r = rmdir("/tmp/d");
    printf("rmdir full %d %d\\n", r, errno == ENOTEMPTY);
    r = unlink("sub");
    printf("unlink dir %d %d\\n", r, errno == EISDIR);
    r = mkdir("sub", 0700);
    printf("exists %d %d\\n", r, errno == EEXIST);
    int r1 = unlink("one");
    int r2 = unlink("../d/two");
    int r3 = rmdir("sub");
    printf("%d %d %d\\n", r1, r2, r3);
    chdir("..");
    r = rmdir("d");
    int o = open("d/one", O_RDONLY);
    printf("rmdir %d, open %d %d\\n", r, o, errno == ENOENT);
    char cwd[32];
    printf("cwd %s\\n", getcwd(cwd, sizeof(cwd)));
    char *small = getcwd(cwd, 2);
    printf("small %p %d\\n", (void *)small, errno == ERANGE);
    return 0;`);
    assert.equal(out, '.:4 ..:4 sub:4 two:8 one:8 \nrmdir full -1 1\nunlink dir -1 1\nexists -1 1\n0 0 0\nrmdir 0, open -1 1\ncwd /tmp\nsmall (nil) 1\n');
  });

  it('a file unlinked while open stays readable through its descriptor', () => {
    const out = run(`
    int fd = open("/tmp/gone", O_CREAT | O_RDWR, 0600);
    write(fd, "still here", 10);
    unlink("/tmp/gone");
    lseek(fd, 0, SEEK_SET);
    char buf[16];
    ssize_t n = read(fd, buf, sizeof(buf));
    printf("%.*s, open again %d\\n", (int)n, buf, open("/tmp/gone", O_RDONLY));
    return 0;`);
    assert.equal(out, 'still here, open again -1\n');
  });

  it("/bin lists the built-in programs and the scenario's own; a user cannot write there", () => {
    const out = run(`
    DIR *d = opendir("/bin");
    struct dirent *e;
    int n = 0, mine = 0;
    while ((e = readdir(d)) != NULL) { n++; if (strcmp(e->d_name, "mytool") == 0) mine = 1; }
    closedir(d);
    int fd = open("/bin/new", O_CREAT | O_WRONLY, 0644);
    printf("%d %d %d %d\\n", n > 5, mine, fd, errno == EACCES);
    struct stat st;
    int r = stat("/usr/local/bin/deep", &st);
    printf("nested %d %o\\n", r, st.st_mode);
    return 0;`, `
#pragma kproc program "/bin/mytool" tool_main
#pragma kproc program "/usr/local/bin/deep" tool_main
int tool_main(void) { return 0; }`);
    assert.equal(out, '1 1 -1 1\nnested 0 100755\n');
  });
});
