// The ASR double speaks the OpenAI transcription wire format, checks request shape, and only knows its
// candidate phrases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AsrDouble, startAsrDouble } from './asrDouble.js';
import { createClips } from './clips.js';
import { mulawRoundTrip } from './mulaw.js';
import { encodeWav, monoSamples, readWav } from './wav.js';

const clips = createClips();
let asr: AsrDouble;
let question: Buffer;

beforeAll(async () => {
  asr = await startAsrDouble({ candidates: ['你好，我想查询订单状态', '转人工'], clips, apiKey: 'sk-test' });
  question = encodeWav(
    mulawRoundTrip(monoSamples(readWav(await clips.speech('你好，我想查询订单状态')))),
    8000,
  );
});
afterAll(async () => {
  await asr.close();
});

function form(fields: Record<string, string>, file?: Buffer, fileType = 'audio/wav') {
  const f = new FormData();
  if (file) f.set('file', new Blob([new Uint8Array(file)], { type: fileType }), 'utterance.wav');
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

const post = (body: FormData | string, headers: Record<string, string> = {}) =>
  fetch(`${asr.baseUrl}/audio/transcriptions`, {
    method: 'POST',
    body,
    headers: { authorization: 'Bearer sk-test', ...headers },
  });

describe('ASR double', () => {
  it('transcribes a known phrase in json, text and verbose_json', async () => {
    const res = await post(form({ model: 'whisper-1', language: 'zh' }, question));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: '你好，我想查询订单状态' });
    const text = await post(form({ model: 'whisper-1', response_format: 'text' }, question));
    expect(await text.text()).toBe('你好，我想查询订单状态');
    const verbose = await post(form({ model: 'whisper-1', response_format: 'verbose_json' }, question));
    expect(((await verbose.json()) as { text: string }).text).toBe('你好，我想查询订单状态');
    expect(asr.requests.at(-1)).toMatchObject({
      model: 'whisper-1',
      sampleRate: 8000,
      text: '你好，我想查询订单状态',
    });
  });

  it('answers empty text for audio it does not know', async () => {
    const res = await post(form({ model: 'whisper-1' }, encodeWav(new Int16Array(8000), 8000)));
    expect(await res.json()).toEqual({ text: '' });
  });

  it('refuses malformed requests with OpenAI-style 4xx errors', async () => {
    const cases: Array<[FormData | string, Record<string, string>, number, RegExp]> = [
      [form({}, question), {}, 400, /model/],
      [form({ model: 'm' }), {}, 400, /file/],
      [form({ model: 'm' }, Buffer.from('not a wav at all')), {}, 400, /WAV/],
      [form({ model: 'm', response_format: 'srt' }, question), {}, 400, /response_format/],
      [form({ model: 'm', language: 'zh-CN' }, question), {}, 400, /language/],
      ['{"model":"m"}', { 'content-type': 'application/json' }, 400, /multipart/],
      [form({ model: 'm' }, question), { authorization: 'Bearer wrong' }, 401, /API key/],
    ];
    for (const [body, headers, status, message] of cases) {
      const res = await post(body, headers);
      expect(res.status).toBe(status);
      const err = (await res.json()) as { error: { message: string } };
      expect(err.error.message).toMatch(message);
    }
    const wrongPath = await fetch(`${asr.baseUrl}/audio/speech`, { method: 'POST' });
    expect(wrongPath.status).toBe(404);
    // Still serving after all that.
    expect((await post(form({ model: 'm' }, question))).status).toBe(200);
  });

  it('takes new candidates', async () => {
    asr.setCandidates(['转人工']);
    expect(await (await post(form({ model: 'm' }, question))).json()).toEqual({ text: '' });
    asr.setCandidates(['你好，我想查询订单状态', '转人工']);
  });
});
