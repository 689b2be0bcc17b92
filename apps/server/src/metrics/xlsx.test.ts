// The workbook is a real ZIP with the parts a spreadsheet needs: unzip (Info-ZIP) lists and tests it, and
// the sheet holds the cells as written.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnName, xlsxOf } from './xlsx.ts';

describe('the .xlsx writer', () => {
  it('names columns like a spreadsheet', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });

  it('writes a workbook unzip accepts, with numbers, text and empty cells', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhike-xlsx-')), 'kpis.xlsx');
    writeFileSync(
      file,
      xlsxOf('KPIs 2026-11', [
        ['day', 'fcr', 'note'],
        ['2026-11-20', 0.5, '首次 <解决> & "率"'],
        ['total', null, ''],
      ]),
    );
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toContain('No errors');
    const listed = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    expect(sheet).toContain('<c r="B2"><v>0.5</v></c>');
    expect(sheet).toContain(
      '<c r="C2" t="inlineStr"><is><t>首次 &lt;解决&gt; &amp; &quot;率&quot;</t></is></c>',
    );
    expect(sheet).toContain('<row r="3"><c r="A3" t="inlineStr"><is><t>total</t></is></c></row>');
    expect(execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' })).toContain(
      '<sheet name="KPIs 2026-11"',
    );
  });
});
