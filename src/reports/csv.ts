/**
 * MON-2: CSV as RFC 4180 has it: CRLF line ends, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled. The file starts
 * with a UTF-8 byte order mark, which is what makes Excel read UTF-8 (and so
 * Chinese names) instead of the system's legacy code page.
 */
export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** `switchboard-<what>-<from>-<to>.csv`, the dates as the caller gave them, made safe for a file name. */
export const csvFileName = (what: string, from: string, to: string): string =>
  `switchboard-${what}-${from}-${to}.csv`.replace(/[^A-Za-z0-9._-]/g, '-');
