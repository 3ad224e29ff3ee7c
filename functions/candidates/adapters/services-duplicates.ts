import { duplicateService } from '../domain/duplicate-service.ts';
import { dynamoDuplicateStore } from './dynamo-duplicate-store.ts';
import { dynamoMergeStore } from './dynamo-merge-store.ts';
import { dynamoSegmentStore } from './dynamo-segment-store.ts';
import { candidates, clock, ids } from './services.ts';

export const duplicates = duplicateService({ duplicates: dynamoDuplicateStore, merges: dynamoMergeStore, segments: dynamoSegmentStore, candidates, clock, ids });
