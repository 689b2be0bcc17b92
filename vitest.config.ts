import { defineConfig } from 'vitest/config';

// Three projects, one file at a time each (the suite is CPU-bound on a 2-core machine: app creation,
// PostgreSQL, Chromium, server processes). `npm test` (scripts/test.mjs) runs `unit` and `system` side by
// side, one Vitest process each, then `realtime` alone; `npx vitest run` runs them one after another.
//  - `unit`: tests beside the code and the light integration tests;
//  - `system`: browser end-to-end tests and the integration tests that start processes or many apps,
//    chosen so the two lanes take about as long;
//  - `realtime` (last, alone): SIP/RTP calls with real peers and browser audio, whose 20 ms clocks fail
//    next to other work.
// Tests in the two side-by-side lanes must hold on a loaded machine: a browser step waits on what the page
// shows (`expect.poll`, helpers that try a flaky widget again), never on a fixed short timeout.
// Files of a project share one process (`isolate: false`): with a process per file, every file imported
// the server's ~1,500 modules again and JIT warm-up started over (eight server test files: 118 s of CPU
// isolated, 65 s shared). So a test file must leave no global state behind (fake timers, globals,
// environment variables), and the setup file closes any test app a file forgot to close.
// History: two workers over one project raced (a PostgreSQL schema dropped under another worker's
// migrator — test databases are now separate databases) and put audio tests beside a browser.

const realtime = [
  'tests/integration/voice-bot-realtime.test.ts',
  'tests/integration/voice-call-baresip.test.ts',
  'tests/integration/voice-call-kamailio.test.ts',
  'tests/integration/voice-campaign-baresip.test.ts',
  'tests/e2e/voice-*.test.ts',
  'apps/server/src/browserCalls.test.ts',
  'apps/server/src/voice/webrtc/webRtcLeg.test.ts',
  'packages/voice/src/rtp/session.test.ts',
];

const system = [
  'tests/e2e/**/*.test.ts',
  'tests/integration/crash-safety.test.ts',
  'tests/integration/scheduler-processes.test.ts',
  'tests/integration/scale-out.test.ts',
  'tests/integration/tenancy-matrix.test.ts',
  'tests/integration/channels/wechat-oa.test.ts',
  'apps/server/src/webhooks.test.ts',
  'apps/server/src/robustness.test.ts',
  'apps/widget/test/**/*.test.ts',
];

const shared = {
  isolate: false,
  fileParallelism: false,
  setupFiles: ['tests/support/afterEachFile.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/support/**/*.test.ts',
            'templates/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: [...system, ...realtime],
          // Generous: this lane runs beside the browser lane on two cores.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'system',
          include: system,
          exclude: realtime,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A page polled for what it shows gets 10 s, not Vitest's 1 s: a console view loads several panels.
          expect: { poll: { timeout: 10_000 } },
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'realtime',
          include: realtime,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 10_000 } },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
