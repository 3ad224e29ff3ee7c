import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { PreconditionFailed } from '../../../shared/errors.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage } from '../../../shared/table/query.ts';
import type { TemplateStore } from '../domain/ports.ts';
import { ALL_TEMPLATES, templateFrom, templateItem, templateKey } from './entities.ts';

export const dynamoTemplateStore: TemplateStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: templateKey(id) }));
    return Item ? templateFrom(Item) : undefined;
  },
  async create(template) {
    await documents.send(new PutCommand({ TableName: config.tableName, Item: templateItem(template), ConditionExpression: 'attribute_not_exists(PK)' }));
  },
  async replace(next, expectedVersion) {
    const written = await conditionally(() =>
      documents.send(new PutCommand({ TableName: config.tableName, Item: templateItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } })),
    );
    if (!written) throw new PreconditionFailed('The template changed since it was read. Read it again and retry.');
  },
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_TEMPLATES, newestFirst: true }, page);
    return { items: items.map(templateFrom), nextCursor };
  },
};
