import { countryCodes } from '../../../shared/countries.ts';
import { derivedId } from '../../../shared/ids.ts';
import { fieldErrors } from '../../../shared/http/request.ts';
import { CreateCandidate, type Candidate, type ImportMapping } from '../schemas.ts';
import { bump } from './candidate.ts';
import { ImportFileError } from './ports.ts';

/**
 * Turning spreadsheet rows and JSON documents into candidates: column mapping by header synonyms, value clean-up,
 * validation with the same schema as `POST /candidates`, and what an upsert changes on an existing candidate.
 */

/** "E-mail Address " → "emailaddress": headers compared without case, accents, spaces or punctuation. */
export const headerKey = (header: string) =>
  header.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');

const synonyms: Record<string, readonly string[]> = {
  email: ['email', 'emailaddress', 'mail', 'courriel', 'primaryemail', 'workemail', 'personalemail'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'prenom', 'vorname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nom', 'nachname'],
  fullName: ['name', 'fullname', 'candidatename', 'candidate', 'contactname'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'telephone', 'tel', 'cell', 'cellphone'],
  city: ['city', 'town', 'ville', 'stadt', 'locality'],
  region: ['region', 'state', 'province', 'county'],
  country: ['country', 'countrycode', 'pays', 'land'],
  timezone: ['timezone', 'tz'],
  headline: ['headline', 'title', 'jobtitle', 'position', 'currenttitle', 'role'],
  company: ['company', 'currentcompany', 'employer', 'organization', 'organisation', 'currentemployer'],
  skills: ['skills', 'skill', 'competences', 'keywords', 'expertise'],
  tags: ['tags', 'tag', 'labels'],
  experienceYears: ['experienceyears', 'experience', 'yearsofexperience', 'yearsexperience', 'years'],
  status: ['status', 'candidatestatus'],
  linkedin: ['linkedin', 'linkedinurl', 'linkedinprofile'],
  github: ['github', 'githuburl', 'githubprofile'],
  website: ['website', 'portfolio', 'url', 'homepage', 'web'],
};
const fieldBySynonym = new Map(Object.entries(synonyms).flatMap(([field, keys]) => keys.map((key) => [key, field] as const)));

export interface ColumnMap {
  /** The field each column fills (by position), or null for an ignored column. */
  fields: (string | null)[];
  ignored: string[];
}

