import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../infra/openapi.ts';
import { routes } from '../../infra/manifest.ts';

describe('the OpenAPI document', () => {
  it('checked in at docs/openapi.json is the one generated from the schemas (run `npm run openapi` after a change)', () => {
    const checkedIn = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('describes every route of the manifest, public ones without security', () => {
    const { paths } = buildOpenApi();
    for (const { route } of routes) {
      const operation = paths[route.path]?.[route.method.toLowerCase()] as { security?: unknown[] } | undefined;
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation!.security).toEqual(route.access === 'public' ? [] : undefined);
    }
  });
});
