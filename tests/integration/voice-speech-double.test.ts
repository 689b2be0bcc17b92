// The server's real speech adapters against the test doubles the voice acceptance test relies on: what
// the espeak-ng TTS adapter says, sent over a G.711 line and uploaded by the OpenAI-compatible ASR
// adapter, is recognised by the ASR double as the text that was spoken — and a different text is not.
import { createEspeakTts, createOpenAiAsr, globalFetch } from '@zhike/providers';
import { resample } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AsrDouble, startAsrDouble } from '../support/voice/asrDouble.js';
import { mulawRoundTrip } from '../support/voice/mulaw.js';

const answers = [
  '订单 ZK20261125001 当前状态：已发货。承运快递：顺丰速运，运单号：SF1234567890。',
  '订单 ZK20261125003 当前状态：已签收。承运快递：中通快递，运单号：ZT7788990011。',
  '我为您转接人工客服，请稍候。',
];

let asr: AsrDouble;
beforeAll(async () => {
  asr = await startAsrDouble({ candidates: answers, apiKey: 'sk-local' });
});
afterAll(async () => {
  await asr.close();
});

describe('speech adapters against the ASR double', () => {
  it('recognises what the espeak-ng adapter said after a phone line, and only that', async () => {
    const tts = createEspeakTts();
    const stt = createOpenAiAsr({ baseUrl: asr.baseUrl, apiKey: 'sk-local', fetch: globalFetch });
    for (const text of answers) {
      const spoken = await tts.synthesize(text, { language: 'zh-CN' });
      const line = mulawRoundTrip(resample(spoken.samples, spoken.sampleRate, 8000));
      const heard = await stt.transcribe({ samples: line, sampleRate: 8000 }, { language: 'zh-CN' });
      expect(heard.text).toBe(text);
    }
    // The adapter uploads 16 kHz WAV with the ISO language code.
    expect(asr.requests.at(-1)).toMatchObject({ sampleRate: 16_000, language: 'zh', model: 'whisper-1' });
    const other = await tts.synthesize('您好，欢迎致电演示小店，请问有什么可以帮您？', { language: 'zh-CN' });
    const heardOther = await stt.transcribe({
      samples: resample(other.samples, other.sampleRate, 8000),
      sampleRate: 8000,
    });
    expect(heardOther.text).toBe('');
  });
});
