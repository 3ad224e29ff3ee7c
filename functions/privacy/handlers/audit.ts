import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { dynamoAuditStore } from '../adapters/dynamo-audit-store.ts';
import * as api from '../api.ts';
import { auditService } from '../domain/audit.ts';

const audit = auditService({ log: dynamoAuditStore });

const listAudit = endpoint(api.listAudit, async ({ query }) => ok(await audit.list(query)));

export const handler = httpApi(listAudit);
