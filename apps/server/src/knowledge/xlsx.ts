// A small XLSX reader: the ZIP central directory, inflate with zlib, the shared strings and the first
// worksheet's cells. Enough for the sheets shops export; no formulas are evaluated (cached values are read).
import { inflateRawSync } from 'node:zlib';
import { ImportFileError } from './textFile.ts';

/** Any one part larger than this when inflated is refused (a zip bomb, or not a FAQ sheet). */
const MAX_PART_BYTES = 32 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function centralDirectory(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new ImportFileError('Not an XLSX file (no ZIP directory found)');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50)
      throw new ImportFileError('The XLSX file is damaged (bad ZIP directory)');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(zip: Buffer, entry: ZipEntry): string {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50)
    throw new ImportFileError(`The XLSX file is damaged (${entry.name})`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize)
    throw new ImportFileError(`The XLSX file is truncated (${entry.name})`);
  if (entry.size > MAX_PART_BYTES) throw new ImportFileError(`${entry.name} is too large`);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method !== 8) throw new ImportFileError(`Unsupported ZIP compression in ${entry.name}`);
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_PART_BYTES }).toString('utf8');
  } catch {
    throw new ImportFileError(`The XLSX file is damaged (${entry.name} does not inflate)`);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text runs of a string item, without phonetic (furigana/pinyin) runs. */
function itemText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let text = '';
  for (const m of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) text += m[1];
  return unescapeXml(text);
}

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]!) : null;
}

/** Column letters of a cell reference to a 0-based index (A → 0, AA → 26). */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of /^[A-Z]+/i.exec(ref)?.[0]?.toUpperCase() ?? '') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export interface SheetRow {
  /** The row number Excel shows. */
  line: number;
  cells: string[];
}

/** The first worksheet's rows, cell values as text; empty rows left out. */
export function readFirstSheet(file: Buffer): SheetRow[] {
  const entries = new Map(centralDirectory(file).map((e) => [e.name.replace(/^\//, ''), e]));
  const part = (name: string): string | null => {
    const entry = entries.get(name);
    return entry ? readEntry(file, entry) : null;
  };
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new ImportFileError('Not an XLSX workbook (xl/workbook.xml missing)');
  const firstSheet = /<sheet\b[^>]*>/.exec(workbook)?.[0];
  if (!firstSheet) throw new ImportFileError('The workbook has no sheets');
  const relId = attribute(firstSheet, 'r:id');
  let sheetPath = 'xl/worksheets/sheet1.xml';
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels && relId)
    for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
      if (attribute(m[0], 'Id') !== relId) continue;
      const target = attribute(m[0], 'Target') ?? '';
      sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    }
  const sheet = part(sheetPath);
  if (!sheet) throw new ImportFileError(`The workbook's first sheet (${sheetPath}) is missing`);
  const shared = [...(part('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    itemText(m[1]!),
  );

  const rows: SheetRow[] = [];
  let previousLine = 0;
  for (const rowMatch of sheet.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const line = Number(attribute(rowMatch[1] ?? '', 'r') ?? previousLine + 1);
    previousLine = line;
    const cells: string[] = [];
    let nextColumn = 0;
    for (const cellMatch of (rowMatch[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cellMatch[1] ?? '';
      const ref = attribute(attrs, 'r');
      const column = ref ? columnIndex(ref) : nextColumn;
      nextColumn = column + 1;
      const type = attribute(attrs, 't');
      const inner = cellMatch[2] ?? '';
      const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      let value = '';
      if (type === 's') value = shared[Number(raw)] ?? '';
      else if (type === 'inlineStr') value = itemText(inner);
      else if (type === 'b') value = raw === '1' ? 'TRUE' : 'FALSE';
      else if (raw !== undefined) value = unescapeXml(raw);
      cells[column] = value;
    }
    const filled = Array.from(cells, (c) => c ?? '');
    if (filled.some((c) => c.trim() !== '')) rows.push({ line, cells: filled });
  }
  return rows;
}
