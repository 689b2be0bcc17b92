// localStorage can be missing or throw (Safari private mode, blocked third-party storage): fall back to memory.
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const data = new Map<string, string>();
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, value);
    },
    removeItem: (key) => {
      data.delete(key);
    },
  };
}

export function safeStore(get: () => KeyValueStore | undefined): KeyValueStore {
  const fallback = memoryStore();
  let backing: KeyValueStore = fallback;
  try {
    const candidate = get();
    if (candidate) {
      const probe = '__zhike_probe__';
      candidate.setItem(probe, '1');
      candidate.removeItem(probe);
      backing = candidate;
    }
  } catch {
    backing = fallback;
  }
  return {
    getItem: (key) => {
      try {
        return backing.getItem(key);
      } catch {
        return fallback.getItem(key);
      }
    },
    setItem: (key, value) => {
      try {
        backing.setItem(key, value);
      } catch {
        fallback.setItem(key, value);
      }
    },
    removeItem: (key) => {
      try {
        backing.removeItem(key);
      } catch {
        fallback.removeItem(key);
      }
    },
  };
}

/** Reads JSON written by us; anything unreadable counts as absent. */
export function readJson<T>(
  store: KeyValueStore,
  key: string,
  valid: (value: unknown) => value is T,
): T | null {
  const raw = store.getItem(key);
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}
