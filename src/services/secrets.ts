import type { KafkaEndpoint, S3Endpoint, WarehouseEndpoint } from './types.ts';

/** What a secret is shown as. */
export const masked = '****';

/**
 * The credentials among these endpoints: the SASL password, the S3 secret key, any password
 * in the S3 endpoint's URL and the warehouse's password. Usernames and access key ids are not secret (they name, they do not
 * authenticate), so they stay readable for telling accounts apart.
 */
export function secretsOf(endpoints: { kafka?: KafkaEndpoint; s3?: S3Endpoint; warehouse?: WarehouseEndpoint }): string[] {
  const found = [
    endpoints.kafka?.sasl?.password,
    endpoints.s3?.secretAccessKey,
    endpoints.s3 && urlPassword(endpoints.s3.endpoint),
    endpoints.warehouse?.password,
  ];
  return found.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

/**
 * `text` with every secret replaced by ****. Longest first, so a secret that contains another is
 * masked whole; also in its URL-encoded form, as a URL shows it.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]).filter((form) => form !== '');
  return [...new Set(forms)].sort((a, b) => b.length - a.length).reduce((out, form) => out.replaceAll(form, masked), text);
}

/** A URL as it may be shown: a password in it (http://user:password@host) becomes ****. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password === '') return url;
  parsed.password = masked;
  const shown = parsed.toString();
  // URL adds a / to an empty path; the endpoints here are kept without one.
  return url.endsWith('/') ? shown : shown.replace(/\/$/, '');
}

function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}
