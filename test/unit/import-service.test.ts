import { describe, expect, it } from 'vitest';
import { candidateService } from '../../functions/candidates/domain/candidate-service.ts';
import { MAX_IMPORT_BYTES, importService } from '../../functions/candidates/domain/import-service.ts';
import { ImportFileError, type CsvLayout, type CsvRow, type ImportFiles, type ImportRecord, type ImportStore, type RowError } from '../../functions/candidates/domain/ports.ts';
import { inMemoryStores } from '../fixtures/in-memory-stores.ts';

/** A CSV "file" of data rows, one per line after the header; offsets count rows, which is all the service needs. */
function setup(rows: string[][], options: { size?: number; layoutError?: string } = {}) {
  const stores = inMemoryStores();
  const candidates = candidateService({ candidates: stores.candidateStore, clock: stores.clock, ids: stores.ids });
  const jobs = new Map<string, ImportRecord>();
  const errors: RowError[] = [];
  const imports: ImportStore = {
    create: async (job) => void jobs.set(job.id, job),
    get: async (id) => jobs.get(id) && { ...jobs.get(id)! },
    async advance(id, expectedLine, changes, counts = {}) {
      const job = jobs.get(id)!;
      if (job.line !== expectedLine) return false;
      const next = { ...job, ...changes } as ImportRecord;
      for (const [field, value] of Object.entries(counts)) (next as unknown as Record<string, number>)[field]! += value ?? 0;
      jobs.set(id, next);
      return true;
    },
    addErrors: async (_, list) => void errors.push(...list),
    async *errors() {
      yield errors;
    },
  };
  const files: ImportFiles = {
    put: async () => undefined,
    uploadUrl: async () => ({ url: 'https://upload', headers: {}, expiresAt: '2026-11-25T11:00:00.000Z' }),
    size: async () => options.size ?? 1000,
    async csvLayout(): Promise<CsvLayout> {
      if (options.layoutError) throw new ImportFileError(options.layoutError);
      return { header: ['email', 'first name'], delimiter: ',', dataOffset: 0, headerLine: 1, rows: rows.length };
    },
    async *csvRows(_, from): AsyncGenerator<CsvRow> {
      for (let i = from.offset; i < rows.length; i++) yield { values: rows[i]!, line: i + 2, endOffset: i + 1 };
    },
    json: async () => [],
    remove: async () => undefined,
  };
  const started: string[] = [];
  const service = importService({ imports, files, workflows: { start: async (_, name) => void started.push(name) }, candidates, clock: stores.clock, ids: stores.ids });
  return { service, stores, jobs, errors, started };
}

const people = (count: number) => Array.from({ length: count }, (_, i) => [`p${i}@example.com`, `P${i}`]);

describe('the import service', () => {
  it('starts the workflow once the file arrives, then imports every row with exact counts', async () => {
    const { service, started, stores } = setup([...people(250), ['', 'No email']]);
    const job = await service.start('csv text', { mode: 'skip' }, 'user-1');
    await service.fileArrived(job.id);
    await service.fileArrived(job.id);
    expect(started).toEqual([job.id, job.id]);
    expect(await service.work(job.id, Date.now() + 60_000)).toBe(true);
    expect(await service.get(job.id)).toMatchObject({ status: 'completed', total: 251, processed: 251, created: 250, failed: 1, progress: 100 });
    expect(stores.candidates.size).toBe(250);
  });

  it('resumes after a crash mid-batch from its checkpoint, recognising the candidates it already created', async () => {
    const { service, stores } = setup(people(230));
    const job = await service.start('csv text', { mode: 'skip' }, 'user-1');
    // The third batch's write lands, then the chunk dies before its checkpoint.
    const createAll = stores.candidateStore.createAll;
    let calls = 0;
    stores.candidateStore.createAll = async (batch) => {
      await createAll(batch);
      if (++calls === 3) throw new Error('crash after writing');
    };
    await expect(service.work(job.id, Date.now() + 60_000)).rejects.toThrow('crash after writing');
    expect(await service.get(job.id)).toMatchObject({ processed: 200, created: 200 });
    expect(await service.work(job.id, Date.now() + 60_000)).toBe(true);
    expect(await service.get(job.id)).toMatchObject({ status: 'completed', processed: 230, created: 230, skipped: 0, updated: 0 });
    expect(stores.candidates.size).toBe(230);
  });

  it('stops a chunk at its deadline and carries on in the next', async () => {
    const { service } = setup(people(300));
    const job = await service.start('csv text', { mode: 'skip' }, 'user-1');
    expect(await service.work(job.id, Date.now() - 1)).toBe(false);
    expect(await service.get(job.id)).toMatchObject({ status: 'running', processed: 100, progress: 33 });
    expect(await service.work(job.id, Date.now() + 60_000)).toBe(true);
  });

  it('fails an import whose file is too large or unreadable, saying why', async () => {
    const big = setup(people(1), { size: MAX_IMPORT_BYTES + 1 });
    const job = await big.service.start('csv text', { mode: 'skip' }, 'user-1');
    expect(await big.service.work(job.id, Date.now() + 60_000)).toBe(true);
    expect(await big.service.get(job.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('imports take up to 50 MB') });

    const broken = setup(people(1), { layoutError: 'The file is UTF-16; save it as CSV UTF-8 and import it again.' });
    const other = await broken.service.start('csv text', { mode: 'skip' }, 'user-1');
    expect(await broken.service.work(other.id, Date.now() + 60_000)).toBe(true);
    expect(await broken.service.get(other.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('UTF-16') });
  });

  it('records why the workflow gave up, keeping what was imported', async () => {
    const { service } = setup(people(150));
    const job = await service.start('csv text', { mode: 'skip' }, 'user-1');
    await service.work(job.id, Date.now() - 1);
    await service.giveUp(job.id, 'Lambda.Unknown');
    expect(await service.get(job.id)).toMatchObject({ status: 'failed', processed: 100, error: expect.stringContaining('rows before line 102 were imported') });
  });
});
