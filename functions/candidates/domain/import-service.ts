import { Conflict, NotFound } from '../../../shared/errors.ts';
import type { CreateCandidate, ImportJob, ImportMapping } from '../schemas.ts';
import { ERASED_REASON, type CandidateService } from './candidate-service.ts';
import { documentToCandidate, importedCandidateId, mapColumns, rowToCandidate, type ColumnMap, type RowResult } from './import-rows.ts';
import {
  ImportFileError, type Clock, type CsvRow, type ImportCounts, type ImportFiles, type ImportRecord, type ImportStore, type Ids, type RowError, type Workflows,
} from './ports.ts';

export const IMPORT_WORKFLOW = 'candidates-import';
/** Uploaded files up to this size; the request body itself is limited to 1 MB. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** JSON is parsed whole, so JSON uploads stay smaller. */
export const MAX_JSON_IMPORT_BYTES = 10 * 1024 * 1024;
/** Rows written per batch: one guard lookup, a few transactions and one checkpoint. */
const BATCH_ROWS = 100;

export interface ImportDeps {
  imports: ImportStore;
  files: ImportFiles;
  workflows: Workflows;
  candidates: CandidateService;
  clock: Clock;
  ids: Ids;
}

type Options = { mode: ImportJob['mode']; source?: string; mapping?: ImportMapping };
/** A failed row; `withheld` when even the row must not be kept (someone erased at their request). */
type Outcome = 'created' | 'updated' | 'skipped' | { reason: string; withheld?: true };
interface Row {
  line: number;
  result: RowResult;
  raw: string[] | string;
}

export const publicJob = ({ offset, line, header, delimiter, ...job }: ImportRecord): ImportJob => job;

