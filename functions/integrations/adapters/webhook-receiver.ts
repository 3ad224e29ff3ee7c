import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Receiver } from '../domain/webhook-ports.ts';
import { isRefusedAddress, type UrlPolicy } from '../domain/webhook-url.ts';

/** A receiver has this long to answer, connection included; a slower one counts as a failed attempt. */
const RECEIVER_TIMEOUT_MS = 10_000;

/**
 * Name resolution that refuses internal addresses: the check is made on the address the connection then uses, so a
 * host that resolves to a private network (or is rebound to one after the URL was saved) is never reached.
 */
const guardedLookup = (policy: UrlPolicy): LookupFunction => (hostname, options, callback) => {
  lookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => isRefusedAddress(entry.address, policy));
    if (refused) return callback(Object.assign(new Error(`${hostname} resolves to ${refused.address}, a private or reserved address`), { code: 'EREFUSEDADDRESS' }), '', 0);
    if ((options as LookupOptions).all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

const describeError = (error: Error & { code?: string }) =>
  error.name === 'TimeoutError' || error.name === 'AbortError' ? `No answer within ${RECEIVER_TIMEOUT_MS / 1000} s` : error.code ? `${error.code}: ${error.message}` : error.message;

/** POSTs over node:http(s), never following redirects; the answer's body is read and dropped (it is not kept). */
export function httpReceiver(policy: UrlPolicy): Receiver {
  return {
    post(url, body, headers) {
      const started = performance.now();
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const options: RequestOptions = {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
        agent: false,
      };
      return new Promise((resolve) => {
        const finish = (answer: { httpStatus?: number; error?: string }) => resolve({ ...answer, durationMs: performance.now() - started });
        const outgoing = send(target, options, (response) => {
          response.on('error', (error) => finish({ error: describeError(error) }));
          response.on('end', () => finish({ httpStatus: response.statusCode }));
          response.resume();
        });
        outgoing.on('error', (error) => finish({ error: describeError(error) }));
        outgoing.end(body);
      });
    },
  };
}
