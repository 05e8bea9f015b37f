/**
 * The ⚡ buttons' request, apart from the DOM so it is unit-tested: the fault is POSTed with the
 * run's token (from the page's <meta name="tierlab-token">), and its button stays disabled until
 * the answer comes, so a second click cannot send the same fault twice.
 */

/** The header the token travels in; the server's guard.ts reads it from here (the browser loads no server module). */
export const tokenHeader = 'x-tierlab-token';

export interface FaultRequestIo {
  fetch: (url: string, init: { method: string; body: string; headers: Record<string, string> }) => Promise<{ text(): Promise<string> }>;
  token: string;
  /** Shows progress and the answer (injected, or why not). */
  say: (text: string) => void;
}

export async function requestFault(button: { disabled: boolean }, spec: string, io: FaultRequestIo): Promise<void> {
  if (button.disabled) return;
  button.disabled = true;
  io.say(`asking for ${spec}…`);
  try {
    const response = await io.fetch('/api/fault', { method: 'POST', body: spec, headers: { [tokenHeader]: io.token } });
    io.say((await response.text()).trim());
  } catch (error) {
    io.say(`could not reach the demo: ${String(error)}`);
  } finally {
    button.disabled = false;
  }
}
