// Runs after every unit test file (vitest.config.ts setupFiles). Files share one process, so an app a file
// forgot to close would keep its job poller and timers running through every later file: close it here.
import { afterAll } from 'vitest';
import { closeLeftoverTestApps } from '../../apps/server/src/testing.ts';

afterAll(async () => {
  const left = await closeLeftoverTestApps();
  if (left > 0) console.warn(`closed ${left} test app(s) this file left open`);
});
