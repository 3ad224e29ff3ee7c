import type { S3Event } from 'aws-lambda';
import { importIdOfKey } from '../adapters/s3-import-files.ts';
import { imports } from '../adapters/services-imports.ts';

/** An import file landed in the bucket (from the request body or a presigned upload): its import starts. */
export const handler = async (event: S3Event) => {
  for (const record of event.Records) {
    const importId = importIdOfKey(record.s3.object.key);
    if (importId) await imports.fileArrived(importId);
  }
};
