// Uploads a knowledge-base file as the raw request body (the JSON client cannot); the CSRF token goes along.
import type { KnowledgeImportFormat, KnowledgeImportResult } from '@zhike/contracts';
import { CSRF_HEADER } from '@zhike/contracts/protocol';
import { problemToError } from '../api/problem.ts';

const CONTENT_TYPES: Record<KnowledgeImportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  markdown: 'text/markdown',
};

/** The import format a file name says, or null. */
export function importFormatOf(fileName: string): KnowledgeImportFormat | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  return null;
}

export async function postImportFile(
  url: string,
  file: Blob,
  format: KnowledgeImportFormat,
  csrfToken: string,
): Promise<KnowledgeImportResult> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': CONTENT_TYPES[format], accept: 'application/json', [CSRF_HEADER]: csrfToken },
    body: file,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the error below carries the status
  }
  if (!response.ok) throw problemToError(response.status, body);
  return body as KnowledgeImportResult;
}
