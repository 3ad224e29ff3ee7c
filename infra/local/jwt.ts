import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../../shared/roles.ts';

export const LOCAL_AUDIENCE = 'talent-relay-local';
export const LOCAL_ISSUER = 'urn:talent-relay:local-issuer';

export interface TokenOptions {
  sub?: string;
  /** A time span as jose reads it: '12h', or '-1h' for a token that expired an hour ago. */
  expiresIn?: string;
  audience?: string;
  issuer?: string;
}

/** A stand-in for the Cognito user pool: signs tokens with Cognito's claims and verifies them like the authorizer. */
export function localIssuer(issuer = LOCAL_ISSUER) {
  const secret = randomBytes(32);
  return {
    /** The other options mint tokens the authorizer must refuse (expired: `expiresIn: '-1h'`, another audience or issuer). */
    async sign(role: Role, options: TokenOptions = {}): Promise<string> {
      const { sub = `local-${role}`, expiresIn = '12h', audience = LOCAL_AUDIENCE } = options;
      return new SignJWT({ 'cognito:groups': [role], 'custom:role': role, email: `${role}@talent-relay.local`, token_use: 'id' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(options.issuer ?? issuer)
        .setAudience(audience)
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
