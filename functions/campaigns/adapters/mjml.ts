// mjml-browser is the self-contained build of MJML (no file system access); its UMD wrapper expects `window`.
(globalThis as { window?: unknown }).window ??= globalThis;

/** MJML to responsive HTML; validation problems come back as errors, never thrown. */
export async function compileMjml(mjml: string): Promise<{ html: string; errors: { line?: number; message: string }[] }> {
  const { default: mjml2html } = await import('mjml-browser');
  try {
    const result = await mjml2html(mjml, { validationLevel: 'soft', keepComments: false });
    return { html: result.html, errors: result.errors.map((e: { line?: number; message: string }) => ({ line: e.line, message: e.message })) };
  } catch (error) {
    return { html: '', errors: [{ message: (error as Error).message }] };
  }
}
