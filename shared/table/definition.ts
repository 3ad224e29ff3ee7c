/**
 * The single table's shape, read by the CDK construct and by the local stack, so both build the same table.
 * Access patterns and the keys each uses: docs/data-model.md.
 */
export const table = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Epoch seconds; DynamoDB TTL deletes tokens, idempotency records and outbox entries after it. */
  ttlAttribute: 'expiresAt',
  /** Overloaded indexes: each entity puts its own inverted keys in GSI1PK / GSI1SK (and GSI2 for a second view). */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
  /** The stream feeds the outbox relay (domain events) and, later, projections. */
  stream: 'NEW_AND_OLD_IMAGES',
} as const;
