// Scenario texts the server tests share, and a helper to find a position by the text at it.
import type { Position } from 'vscode-languageserver';

/** A user-space scenario that uses threads, a signal handler, fork/wait and a registered program. */
export const USER = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <pthread.h>
#pragma kproc pid_max 400
#pragma kproc program "/bin/worker" worker_main

#define CHILDREN 2

int counter = 0;

void *spin(void *arg)
{
    counter++;
    return NULL;
}

void on_usr1(int sig)
{
    printf("got %d\\n", sig);
}

int worker_main(void)
{
    return 3;
}

int main(void)
{
    pthread_t tid;
    pthread_create(&tid, NULL, spin, NULL);
    pthread_join(tid, NULL);
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/worker", "worker", NULL);
            _exit(127);
        }
    }
    int wstatus;
    while (wait(&wstatus) > 0)
        printf("status %d\\n", WEXITSTATUS(wstatus));
    return 0;
}
`;

/** Kernel-side code: a kthread loop started from module_init. */
export const KERNEL = `#include <linux/kthread.h>
#include <linux/sched.h>

static struct task_struct *consumer;

static int consume(void *data)
{
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        schedule();
    }
    return 0;
}

static int __init lab_init(void)
{
    consumer = kthread_run(consume, NULL, "consumer");
    kthread_stop(consumer);
    return 0;
}
module_init(lab_init);
`;

/** Errors the checker reports, for the diagnostics tests. */
export const BROKEN = `int main(void)
{
    pid_t pid = fork(;
    kill(pid, SIGKIL);
    waitpid(pid);
    undefined_call();
    return 0;
}
`;

/** Position of the first character of the nth occurrence of needle (plus delta characters). */
export function posOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found`);
  }
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}
