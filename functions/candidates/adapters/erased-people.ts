import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { hashIdentifier } from '../../../shared/signing.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import type { ErasedPeople } from '../domain/ports.ts';

/** The tombstone an erasure leaves: `ERASED#<salted hash of the address>` (functions/privacy). */
export const erasedKey = (hash: string) => ({ PK: `ERASED#${hash}`, SK: 'ERASED' });

export const dynamoErasedPeople: ErasedPeople = {
  async among(emails) {
    if (!emails.length) return new Set();
    const hashes = new Map(await Promise.all(emails.map(async (email) => [await hashIdentifier(email), email] as const)));
    const found = await batchGet<{ PK: string }>([...hashes.keys()].map(erasedKey));
    return new Set(found.map((item) => hashes.get(item.PK.slice('ERASED#'.length))!));
  },
  async forget(email) {
    await documents.send(new DeleteCommand({ TableName: config.tableName, Key: erasedKey(await hashIdentifier(email)) }));
  },
};
