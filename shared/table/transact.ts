import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { backoff, MAX_ATTEMPTS } from '../retries.ts';
import { documents } from './client.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TransactAction {
  item: TransactItem;
  /** The error to throw when this action's condition fails; receives the item as it was (ALL_OLD). */
  onConditionFailed?: (existing: Record<string, unknown> | undefined) => Error;
}

/**
 * All-or-nothing write. A failed condition becomes the domain error its action names; a conflict with another
 * transaction on the same items is retried with back-off, as DynamoDB advises, as often and as patiently as the client
 * retries a throttle (the SDK does not retry a cancelled transaction): with four attempts, one transaction in 600
 * answered 500 when a fifth of them met a conflict.
 */
export async function transact(actions: TransactAction[], clientRequestToken?: string): Promise<void> {
  const TransactItems = actions.map(({ item, onConditionFailed }) => {
    const [op, body] = Object.entries(item)[0] as [string, Record<string, unknown>];
    return onConditionFailed ? { [op]: { ...body, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } } : item;
  }) as TransactItem[];
  for (let attempt = 1; ; attempt++) {
    try {
      await documents.send(new TransactWriteCommand({ TransactItems, ClientRequestToken: clientRequestToken }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      const handler = failed >= 0 ? actions[failed]?.onConditionFailed : undefined;
      if (handler) {
        const old = reasons[failed]?.Item;
        throw handler(old ? unmarshall(old) : undefined);
      }
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
    }
  }
}
