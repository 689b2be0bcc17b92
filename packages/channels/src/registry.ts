// Every provider adapter, by the id stored on an inbox. Adding a vendor is one file plus one line here.
import type { ChannelAdapter } from './adapter.ts';
import { demoEmail, demoSms, demoWechat } from './demo/demoChannels.ts';
import { emailAdapter } from './email/emailAdapter.ts';
import { aliyunSms } from './sms/aliyun.ts';
import { tencentSms } from './sms/tencent.ts';
import { twilioSms } from './sms/twilio.ts';
import { sipVoice } from './voice/sipVoice.ts';
import { wechatOa } from './wechat/wechatOa.ts';

// Each adapter has its own config type; the server validates the stored config against `configSchema`
// before handing it over.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyAdapter = ChannelAdapter<any>;

export const channelAdapters: Readonly<Record<string, AnyAdapter>> = {
  'aliyun-sms': aliyunSms,
  'tencent-sms': tencentSms,
  'twilio-sms': twilioSms,
  'wechat-oa': wechatOa,
  email: emailAdapter,
  'sip-voice': sipVoice,
  // Simulated providers for demo shops: they send nothing (see demo/demoChannels.ts).
  'demo-sms': demoSms,
  'demo-email': demoEmail,
  'demo-wechat': demoWechat,
};

export function adapterFor(id: string): AnyAdapter | null {
  return Object.hasOwn(channelAdapters, id) ? (channelAdapters[id] ?? null) : null;
}