export function importService({ imports, files, workflows, candidates, clock, ids }: ImportDeps) {
  function newJob(format: ImportJob['format'], options: Options, actor: string, status: ImportJob['status']): ImportRecord {
    return {
      id: ids.next('imp'),
      status,
      format,
      mode: options.mode,
      ...(options.source ? { source: options.source } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
      processed: 0, created: 0, updated: 0, skipped: 0, failed: 0, progress: 0,
      createdAt: clock.now(),
      createdBy: actor,
      offset: 0,
      line: 0,
    };
  }

  async function get(id: string): Promise<ImportRecord> {
    const job = await imports.get(id);
    if (!job) throw new NotFound(`There is no import ${id}.`);
    return job;
  }

  const fail = (job: ImportRecord, error: string) =>
    imports.advance(job.id, job.line, { status: 'failed', error, completedAt: clock.now() });

  /** Reads the file's shape once: header, delimiter and row count (CSV), or the array (JSON). */
  async function prepare(job: ImportRecord): Promise<ImportRecord | undefined> {
    const size = await files.size(job.id);
    const limit = job.format === 'json' ? MAX_JSON_IMPORT_BYTES : MAX_IMPORT_BYTES;
    if (size === undefined) return void (await fail(job, 'The file has not arrived.'));
    if (size > limit) {
      return void (await fail(job, `The file is ${(size / 1024 / 1024).toFixed(1)} MB; ${job.format.toUpperCase()} imports take up to ${limit / 1024 / 1024} MB. Split it and import the parts.`));
    }
    let changes: Partial<ImportRecord>;
    try {
      if (job.format === 'csv') {
        const layout = await files.csvLayout(job.id);
        const columns = mapColumns(layout.header, job.mapping);
        if (!layout.rows) throw new ImportFileError('The file has a header row but no data rows.');
        changes = {
          header: layout.header, delimiter: layout.delimiter, total: layout.rows, offset: layout.dataOffset, line: layout.headerLine,
          ...(columns.ignored.length ? { ignoredColumns: columns.ignored } : {}),
        };
      } else {
        const document = await files.json(job.id);
        if (!Array.isArray(document) || !document.length) throw new ImportFileError('A JSON import is a non-empty array of candidates.');
        changes = { total: document.length };
      }
    } catch (error) {
      if (error instanceof ImportFileError) return void (await fail(job, error.message));
      throw error;
    }
    const running = { ...changes, status: 'running' as const, startedAt: clock.now() };
    if (!(await imports.advance(job.id, job.line, running))) return undefined;
    return { ...job, ...running };
  }

  /** Creates new people in transactions, recognises those a crashed run created, and upserts or skips the others. */
  async function write(job: ImportRecord, rows: { line: number; input: CreateCandidate }[]): Promise<Map<number, Outcome>> {
    const outcomes = new Map<number, Outcome>();
    const emails = [...new Set(rows.map((r) => r.input.email))];
    const [owners, erased] = await Promise.all([candidates.idsByEmail(emails), candidates.erasedAmong(emails)]);
    const fresh: { line: number; input: CreateCandidate; id: string }[] = [];
    const existing: { line: number; input: CreateCandidate }[] = [];
    const claimed = new Set<string>();
    for (const row of rows) {
      const id = importedCandidateId(job.id, job.createdAt, row.line);
      const owner = owners.get(row.input.email);
      if (erased.has(row.input.email) && !owner) outcomes.set(row.line, { reason: ERASED_REASON, withheld: true });
      else if (owner === id) outcomes.set(row.line, 'created');
      else if (owner || claimed.has(row.input.email)) existing.push(row);
      else fresh.push({ ...row, id });
      claimed.add(row.input.email);
    }
    try {
      await candidates.createAll(fresh.map(({ input, id }) => ({ input, id })), job.createdBy);
      for (const row of fresh) outcomes.set(row.line, 'created');
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      // Someone else took one of the emails meanwhile: one at a time, the taken ones become existing.
      for (const row of fresh) {
        const { existingId } = await candidates.createOne(row.input, row.id, job.createdBy);
        if (existingId === undefined || existingId === row.id) outcomes.set(row.line, 'created');
        else existing.push(row);
      }
    }
    if (existing.length) {
      const holders = await candidates.idsByEmail([...new Set(existing.map((r) => r.input.email))]);
      for (const row of existing.sort((a, b) => a.line - b.line)) {
        const holder = holders.get(row.input.email);
        if (!holder) outcomes.set(row.line, { reason: 'the candidate with this email was removed while the import ran' });
        else if (job.mode === 'skip') outcomes.set(row.line, 'skipped');
        else {
          await candidates.upsert(holder, row.input, job.createdBy);
          outcomes.set(row.line, 'updated');
        }
      }
    }
    return outcomes;
  }

  /** Writes one batch, records its failed rows, then moves the checkpoint and the counters together. */
  async function commit(job: ImportRecord, rows: Row[], next: { offset: number; line: number }): Promise<ImportRecord | undefined> {
    const valid = rows.flatMap((row) => ('input' in row.result ? [{ line: row.line, input: row.result.input }] : []));
    const outcomes = await write(job, valid);
    const counts: ImportCounts = { processed: rows.length, created: 0, updated: 0, skipped: 0, failed: 0 };
    const errors: RowError[] = [];
    for (const row of rows) {
      const outcome: Outcome = 'reason' in row.result ? row.result : outcomes.get(row.line)!;
      if (typeof outcome === 'string') counts[outcome]++;
      else {
        counts.failed++;
        errors.push({ line: row.line, reason: outcome.reason, row: outcome.withheld ? [] : row.raw });
      }
    }
    if (errors.length) await imports.addErrors(job.id, errors);
    const processed = job.processed + counts.processed;
    const progress = job.total ? Math.min(99, Math.floor((processed / job.total) * 100)) : 0;
    if (!(await imports.advance(job.id, job.line, { ...next, progress }, counts))) return undefined;
    return {
      ...job, ...next, progress, processed,
      created: job.created + counts.created, updated: job.updated + counts.updated, skipped: job.skipped + counts.skipped, failed: job.failed + counts.failed,
    };
  }

  async function* csvBatches(job: ImportRecord): AsyncGenerator<{ rows: Row[]; next: { offset: number; line: number } }> {
    const columns: ColumnMap = mapColumns(job.header!, job.mapping);
    const source = { type: 'import' as const, ...(job.source ? { detail: job.source } : {}) };
    let rows: Row[] = [];
    let last: CsvRow | undefined;
    for await (const row of files.csvRows(job.id, { offset: job.offset, line: job.line, delimiter: job.delimiter! })) {
      rows.push({ line: row.line, result: rowToCandidate(row.values, columns, source), raw: row.values });
      last = row;
      if (rows.length === BATCH_ROWS) {
        yield { rows, next: { offset: row.endOffset, line: row.line } };
        rows = [];
      }
    }
    if (rows.length) yield { rows, next: { offset: last!.endOffset, line: last!.line } };
  }

  async function* jsonBatches(job: ImportRecord): AsyncGenerator<{ rows: Row[]; next: { offset: number; line: number } }> {
    const documents = (await files.json(job.id)) as unknown[];
    const source = { type: 'import' as const, ...(job.source ? { detail: job.source } : {}) };
    for (let start = job.offset; start < documents.length; start += BATCH_ROWS) {
      const slice = documents.slice(start, start + BATCH_ROWS);
      const rows = slice.map((document, i) => ({
        line: start + i + 1,
        result: documentToCandidate(document, source),
        raw: JSON.stringify(document) ?? 'null',
      }));
      yield { rows, next: { offset: start + slice.length, line: start + slice.length } };
    }
  }

  return {
    get: async (id: string) => publicJob(await get(id)),

    /** A file in the request body: stored, then processed in the background once it lands. */
    async start(body: string | unknown[], options: Options, actor: string): Promise<ImportJob> {
      const format = typeof body === 'string' ? 'csv' : 'json';
      const job = newJob(format, options, actor, 'queued');
      await imports.create(job);
      await files.put(job.id, typeof body === 'string' ? body : JSON.stringify(body), format);
      return publicJob(job);
    },

    /** A presigned URL for a large file; processing starts when it arrives. */
    async startUpload(format: ImportJob['format'], options: Options, actor: string) {
      const job = newJob(format, options, actor, 'awaiting-upload');
      await imports.create(job);
      const maxBytes = format === 'json' ? MAX_JSON_IMPORT_BYTES : MAX_IMPORT_BYTES;
      const upload = await files.uploadUrl(job.id, format, maxBytes);
      return { ...publicJob(job), upload: { ...upload, method: 'PUT' as const, maxBytes } };
    },

    /** The file is in the bucket: queue the job and start its workflow (once, whatever S3 redelivers). */
    async fileArrived(id: string): Promise<void> {
      const job = await imports.get(id);
      if (!job) return;
      if (job.status === 'awaiting-upload') await imports.advance(id, job.line, { status: 'queued' });
      await workflows.start(IMPORT_WORKFLOW, id, { jobId: id });
    },

    /** One chunk of work, until `deadline` (ms since epoch): answers whether the job is finished. */
    async work(id: string, deadline: number): Promise<boolean> {
      let job: ImportRecord | undefined = await get(id);
      if (job.status === 'failed') return true;
      if (job.status === 'completed') {
        // A run that died between completing the job and removing the file left the file behind.
        await files.remove(id);
        return true;
      }
      if (job.status !== 'running') {
        job = await prepare(job);
        if (!job) return ['completed', 'failed'].includes((await get(id)).status);
      }
      for await (const { rows, next } of job.format === 'csv' ? csvBatches(job) : jsonBatches(job)) {
        job = await commit(job, rows, next);
        if (!job) return false; // another run moved the checkpoint: let the workflow look again
        if (Date.now() > deadline) return false;
      }
      await imports.advance(id, job.line, { status: 'completed', progress: 100, completedAt: clock.now(), total: job.processed });
      // Data minimisation: the candidates are in the table now and failed rows beside the job; the file goes.
      await files.remove(id);
      return true;
    },

    /** The workflow gave up on the job after repeated failures. */
    async giveUp(id: string, cause: string): Promise<void> {
      const job = await get(id);
      if (job.status !== 'completed' && job.status !== 'failed') await fail(job, `The import stopped after repeated failures (${cause.slice(0, 200)}); the rows before line ${job.line + 1} were imported.`);
    },

    async *errors(id: string): AsyncGenerator<{ header: string[] | undefined; errors: RowError[] }> {
      const job = await get(id);
      for await (const errors of imports.errors(id)) yield { header: job.header, errors };
    },
  };
}

export type ImportService = ReturnType<typeof importService>;
