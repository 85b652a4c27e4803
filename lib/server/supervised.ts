/**
 * Children of `npm start` exit when their supervisor is gone (killed with
 * SIGKILL, say), so no half-alive app is left behind.
 */
export function watchSupervisor(supervisorPid: number | undefined, onGone: () => void): void {
  if (!supervisorPid) return;
  const timer = setInterval(() => {
    if (process.ppid !== supervisorPid) {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}
