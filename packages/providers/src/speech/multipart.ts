// multipart/form-data bodies (RFC 7578) for audio uploads, built in memory: utterances are seconds long.
import { randomBytes } from 'node:crypto';

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; data: Buffer };

export function encodeMultipart(parts: FormPart[]): { contentType: string; body: Buffer } {
  const boundary = `----zhike${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (/["\r\n]/.test(part.name)) throw new Error(`bad form field name: ${part.name}`);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ('data' in part) {
      if (/["\r\n]/.test(part.filename)) throw new Error(`bad file name: ${part.filename}`);
      head += `; filename="${part.filename}"\r\nContent-Type: ${part.contentType}`;
    }
    chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
    chunks.push('data' in part ? part.data : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
