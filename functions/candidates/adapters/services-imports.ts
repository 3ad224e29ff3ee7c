import { startWorkflow } from '../../../shared/workflows.ts';
import { importService } from '../domain/import-service.ts';
import { dynamoImportStore } from './dynamo-import-store.ts';
import { s3ImportFiles } from './s3-import-files.ts';
import { candidates, clock, ids } from './services.ts';

export const imports = importService({ imports: dynamoImportStore, files: s3ImportFiles, workflows: { start: startWorkflow }, candidates, clock, ids });
