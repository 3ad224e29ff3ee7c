import * as z from 'zod';
import { isCountryCode } from '../../shared/countries.ts';
import { PageQuery } from '../../shared/http/pagination.ts';
import { SegmentId, Utm } from '../candidates/schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const label = z.string().trim().toLowerCase().min(1).max(50).regex(/^[\p{L}\p{N}][\p{L}\p{N} _.+#/&-]*$/u, 'letters, digits, spaces and _ . + # / & - only');
const country = z.string().trim().toUpperCase().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 country code');
const currencies = new Set(Intl.supportedValuesOf('currency'));
/** Lower-case words joined by hyphens: the public part of a page's address. */
export const Slug = z.string().trim().toLowerCase().min(2).max(80).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');
const httpsUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const JobId = z.string().regex(/^job_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a job id');
export const SiteId = z.string().regex(/^site_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a site id');

/** schema.org / Google employment types. */
export const employmentTypes = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN', 'VOLUNTEER', 'PER_DIEM', 'OTHER'] as const;
export const salaryUnits = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export const jobStatuses = ['draft', 'open', 'closed'] as const;

export const Address = z.strictObject({
  street: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country,
});
export type Address = z.output<typeof Address>;

/** On-site and hybrid jobs have an address; remote and hybrid ones name the countries applicants may live in. */
export const JobLocation = z
  .strictObject({
    type: z.enum(['onsite', 'hybrid', 'remote']),
    address: Address.optional(),
    applicantCountries: z.array(country).min(1).max(50).optional(),
  })
  .superRefine((location, ctx) => {
    if (location.type !== 'remote' && !location.address) ctx.addIssue({ code: 'custom', path: ['address'], message: `an ${location.type} job needs an address` });
    if (location.type === 'remote' && !location.applicantCountries) {
      ctx.addIssue({ code: 'custom', path: ['applicantCountries'], message: 'a remote job names the countries applicants may live in' });
    }
  });
export type JobLocation = z.output<typeof JobLocation>;

export const Salary = z
  .strictObject({
    currency: z.string().trim().toUpperCase().refine((code) => currencies.has(code), 'not an ISO 4217 currency code'),
    min: z.number().nonnegative().max(1e9),
    max: z.number().nonnegative().max(1e9),
    unit: z.enum(salaryUnits),
  })
  .refine((salary) => salary.min <= salary.max, { path: ['min'], message: 'min is more than max' });
export type Salary = z.output<typeof Salary>;

const jobFields = {
  title: text(200),
  /** HTML; sanitised when saved (only formatting tags and safe links stay). */
  description: z.string().trim().min(1).max(50_000),
  department: text(100),
  requisitionId: text(100),
  employmentTypes: z.array(z.enum(employmentTypes)).min(1).max(employmentTypes.length).transform((types) => [...new Set(types)]),
  location: JobLocation,
  salary: Salary,
  skills: z.array(label).max(30).transform((skills) => [...new Set(skills)]),
  validThrough: z.iso.datetime({ offset: true }),
};

export const CreateJob = z.strictObject({
  ...jobFields,
  department: jobFields.department.optional(),
  requisitionId: jobFields.requisitionId.optional(),
  employmentTypes: jobFields.employmentTypes.default(['FULL_TIME']),
  salary: jobFields.salary.optional(),
  skills: jobFields.skills.default([]),
  validThrough: jobFields.validThrough.optional(),
  /** The public address `/jobs/{slug}/`; made from the title when absent, and never changes afterwards. */
  slug: Slug.optional(),
});
export type CreateJob = z.output<typeof CreateJob>;

export const UpdateJob = z
  .strictObject({
    title: jobFields.title,
    description: jobFields.description,
    department: jobFields.department.nullable(),
    requisitionId: jobFields.requisitionId.nullable(),
    employmentTypes: jobFields.employmentTypes,
    location: jobFields.location,
    salary: jobFields.salary.nullable(),
    skills: jobFields.skills,
    validThrough: jobFields.validThrough.nullable(),
  })
  .partial();
export type UpdateJob = z.output<typeof UpdateJob>;

export const Job = z.object({
  id: JobId,
  slug: Slug,
  status: z.enum(jobStatuses),
  title: z.string(),
  description: z.string(),
  department: z.string().optional(),
  requisitionId: z.string().optional(),
  employmentTypes: z.array(z.enum(employmentTypes)),
  location: JobLocation,
  salary: Salary.optional(),
  skills: z.array(z.string()),
  validThrough: z.string().optional(),
  /** The public job page. */
  url: z.string(),
  publishedAt: z.string().optional(),
  closedAt: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Job = z.output<typeof Job>;
export const JobPage = z.object({ items: z.array(Job), nextCursor: z.string().optional() });
export const ListJobsQuery = PageQuery.extend({ status: z.enum(jobStatuses).optional() }).strict();

/** Channels with a known share intent; any other source name gets a tracked link only. */
export const shareChannels = ['linkedin', 'x', 'facebook', 'email', 'indeed'] as const;
export const ShareQuery = z.strictObject({
  /** Extra sources (e.g. a newsletter or a meetup), comma-separated. */
  sources: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,49}$/, 'letters, digits and _ . - only')).max(10)),
  /** `utm_campaign`; the job's slug when absent. */
  campaign: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'letters, digits and _ . - only').optional(),
});
export const ShareLink = z.object({
  channel: z.string(),
  /** The job page with utm_source, utm_medium and utm_campaign. */
  url: z.string(),
  /** The network's share dialog for that URL, where the channel has one. */
  shareUrl: z.string().optional(),
  utm: z.object({ source: z.string(), medium: z.string(), campaign: z.string() }),
});
export const ShareLinks = z.object({ jobId: JobId, items: z.array(ShareLink) });

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb');
export const SignupField = z.enum(['phone', 'location', 'headline', 'linkedin', 'skills']);
const siteFields = {
  slug: Slug,
  title: text(120),
  heroText: text(1000),
  colours: z.strictObject({ primary: colour, background: colour.default('#ffffff'), text: colour.default('#1a1a1a') }),
  logoUrl: z.url({ protocol: /^https$/ }).max(2000),
  /** Which open jobs the site shows: every filter given must match (none: all open jobs). */
  jobs: z.strictObject({
    departments: z.array(text(100)).max(20).optional(),
    skills: z.array(label).max(20).optional(),
    countries: z.array(country).max(50).optional(),
    remote: z.boolean().optional(),
  }),
  faq: z.array(z.strictObject({ question: text(300), answer: text(3000) })).max(50),
  signup: z.strictObject({
    /** Fields asked besides email, first and last name. */
    fields: z.array(SignupField).max(5).transform((fields) => [...new Set(fields)]),
    /** The consent text shown next to the box; its version is recorded with every consent. */
    consentText: text(2000),
    consentVersion: text(50),
    /** Where confirmed members go. */
    poolId: z.string().regex(/^pool_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a pool id'),
  }),
  /** The segment the site is meant for (informational; used in reports). */
  segmentId: SegmentId.optional(),
};

export const CreateSite = z.strictObject({
  ...siteFields,
  colours: siteFields.colours.default({ primary: '#2952cc', background: '#ffffff', text: '#1a1a1a' }),
  logoUrl: siteFields.logoUrl.optional(),
  jobs: siteFields.jobs.default({}),
  faq: siteFields.faq.default([]),
});
export type CreateSite = z.output<typeof CreateSite>;
export const UpdateSite = z
  .strictObject({ ...siteFields, slug: siteFields.slug, logoUrl: siteFields.logoUrl.nullable(), segmentId: siteFields.segmentId.unwrap().nullable() })
  .partial();
export type UpdateSite = z.output<typeof UpdateSite>;

export const Site = z.object({
  id: SiteId,
  slug: Slug,
  status: z.enum(['draft', 'published']),
  title: z.string(),
  heroText: z.string(),
  colours: z.object({ primary: z.string(), background: z.string(), text: z.string() }),
  logoUrl: z.string().optional(),
  jobs: z.object({ departments: z.array(z.string()).optional(), skills: z.array(z.string()).optional(), countries: z.array(z.string()).optional(), remote: z.boolean().optional() }),
  faq: z.array(z.object({ question: z.string(), answer: z.string() })),
  signup: z.object({ fields: z.array(SignupField), consentText: z.string(), consentVersion: z.string(), poolId: z.string() }),
  segmentId: z.string().optional(),
  /** The published page. */
  url: z.string(),
  publishedAt: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Site = z.output<typeof Site>;
export const SitePage = z.object({ items: z.array(Site), nextCursor: z.string().optional() });

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('not an email address'));
/** The honeypot: a field people never see; bots fill it. */
const honeypot = { website: z.string().max(500).optional() };
/** Form posts send every field as text: checkboxes as "on", lists comma-separated. */
const checkbox = z.union([z.boolean(), z.enum(['on', 'true', 'yes']).transform(() => true), z.enum(['false', 'no', '']).transform(() => false)]);
const list = z.union([z.array(label), z.string().transform((value) => value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)).pipe(z.array(label))]);
/** Form fields `utm_source` etc. or a JSON `utm` object. */
const utmFields = {
  utm: Utm.optional(),
  utm_source: text(100).optional(),
  utm_medium: text(100).optional(),
  utm_campaign: text(100).optional(),
  utm_content: text(100).optional(),
  utm_term: text(100).optional(),
};

export const SignupRequest = z.strictObject({
  email,
  firstName: text(100),
  lastName: text(100),
  phone: z.string().trim().regex(/^\+?[0-9][0-9 ().-]{4,24}$/, 'not a phone number').optional(),
  city: text(100).optional(),
  country: country.optional(),
  headline: text(200).optional(),
  linkedin: httpsUrl.optional(),
  skills: list.optional(),
  /** The person ticked the consent box. */
  consent: checkbox.refine((value) => value, 'consent is required to join the talent community'),
  ...utmFields,
  ...honeypot,
});
export type SignupRequest = z.output<typeof SignupRequest>;
export const SignupAccepted = z.object({ message: z.string() });

export const ApplyRequest = z.strictObject({
  email,
  firstName: text(100),
  lastName: text(100),
  phone: z.string().trim().regex(/^\+?[0-9][0-9 ().-]{4,24}$/, 'not a phone number').optional(),
  linkedin: httpsUrl.optional(),
  coverLetter: z.string().trim().max(10_000).optional(),
  ...utmFields,
  ...honeypot,
});
export type ApplyRequest = z.output<typeof ApplyRequest>;
export const ApplicationAccepted = z.object({ message: z.string() });

export const AskRequest = z.strictObject({ question: text(500), ...honeypot });
export const AskAnswer = z.object({
  answered: z.boolean(),
  answer: z.string(),
  /** The FAQ entries the answer came from. */
  sources: z.array(z.object({ question: z.string(), score: z.number() })),
  jobs: z.array(z.object({ title: z.string(), url: z.string(), score: z.number() })),
});
export type AskAnswer = z.output<typeof AskAnswer>;

export const ConfirmToken = z.strictObject({ token: z.string().min(10).max(400) });
