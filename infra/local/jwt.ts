import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../../shared/roles.ts';

export const LOCAL_AUDIENCE = 'talent-relay-local';
export const LOCAL_ISSUER = 'urn:talent-relay:local-issuer';

/** A stand-in for the Cognito user pool: signs tokens with Cognito's claims and verifies them like the authorizer. */
export function localIssuer(issuer = LOCAL_ISSUER) {
  const secret = randomBytes(32);
  return {
    async sign(role: Role, sub = `local-${role}`, expiresIn = '12h'): Promise<string> {
      return new SignJWT({ 'cognito:groups': [role], 'custom:role': role, email: `${role}@talent-relay.local`, token_use: 'id' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(secret);
    },

    /** The claims as API Gateway's JWT authorizer passes them: every value a string, arrays as "[a b]". */
    async verify(token: string): Promise<Record<string, string> | undefined> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, secret, { issuer, audience: LOCAL_AUDIENCE }));
      } catch {
        return undefined;
      }
      return Object.fromEntries(
        Object.entries(payload).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]),
      );
    },
  };
}

export type LocalIssuer = ReturnType<typeof localIssuer>;
