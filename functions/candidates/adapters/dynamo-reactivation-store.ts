import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import type { ReactivationStore } from '../domain/reactivation.ts';
import { ReactivationSettings } from '../schemas.ts';

// Reactivation settings: one item, SETTINGS / REACTIVATION; absent means the defaults, which the schema fills in.
const settingsKey = { PK: 'SETTINGS', SK: 'REACTIVATION' };
// A JobPublished handled to the end: REACTIVATED#<eventId> / HANDLED, kept while EventBridge may still redeliver it
// (not SK EVENT: that sort key is the outbox's, which the event relay reads from the stream).
const handledKey = (eventId: string) => ({ PK: `REACTIVATED#${eventId}`, SK: 'HANDLED' });
const HANDLED_DAYS = 30;

export const dynamoReactivationStore: ReactivationStore = {
  async settings() {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: settingsKey, ConsistentRead: true }));
    const { PK, SK, entity, ...stored } = Item ?? {};
    return ReactivationSettings.parse(stored);
  },

  async saveSettings(settings) {
    await documents.send(new PutCommand({ TableName: config.tableName, Item: { ...settingsKey, entity: 'settings', ...settings } }));
  },

  async handled(eventId) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: handledKey(eventId), ProjectionExpression: 'PK' }));
    return Item !== undefined;
  },

  async markHandled(eventId, jobId) {
    const expiresAt = Math.floor(Date.now() / 1000) + HANDLED_DAYS * 86_400;
    await documents.send(new PutCommand({ TableName: config.tableName, Item: { ...handledKey(eventId), entity: 'reactivation-run', jobId, expiresAt } }));
  },
};
