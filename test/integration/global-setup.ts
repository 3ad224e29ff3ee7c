import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    sitesUrl: string;
    sesEndpoint: string;
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

/** One local stack, in memory on free ports, for every integration and browser test. */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true, timeScale: 100_000 });
  project.provide('apiUrl', stack.apiUrl);
  project.provide('sitesUrl', stack.sitesUrl);
  project.provide('sesEndpoint', stack.sesEndpoint);
  project.provide('dynamoEndpoint', stack.dynamoEndpoint);
  project.provide('s3Endpoint', stack.s3Endpoint);
  return () => stack.stop();
}
