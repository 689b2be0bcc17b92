import { describe, expect, it } from 'vitest';
import { createSseReader } from './sse.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('SSE reader', () => {
  it('reads data events separated by blank lines, in LF, CRLF and CR', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const r = createSseReader();
      const body = `data: {"a":1}${eol}${eol}: keep-alive${eol}data: [DONE]${eol}${eol}`;
      expect(r.push(body)).toEqual(['{"a":1}', '[DONE]']);
      expect(r.end()).toEqual([]);
    }
  });

  it('joins multi-line data and ignores other fields', () => {
    const r = createSseReader();
    expect(r.push('event: message\nid: 7\ndata: one\ndata:two\nretry: 10\n\n')).toEqual(['one\ntwo']);
  });

  it('reassembles events, CRLFs and UTF-8 characters split across reads', () => {
    const whole = bytes('data: {"c":"你好"}\r\n\r\ndata: {"c":"世界"}\r\n\r\n');
    // Every split point, including inside the three-byte characters and between CR and LF.
    for (let cut = 1; cut < whole.length; cut++) {
      const r = createSseReader();
      const out = [...r.push(whole.slice(0, cut)), ...r.push(whole.slice(cut)), ...r.end()];
      expect(out, `cut at ${cut}`).toEqual(['{"c":"你好"}', '{"c":"世界"}']);
    }
  });

  it('one byte at a time', () => {
    const whole = bytes('data: {"c":"退款"}\n\ndata: [DONE]\n\n');
    const r = createSseReader();
    const out: string[] = [];
    for (const b of whole) out.push(...r.push(Uint8Array.of(b)));
    expect(out).toEqual(['{"c":"退款"}', '[DONE]']);
  });

  it('hands out a last event without its blank line at the end of the body', () => {
    const r = createSseReader();
    expect(r.push('data: last')).toEqual([]);
    expect(r.end()).toEqual(['last']);
  });
});
