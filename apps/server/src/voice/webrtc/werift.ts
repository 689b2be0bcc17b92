// werift costs ~0.5 s of CPU to import, so it loads with the first browser call, not with every process.
import type * as Werift from 'werift';

let loaded: typeof Werift | undefined;
let loading: Promise<typeof Werift> | undefined;

export function loadWerift(): Promise<typeof Werift> {
  loading ??= import('werift').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/** The loaded module; only code reached after `loadWerift()` (a leg exists) may call it. */
export function werift(): typeof Werift {
  if (!loaded) throw new Error('werift is not loaded yet: await loadWerift() first');
  return loaded;
}
