// Message queues: System V's <sys/msg.h> (msgget, msgsnd, msgrcv, msgctl; kernel/msg.ts and
// msg-ops.ts), ftok from <sys/ipc.h>, and POSIX <mqueue.h> (mq_open and the rest; kernel/mqueue.ts
// and mqueue-ops.ts), with their structs and flags.
import type { CallInfo, ConstantInfo, StructInfo } from './builtins-types';

const MSG = '<sys/msg.h>', IPC = '<sys/ipc.h>', MQ = '<mqueue.h>';

function call(name: string, returns: string, params: string[], doc: string, header: string, kernelPath: string[], minArgs = params.length): CallInfo {
  return {
    name, params, returns, header, doc, side: 'user', minArgs, maxArgs: params[params.length - 1] === '...' ? -1 : params.length,
    convention: 'syscall', kernelPath,
  };
}

export const MSG_CALLS: CallInfo[] = [
  call('ftok', 'key_t', ['const char *pathname', 'int proj_id'],
    'A System V key made from an existing file and a project byte: the low 16 bits of its inode number, the low 8 of its device, proj_id\'s low 8 on top. The same file and proj_id give every process the same key. -1 and errno of stat (ENOENT) when the file is missing.', IPC, ['__x64_sys_newfstatat']),
  call('msgget', 'int', ['key_t key', 'int msgflg'],
    'The id of the System V message queue of key: IPC_PRIVATE always makes a new queue; another key finds its queue, or makes one with IPC_CREAT (mode in the low 9 bits of msgflg). A new queue holds up to msg_qbytes = 16384 bytes. -1 and ENOENT (no queue, no IPC_CREAT), EEXIST (IPC_CREAT | IPC_EXCL and it exists).', MSG, ['__x64_sys_msgget', 'ksys_msgget']),
  call('msgsnd', 'int', ['int msqid', 'const void *msgp', 'size_t msgsz', 'int msgflg'],
    'Queues a message: msgp points to a struct whose first member is a long mtype (> 0) followed by msgsz bytes of text (msgsz counts the text only, not mtype). A receiver sleeping for that type gets it at once. When the queue\'s bytes would pass msg_qbytes the caller sleeps until a receiver makes room (IPC_NOWAIT: EAGAIN instead). -1 and EINVAL (mtype < 1, msgsz over 8192, unknown id), EIDRM (the queue was removed while it slept), EINTR.', MSG, ['__x64_sys_msgsnd', 'do_msgsnd']),
  call('msgrcv', 'ssize_t', ['int msqid', 'void *msgp', 'size_t msgsz', 'long msgtyp', 'int msgflg'],
    'Takes a message into *msgp (mtype, then the text) and returns the text\'s length. msgtyp 0: the oldest message; > 0: the oldest of that type (MSG_EXCEPT: of any other type); < 0: the oldest of the lowest type not above -msgtyp. With none there it sleeps until one is sent (IPC_NOWAIT: ENOMSG). A longer text than msgsz is E2BIG and stays queued, unless MSG_NOERROR cuts it. EIDRM when msgctl IPC_RMID removes the queue, EINTR after a handler.', MSG, ['__x64_sys_msgrcv', 'do_msgrcv']),
  call('msgctl', 'int', ['int msqid', 'int cmd', 'struct msqid_ds *buf'],
    'IPC_STAT fills *buf (msg_qnum messages queued, msg_qbytes the limit, msg_lspid and msg_lrpid the last sender and receiver, the times); IPC_SET changes msg_qbytes, owner and mode; IPC_RMID removes the queue at once, waking every sleeping msgsnd and msgrcv with EIDRM. EINVAL for an unknown id or command, EPERM when not the owner.', MSG, ['__x64_sys_msgctl', 'ksys_msgctl']),
  call('mq_open', 'mqd_t', ['const char *name', 'int oflag', '...'],
    'Opens the POSIX message queue called name ("/something") and returns a descriptor on it (close-on-exec). oflag: O_RDONLY, O_WRONLY or O_RDWR, with O_CREAT (then mode_t mode and struct mq_attr *attr follow: attr NULL gives mq_maxmsg 10 and mq_msgsize 8192), O_EXCL, O_NONBLOCK. (mqd_t) -1 and EINVAL (no leading /, bad attr), ENOENT, EEXIST, EMFILE.', MQ, ['__x64_sys_mq_open'], 2),
  call('mq_send', 'int', ['mqd_t mqdes', 'const char *msg_ptr', 'size_t msg_len', 'unsigned int msg_prio'],
    'Queues msg_len bytes with priority msg_prio (0..32767). A full queue (mq_maxmsg messages) puts the caller to sleep until a receiver takes one (O_NONBLOCK: EAGAIN). -1 and EMSGSIZE (longer than mq_msgsize), EBADF (not open for writing), EINVAL (priority), EINTR.', MQ, ['__x64_sys_mq_timedsend', 'do_mq_timedsend']),
  call('mq_receive', 'ssize_t', ['mqd_t mqdes', 'char *msg_ptr', 'size_t msg_len', 'unsigned int *msg_prio'],
    'Takes the oldest message of the highest priority, stores its priority in *msg_prio (unless NULL) and returns its length. msg_len must be at least mq_msgsize (else EMSGSIZE). An empty queue puts the caller to sleep until a sender comes (O_NONBLOCK: EAGAIN). -1 and EBADF, EINTR.', MQ, ['__x64_sys_mq_timedreceive', 'do_mq_timedreceive']),
  call('mq_timedsend', 'int', ['mqd_t mqdes', 'const char *msg_ptr', 'size_t msg_len', 'unsigned int msg_prio', 'const struct timespec *abs_timeout'],
    'mq_send that sleeps no later than abs_timeout, a CLOCK_REALTIME time: ETIMEDOUT then (EINVAL for a tv_nsec outside 0..999999999).', MQ, ['__x64_sys_mq_timedsend', 'do_mq_timedsend']),
  call('mq_timedreceive', 'ssize_t', ['mqd_t mqdes', 'char *msg_ptr', 'size_t msg_len', 'unsigned int *msg_prio', 'const struct timespec *abs_timeout'],
    'mq_receive that sleeps no later than abs_timeout, a CLOCK_REALTIME time: ETIMEDOUT then.', MQ, ['__x64_sys_mq_timedreceive', 'do_mq_timedreceive']),
  call('mq_close', 'int', ['mqd_t mqdes'],
    'Closes the descriptor (it is one: close does the same). The queue stays until mq_unlink, and after that until its last descriptor closes. -1 and EBADF.', MQ, ['__x64_sys_close']),
  call('mq_unlink', 'int', ['const char *name'],
    'Removes the queue\'s name: mq_open no longer finds it, and it goes once no descriptor is open on it. -1 and ENOENT, EINVAL (no leading /).', MQ, ['__x64_sys_mq_unlink']),
  call('mq_getattr', 'int', ['mqd_t mqdes', 'struct mq_attr *attr'],
    'Fills *attr: mq_flags (0 or O_NONBLOCK), mq_maxmsg, mq_msgsize and mq_curmsgs (messages queued now). -1 and EBADF.', MQ, ['__x64_sys_mq_getsetattr']),
  call('mq_setattr', 'int', ['mqd_t mqdes', 'const struct mq_attr *newattr', 'struct mq_attr *oldattr'],
    'Sets O_NONBLOCK from newattr->mq_flags (the other fields are ignored) and, unless oldattr is NULL, stores the attributes as they were. -1 and EINVAL (flags other than O_NONBLOCK), EBADF.', MQ, ['__x64_sys_mq_getsetattr']),
];

