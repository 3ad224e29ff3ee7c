import { sendEmail } from '../../../shared/email/ses.ts';
import { taskService } from '../domain/task-service.ts';
import { dynamoTaskStore } from './dynamo-task-store.ts';
import { candidates, clock, ids } from './services.ts';

export const tasks = taskService({ tasks: dynamoTaskStore, candidates, mailer: { send: sendEmail }, clock, ids });
