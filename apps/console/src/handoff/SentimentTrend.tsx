// The customer's mood over their messages as a tiny line (-1 bottom … 1 top) and an arrow for where it went.
const WIDTH = 72;
const HEIGHT = 18;
const ARROWS = { improving: '↗', worsening: '↘', steady: '→' } as const;

/** SVG polyline points for scores in -1…1, spread evenly across the width. */
export function sparklinePoints(scores: readonly number[], width = WIDTH, height = HEIGHT): string {
  if (scores.length === 0) return '';
  const step = scores.length > 1 ? width / (scores.length - 1) : 0;
  return scores
    .map((score, i) => {
      const clamped = Math.max(-1, Math.min(1, score));
      const x = scores.length > 1 ? i * step : width / 2;
      const y = ((1 - clamped) / 2) * height;
      return `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`;
    })
    .join(' ');
}

type Props = { scores: readonly number[]; direction: keyof typeof ARROWS; label: string };

export function SentimentTrend({ scores, direction, label }: Props) {
  return (
    <span className="zk-sentiment-trend" data-testid="handoff-sentiment" data-direction={direction}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <line x1="0" y1={HEIGHT / 2} x2={WIDTH} y2={HEIGHT / 2} className="zk-sentiment-zero" />
        <polyline
          points={sparklinePoints(scores)}
          className={`zk-sentiment-line zk-sentiment-${direction}`}
        />
      </svg>
      <span className={`zk-sentiment-arrow zk-sentiment-${direction}`}>
        {ARROWS[direction]} {label}
      </span>
    </span>
  );
}
