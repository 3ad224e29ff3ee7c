import type { z } from 'zod';
import type { Access } from '../roles.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The contract of one HTTP route: declared once, read by the handler (validation, auth),
 * the wiring manifest (CDK and local stack) and the OpenAPI generator.
 */
export interface RouteContract {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  /** OpenAPI tag, usually the bounded context. */
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body of this type is passed to the handler as text, unvalidated (e.g. a CSV file the handler parses itself). */
  textBody?: 'text/csv';
  /** Also accepts the body as an HTML form (`application/x-www-form-urlencoded`), validated by `body`; repeated fields become arrays. */
  form?: boolean;
  /** Also accepts `multipart/form-data`, validated by `body`, with at most one file in the named field. */
  multipart?: { file: string; maxBytes: number };
  /**
   * A form field people never see (hidden from them); when a bot fills it, the body skips validation and reaches the
   * handler as `{[field]: value}` alone, and the handler answers as usual without doing anything.
   */
  honeypot?: string;
  /** Added to the 413 answer for a body over 1 MB: where larger payloads go. */
  tooLarge?: string;
  response?: z.ZodType;
  /** Success status; 200 unless said. */
  status?: number;
  /** Honours `Idempotency-Key` (creating and sending POSTs). */
  idempotent?: boolean;
  /** Honours `If-Match` against the resource's `version`. */
  conditional?: boolean;
  /**
   * Requests per second and burst per client address, for public routes: counted by the function in the table
   * (shared/http/rate-limit.ts); API Gateway's route throttle is set to a ceiling for all clients together.
   */
  rateLimit?: { rps: number; burst: number };
  /** A successful answer is recorded on the audit log of the candidate in `params.id`: who read or exported whom. */
  audit?: 'read' | 'export';
}

/** A public route's limit for all clients together (API Gateway's route throttle): this many clients at their own limit. */
export const routeCeiling = (limit: { rps: number; burst: number }) => ({ ThrottlingRateLimit: limit.rps * 25, ThrottlingBurstLimit: limit.burst * 25 });

export const route = <const C extends RouteContract>(contract: C): C => contract;

export const routeKey = (contract: Pick<RouteContract, 'method' | 'path'>): string => `${contract.method} ${contract.path}`;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
export type ParamsOf<C extends RouteContract> = Infer<C['params']>;
export type QueryOf<C extends RouteContract> = Infer<C['query']>;
export type BodyOf<C extends RouteContract> = Infer<C['body']> | (C['textBody'] extends string ? string : never);
