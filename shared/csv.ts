import { stringify } from 'csv-stringify/sync';

/**
 * A spreadsheet would run a cell starting with = + - @, a tab or a carriage return as a formula (CSV injection,
 * OWASP): such a cell gets a leading apostrophe, which spreadsheets show as text.
 */
export const neutralisedCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** A CSV document: the header, then each row, every cell neutralised. */
export function csvOf(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([[...header], ...rows.map((row) => row.map((cell) => neutralisedCell(cell === undefined || cell === null ? '' : String(cell))))]);
}
