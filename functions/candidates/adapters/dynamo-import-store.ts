import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchWrite } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, queryPages } from '../../../shared/table/query.ts';
import type { ImportStore, RowError } from '../domain/ports.ts';
import { IMPORT_ERROR_PREFIX, importErrorItem, importFrom, importItem, importKey } from './entities.ts';

export const dynamoImportStore: ImportStore = {
  async create(job) {
    await documents.send(new PutCommand({ TableName: config.tableName, Item: importItem(job), ConditionExpression: 'attribute_not_exists(PK)' }));
  },

  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: importKey(id), ConsistentRead: true }));
    return Item ? importFrom(Item) : undefined;
  },

  async advance(id, expectedLine, changes, counts = {}) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': expectedLine };
    const sets = Object.entries(changes).filter(([, value]) => value !== undefined).map(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const adds = Object.entries(counts).map(([field, value], i) => {
      names[`#a${i}`] = field;
      values[`:a${i}`] = value;
      return `#a${i} :a${i}`;
    });
    names['#line'] = 'line';
    return conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: config.tableName,
          Key: importKey(id),
          UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].join(' '),
          ConditionExpression: '#line = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  },

  async addErrors(id, errors) {
    await batchWrite(errors.map((error) => ({ PutRequest: { Item: importErrorItem(id, error) } })));
  },

  async *errors(id) {
    const pages = queryPages({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': importKey(id).PK, ':prefix': IMPORT_ERROR_PREFIX },
    });
    for await (const page of pages) yield page.map(({ line, reason, row }) => ({ line, reason, row }) as RowError);
  },
};
