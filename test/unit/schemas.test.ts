import { describe, expect, it } from 'vitest';
import { CreateCandidate, UpdateCandidate } from '../../functions/candidates/schemas.ts';
import { fieldErrors } from '../../shared/http/request.ts';

const errorsOf = (result: ReturnType<typeof CreateCandidate.safeParse>) => (result.success ? [] : fieldErrors('body', result.error));

describe('candidate input', () => {
  it('normalises the email to lower case without spaces', () => {
    expect(CreateCandidate.parse({ email: '  Ada@Example.COM ' }).email).toBe('ada@example.com');
  });

  it('names each invalid field: email, country, time zone', () => {
    const errors = errorsOf(CreateCandidate.safeParse({ email: 'nope', location: { country: 'XX' }, timezone: 'Mars/Olympus' }));
    expect(errors.map((e) => e.path)).toEqual(['body.email', 'body.location.country', 'body.timezone']);
  });

  it('rejects unknown fields by name', () => {
    expect(errorsOf(CreateCandidate.safeParse({ email: 'a@example.com', salary: 1 }))).toEqual([{ path: 'body.salary', message: 'unknown field' }]);
  });

  it('stores tags and skills lower-case and once', () => {
    const input = CreateCandidate.parse({ email: 'a@example.com', tags: ['Java', 'java '], skills: ['React', 'react'] });
    expect(input.tags).toEqual(['java']);
    expect(input.skills).toEqual(['react']);
  });

  it('refuses an empty patch', () => {
    expect(UpdateCandidate.safeParse({}).success).toBe(false);
  });
});
