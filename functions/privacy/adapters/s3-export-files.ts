import { PutObjectCommand } from '@aws-sdk/client-s3';
import { config } from '../../../shared/config.ts';
import { bucketName, downloadUrl, s3 } from '../../../shared/files/s3.ts';
import { signer } from '../../../shared/signing.ts';
import type { ExportFiles } from '../domain/request-service.ts';

/** A person's copy of their data, kept under exports/<candidateId>/ so that their erasure removes it with the rest. */
const exportKey = (candidateId: string, requestId: string) => `exports/${candidateId}/${requestId}.json`;

/**
 * Links to files are our own signed ones: each click gets a fresh presigned URL for a few minutes. (A presigned
 * URL made in Lambda stops working when the function's temporary credentials do, within hours.)
 */
export const s3ExportFiles: ExportFiles = {
  async publish(candidateId, requestId, document, days) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucketName('documents'), Key: exportKey(candidateId, requestId), Body: JSON.stringify(document, null, 2), ContentType: 'application/json', ServerSideEncryption: 'AES256' }),
    );
    return { url: await fileLink(exportKey(candidateId, requestId), days * 1440), expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() };
  },
};

/** A link to one of a person's files (a CV, an export) that works for `minutes`, with no login. */
export async function fileLink(key: string, minutes: number): Promise<string> {
  return `${config.publicApiUrl}/public/privacy/files/${await signer.signRecord('x', key, minutes / 1440)}`;
}

/** Where a file link leads now (a presigned URL for five minutes), or undefined for a forged or expired one. */
export async function fileDownload(token: string): Promise<string | undefined> {
  const key = await signer.verifyRecord(token, 'x');
  if (!key || !/^(cvs|exports)\/cand_[0-9A-Z]+\/[\w.-]+$/.test(key)) return undefined;
  return downloadUrl(bucketName('documents'), key, 300, key.split('/').pop());
}
