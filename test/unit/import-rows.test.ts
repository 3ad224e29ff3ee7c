import { describe, expect, it } from 'vitest';
import { documentToCandidate, importedCandidateId, mapColumns, rowToCandidate, upsertCandidate } from '../../functions/candidates/domain/import-rows.ts';
import { ImportFileError } from '../../functions/candidates/domain/ports.ts';
import { aCandidate } from '../fixtures/builders.ts';

const source = { type: 'import' as const, detail: 'fair' };

describe('import column mapping', () => {
  it('recognises headers by synonym, whatever their case, accents or punctuation', () => {
    const columns = mapColumns(['E-mail Address', 'Prénom', 'SURNAME', 'Mobile', 'Notes']);
    expect(columns.fields).toEqual(['email', 'firstName', 'lastName', 'phone', null]);
    expect(columns.ignored).toEqual(['Notes']);
  });

  it('lets an explicit mapping win over synonyms, and refuses one that names a missing column', () => {
    expect(mapColumns(['Email', 'Kontakt'], { email: 'Kontakt' }).fields).toEqual([null, 'email']);
    expect(() => mapColumns(['Email'], { firstName: 'Vorname' })).toThrow(ImportFileError);
    expect(() => mapColumns(['Name', 'Phone'])).toThrow(/No column holds the email/);
  });
});

describe('import rows', () => {
  const columns = mapColumns(['email', 'name', 'country', 'skills', 'experience', 'linkedin']);

  it('cleans values: full names split, country names to codes, lists split, decimal commas read', () => {
    const result = rowToCandidate(['Ada@Example.com', 'Ada King Lovelace', 'United Kingdom', 'maths; poetry', '7,5', 'https://linkedin.com/in/ada'], columns, source);
    expect(result).toEqual({
      input: expect.objectContaining({
        email: 'ada@example.com', firstName: 'Ada', lastName: 'King Lovelace', location: { country: 'GB' }, skills: ['maths', 'poetry'],
        experienceYears: 7.5, links: [{ type: 'linkedin', url: 'https://linkedin.com/in/ada' }], source,
      }),
    });
  });

  it('explains why a row cannot be taken', () => {
    expect(rowToCandidate(['', 'No Email'], columns, source)).toEqual({ reason: 'email: the row has no email address' });
    expect(rowToCandidate(['x@example.com', 'X', 'Atlantis'], columns, source)).toEqual({ reason: 'location.country: not an ISO 3166-1 alpha-2 country code' });
    expect(rowToCandidate(['x@example.com', 'Montr\uFFFDal'], columns, source)).toMatchObject({ reason: expect.stringContaining('UTF-8') });
  });

  it('maps JSON Resume documents to the candidate shape', () => {
    const result = documentToCandidate({ basics: { name: 'Grace Hopper', email: 'grace@example.com', location: { countryCode: 'US' } }, work: [{ name: 'Navy', position: 'Admiral' }] }, source);
    expect(result).toEqual({ input: expect.objectContaining({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy', headline: 'Admiral', location: { country: 'US' } }) });
  });

  it('upserts: filled fields replace, lists grow, the rest stays', () => {
    const existing = aCandidate({ tags: ['a'], headline: 'Old' });
    const next = upsertCandidate(existing, { email: existing.email, headline: 'New', tags: ['b'] }, '2026-11-25T00:00:00.000Z');
    expect(next).toMatchObject({ headline: 'New', tags: ['a', 'b'], firstName: existing.firstName, version: existing.version + 1 });
    expect(upsertCandidate(existing, { email: existing.email, tags: ['a'] }, '2026-11-25T00:00:00.000Z')).toBe(existing);
  });

  it('gives each row of an import a stable candidate id, sortable by the import time', () => {
    const id = importedCandidateId('imp_1', '2026-11-25T10:00:00.000Z', 42);
    expect(id).toMatch(/^cand_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(importedCandidateId('imp_1', '2026-11-25T10:00:00.000Z', 42)).toBe(id);
    expect(importedCandidateId('imp_1', '2026-11-25T10:00:00.000Z', 43)).not.toBe(id);
    expect(importedCandidateId('imp_1', '2026-11-25T10:00:00.000Z', 1).slice(5, 15)).toBe(importedCandidateId('imp_2', '2026-11-25T10:00:00.000Z', 1).slice(5, 15));
  });
});
