/**
 * WEB-6 MON-2: the figures of a report as the totals tiles and as a table
 * per department or per agent (a row each, a column per figure, headers
 * scoped for screen readers). Cells carry `data-figure` so tests and the
 * CSV comparison can find a figure by its name.
 */
import type { Report, ReportFigures } from '../../api-types.js';
import { useT } from '../../context.js';
import { columns, shownColumns, tileKeys } from './report-columns.js';

type Row = Report['departments'][number];

export function TotalsTiles({ figures, serviceLevelSec }: { figures: ReportFigures; serviceLevelSec: number }) {
  const t = useT();
  return (
    <dl class="rpt-tiles" data-testid="report-totals">
      {tileKeys.map((key) => {
        const c = columns.find((x) => x.key === key)!;
        return (
          <div class="rpt-tile" key={key}>
            <dt>{t(c.label, { sec: serviceLevelSec })}</dt>
            <dd data-figure={key}>{c.text(figures)}</dd>
          </div>
        );
      })}
    </dl>
  );
}

export function FiguresTable(props: {
  caption: string;
  rows: readonly Row[];
  serviceLevelSec: number;
  testid: string;
  empty: string;
}) {
  const t = useT();
  const shown = shownColumns(props.rows.map((r) => r.figures));
  return (
    <section class="adm-card rpt-section">
      <h2 id={`${props.testid}-title`}>{props.caption}</h2>
      {props.rows.length === 0 ? (
        <p class="adm-muted" data-testid={`${props.testid}-empty`}>
          {props.empty}
        </p>
      ) : (
        <div class="rpt-scroll">
          <table class="adm-table rpt-table" data-testid={props.testid} aria-labelledby={`${props.testid}-title`}>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                {shown.map((c) => (
                  <th scope="col" key={c.key}>
                    {t(c.label, { sec: props.serviceLevelSec })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.id} data-row={r.id}>
                  <th scope="row">{r.name}</th>
                  {shown.map((c) => (
                    <td key={c.key} data-figure={c.key}>
                      {c.text(r.figures)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
