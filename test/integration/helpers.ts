import { inject } from 'vitest';
import type { Role } from '../../shared/roles.ts';

const tokens = new Map<Role, Promise<string>>();

/** A token minted by the local issuer, as a client would get one from Cognito. */
export function tokenFor(role: Role): Promise<string> {
  let token = tokens.get(role);
  if (!token) {
    token = fetch(`${inject('apiUrl')}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) })
      .then((response) => response.json())
      .then((body) => (body as { token: string }).token);
    tokens.set(role, token);
  }
  return token;
}

interface CallOptions {
  method?: string;
  /** JSON body. */
  body?: unknown;
  /** A body sent as it is. */
  rawBody?: string | Buffer;
  /** The caller's role (recruiter unless said); `token: null` sends none. */
  role?: Role;
  token?: string | null;
  headers?: Record<string, string>;
}

/** One HTTP call to the local API, as a client makes it. */
export async function api(path: string, options: CallOptions = {}) {
  const token = options.token === null ? undefined : (options.token ?? (await tokenFor(options.role ?? 'recruiter')));
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/** Retries an assertion until it holds: for what arrives through the stream and the bus. */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A local-only control route (faults, time), never deployed. */
export async function local(path: string, body?: unknown, method = 'POST') {
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

/** How often each armed fault has fired. */
export async function firedFaults(): Promise<{ function: string; command?: string; failed: number }[]> {
  return ((await (await fetch(`${inject('apiUrl')}/_local/faults`)).json()) as { items: { function: string; command?: string; failed: number }[] }).items;
}

/** Everyone listed under a tag, every page read (the list follows writes through the stream indexer). */
export async function listTagged<T extends { id: string } = { id: string; email: string }>(tag: string): Promise<T[]> {
  const found: T[] = [];
  let cursor: string | undefined;
  do {
    const page = (await api(`/candidates?tag=${tag}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body as { items: T[]; nextCursor?: string };
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}
