import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, InvalidInput, type FieldError } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** RFC 9457 body for a domain error; anything else becomes a bare 500 that reveals nothing. */
export function problemOf(error: unknown): Problem {
  if (error instanceof DomainError) {
    return {
      type: `urn:talent-relay:problem:${slug(error.title)}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error instanceof InvalidInput && error.errors.length ? { errors: error.errors } : {}),
      ...error.extras,
    };
  }
  return {
    type: 'urn:talent-relay:problem:internal-error',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; please retry later.',
  };
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(problem),
  };
}
