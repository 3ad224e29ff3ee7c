import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import type { SettingsStore } from '../domain/ports.ts';
import { RetentionSettings } from '../retention-schema.ts';

const key = { PK: 'SETTINGS', SK: 'RETENTION' };

/** One item; absent means the defaults, which the schema fills in. */
export const dynamoSettingsStore: SettingsStore = {
  async retention() {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: key }));
    const { PK, SK, entity, ...stored } = Item ?? {};
    return RetentionSettings.parse(stored);
  },
  async saveRetention(settings) {
    await documents.send(new PutCommand({ TableName: config.tableName, Item: { ...key, entity: 'settings', ...settings } }));
  },
};
