import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { signReplyToken, signToken, verifyReplyToken, verifyToken, type RecordUse, type TokenClaims } from './tokens.ts';

/**
 * The key that signs link tokens: a Secrets Manager secret in AWS (`TOKEN_SECRET_ARN`, read once per container),
 * the `TOKEN_SECRET` variable on the local stack.
 */
let secret: Promise<string> | undefined;
function signingSecret(): Promise<string> {
  return (secret ??= (async () => {
    const arn = process.env.TOKEN_SECRET_ARN;
    if (!arn) {
      const local = process.env.TOKEN_SECRET;
      if (!local) throw new Error('Missing environment variable TOKEN_SECRET_ARN');
      return local;
    }
    const module = await import('@aws-sdk/client-secrets-manager');
    const client: SecretsManagerClient = new module.SecretsManagerClient({});
    const { SecretString } = await client.send(new module.GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString) throw new Error('The token signing secret is empty');
    return SecretString;
  })());
}

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

/** The key that seals stored secrets, derived from the link-signing secret so no second key has to be kept. */
async function sealingKey(): Promise<Buffer> {
  return Buffer.from(hkdfSync('sha256', await signingSecret(), '', 'talent-relay sealed secrets', 32));
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