export const MSG_STRUCTS: StructInfo[] = [
  {
    name: 'msqid_ds', side: 'user', header: MSG, doc: 'A System V message queue, as msgctl(IPC_STAT) reports it.',
    fields: [
      { name: 'msg_perm', type: 'struct ipc_perm', doc: 'Owner, mode and key.' },
      { name: 'msg_stime', type: 'time_t', doc: 'Last msgsnd.' }, { name: 'msg_rtime', type: 'time_t', doc: 'Last msgrcv.' },
      { name: 'msg_ctime', type: 'time_t', doc: 'Creation or last IPC_SET.' },
      { name: '__msg_cbytes', type: 'unsigned long', doc: 'Bytes of text queued now.' },
      { name: 'msg_qnum', type: 'msgqnum_t', doc: 'Messages queued now.' },
      { name: 'msg_qbytes', type: 'msglen_t', doc: 'The most bytes of text the queue holds (16384 unless IPC_SET changed it).' },
      { name: 'msg_lspid', type: 'pid_t', doc: 'The pid of the last msgsnd.' }, { name: 'msg_lrpid', type: 'pid_t', doc: 'The pid of the last msgrcv.' },
    ],
  },
  {
    name: 'mq_attr', side: 'user', header: MQ, doc: 'A POSIX message queue\'s attributes (mq_open, mq_getattr, mq_setattr).',
    fields: [
      { name: 'mq_flags', type: 'long', doc: '0 or O_NONBLOCK (the descriptor\'s).' },
      { name: 'mq_maxmsg', type: 'long', doc: 'The most messages the queue holds.' },
      { name: 'mq_msgsize', type: 'long', doc: 'The longest message, in bytes.' },
      { name: 'mq_curmsgs', type: 'long', doc: 'Messages queued now.' },
      { name: '__pad', type: 'long[4]', doc: 'Reserved.' },
    ],
  },
];

function group(header: string, rows: Array<[string, number, string]>, kind: 'mman' | 'errno' = 'mman'): ConstantInfo[] {
  return rows.map(([name, value, doc]) => ({ name, value, doc, group: kind, side: 'user', header }));
}

export const MSG_CONSTANTS: ConstantInfo[] = [
  ...group(MSG, [
    ['IPC_NOWAIT', 0o4000, 'msgsnd, msgrcv: fail at once (EAGAIN, ENOMSG) instead of sleeping.'],
    ['MSG_NOERROR', 0o10000, 'msgrcv: cut a text longer than msgsz instead of failing with E2BIG.'],
    ['MSG_EXCEPT', 0o20000, 'msgrcv: with msgtyp > 0, the first message of any other type (glibc declares it with _GNU_SOURCE).'],
    ['MSG_COPY', 0o40000, 'msgrcv: copy the message at position msgtyp, leaving it queued (not modelled; _GNU_SOURCE).'],
  ]),
  ...group('<linux/msg.h>', [
    ['MSGMAX', 8192, 'The longest message text, in bytes (the kernel\'s header: <sys/msg.h> does not define it).'],
    ['MSGMNB', 16384, 'A new queue\'s msg_qbytes (the kernel\'s header: <sys/msg.h> does not define it).'],
  ]),
  ...group('<errno.h>', [
    ['ENOMSG', 42, 'No message of the desired type (msgrcv with IPC_NOWAIT).'],
    ['EIDRM', 43, 'Identifier removed: the System V object went away (msgctl IPC_RMID) while the call slept.'],
    ['EMSGSIZE', 90, 'Message too long (mq_send), or the buffer too short for one (mq_receive).'],
  ], 'errno'),
  ...group(MQ, [['MQ_PRIO_MAX', 32768, 'mq_send: priorities run from 0 to MQ_PRIO_MAX - 1.']]),
];
