import { readFileSync } from 'node:fs';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling.ts';
import { functions } from '../../infra/manifest.ts';

/** DESIGN §10: each function bundle ≤ 300 KB minified (KiB here, as the bench prints them). */
const BUDGET_BYTES = 300 * 1024;

/** Functions allowed past the budget, each with the reason and a ceiling of its own so it cannot grow unseen. */
const overBudget: Record<string, { ceilingBytes: number; reason: string }> = {
  'campaigns-template-writer': {
    ceilingBytes: 1600 * 1024,
    reason: 'carries the MJML compiler (mjml-browser, 1.2 MiB), which only saving a template needs (README, Limits)',
  },
  'platform-openapi': {
    ceilingBytes: 560 * 1024,
    reason: 'carries the OpenAPI document it serves (316 KiB as minified JSON); no user request waits on it (README, Limits)',
  },
};

const devDependencies = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1];

let bundles: { name: string; bytes: number; inputs: string[] }[];
beforeAll(async () => {
  // One esbuild run with every function as an entry point: each output is bundled on its own (no splitting), as
  // NodejsFunction bundles it, while files shared by many functions are parsed once.
  const result = await build({
    ...esbuildOptions,
    entryPoints: Object.fromEntries(functions.map((fn) => [fn.name, fn.entry])),
    outdir: 'bundles',
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const outputs = Object.entries((result.metafile as Metafile).outputs);
  bundles = functions.map((fn) => {
    const [, output] = outputs.find(([path]) => path === `bundles/${fn.name}.mjs`)!;
    return { name: fn.name, bytes: output.bytes, inputs: Object.keys(output.inputs) };
  });
  const largest = [...bundles].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  console.log(`Largest bundles: ${largest.map((b) => `${b.name} ${(b.bytes / 1024).toFixed(1)} KiB`).join(', ')}`);
});

describe('function bundles', () => {
  it('builds one bundle per manifest function', () => {
    expect(bundles.map((b) => b.name)).toEqual(functions.map((fn) => fn.name));
    for (const name of Object.keys(overBudget)) expect(functions.map((fn) => fn.name)).toContain(name);
  });

  it('keeps every function bundle under 300 KiB minified, except the listed ones under their own ceilings', () => {
    const over = bundles
      .filter((b) => b.bytes >= (overBudget[b.name]?.ceilingBytes ?? BUDGET_BYTES))
      .map((b) => `${b.name}: ${(b.bytes / 1024).toFixed(1)} KiB`);
    expect(over).toEqual([]);
  });

  it('compiles no fault injection, local stack, test or bench code into any bundle', () => {
    for (const bundle of bundles) {
      expect(bundle.inputs.filter((input) => /^(infra\/local|test|bench)\//.test(input)), bundle.name).toEqual([]);
    }
  });

  it('bundles no development dependency (mocks, emulators, test tools) and no AWS SDK client (the runtime has them)', () => {
    for (const bundle of bundles) {
      const packages = new Set(bundle.inputs.map(packageOf).filter((name) => name !== undefined));
      expect([...packages].filter((name) => devDependencies.includes(name) || name.startsWith('@aws-sdk/')), bundle.name).toEqual([]);
    }
  });
});
