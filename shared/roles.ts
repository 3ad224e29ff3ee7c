/** Roles from the JWT (`custom:role` or `cognito:groups`); each includes the ones below it. */
export const roles = ['viewer', 'recruiter', 'admin'] as const;
export type Role = (typeof roles)[number];
export type Access = Role | 'public';

export const grants = (held: Role, needed: Role): boolean => roles.indexOf(held) >= roles.indexOf(needed);

/** The strongest role a set of claims carries, or undefined. API Gateway flattens arrays to "[a b]". */
export function roleFromClaims(claims: Record<string, unknown>): Role | undefined {
  const raw = [claims['custom:role'], claims['cognito:groups']]
    .flatMap((value) => (Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/) : []))
    .filter((value): value is Role => roles.includes(value as Role));
  return raw.sort((a, b) => roles.indexOf(b) - roles.indexOf(a))[0];
}
