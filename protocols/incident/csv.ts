/**
 * CSV as RFC 4180 writes it, for the exports, and a reader for checking them.
 *
 * RFC 4180 §2: records end with CRLF; a field containing a comma, a double quote, CR or LF is
 * enclosed in double quotes, and a double quote inside it is doubled. The text is UTF-8
 * (RFC 7111 registers `text/csv; charset=utf-8`); Cyrillic and other scripts pass unchanged.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so text that a
 * partner typed could run in a reader's spreadsheet (OWASP "CSV injection"). With
 * `formulaGuard` (the default) such text cells get a leading apostrophe, which spreadsheets
 * hide; numbers are written as numbers and never guarded, so `-1` stays `-1`.
 */

/** A cell: text, a number, or empty (`undefined`). */
export type CsvCell = string | number | undefined;

/** How {@link formatCsv} writes. */
export interface CsvOptions {
  /** Prefix a UTF-8 byte order mark, which Excel needs to read UTF-8. Default false. */
  readonly bom?: boolean;
  /** Neutralise text cells that a spreadsheet would run as a formula. Default true. */
  readonly formulaGuard?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field as RFC 4180 writes it. */
export function csvField(cell: CsvCell, formulaGuard = true): string {
  if (cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = formulaGuard && FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and rows as RFC 4180 CSV, every record ending with CRLF. */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: CsvOptions = {},
): string {
  const guard = options.formulaGuard ?? true;
  const lines = [header, ...rows].map((row) => row.map((cell) => csvField(cell, guard)).join(','));
  return (options.bom === true ? '\uFEFF' : '') + lines.map((line) => `${line}\r\n`).join('');
}

/** What {@link readCsv} answers. */
export type CsvReading =
  | { readonly ok: true; readonly rows: string[][] }
  | { readonly ok: false; readonly message: string; readonly line: number };

/**
 * Reads RFC 4180 CSV into rows of fields (a leading byte order mark is skipped; LF alone is
 * accepted as a line break too). Answers why when a quote is misplaced or left open.
 */
export function readCsv(text: string): CsvReading {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let k = text.startsWith('\uFEFF') ? 1 : 0;
  const endField = (): void => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  for (; k < text.length; k++) {
    const c = text.charAt(k);
    if (quoted) {
      if (c === '"') {
        if (text[k + 1] === '"') {
          field += '"';
          k++;
        } else {
          quoted = false;
          const next = text[k + 1];
          if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
            return { ok: false, message: 'text after a closing quote', line };
          }
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (fieldStarted) return { ok: false, message: 'a quote inside an unquoted field', line };
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[k + 1] === '\n') k++;
      endField();
      rows.push(row);
      row = [];
      line++;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { ok: false, message: 'a quoted field is not closed', line };
  if (fieldStarted || row.length > 0) {
    endField();
    rows.push(row);
  }
  return { ok: true, rows };
}
