import { defineConfig } from 'vitest/config';

// Two projects: unit/integration tests beside the code, and browser end-to-end tests, each one file at a
// time (Vitest's default on a 2-core machine). Two at a time was measured in a clean-clone run: slower in
// total (33.5 min against an estimated 27), because the suite is CPU-bound (app creation, migrations,
// PostgreSQL, Chromium), and it brought races of its own — one worker dropping its PostgreSQL test
// schema while another's migrator listed tables, real-time audio tests beside a browser.
//
// Files share one process per project (`isolate: false`): with a fresh process per file, every file
// imported the server's ~1,500 modules again, and JIT warm-up started over; eight server test files took
// 118 s of CPU isolated and 65 s shared. Test files therefore must not leave global state behind (fake
// timers, globals, environment variables): they restore what they change in afterEach/afterAll.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          isolate: false,
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/support/**/*.test.ts',
            'templates/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          isolate: false,
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A page polled for what it shows gets 10 s, not Vitest's 1 s: a console view loads several panels.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
