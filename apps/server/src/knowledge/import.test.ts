// Import parsers on real files: CSV in UTF-8 (with and without BOM) and GBK, XLSX written by a tiny ZIP
// writer, Markdown as questions or as one article; every row error names its line.
import type { KnowledgeFaq } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { articleFromMarkdown, faqsFromMarkdown, faqsFromTable, planFaqImport } from './faqImport.ts';
import { gbk, xlsx, zip } from './testFiles.ts';
import { decodeText, ImportFileError, parseCsv } from './textFile.ts';
import { readFirstSheet } from './xlsx.ts';

const csvZh = [
  '问题,相似问题,答案,标签',
  '发什么快递,"快递是哪家|用什么快递",默认顺丰，偏远地区中通,物流',
  '"可以开发票吗","能开票吗',
  '发票怎么开","可以，下单时填写抬头，""电子发票""随货发送","财务,发票"',
  '',
  '能自提吗,,,门店',
].join('\r\n');

describe('text files', () => {
  it('reads UTF-8 with and without BOM, and GBK exports from Excel', () => {
    const utf8 = Buffer.from(csvZh, 'utf8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    const gbkBytes = gbk(csvZh);
    expect(gbkBytes.equals(utf8)).toBe(false);
    expect(decodeText(utf8)).toEqual({ text: csvZh, encoding: 'utf-8' });
    expect(decodeText(bom)).toEqual({ text: csvZh, encoding: 'utf-8' });
    expect(decodeText(gbkBytes)).toEqual({ text: csvZh, encoding: 'gb18030' });
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toThrow(ImportFileError);
  });

  it('parses quoted cells with commas, doubled quotes and line breaks, keeping line numbers', () => {
    const rows = parseCsv(csvZh);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6]);
    expect(rows[2]?.cells).toEqual([
      '可以开发票吗',
      '能开票吗\n发票怎么开',
      '可以，下单时填写抬头，"电子发票"随货发送',
      '财务,发票',
    ]);
    expect(() => parseCsv('a,b\n"open,x')).toThrow(/Line 2/);
  });
});

describe('FAQ rows from a table', () => {
  it('maps Chinese headers, splits similar questions and tags, and reports errors by line', () => {
    const faqs = faqsFromTable(parseCsv(csvZh));
    expect(faqs[0]).toMatchObject({
      line: 2,
      question: '发什么快递',
      similarQuestions: ['快递是哪家', '用什么快递'],
      answer: '默认顺丰，偏远地区中通',
      tags: ['物流'],
      errors: [],
    });
    expect(faqs[1]).toMatchObject({
      line: 3,
      similarQuestions: ['能开票吗', '发票怎么开'],
      tags: ['财务', '发票'],
    });
    expect(faqs[2]).toMatchObject({ line: 6, errors: ['answer is empty'] });
  });

  it('maps English headers in any order and case, with an enabled column', () => {
    const faqs = faqsFromTable(
      parseCsv(
        'Answer,Question,Similar Questions,Tags,Enabled\nWithin 24 hours,When do you ship?,ship time|dispatch,shipping,no\nx,y,,,maybe',
      ),
    );
    expect(faqs[0]).toMatchObject({
      question: 'When do you ship?',
      similarQuestions: ['ship time', 'dispatch'],
      enabled: false,
    });
    expect(faqs[1]?.errors).toEqual(['enabled must be yes/no (是/否), not "maybe"']);
  });

  it('refuses a file without question and answer columns', () => {
    expect(() => faqsFromTable(parseCsv('标题,内容\na,b'))).toThrow(/question column/);
    expect(() => faqsFromTable([])).toThrow(ImportFileError);
  });
});

describe('XLSX', () => {
  it('reads the first sheet through the workbook relationships, with shared strings', () => {
    const file = xlsx([
      ['问题', '相似问题', '答案', '标签'],
      ['几点发货', '什么时候发货\n多久发出', '16:00 前付款当天发 <全国>', '物流'],
      [null, null, null, null],
      ['退货地址', null, 'A & B 大厦', null],
      ['价格', null, 99, null],
    ]);
    const rows = readFirstSheet(file);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4, 5]);
    const faqs = faqsFromTable(rows);
    expect(faqs.map((f) => [f.line, f.question, f.answer])).toEqual([
      [2, '几点发货', '16:00 前付款当天发 <全国>'],
      [4, '退货地址', 'A & B 大厦'],
      [5, '价格', '99'],
    ]);
    expect(faqs[0]?.similarQuestions).toEqual(['什么时候发货', '多久发出']);
  });

  it('refuses what is not a workbook', () => {
    expect(() => readFirstSheet(Buffer.from('问题,答案\n'))).toThrow(/Not an XLSX/);
    expect(() => readFirstSheet(zip({ 'hello.txt': 'x' }))).toThrow(/workbook/);
    const truncated = xlsx([['问题', '答案']]).subarray(0, 200);
    expect(() => readFirstSheet(truncated)).toThrow(ImportFileError);
  });
});

describe('Markdown', () => {
  const md = [
    '# 常见问题',
    '',
    '## 发什么快递？',
    '默认**顺丰**，偏远地区中通。',
    '相似问题：快递是哪家 | 用什么快递',
    '标签：物流',
    '',
    '## 可以开发票吗',
    '- 电子发票随货发送',
    '- 专票请联系客服',
    '',
    '## 空的问题',
  ].join('\n');

  it('takes each ## heading as a question with the text below as its answer', () => {
    const faqs = faqsFromMarkdown(md);
    expect(faqs.map((f) => [f.line, f.question, f.answer, f.errors])).toEqual([
      [3, '发什么快递？', '默认顺丰，偏远地区中通。', []],
      [8, '可以开发票吗', '• 电子发票随货发送\n• 专票请联系客服', []],
      [12, '空的问题', '', ['answer is empty']],
    ]);
    expect(faqs[0]).toMatchObject({ similarQuestions: ['快递是哪家', '用什么快递'], tags: ['物流'] });
    expect(() => faqsFromMarkdown('just text')).toThrow(/article/);
  });

  it('takes a whole document as one article titled by its first heading', () => {
    expect(articleFromMarkdown(md)).toMatchObject({ title: '常见问题', body: md, errors: [] });
    expect(articleFromMarkdown(md, '售后说明').title).toBe('售后说明');
    expect(articleFromMarkdown('   ').errors).toContain('the file is empty');
  });
});

describe('import plan', () => {
  const existing = (question: string, answer: string): KnowledgeFaq => ({
    id: `id-${question}`,
    question,
    similarQuestions: [],
    answer,
    keywords: [],
    tags: [],
    enabled: true,
    origin: null,
    edited: false,
    version: 1,
    createdAt: '',
    updatedAt: '',
  });

  it('creates new questions, updates changed ones, skips identical ones and flags duplicates', () => {
    const rows = faqsFromTable(
      parseCsv('问题,答案\n发什么快递？,顺丰\n能开发票吗,可以\n新问题,新答案\n发什么快递,重复'),
    );
    const plan = planFaqImport([existing('发什么快递', '顺丰'), existing('能开发票吗', '不可以')], rows);
    expect(plan.map((p) => [p.line, p.action, p.id])).toEqual([
      [2, 'skip', 'id-发什么快递'],
      [3, 'update', 'id-能开发票吗'],
      [4, 'create', null],
      [5, 'error', null],
    ]);
    expect(plan[3]?.errors).toEqual(['the same question is already on line 2']);
  });
});
