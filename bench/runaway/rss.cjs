// Preloaded into the kproc process by run.ts: reports the process's peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`\nkproc-bench-maxrss ${process.resourceUsage().maxRSS}\n`);
});
