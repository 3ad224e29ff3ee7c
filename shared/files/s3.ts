import { S3Client } from '@aws-sdk/client-s3';

/** Bucket names come from `BUCKET_<NAME>`, set by the CDK construct or the local stack. */
export const bucketName = (name: string): string => {
  const value = process.env[`BUCKET_${name.toUpperCase()}`];
  if (!value) throw new Error(`Missing environment variable BUCKET_${name.toUpperCase()}`);
  return value;
};

// An endpoint override means the local S3 emulator, which serves buckets by path rather than by host name.
export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
