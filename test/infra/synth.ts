import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/stack.ts';

/**
 * Synthesizes the app as `npm run synth` does, cdk-nag included, but without bundling (the bench and
 * `npm run synth` bundle; templates do not depend on bundle contents).
 */
export function synthesize() {
  const { app, stack } = buildApp({ 'aws:cdk:bundling-stacks': [] }, mkdtempSync(join(tmpdir(), 'talent-relay-cdk-')));
  const assembly = app.synth();
  return { template: Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template), assembly, stack };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
export const resourcesOf = (template: Template, type: string) => template.findResources(type) as Resources;
