/**
 * WEB-6: a report's series as charts (uPlot): conversations received,
 * resolved and abandoned per hour or day, and the mean wait per hour or
 * day. The canvas is hidden from screen readers; its text alternative is a
 * sentence with the range's sums and a table of every point, which the
 * reader can open. Times on the axis are in the report's time zone; the
 * legend shows the time and values of the point under the pointer.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Report } from '../../api-types.js';
import { useAdmin } from '../../context.js';
import type { AdminKey } from '../../strings.js';
import { duration } from './report-format.js';
import { adoptUplotStyles } from './uplot-styles.js';

type Series = Report['series'];

const HEIGHT = 220;
/** Tick steps: whole conversations, and whole seconds for waits (never two ticks written alike). */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const colors = { received: '#2563eb', resolved: '#16a34a', abandoned: '#dc2626', wait: '#9333ea' };

interface Line {
  label: AdminKey;
  color: string;
  values: (number | null)[];
  /** Drawn as bars (a sparse series: a lone hour still shows) rather than a line. */
  bars?: true;
}

/** One uPlot chart in a div that follows its container's width. */
function Plot(props: {
  xs: number[];
  lines: Line[];
  timeZone: string;
  bucket: Series['bucket'];
  yValue?: (v: number) => string;
}) {
  const { t, lang } = useAdmin();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    adoptUplotStyles();
    const yValue = props.yValue;
    // Axis times in the page's language and the report's time zone (uPlot's own names are English only).
    const tick = new Intl.DateTimeFormat(lang, {
      timeZone: props.timeZone,
      ...(props.bucket === 'hour'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { month: 'short', day: 'numeric' }),
    });
    // The legend names the point under the cursor: its start, in full, in the report's zone.
    const at = new Intl.DateTimeFormat(lang, {
      timeZone: props.timeZone,
      ...(props.bucket === 'hour'
        ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { dateStyle: 'medium' }),
    });
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), props.timeZone),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
        series: [
          {
            label: t('rptStart'),
            value: (_u: uPlot, ts: number | null) => (ts === null ? '—' : at.format(new Date(ts * 1000))),
          },
          ...props.lines.map((l) => ({
            label: t(l.label),
            stroke: l.color,
            width: 2,
            ...(l.bars && bars ? { paths: bars, fill: `${l.color}99`, points: { show: false } } : {}),
            ...(l.bars ? {} : { points: { show: true, size: 6, fill: l.color } }),
            ...(yValue ? { value: (_u: uPlot, v: number | null) => (v === null ? '—' : yValue(v)) } : {}),
          })),
        ],
        // Live: hovering a point shows its time and every line's value there in the legend.
        legend: { live: true },
        axes: [
          { values: (_u, splits) => splits.map((v) => tick.format(new Date(v * 1000))) },
          yValue
            ? { values: (_u, splits) => splits.map(yValue), size: 56, incrs: SECOND_STEPS }
            : { size: 44, incrs: COUNT_STEPS },
        ],
      },
      [props.xs, ...props.lines.map((l) => l.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 240), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.xs, props.lines, props.timeZone, props.bucket, lang]);
  return <div class="rpt-plot" ref={box} aria-hidden="true" />;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export function SeriesCharts({ series, timeZone }: { series: Series; timeZone: string }) {
  const { t, lang } = useAdmin();
  const { points, bucket } = series;
  // Memoised on the answer, so a chart is drawn again only when the figures (or the language) change.
  const { xs, volume, wait } = useMemo(() => {
    const volumeLines: Line[] = [
      { label: 'fig_received', color: colors.received, values: points.map((p) => p.received) },
      { label: 'fig_resolved', color: colors.resolved, values: points.map((p) => p.resolved) },
      { label: 'fig_abandoned', color: colors.abandoned, values: points.map((p) => p.abandoned) },
    ];
    const waitLines: Line[] = [
      {
        label: 'fig_waitMs',
        color: colors.wait,
        bars: true,
        values: points.map((p) => (p.waitMsMean === null ? null : p.waitMsMean / 1000)),
      },
    ];
    return { xs: points.map((p) => Date.parse(p.start) / 1000), volume: volumeLines, wait: waitLines };
  }, [points]);
  const when = new Intl.DateTimeFormat(lang, {
    timeZone,
    ...(bucket === 'hour'
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { dateStyle: 'medium' }),
  });
  const per = t(bucket === 'hour' ? 'rptPerHour' : 'rptPerDay');
  return (
    <section class="adm-card rpt-section" data-testid="report-charts">
      <div class="rpt-charts">
        <figure class="rpt-figure" data-testid="chart-volume">
          <figcaption>{t('rptChartVolume', { per })}</figcaption>
          <Plot xs={xs} lines={volume} timeZone={timeZone} bucket={bucket} />
          <p class="adm-muted rpt-alt" data-testid="chart-volume-alt">
            {t('rptChartVolumeAlt', {
              received: sum(points.map((p) => p.received)),
              resolved: sum(points.map((p) => p.resolved)),
              abandoned: sum(points.map((p) => p.abandoned)),
              n: points.length,
              per,
            })}
          </p>
        </figure>
        <figure class="rpt-figure" data-testid="chart-wait">
          <figcaption>{t('rptChartWait', { per })}</figcaption>
          <Plot xs={xs} lines={wait} timeZone={timeZone} bucket={bucket} yValue={(s) => duration(s * 1000)} />
        </figure>
      </div>
      <details class="rpt-data">
        <summary>{t('rptChartData')}</summary>
        <table class="adm-table" data-testid="series-table">
          <thead>
            <tr>
              <th scope="col">{t('rptStart')}</th>
              <th scope="col">{t('fig_received')}</th>
              <th scope="col">{t('fig_resolved')}</th>
              <th scope="col">{t('fig_abandoned')}</th>
              <th scope="col">{t('fig_waitMs')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.start} data-start={p.start}>
                <th scope="row">{when.format(new Date(p.start))}</th>
                <td>{p.received}</td>
                <td>{p.resolved}</td>
                <td>{p.abandoned}</td>
                <td>{duration(p.waitMsMean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
