import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { signReplyToken, signToken, verifyReplyToken, verifyToken, type RecordUse, type TokenClaims } from './tokens.ts';

/**
 * A secret kept in Secrets Manager in AWS (its ARN in `arnVariable`, read once per container), or on the local stack in
 * the plain `localVariable`.
 */
function secretReader(arnVariable: string, localVariable: string): () => Promise<string> {
  let value: Promise<string> | undefined;
  return () =>
    (value ??= (async () => {
      const arn = process.env[arnVariable];
      if (!arn) {
        const local = process.env[localVariable];
        if (!local) throw new Error(`Missing environment variable ${arnVariable}`);
        return local;
      }
      const module = await import('@aws-sdk/client-secrets-manager');
      const client: SecretsManagerClient = new module.SecretsManagerClient({});
      const { SecretString } = await client.send(new module.GetSecretValueCommand({ SecretId: arn }));
      if (!SecretString) throw new Error(`The secret in ${arnVariable} is empty`);
      return SecretString;
    })());
}

/** The key that signs link tokens (the `signsLinks` permission). */
const signingSecret = secretReader('TOKEN_SECRET_ARN', 'TOKEN_SECRET');
/** The key that seals secrets clients give us (the `sealsSecrets` permission): a key of its own, so functions that
 * call out to client-chosen URLs never hold the key that signs people's links. */
const sealingSecret = secretReader('SEALING_SECRET_ARN', 'SEALING_SECRET');

export const signer = {
  async sign(claims: Omit<TokenClaims, 'exp'>, days: number): Promise<string> {
    return signToken({ ...claims, exp: Math.floor(Date.now() / 1000) + days * 86_400 }, await signingSecret());
  },
  async verify(token: string, use: TokenClaims['use']): Promise<TokenClaims | undefined> {
    return verifyToken(token, use, await signingSecret(), Math.floor(Date.now() / 1000));
  },
  /** A link that acts on one record (a pending sign-up): the token carries its id and purpose, nothing else. */
  signRecord: (use: RecordUse, id: string, days: number) => signer.sign({ use, candidateId: id }, days),
  verifyRecord: async (token: string, use: RecordUse) => (await signer.verify(token, use))?.candidateId,
  signReply: async (candidateId: string, campaignId: string | undefined) => signReplyToken(candidateId, campaignId, await signingSecret()),
  verifyReply: async (token: string) => verifyReplyToken(token, await signingSecret()),
};

/**
 * A salted hash of an identifier (an email address, a phone number): proof that a record was about it, or a way to
 * recognise it again, without keeping it. Trimmed and lower-cased first; keyed with the link-signing secret, so the
 * hash cannot be recomputed from a list of addresses without it (rotating the secret changes every hash).
 */
export async function hashIdentifier(value: string): Promise<string> {
  return createHmac('sha256', await signingSecret()).update(value.trim().toLowerCase()).digest('hex');
}

async function sealingKey(): Promise<Buffer> {
  return Buffer.from(hkdfSync('sha256', await sealingSecret(), '', 'talent-relay sealed secrets', 32));
}

/**
 * Seals a secret a client gave us (a webhook's signing secret) before it is stored: AES-256-GCM, so a copy of the
 * table alone reveals nothing. The result is `iv.ciphertext.tag` in base64url.
 */
export async function sealSecret(plain: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await sealingKey(), iv);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

export async function openSecret(sealed: string): Promise<string> {
  const [iv, data, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  // A full 16-byte tag only: GCM would otherwise accept a truncated one.
  if (!iv || !data || tag?.length !== 16) throw new Error('Not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', await sealingKey(), iv, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}
