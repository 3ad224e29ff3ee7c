import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../shared/signing.ts';

describe('sealed secrets', () => {
  it('opens what it sealed, and seals the same secret differently each time', async () => {
    const first = await sealSecret('a-long-shared-secret-123');
    expect(await openSecret(first)).toBe('a-long-shared-secret-123');
    expect(await sealSecret('a-long-shared-secret-123')).not.toBe(first);
  });

  it('refuses a sealed value whose ciphertext or tag was changed, or whose tag was cut short', async () => {
    const [iv, data, tag] = (await sealSecret('a-long-shared-secret-123')).split('.') as [string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0]! ^= 1;
    await expect(openSecret([iv, flipped.toString('base64url'), tag].join('.'))).rejects.toThrow();
    await expect(openSecret([iv, data, Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url')].join('.'))).rejects.toThrow();
  });
});
