import type { Candidate } from '../../candidates/schemas.ts';
import type { CandidateExport } from '../schemas.ts';

type Item = Record<string, unknown>;

/** What the adapters gathered about one person, before it is shaped for them. */
export interface PersonRecords {
  profile: Candidate;
  /** Every item of their own partition, by sort key. */
  partition: { sk: string; item: Item }[];
  applications: Item[];
  tasks: Item[];
  emails: Item[];
  drips: Item[];
  pools: { id: string; name?: string }[];
  segments: { id: string; name?: string }[];
  audit: Item[];
  suppression?: Item;
  files: CandidateExport['files'];
}

/**
 * What each kind of item in a person's partition is, for the export. Index entries are derived from the profile
 * (exported as the profile); anything not listed lands in `other`, so an export is complete even before a new
 * kind of item is mapped — and the completeness test fails until it is.
 */
const partitionKinds: [prefix: string, section: 'profile' | 'timeline' | 'preferences' | 'derived' | 'notices' | 'surveys' | 'events'][] = [
  ['PROFILE', 'profile'],
  ['TL#', 'timeline'],
  ['PREFS', 'preferences'],
  ['IDX#', 'derived'],
  ['TASKREF#', 'derived'],
  ['MERGED', 'derived'],
  ['CONSENT_RENEWAL', 'notices'],
  ['RETENTION', 'notices'],
  ['SURVEYINV#', 'surveys'],
  ['RSVP#', 'events'],
  ['ATSLINK#', 'derived'],
  ['ATSAPP#', 'derived'],
  ['ANALYTICS', 'derived'],
  ['ENGAGEMENT', 'derived'],
  ['ENGAGED#', 'derived'],
];
const kindOf = (sk: string) => partitionKinds.find(([prefix]) => sk.startsWith(prefix))?.[1];

/** The candidate part in the JSON Resume shape (jsonresume.org): basics, work, education, skills. */
export function jsonResume(profile: Candidate): CandidateExport['resume'] {
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ');
  const website = profile.links.find((link) => link.type === 'website' || link.type === 'portfolio');
  return {
    basics: {
      ...(name ? { name } : {}),
      email: profile.email,
      ...(profile.phone ? { phone: profile.phone } : {}),
      ...(profile.headline ? { label: profile.headline } : {}),
      ...(website ? { url: website.url } : {}),
      ...(profile.location ? { location: { ...(profile.location.city ? { city: profile.location.city } : {}), ...(profile.location.region ? { region: profile.location.region } : {}), ...(profile.location.country ? { countryCode: profile.location.country } : {}) } } : {}),
      profiles: profile.links.filter((link) => link !== website).map((link) => ({ network: link.type, url: link.url })),
    },
    work: profile.company ? [{ name: profile.company, ...(profile.headline ? { position: profile.headline } : {}) }] : [],
    education: [],
    skills: profile.skills.map((skill) => ({ name: skill })),
  };
}

export function exportDocument(records: PersonRecords, now: string): CandidateExport & { notices: Item[]; other: Item[] } {
  const { profile } = records;
  const section = (kind: ReturnType<typeof kindOf>) => records.partition.filter((entry) => kindOf(entry.sk) === kind).map((entry) => entry.item);
  return {
    exportedAt: now,
    format: 'talent-relay-export/1',
    resume: jsonResume(profile),
    profile: profile as unknown as Item,
    consents: profile.consents,
    timeline: section('timeline'),
    emails: records.emails,
    applications: records.applications,
    tasks: records.tasks,
    events: section('events'),
    surveys: section('surveys'),
    tags: profile.tags,
    pools: records.pools,
    segments: records.segments,
    drips: records.drips,
    ...(section('preferences')[0] ? { preferences: section('preferences')[0] } : {}),
    ...(records.suppression ? { suppression: records.suppression } : {}),
    notices: section('notices'),
    audit: records.audit,
    files: records.files,
    other: records.partition.filter((entry) => kindOf(entry.sk) === undefined).map((entry) => ({ sk: entry.sk, ...entry.item })),
  };
}
