import * as z from 'zod';
import { Email } from '../candidates/schemas.ts';

// Apart from schemas.ts: every function that reads the retention settings (consent expiries) carries only this.
export const purpose = z.string().trim().toLowerCase().min(1).max(50).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -');

const months = z.number().int().min(1).max(120);
export const RetentionSettings = z.strictObject({
  /** Erase people without valid consent this many months after their last application closed (or they were added). */
  inactiveMonths: months.default(6),
  /** Talent-community members with a valid consent are kept this long after their last activity. */
  communityMonths: months.default(24),
  /** The team is warned this many days before the erasure runs. */
  warningDays: z.number().int().min(1).max(90).default(30),
  /** `dry-run` only reports whom the rule would erase; `erase` erases them once the warning period passed. */
  mode: z.enum(['dry-run', 'erase']).default('dry-run'),
  /** Who gets the warning and the report. */
  notify: z.array(Email).max(20).default([]),
  /** How long a granted consent lasts, per purpose; others default to 24 months. */
  consentMonths: z.record(purpose, months).default({ 'marketing-email': 24, 'talent-community': 24, 'event-updates': 12, 'data-retention': 24 }),
}).refine((settings) => settings.mode !== 'erase' || settings.notify.length > 0, { path: ['notify'], message: 'erasing needs someone to warn first' });
export type RetentionSettings = z.output<typeof RetentionSettings>;
