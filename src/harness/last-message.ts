/**
 * Sends a worker's last message to its parent, then closes the channel once the message is
 * written. `process.disconnect()` right after `process.send()` may close the channel with the
 * message still queued: one larger than the pipe's buffer (64 KiB), such as a long run's stop
 * result with its staleness grid, waits for the parent to read, and a busy parent is then told
 * the worker exited without a word.
 */
export function sendLast<T>(message: T, channel: Pick<NodeJS.Process, 'send' | 'disconnect'> = process): void {
  channel.send?.(message, undefined, undefined, () => channel.disconnect?.());
}
