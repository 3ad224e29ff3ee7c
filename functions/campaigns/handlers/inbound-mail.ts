import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { s3 } from '../../../shared/files/s3.ts';
import { logger } from '../../../shared/observability.ts';
import { tracking } from '../adapters/services-subscriptions.ts';
import { parseReply } from '../domain/replies.ts';

/** Largest message read: replies are short; anything bigger is an attachment-laden message we log and skip. */
const MAX_BYTES = 10 * 1024 * 1024;

/** SES receiving stored a message sent to a reply address: it becomes a reply of the person it belongs to. */
export const handler = async (event: S3Event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (record.s3.object.size > MAX_BYTES) {
      logger.warn('Skipping an oversized inbound message', { key, size: record.s3.object.size });
      continue;
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }));
    const reply = await parseReply(await object.Body!.transformToByteArray());
    const outcome = await tracking.receiveReply({ ...reply, objectKey: key });
    logger.info('Inbound message', { key, outcome, ...(reply.automaticReason ? { automaticReason: reply.automaticReason } : {}) });
  }
};
