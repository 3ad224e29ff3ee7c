/** Typed domain errors. One middleware maps them to RFC 9457 responses (shared/http/problem.ts). */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  constructor(
    message: string,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInput extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid input';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PreconditionFailed extends DomainError {
  readonly status = 412;
  readonly title = 'Precondition failed';
}

export class PayloadTooLarge extends DomainError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
}

export class Unprocessable extends DomainError {
  readonly status = 422;
  readonly title = 'Unprocessable request';
}

export class Gone extends DomainError {
  readonly status = 410;
  readonly title = 'Gone';
}

export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`Slow down: retry in ${retryAfterSeconds} s.`);
  }
}
