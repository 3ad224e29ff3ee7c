import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { suppressionKey } from './entities.ts';

/** Whether the suppression list holds the address (bounces, complaints, unsubscribes): other contexts' emails ask too. */
export async function isSuppressed(email: string): Promise<boolean> {
  const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: suppressionKey(email) }));
  return Item !== undefined;
}
