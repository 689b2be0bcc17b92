// The quality page loads on first visit: its charts (ECharts) stay out of the bundle every agent loads.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import type { Route } from '../routing/route.ts';

const QualityPage = lazy(() => import('./QualityPage.tsx').then((m) => ({ default: m.QualityPage })));

export function QualityRoute({ navigate }: { navigate: (route: Route) => void }) {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <QualityPage navigate={navigate} />
    </Suspense>
  );
}
