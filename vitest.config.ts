import { defineConfig } from 'vitest/config';

// Three projects, run one after the other (groupOrder), each two files at a time (Vitest's default on a
// 2-core machine is one worker: cores - 1). Tests that hold real-time audio (RTP every 20 ms, SIP peers,
// speech turn latencies) run last, among themselves only: they spend their time waiting on the audio
// clock, so two of them fit the machine, while a CPU-heavy unit or browser file beside them would make
// their numbers measure the neighbour rather than Zhike.
const realtime = [
  'tests/integration/voice-{bot,call,campaign,sip}*.test.ts',
  'tests/support/voice/{baresip,kamailio}.test.ts',
  'tests/e2e/voice-*.test.ts',
  'packages/voice/src/rtp/session.test.ts',
  'packages/voice/src/sip/flood.test.ts',
  'packages/voice/src/pipeline/voiceBot.test.ts',
  'apps/server/src/voice/webrtc/*.test.ts',
  'apps/server/src/browserCalls.test.ts',
  'apps/server/src/voice.test.ts',
  'bench/voice/**/*.test.ts',
];

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/support/**/*.test.ts',
            'templates/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', ...realtime],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...realtime],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'realtime',
          include: realtime,
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
