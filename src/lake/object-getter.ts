import { createHash, createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { TierlabError } from '../errors.ts';
import type { S3Endpoint } from '../services/types.ts';

/** Copies lake objects to local files, for DuckDB where its httpfs extension cannot be loaded. */
export interface ObjectGetter {
  /** Streams the object at `key` into the file at `path`, which is overwritten. */
  getToFile(bucket: string, key: string, path: string): Promise<void>;
  /** Closes what the getter keeps open (its sockets); the getter is not used after. */
  destroy(): void;
}

/** GETs through the SDK client: for a few objects, where its cost per request does not count. */
export function sdkObjectGetter(client: S3Client): ObjectGetter {
  return {
    async getToFile(bucket, key, path) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await pipeline(response.Body as Readable, createWriteStream(path));
    },
    destroy: () => undefined,
  };
}

/** Attempts at one GET: a kept-alive socket the server closed while idle, or a 5xx, is tried again. */
const getAttempts = 3;

/**
 * GETs as DuckDB's httpfs makes them: one SigV4-signed HTTP request each (@smithy/signature-v4,
 * the SDK's own signer), on kept-alive sockets, without the SDK's middleware. The batch job GETs
 * every raw object of a partition it recomputes, on its critical path: six 720 KB objects at once
 * against the lab's S3Proxy cost Node 12.6–18.1 ms of CPU this way against 15.4–23.6 ms through
 * the SDK, and the job's GET phase fell by about 1.5 ms (docs/measurement.md). LIST and PUT stay
 * with the SDK client.
 */
export function signedObjectGetter(endpoint: S3Endpoint, maxSockets = 16): ObjectGetter {
  const url = new URL(endpoint.endpoint);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets });
  const basePath = url.pathname.replace(/\/+$/, '');
  // As http.get takes a host: an IPv6 literal without its brackets.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const signer = new SignatureV4({
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
    region: endpoint.region,
    service: 's3',
    sha256: NodeSha256,
    // S3 signs the path as sent, each segment encoded once (below), not twice.
    uriEscapePath: false,
  });

  async function getOnce(bucket: string, key: string, path: string): Promise<void> {
    const requestPath = `${basePath}/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: requestPath,
      query: {},
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    await new Promise<void>((resolve, reject) => {
      const request = transport.get({ hostname, port: url.port, path: requestPath, headers: signed.headers, agent }, (response) => {
        if (response.statusCode === 200) {
          pipeline(response, createWriteStream(path)).then(resolve, reject);
          return;
        }
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('error', reject);
        response.on('end', () => reject(getFailed(bucket, key, response.statusCode ?? 0, Buffer.concat(parts).toString('utf8'))));
      });
      request.on('error', (error) => reject(getFailed(bucket, key, 0, '', error)));
    });
  }

  return {
    async getToFile(bucket, key, path) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await getOnce(bucket, key, path);
        } catch (error) {
          if (attempt >= getAttempts || !(error instanceof TierlabError && error.retriable)) throw error;
        }
      }
    },
    destroy: () => agent.destroy(),
  };
}

/** A failed GET, named by its object and S3's own words; a dropped socket or a 5xx may pass on a new attempt. */
function getFailed(bucket: string, key: string, status: number, body: string, cause?: unknown): TierlabError {
  const s3Code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const what = `GET s3://${bucket}/${key}`;
  const details = { bucket, key, status, ...(s3Code ? { s3Code } : {}) };
  if (status === 404) return new TierlabError('STORE_MISSING', `${what}: ${s3Code ?? 'not found'} (the object or its bucket was deleted while the run needed it)`, { details });
  const why = status === 0 ? `no answer (${(cause as Error | undefined)?.message ?? 'socket closed'})` : `HTTP ${status}${s3Code ? ` ${s3Code}` : ''}`;
  return new TierlabError('SERVICE_UNREACHABLE', `${what}: ${why}`, { details, retriable: status === 0 || status >= 500, ...(cause ? { cause } : {}) });
}

/** A path segment as SigV4 wants it: every byte but A-Z a-z 0-9 - _ . ~ percent-encoded, so also ! ' ( ) *. */
const uriEncode = (segment: string): string => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What the signer hashes (its SourceData). */
type SignerBytes = string | ArrayBuffer | ArrayBufferView;

const binary = (data: SignerBytes): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and its HMAC from node:crypto, in the shape the signer takes. */
class NodeSha256 {
  readonly #hash;

  constructor(secret?: SignerBytes) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', binary(secret));
  }

  update(data: SignerBytes): void {
    this.#hash.update(binary(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}
