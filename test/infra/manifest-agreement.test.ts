import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHttpApi } from '../../infra/local/http-server.ts';
import { localIssuer } from '../../infra/local/jwt.ts';
import { listen } from '../../infra/local/net.ts';
import { routes } from '../../infra/manifest.ts';
import { routeKey } from '../../shared/http/route.ts';
import { resourcesOf, synthesize } from './synth.ts';

const manifestRoutes = routes.map(({ route }) => ({ key: routeKey(route), isPublic: route.access === 'public' }));

describe('synthesized routes', () => {
  const synthesized = () =>
    Object.values(resourcesOf(synthesize().template, 'AWS::ApiGatewayV2::Route')).map((r) => ({
      key: r.Properties.RouteKey as string,
      isPublic: r.Properties.AuthorizationType === 'NONE',
      authorizationType: r.Properties.AuthorizationType,
    }));

  it('are exactly the manifest routes, each with the JWT authorizer unless public', () => {
    const found = synthesized();
    expect(found.map(({ key, isPublic }) => ({ key, isPublic })).sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      [...manifestRoutes].sort((a, b) => a.key.localeCompare(b.key)),
    );
    for (const route of found.filter((r) => !r.isPublic)) expect(route.authorizationType, route.key).toBe('JWT');
  });

  it('never include a local-only route', () => {
    expect(synthesized().filter((r) => r.key.includes('/_local'))).toEqual([]);
  });
});

describe('locally served routes', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = localHttpApi({ functions: (await import('../../infra/manifest.ts')).functions, issuer: localIssuer(), local: { token: async () => '', mail: async () => [], fault: () => undefined, clearFaults: () => undefined, faults: () => [], runSchedule: async () => false, sesEvent: () => false, inbound: async () => '' }, log: () => undefined });
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('are every manifest route, behind the same authorizer: private ones refuse a request without a token', async () => {
    for (const { route } of routes) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => `sample-${name}`);
      const response = await fetch(`${base}${path}`, { method: route.method });
      if (route.access === 'public') expect(response.status, routeKey(route)).not.toBe(404);
      else expect({ route: routeKey(route), status: response.status, body: await response.json() }).toEqual({ route: routeKey(route), status: 401, body: { message: 'Unauthorized' } });
    }
  });

  it('answer a route the manifest does not declare with API Gateway\'s 404', async () => {
    const response = await fetch(`${base}/not-a-route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});
