import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import { StaleVersion, type ApplicationStore } from '../domain/ports.ts';
import { applicationFrom, applicationItem, applicationKey, candidateItem } from './entities.ts';

export const dynamoApplicationStore: ApplicationStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: applicationKey(id) }));
    return Item ? applicationFrom(Item) : undefined;
  },

  async save(next, previous, candidate, events) {
    const stale = () => new StaleVersion(next.id);
    await transact([
      {
        item: {
          Put: {
            TableName: config.tableName,
            Item: applicationItem(next),
            ...(previous
              ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        onConditionFailed: stale,
      },
      {
        item: {
          Put: {
            TableName: config.tableName,
            Item: candidateItem(candidate.next),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': candidate.previous.version },
          },
        },
        onConditionFailed: stale,
      },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },
};