/** Maps header names to fields: the explicit mapping first, then synonyms. Throws when no column holds the email. */
export function mapColumns(header: string[], mapping: ImportMapping = {}): ColumnMap {
  const explicit = new Map(Object.entries(mapping).map(([field, column]) => [headerKey(column), field]));
  const taken = new Set<string>();
  const fields = header.map((column) => {
    const key = headerKey(column);
    const field = explicit.get(key) ?? (Object.hasOwn(mapping, fieldBySynonym.get(key) ?? '') ? undefined : fieldBySynonym.get(key));
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
  const missing = Object.values(mapping).filter((column) => !header.some((h) => headerKey(h) === headerKey(column)));
  if (missing.length) throw new ImportFileError(`The mapping names columns the file does not have: ${missing.join(', ')}.`);
  if (!taken.has('email')) throw new ImportFileError('No column holds the email address: name one "email" or map it with the mapping option.');
  return { fields, ignored: header.filter((_, i) => fields[i] === null) };
}

let countriesByName: Map<string, string> | undefined;
/** "Germany", "de", "DE" → "DE"; anything else is left for validation to refuse. */
function countryCode(value: string): string {
  if (countryCodes.has(value.toUpperCase())) return value.toUpperCase();
  if (!countriesByName) {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    countriesByName = new Map([...countryCodes].map((code) => [headerKey(names.of(code) ?? code), code]));
    for (const [alias, code] of [['uk', 'GB'], ['usa', 'US'], ['unitedstatesofamerica', 'US'], ['deutschland', 'DE']] as const) countriesByName.set(alias, code);
  }
  return countriesByName.get(headerKey(value)) ?? value;
}

const list = (value: string) => value.split(/[,;|\n]/).map((item) => item.trim()).filter(Boolean);

export type RowResult = { input: CreateCandidate } | { reason: string };

function validated(raw: Record<string, unknown>): RowResult {
  const result = CreateCandidate.safeParse(raw);
  if (result.success) return { input: result.data };
  return { reason: fieldErrors('', result.error).map((e) => `${e.path.replace(/^\./, '')}: ${e.message}`).join('; ') };
}

/** One CSV row (values by column position) → a candidate to create, or why not. */
export function rowToCandidate(values: string[], columns: ColumnMap, source: CreateCandidate['source']): RowResult {
  const value: Record<string, string> = {};
  const custom: Record<string, string> = {};
  columns.fields.forEach((field, i) => {
    const text = values[i]?.trim();
    if (!field || !text) return;
    if (field.startsWith('custom.')) custom[field.slice('custom.'.length)] = text;
    else value[field] = text;
  });
  if (Object.values(value).some((text) => text.includes('\uFFFD')) || Object.values(custom).some((text) => text.includes('\uFFFD'))) {
    return { reason: 'the row is not valid UTF-8: save the file as UTF-8 and import it again' };
  }
  if (!value.email) return { reason: 'email: the row has no email address' };
  const [first, ...rest] = value.fullName?.split(/\s+/) ?? [];
  const links = (['linkedin', 'github', 'website'] as const).filter((type) => value[type]).map((type) => ({ type, url: value[type] }));
  const experience = value.experienceYears === undefined ? undefined : Number(value.experienceYears.replace(',', '.'));
  return validated({
    email: value.email,
    firstName: value.firstName ?? first,
    lastName: value.lastName ?? (rest.length ? rest.join(' ') : undefined),
    phone: value.phone,
    location: value.city || value.region || value.country
      ? { city: value.city, region: value.region, country: value.country ? countryCode(value.country) : undefined }
      : undefined,
    timezone: value.timezone,
    headline: value.headline,
    company: value.company,
    skills: value.skills ? list(value.skills) : undefined,
    tags: value.tags ? list(value.tags) : undefined,
    experienceYears: Number.isNaN(experience) ? value.experienceYears : experience,
    status: value.status?.toLowerCase(),
    links: links.length ? links.map((l) => ({ type: l.type === 'website' ? 'website' : l.type, url: l.url })) : undefined,
    custom: Object.keys(custom).length ? custom : undefined,
    source,
  });
}

interface JsonResume {
  basics?: {
    name?: string; label?: string; email?: string; phone?: string; url?: string;
    location?: { city?: string; region?: string; countryCode?: string };
    profiles?: { network?: string; url?: string }[];
  };
  work?: { name?: string; company?: string; position?: string; startDate?: string }[];
  skills?: { name?: string; keywords?: string[] }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON Resume document (https://jsonresume.org/schema) in the candidate shape. */
function fromJsonResume({ basics = {}, work = [], skills = [] }: JsonResume): Record<string, unknown> {
  const [first, ...rest] = basics.name?.trim().split(/\s+/) ?? [];
  const network = (name: string) => basics.profiles?.find((p) => p.network?.toLowerCase() === name)?.url;
  const links = [
    ...(network('linkedin') ? [{ type: 'linkedin', url: network('linkedin') }] : []),
    ...(network('github') ? [{ type: 'github', url: network('github') }] : []),
    ...(basics.url ? [{ type: 'website', url: basics.url }] : []),
  ];
  const location = basics.location && { city: basics.location.city, region: basics.location.region, country: basics.location.countryCode };
  return {
    email: basics.email,
    firstName: first,
    lastName: rest.length ? rest.join(' ') : undefined,
    phone: basics.phone,
    headline: basics.label || work[0]?.position,
    company: work[0]?.name ?? work[0]?.company,
    location: location && Object.values(location).some(Boolean) ? location : undefined,
    skills: skills.length ? skills.map((s) => s.name).filter(Boolean) : undefined,
    links: links.length ? links : undefined,
  };
}

/** One element of a JSON import: the `POST /candidates` shape, or a JSON Resume document. */
export function documentToCandidate(document: unknown, source: CreateCandidate['source']): RowResult {
  if (!isRecord(document)) return { reason: 'each element must be a JSON object' };
  const shape = isRecord(document.basics) ? fromJsonResume(document as JsonResume) : document;
  if (!shape.email) return { reason: 'email: the row has no email address' };
  return validated({ ...shape, source: shape.source ?? source });
}

/**
 * What an upsert does to the candidate already holding the email: fields the row fills replace the stored ones,
 * tags and skills are added to, and source, status history and everything the row leaves empty stay.
 */
export function upsertCandidate(existing: Candidate, input: CreateCandidate, now: string): Candidate {
  const { email, tags, skills, source, consents, custom, location, ...fields } = input;
  const next: Candidate = {
    ...existing,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    location: location ? { ...existing.location, ...location } : existing.location,
    tags: [...new Set([...existing.tags, ...(tags ?? [])])],
    skills: [...new Set([...existing.skills, ...(skills ?? [])])],
    custom: { ...existing.custom, ...custom },
  };
  if (!next.location) delete next.location;
  return JSON.stringify(next) === JSON.stringify(existing) ? existing : bump(next, now);
}

/**
 * The id a row of an import gives the candidate it creates: its time is the import's creation and its randomness
 * a hash of import and line. A retried chunk recognises the candidates it created before the crash.
 */
export const importedCandidateId = (importId: string, importCreatedAt: string, line: number): string => derivedId('cand', importCreatedAt, `${importId}:${line}`);
