import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';
import { decodeCursor, encodeCursor, type PageRequest } from '../http/pagination.ts';
import { documents } from './client.ts';

type Item = Record<string, unknown>;
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** Every page of a Query, one array of items at a time (for work that goes through a whole partition). */
export async function* queryPages(input: QueryInput): AsyncGenerator<Item[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ TableName: config.tableName, ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item a Query finds, all pages read. */
export async function queryAll(input: QueryInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}

/** Runs a conditional write: true when it was made, false when its condition did not hold. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Where a list reads: one partition of the table or of GSI1, optionally narrowed on its sort key. */
export interface PartitionQuery {
  index?: 'GSI1' | 'GSI2';
  partition: string;
  newestFirst?: boolean;
  /** Sort keys starting with this. */
  beginsWith?: string;
  /** Sort keys below this. */
  before?: string;
}

/** One page of a partition, as lists answer it: the items and the cursor for the next page. */
export async function partitionPage(query: PartitionQuery, page: PageRequest): Promise<{ items: Item[]; nextCursor?: string }> {
  const [pk, sk] = query.index ? [`${query.index}PK`, `${query.index}SK`] : ['PK', 'SK'];
  const condition = query.beginsWith !== undefined ? ` AND begins_with(${sk}, :sk)` : query.before !== undefined ? ` AND ${sk} < :sk` : '';
  const result = await documents.send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: query.index,
      KeyConditionExpression: `${pk} = :pk${condition}`,
      ExpressionAttributeValues: { ':pk': query.partition, ...(condition ? { ':sk': query.beginsWith ?? query.before } : {}) },
      ScanIndexForward: !query.newestFirst,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, { [pk]: query.partition }),
    }),
  );
  return { items: result.Items ?? [], nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
