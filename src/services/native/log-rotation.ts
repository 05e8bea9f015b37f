import { rename, rm, stat } from 'node:fs/promises';

/** A server's log is rotated at its start once it is this large: the lab logs warnings only, so it grows slowly. */
export const rotateLogAtBytes = 10 * 1024 * 1024;
/** How many rotated logs are kept beside the current one (kafka.log.1 … kafka.log.3). */
export const keptLogs = 3;

/**
 * Rotates a server's log before the server starts writing to it again: LOG becomes LOG.1, LOG.1
 * LOG.2, and so on, the oldest beyond `keptLogs` removed. A log under the threshold is left to
 * grow, so the lines that explain a failed start are kept together.
 */
export async function rotateLog(path: string, atBytes = rotateLogAtBytes, kept = keptLogs): Promise<boolean> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size < atBytes) return false;
  await rm(`${path}.${kept}`, { force: true });
  for (let i = kept - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => undefined);
  await rename(path, `${path}.1`);
  return true;
}
