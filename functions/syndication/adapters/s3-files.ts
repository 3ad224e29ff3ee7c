import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { bucketName, cvKey, s3 } from '../../../shared/files/s3.ts';
import { logger } from '../../../shared/observability.ts';
import type { CvFiles } from '../domain/community-service.ts';
import type { SiteFiles } from '../domain/ports.ts';

// Loaded on first use: only publishing in AWS (a distribution is configured) needs it.
let cloudFront: Promise<{ module: typeof import('@aws-sdk/client-cloudfront'); client: CloudFrontClient }> | undefined;
const loadCloudFront = () => (cloudFront ??= import('@aws-sdk/client-cloudfront').then((module) => ({ module, client: new module.CloudFrontClient({}) })));

/** Short browser caching: the CDN holds files until an invalidation, browsers re-check after a minute. */
const CACHE_CONTROL = 'public, max-age=60';

export const s3SiteFiles: SiteFiles = {
  async put(key, body, contentType) {
    await s3.send(new PutObjectCommand({ Bucket: bucketName('sites'), Key: key, Body: body, ContentType: contentType, CacheControl: CACHE_CONTROL }));
  },
  /**
   * CloudFront in AWS; the local sites server reads the bucket on every request and has nothing to drop. Best
   * effort: CloudFront runs at most 15 wildcard invalidations at once, and the files carry `max-age=60` anyway.
   */
  async invalidate(paths) {
    const distributionId = process.env.DISTRIBUTION_ID;
    if (!distributionId || !paths.length) return;
    const { module, client } = await loadCloudFront();
    await client.send(
      new module.CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: `${Date.now()}-${Math.random().toString(36).slice(2)}`, Paths: { Quantity: paths.length, Items: paths } },
      }),
    ).catch((error: Error) => logger.warn('CloudFront invalidation skipped; the files expire from the cache within a minute', { paths, error: error.message }));
  },
};

export const s3CvFiles: CvFiles = {
  async put(candidateId, applicationId, file) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucketName('documents'), Key: cvKey(candidateId, applicationId), Body: file.bytes, ContentType: file.contentType, ServerSideEncryption: 'AES256' }),
    );
  },
};
