// Bar charts drawn as SVG by hand: a picture for the eye, labelled for a screen reader, with
// the same numbers in the table beside it.
interface Bar {
  label: string;
  value: number;
  /** the value as people read it (€120, 45%) */
  shown: string;
  /** a second, thinner bar drawn over the first (refunds over gross) */
  overlay?: number;
}

export function BarChart({ title, bars, max, overlayName }: { title: string; bars: Bar[]; max?: number; overlayName?: string }) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const LABEL = 190;
  const WIDTH = 560;
  const ROW = 26;
  const height = bars.length * ROW + 8;
  const scale = (v: number) => (v / top) * (WIDTH - LABEL - 70);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">Nothing to show.</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.shown}`).join('; ')}`}>
          {bars.map((b, i) => {
            const y = 4 + i * ROW;
            return (
              <g key={`${b.label}-${i}`}>
                <text x={LABEL - 8} y={y + 15} text-anchor="end" class="chart-label">
                  {b.label.length > 27 ? `${b.label.slice(0, 26)}…` : b.label}
                </text>
                <rect x={LABEL} y={y + 2} width={Math.max(scale(b.value), b.value > 0 ? 2 : 0)} height={ROW - 8} class="chart-bar" rx={3} />
                {b.overlay ? <rect x={LABEL} y={y + 8} width={Math.max(scale(b.overlay), 2)} height={ROW - 20} class="chart-overlay" /> : null}
                <text x={LABEL + scale(b.value) + 6} y={y + 15} class="chart-value">
                  {b.shown}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {overlayName && bars.some((b) => b.overlay) && (
        <p class="small muted">
          <span class="swatch chart-overlay-swatch" aria-hidden="true" /> {overlayName}
        </p>
      )}
    </figure>
  );
}
