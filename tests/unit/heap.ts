import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A test that asserts memory needs a full collection first, or garbage not yet collected counts as held.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes of V8 heap (and array buffers, where typed arrays keep their bytes) in use after a full collection. */
export function heldBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
