import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { config } from '../config.ts';
import { Conflict, InvalidInput, Unprocessable } from '../errors.ts';
import { dynamo } from '../table/client.ts';

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

let persistenceStore: DynamoDBPersistenceLayer | undefined;
/**
 * Records share the single table in one partition, SK the hash of (route, caller, key); TTL cleans them after a
 * day. One known partition, so erasing a person can find the answers that held their data (a Query, not a Scan).
 */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';
const store = () =>
  (persistenceStore ??= new DynamoDBPersistenceLayer({
    tableName: config.tableName,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: 'expiresAt',
    awsSdkV3Client: dynamo,
  }));

interface KeyedRequest {
  actor?: { sub: string };
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Runs `implementation` once per `Idempotency-Key` (per route and caller) for 24 hours: a retry gets the first
 * answer; the same key with another body is refused. Requests without the header run every time.
 */
export function idempotently<R extends KeyedRequest, T>(route: string, implementation: (request: R) => Promise<T>) {
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  });
  let idempotent: ((input: { key: string[]; body: unknown; request: R }) => Promise<T>) | undefined;
  return async (request: R, context: Context): Promise<T> => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return implementation(request);
    if (key.length < 1 || key.length > 255) {
      throw new InvalidInput('Idempotency-Key must be 1 to 255 characters.', [{ path: 'headers.idempotency-key', message: 'invalid length' }]);
    }
    // The answer is stored as it will be replayed: as JSON, without the undefined fields the store refuses to marshal.
    idempotent ??= makeIdempotent(async (input: { request: R }) => {
      const answer = await implementation(input.request);
      return answer === undefined ? answer : (JSON.parse(JSON.stringify(answer)) as T);
    }, {
      persistenceStore: store(),
      config: idempotencyConfig,
    });
    idempotencyConfig.registerLambdaContext(context);
    try {
      // A POST without a body (launch) has no payload to hash: null, which the store hashes, not undefined, which it cannot.
      return await idempotent({ key: [route, request.actor?.sub ?? 'public', key], body: request.body ?? null, request });
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) throw new Conflict('A request with this Idempotency-Key is still in progress.');
      if (error instanceof IdempotencyValidationError) throw new Unprocessable('This Idempotency-Key was used with a different body.');
      throw error;
    }
  };
}
