import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled: used by the CDK constructs (NodejsFunction) and by the bench, so the sizes the
 * bench reports are the sizes that deploy.
 */
export const bundling = {
  minify: true,
  sourceMap: true,
  target: 'node24',
  format: 'esm',
  /** Prefer packages' ES module builds: they tree-shake. */
  mainFields: ['module', 'main'],
  /**
   * The Node.js 24 Lambda runtime ships AWS SDK v3; bundling it would cost 330 KB minified for the DynamoDB
   * client alone (measured), past the 300 KB budget. Only the clients a function imports are loaded.
   */
  externalModules: ['@aws-sdk/*'],
  /** ESM bundles still meet CommonJS dependencies that call require(). */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/** The same bundling as esbuild options, as NodejsFunction passes them to esbuild (test/infra/bundles.test.ts). */
export const esbuildOptions = {
  bundle: true,
  platform: 'node',
  minify: bundling.minify,
  target: bundling.target,
  format: bundling.format,
  mainFields: [...bundling.mainFields],
  external: [...bundling.externalModules],
  banner: { js: bundling.banner },
} satisfies BuildOptions;
