const WIDTH = 64;
const HEIGHT = 18;

/** CPU % over the last samples as a bare polyline: far cheaper per row than a chart component. */
export function Sparkline({ values }: { values: readonly number[] | undefined }) {
  if (!values || values.length < 2) return <svg className="sparkline" width={WIDTH} height={HEIGHT} aria-hidden="true" />;
  const top = Math.max(100, ...values);
  const step = WIDTH / (values.length - 1);
  const points = values
    .map((value, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (value / top) * (HEIGHT - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true">
      <polyline points={points} fill="none" />
    </svg>
  );
}
