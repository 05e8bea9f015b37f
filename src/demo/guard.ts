import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenHeader } from './page/faults.ts';

/**
 * Who the demo answers. Any web page the buyer has open can make their browser send requests
 * to 127.0.0.1:PORT; three checks keep such a page from reading the demo or firing its faults:
 *
 * - Host: a page on evil.example whose name is re-pointed at 127.0.0.1 (DNS rebinding) is
 *   same-origin with its own requests, so the browser lets it read the answers; its requests
 *   still say `Host: evil.example:PORT`. Only the bound host:port is answered.
 * - Origin: a browser sends it with every POST, and a page cannot forge it. A fault needs ours.
 * - A per-run token, in a header: a cross-origin page cannot read index.html (no CORS headers
 *   are ever sent, and the rebinding route is closed by the Host check), so it cannot know the
 *   token; and a custom header makes its browser ask first (a CORS preflight), which is refused.
 */

/** The header the page sends the run's token in: defined with the page's request, which the browser loads. */
export { tokenHeader };

/** Where the token goes in index.html; the page reads it from there. */
const tokenSlot = '<meta name="tierlab-token" content="">';

export interface Refusal {
  status: 403 | 421;
  message: string;
}

/** 32 random bytes: not guessable in the life of a demo. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The Host values a browser sends for the URL the demo printed: the name it was asked to listen
 * on and the address it got, each with the port (IPv6 in brackets), lower case.
 */
export function boundHosts(name: string, address: AddressInfo): Set<string> {
  const withPort = (host: string) => `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${address.port}`.toLowerCase();
  return new Set([withPort(name), withPort(address.address)]);
}

/**
 * 421 Misdirected Request for any other Host (or none): the status HTTP has for "this server does
 * not answer for that authority", which is what a rebound name is; 403 would read as "you may not".
 */
export function hostRefusal(headers: IncomingHttpHeaders, hosts: ReadonlySet<string>): Refusal | undefined {
  const host = headers.host?.toLowerCase();
  if (host !== undefined && hosts.has(host)) return undefined;
  return { status: 421, message: `this demo answers only for ${[...hosts][0]}; open the URL it printed\n` };
}

/** A fault request: 403 unless it comes from the page itself (our Origin) and carries this run's token. */
export function writeRefusal(headers: IncomingHttpHeaders, hosts: ReadonlySet<string>, token: string): Refusal | undefined {
  const origin = headers.origin?.toLowerCase();
  if (origin === undefined || !origin.startsWith('http://') || !hosts.has(origin.slice('http://'.length))) {
    return { status: 403, message: 'faults are taken only from the demo page itself (Origin)\n' };
  }
  const sent = headers[tokenHeader];
  if (typeof sent !== 'string' || !sameSecret(sent, token)) return { status: 403, message: "faults need this run's token (reload the page)\n" };
  return undefined;
}

/** Compared in constant time, so the answer's timing says nothing about how much of a guess was right. */
function sameSecret(sent: string, token: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** index.html with the run's token in its slot; a page without the slot is a bug, not a page to serve without faults. */
export function withToken(html: string, token: string): string {
  if (!html.includes(tokenSlot)) throw new Error(`index.html has no ${tokenSlot} for the run's token`);
  return html.replace(tokenSlot, `<meta name="tierlab-token" content="${token}">`);
}
