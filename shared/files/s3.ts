import { S3Client } from '@aws-sdk/client-s3';

/** Bucket names come from `BUCKET_<NAME>`, set by the CDK construct or the local stack. */
export const bucketName = (name: string): string => {
  const value = process.env[`BUCKET_${name.toUpperCase()}`];
  if (!value) throw new Error(`Missing environment variable BUCKET_${name.toUpperCase()}`);
  return value;
};

// An endpoint override means the local S3 emulator, which serves buckets by path rather than by host name.
export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** A link that downloads one private object for a while, with no login (the presigner is loaded on first use). */
export async function downloadUrl(bucket: string, key: string, seconds: number, fileName?: string): Promise<string> {
  const [{ getSignedUrl }, { GetObjectCommand }] = await Promise.all([import('@aws-sdk/s3-request-presigner'), import('@aws-sdk/client-s3')]);
  const command = new GetObjectCommand({ Bucket: bucket, Key: key, ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"` } : {}) });
  return getSignedUrl(s3, command, { expiresIn: seconds });
}

/** A CV in the documents bucket: under the candidate's prefix, so erasing a person removes all their files by listing it. */
export const cvKey = (candidateId: string, applicationId: string) => `cvs/${candidateId}/${applicationId}`;
