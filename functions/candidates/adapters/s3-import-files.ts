import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { parse, type Info } from 'csv-parse';
import type { Readable } from 'node:stream';
import { bucketName, s3 } from '../../../shared/files/s3.ts';
import { ImportFileError, type ImportFiles } from '../domain/ports.ts';

const UPLOAD_URL_SECONDS = 15 * 60;
const contentTypes = { csv: 'text/csv', json: 'application/json' } as const;

/** Imported files live under uploads/<importId>: the arrival of one starts its import. */
export const UPLOAD_PREFIX = 'uploads/';
const keyOf = (importId: string) => `${UPLOAD_PREFIX}${importId}`;
export const importIdOfKey = (key: string) => (key.startsWith(UPLOAD_PREFIX) ? decodeURIComponent(key.slice(UPLOAD_PREFIX.length)) : undefined);

async function read(importId: string, range?: string): Promise<Readable> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId), Range: range }));
  return object.Body as Readable;
}

/** The delimiter the header line uses most: comma, semicolon or tab. */
function delimiterOf(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, headerLine.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

/** The first bytes tell UTF-16 and other non-UTF-8 files from UTF-8 ones. */
function checkEncoding(head: Buffer) {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head.includes(0);
  if (utf16) throw new ImportFileError('The file is UTF-16; save it as CSV UTF-8 and import it again.');
  const notUtf8 = new ImportFileError('The file is not UTF-8 (perhaps Windows-1252 or Latin-1); save it as CSV UTF-8 and import it again.');
  let text: string;
  try {
    // The sample may end inside a character: stream mode leaves that one out.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    throw notUtf8;
  }
  // Replacement characters: the file was converted from another encoding on its way here, and lost letters.
  if (text.includes('\uFFFD')) throw notUtf8;
}

const parser = (delimiter: string, fromStart: boolean) =>
  parse({ delimiter, bom: fromStart, info: true, skip_empty_lines: true, relax_column_count: true, trim: false, max_record_size: 1024 * 1024 });

type Parsed = { record: string[]; info: Info };

export const s3ImportFiles: ImportFiles = {
  async remove(importId) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId) }));
  },

  async put(importId, body, format) {
    await s3.send(new PutObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId), Body: body, ContentType: contentTypes[format] }));
  },

  async uploadUrl(importId, format) {
    const command = new PutObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId), ContentType: contentTypes[format] });
    // The presigner is needed for uploads only: loaded on first use.
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const url = await getSignedUrl(s3, command, { expiresIn: UPLOAD_URL_SECONDS });
    return { url, headers: { 'content-type': contentTypes[format] }, expiresAt: new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString() };
  },

  async size(importId) {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId) }));
      return head.ContentLength;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
  },

  async csvLayout(importId) {
    const head = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucketName('imports'), Key: keyOf(importId), Range: 'bytes=0-65535' }))).Body!.transformToByteArray());
    if (!head.length || !head.toString('utf8').replace(/^\uFEFF/, '').trim()) throw new ImportFileError('The file is empty.');
    checkEncoding(head);
    const delimiter = delimiterOf(head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!);
    // One streaming pass: the header, where the data starts, and how many rows there are (for progress).
    let header: string[] | undefined;
    let dataOffset = 0;
    let headerLine = 0;
    let rows = 0;
    try {
      for await (const { record, info } of (await read(importId)).pipe(parser(delimiter, true)) as AsyncIterable<Parsed>) {
        if (!header) {
          header = record.map((column) => column.trim());
          dataOffset = info.bytes;
          headerLine = info.lines;
        } else rows++;
      }
    } catch (error) {
      throw new ImportFileError(`The file is not valid CSV: ${(error as Error).message}`);
    }
    if (!header?.some(Boolean)) throw new ImportFileError('The file has no header row.');
    return { header, delimiter, dataOffset, headerLine, rows };
  },

  async *csvRows(importId, from) {
    const body = await read(importId, `bytes=${from.offset}-`);
    const rows = body.pipe(parser(from.delimiter, from.offset === 0));
    let endLine = from.line;
    let empty = 0;
    try {
      for await (const { record, info } of rows as AsyncIterable<Parsed>) {
        // A record starts on the line after the previous one ended, past any blank lines skipped between.
        const line = endLine + 1 + (info.empty_lines - empty);
        empty = info.empty_lines;
        endLine = from.line + info.lines;
        yield { values: record, line, endOffset: from.offset + info.bytes };
      }
    } finally {
      rows.destroy();
      body.destroy();
    }
  },

  async json(importId) {
    const text = Buffer.from(await (await read(importId)).toArray().then((chunks) => Buffer.concat(chunks))).toString('utf8').replace(/^\uFEFF/, '');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ImportFileError('The file is not valid JSON.');
    }
  },
};
