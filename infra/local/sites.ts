import type { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { freePort, listen } from './net.ts';

/** The local name of one of the stack's buckets. */
export const localBucket = (name: string) => `talent-relay-${name}`;
const SITES_BUCKET = localBucket('sites');

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
};

export interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

/**
 * The S3 emulator holding the sites bucket and the stack's other buckets, and a static web server over the sites
 * bucket (CloudFront's part, on :3001). Object events go to `onEvent`, as S3 event notifications do.
 */
export async function startSites(options: { dataDir?: string; port: number; buckets: readonly string[]; onEvent: (records: S3EventRecord[]) => void }) {
  const s3Port = await freePort();
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: s3Port,
    silent: true,
    directory: options.dataDir ?? mkdtempSync(join(tmpdir(), 'talent-relay-s3-')),
    resetOnClose: !options.dataDir,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  // S3rver is a Koa app: object events come out as its 'event' events.
  (s3 as unknown as EventEmitter).on('event', (event: { Records: S3EventRecord[] }) => options.onEvent(event.Records));
  await s3.run();
  const endpoint = `http://127.0.0.1:${s3Port}`;
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

  // `/` and `/jobs/x/` serve their index.html, as the CloudFront function does in AWS.
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://sites').pathname);
    const key = (path.endsWith('/') ? `${path}index.html` : path).replace(/^\//, '');
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: SITES_BUCKET, Key: key }));
      const extension = key.split('.').pop() ?? '';
      // Read whole before answering: a file being replaced at this moment fails here, not half-way through a response.
      const body = Buffer.from(await object.Body!.transformToByteArray());
      response.writeHead(200, { 'content-type': object.ContentType ?? contentTypes[extension] ?? 'application/octet-stream' });
      response.end(body);
    } catch (error) {
      response.writeHead(error instanceof NoSuchKey ? 404 : 502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(error instanceof NoSuchKey ? 'Not found' : 'The sites bucket could not be read');
    }
  });
  const port = await listen(server, options.port);
  return {
    s3Endpoint: endpoint,
    url: `http://localhost:${port}`,
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await s3.close();
    },
  };
}
