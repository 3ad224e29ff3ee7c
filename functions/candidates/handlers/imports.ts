import { stringify } from 'csv-stringify/sync';
import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { imports } from '../adapters/services-imports.ts';
import * as api from '../api.ts';

const accepted = (job: { id: string }) => ({ status: 202, body: job, headers: { location: `/imports/${job.id}` } });

const startImport = endpoint(api.startImport, async ({ body, query: { mapping, ...options }, actor }) => {
  if (typeof body === 'string' || Array.isArray(body)) return accepted(await imports.start(body, { ...options, mapping }, actor.sub));
  const { upload, format, ...uploadOptions } = body;
  return accepted(await imports.startUpload(format, { ...options, mapping, ...uploadOptions }, actor.sub));
});

const getImport = endpoint(api.getImport, async ({ params }) => ok(await imports.get(params.id)));

/** Spreadsheet apps run cells starting with these as formulas; a leading apostrophe keeps them text. */
const safeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const getImportErrors = endpoint(api.getImportErrors, async ({ params }) => {
  const lines: string[][] = [];
  let columns: string[] = [];
  for await (const { header, errors } of imports.errors(params.id)) {
    columns = header ?? ['row'];
    for (const error of errors) lines.push([String(error.line), error.reason, ...(Array.isArray(error.row) ? error.row : [error.row])]);
  }
  const csv = stringify([['line', 'reason', ...columns], ...lines].map((row) => row.map(safeCell)));
  return ok(csv, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${params.id}-errors.csv"` });
});

export const handler = httpApi(startImport, getImport, getImportErrors);
