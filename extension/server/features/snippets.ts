// Snippets for the patterns the lectures keep writing: fork and wait, vfork and exec, threads,
// a kthread loop that sleeps until woken, a module entry, a SIGCHLD handler.

export interface Snippet {
  label: string;
  detail: string;
  body: string;
  side: 'user' | 'kernel' | 'file';
}

export const SNIPPETS: readonly Snippet[] = [
  {
    label: 'fork/wait', side: 'user', detail: 'fork a child, let it exit, reap it with waitpid',
    body: [
      'pid_t ${1:pid} = fork();',
      'if (${1:pid} < 0) {',
      '\tperror("fork");',
      '\texit(EXIT_FAILURE);',
      '}',
      'if (${1:pid} == 0) {',
      '\t${2:/* child */}',
      '\t_exit(${3:0});',
      '}',
      'int ${4:wstatus};',
      'if (waitpid(${1:pid}, &${4:wstatus}, 0) == ${1:pid} && WIFEXITED(${4:wstatus}))',
      '\tprintf("child %d exited with %d\\n", ${1:pid}, WEXITSTATUS(${4:wstatus}));',
      '$0',
    ].join('\n'),
  },
  {
    label: 'vfork/exec', side: 'user', detail: 'vfork a child that only execs or _exits',
    body: [
      'pid_t ${1:pid} = vfork();',
      'if (${1:pid} == 0) {',
      '\texecl("${2:/bin/true}", "${3:true}", NULL);',
      '\t_exit(127);',
      '}',
      'waitpid(${1:pid}, NULL, 0);',
      '$0',
    ].join('\n'),
  },
  {
    label: 'pthread_create', side: 'user', detail: 'start a thread and join it',
    body: [
      'pthread_t ${1:tid};',
      'if (pthread_create(&${1:tid}, NULL, ${2:worker}, ${3:NULL}) != 0)',
      '\texit(EXIT_FAILURE);',
      'pthread_join(${1:tid}, NULL);',
      '$0',
    ].join('\n'),
  },
  {
    label: 'kthread loop', side: 'file', detail: 'kernel thread function that sleeps until woken or stopped',
    body: [
      'static int ${1:worker_fn}(void *data)',
      '{',
      '\twhile (!kthread_should_stop()) {',
      '\t\tset_current_state(TASK_INTERRUPTIBLE);',
      '\t\tif (${2:list_empty(&events)})',
      '\t\t\tschedule();',
      '\t\t__set_current_state(TASK_RUNNING);',
      '\t\t$0',
      '\t}',
      '\treturn 0;',
      '}',
    ].join('\n'),
  },
  {
    label: 'kthread_run', side: 'kernel', detail: 'create and wake a kernel thread, stop it later',
    body: [
      'struct task_struct *${1:task} = kthread_run(${2:worker_fn}, NULL, "${3:worker}");',
      'if (IS_ERR(${1:task}))',
      '\treturn PTR_ERR(${1:task});',
      '$0',
      'kthread_stop(${1:task});',
    ].join('\n'),
  },
  {
    label: 'module_init', side: 'file', detail: 'module entry point that runs at boot',
    body: [
      'static int __init ${1:lab_init}(void)',
      '{',
      '\t$0',
      '\treturn 0;',
      '}',
      'module_init(${1:lab_init});',
      'MODULE_LICENSE("GPL");',
    ].join('\n'),
  },
  {
    label: 'main', side: 'file', detail: 'int main(void)',
    body: ['int main(void)', '{', '\t$0', '\treturn 0;', '}'].join('\n'),
  },
  {
    label: 'sigaction SIGCHLD', side: 'user', detail: 'reap children from a SIGCHLD handler',
    body: [
      'struct sigaction ${1:sa} = { .sa_handler = ${2:on_sigchld}, .sa_flags = SA_RESTART };',
      'sigemptyset(&${1:sa}.sa_mask);',
      'sigaction(SIGCHLD, &${1:sa}, NULL);',
      '$0',
    ].join('\n'),
  },
];
