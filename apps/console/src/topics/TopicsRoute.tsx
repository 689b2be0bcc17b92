// The topics page loads on first visit: its charts (ECharts) stay out of the bundle every agent loads.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';

const TopicsPage = lazy(() => import('./TopicsPage.tsx').then((m) => ({ default: m.TopicsPage })));

export function TopicsRoute() {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <TopicsPage />
    </Suspense>
  );
}
