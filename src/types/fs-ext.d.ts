/** The part of fs-ext (a native addon, no bundled types) that the data directory lock uses. */
declare module 'fs-ext' {
  /** flock(2) on an open file descriptor; throws an Error with `code` (EAGAIN/EWOULDBLOCK when a non-blocking lock is held elsewhere). */
  export function flockSync(fd: number, flags: 'sh' | 'ex' | 'shnb' | 'exnb' | 'un'): void;
}
