import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { NestedStack } from 'aws-cdk-lib';
import { buildApp } from '../../infra/stack.ts';

type TemplateJson = { Resources: Record<string, unknown> };

/**
 * Synthesizes the app as `npm run synth` does, cdk-nag included, but without bundling (the bench and
 * `npm run synth` bundle; templates do not depend on bundle contents). `template` holds the resources of the stack
 * and of every context's nested stack together; `templates` has each stack's own.
 */
export function synthesize() {
  const { app, stack } = buildApp({ 'aws:cdk:bundling-stacks': [] }, mkdtempSync(join(tmpdir(), 'talent-relay-cdk-')));
  const assembly = app.synth();
  const parent = assembly.getStackArtifact(stack.artifactId).template as TemplateJson;
  const nested = stack.node.children.filter((child): child is NestedStack => child instanceof NestedStack);
  const templates = new Map<string, TemplateJson>([[stack.stackName, parent]]);
  for (const child of nested) {
    templates.set(child.node.id, JSON.parse(readFileSync(join(assembly.directory, child.templateFile), 'utf8')) as TemplateJson);
  }
  const resources: Record<string, unknown> = {};
  for (const [name, template] of templates) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (id in resources) throw new Error(`Logical id ${id} of ${name} is also in another stack; the merged view would hide one`);
      resources[id] = resource;
    }
  }
  return { template: Template.fromJSON({ Resources: resources }), templates, assembly, stack };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
export const resourcesOf = (template: Template, type: string) => template.findResources(type) as Resources;
