// Text files as shops export them: UTF-8 with or without a BOM, or GB18030/GBK from a Chinese Excel.
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'gb18030';
}

/**
 * UTF-8 when the bytes are valid UTF-8 (a BOM settles it), else GB18030 (a superset of GBK and GB2312).
 * Valid GBK text is practically never valid UTF-8, so trying UTF-8 strictly first is a safe detector.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: strict('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ImportFileError('UTF-16 files are not supported; save the file as UTF-8 CSV');
  try {
    return { text: strict('utf-8', bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: strict('gb18030', bytes), encoding: 'gb18030' };
    } catch {
      throw new ImportFileError('The file is neither UTF-8 nor GB18030/GBK text');
    }
  }
}

function strict(encoding: string, bytes: Uint8Array): string {
  const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  if (text.includes('\u0000')) throw new ImportFileError('The file is binary, not text');
  return text;
}

export interface CsvRow {
  /** 1-based line the row starts on. */
  line: number;
  cells: string[];
}

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks; \r\n, \n or \r end rows. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else if (ch === '\r' || ch === '\n') {
        // Line breaks inside a cell become \n whatever the file used.
        if (ch === '\r' && text[i + 1] === '\n') i++;
        line++;
        cell += '\n';
      } else cell += ch;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new ImportFileError(`Line ${rowLine}: a quoted cell is never closed`);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
