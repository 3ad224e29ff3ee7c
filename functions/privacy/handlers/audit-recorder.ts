import { eventConsumer } from '../../../shared/events/consumer.ts';
import { dynamoAuditStore } from '../adapters/dynamo-audit-store.ts';
import { auditedEvents } from '../audited-events.ts';
import { auditService } from '../domain/audit.ts';

const audit = auditService({ log: dynamoAuditStore });

/** Changes to people, from their events, onto the audit log; a redelivered event writes nothing new. */
export const handler = eventConsumer(auditedEvents, (event) => audit.record(event));
