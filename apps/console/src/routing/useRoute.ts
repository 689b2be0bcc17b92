import { useCallback, useSyncExternalStore } from 'react';
import { parseRoute, type Route, routeHref } from './route.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const readHash = () => window.location.hash;

export function useRoute(): { route: Route; navigate: (route: Route) => void } {
  const hash = useSyncExternalStore(subscribe, readHash, () => '');
  const navigate = useCallback((route: Route) => {
    window.location.hash = routeHref(route);
  }, []);
  return { route: parseRoute(hash), navigate };
}
