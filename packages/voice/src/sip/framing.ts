// Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), with the same hard limits
// as the parser, and recognises RFC 5626 CRLF keep-alive pings between messages.

import { SipParseError } from './errors.ts';
import { DEFAULT_SIP_LIMITS, type SipLimits } from './message.ts';

export type FramedItem = { kind: 'message'; bytes: Buffer } | { kind: 'ping' };

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*([0-9]{1,10})[ \t]*$/im;

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly limits: SipLimits;

  constructor(limits: Partial<SipLimits> = {}) {
    this.limits = { ...DEFAULT_SIP_LIMITS, ...limits };
  }

  /** Bytes held while waiting for the rest of a message (counted against the source's in-flight cap). */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * Adds bytes and returns every complete item. Throws SipParseError when the stream cannot be framed
   * any more (no Content-Length, oversize headers or body): the connection must then be closed.
   */
  push(chunk: Buffer): FramedItem[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const items: FramedItem[] = [];
    for (;;) {
      const item = this.next();
      if (!item) break;
      items.push(item);
    }
    return items;
  }

  private next(): FramedItem | null {
    // A double CRLF between messages is a keep-alive ping (answered with one CRLF); lone CRLFs are skipped.
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === 13 || this.buffer[start] === 10)) start++;
    if (start > 0) {
      const ping = this.buffer.subarray(0, start).includes('\r\n\r\n');
      this.buffer = this.buffer.subarray(start);
      if (ping) return { kind: 'ping' };
    }
    if (this.buffer.length === 0) return null;
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) {
      if (this.buffer.length > this.limits.maxMessageBytes) {
        throw new SipParseError('too-large', 'headers exceed the message size limit');
      }
      return null;
    }
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const match = CONTENT_LENGTH.exec(head);
    if (!match) throw new SipParseError('bad-content-length', 'Content-Length is required on TCP');
    const bodyLength = Number(match[1]);
    const total = headEnd + 4 + bodyLength;
    if (bodyLength > this.limits.maxBodyBytes || total > this.limits.maxMessageBytes) {
      throw new SipParseError('too-large', `message of ${total} bytes exceeds the limits`);
    }
    if (this.buffer.length < total) return null;
    const bytes = Buffer.from(this.buffer.subarray(0, total));
    this.buffer = this.buffer.subarray(total);
    return { kind: 'message', bytes };
  }
}
