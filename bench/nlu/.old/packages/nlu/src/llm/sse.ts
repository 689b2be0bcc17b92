// Incremental Server-Sent Events reader (the framing of streamed chat completions): bytes in, the `data`
// of each complete event out. Bytes arrive in arbitrary pieces, so a UTF-8 character, a line or an event
// may be split across reads; lines end in LF, CRLF or a lone CR (the SSE spec allows all three).

export interface SseReader {
  /** Feeds the next piece of the body; returns the data of every event it completed. */
  push(chunk: Uint8Array | string): string[];
  /** The body ended: returns the data of a last event that had no blank line after it. */
  end(): string[];
}

export function createSseReader(): SseReader {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  let hasData = false;
  // A CR at the very end of a piece may be the first half of a CRLF split across two reads.
  let pendingCr = false;

  function line(text: string, out: string[]): void {
    if (text === '') {
      if (hasData) out.push(data.join('\n'));
      data = [];
      hasData = false;
      return;
    }
    if (text.startsWith(':')) return; // comment / keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    if (field !== 'data') return; // event, id, retry: not used by chat completions
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
    hasData = true;
  }

  function drain(out: string[]): void {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c === 10 /* LF */) {
        line(buffer.slice(start, i), out);
        start = i + 1;
      } else if (c === 13 /* CR */) {
        if (i + 1 === buffer.length) {
          pendingCr = true;
          line(buffer.slice(start, i), out);
          start = i + 1;
          break;
        }
        line(buffer.slice(start, i), out);
        if (buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  }

  return {
    push(chunk) {
      let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (pendingCr) {
        pendingCr = false;
        if (text.startsWith('\n')) text = text.slice(1);
      }
      buffer += text;
      const out: string[] = [];
      drain(out);
      return out;
    },
    end() {
      buffer += decoder.decode();
      const out: string[] = [];
      drain(out);
      if (buffer !== '') line(buffer, out);
      buffer = '';
      line('', out);
      return out;
    },
  };
}
