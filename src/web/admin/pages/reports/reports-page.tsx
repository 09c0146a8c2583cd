/**
 * Reports (WEB-6, MON-2): the figures of a range of days for one
 * department or all the caller may read (supervisors: the departments they
 * lead, as the API scopes them), as totals tiles, charts of the series,
 * tables per department and per agent, and the CSV downloads of the same
 * query (docs/reports.md for every figure). This module and uPlot load
 * only when the page is opened (pages.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Department, Report } from '../../api-types.js';
import { useAdmin } from '../../context.js';
import { DepartmentOptions, Field, FormProblem, LoadProblem, useLoad } from '../../form.js';
import { useDownload } from '../../save-file.js';
import { SeriesCharts } from './report-chart.js';
import { FiguresTable, TotalsTiles } from './report-tables.js';
import {
  DEFAULT_SERVICE_LEVEL_SEC,
  PRESETS,
  dayIn,
  daysOf,
  reportQuery,
  type Preset,
  type ReportChoice,
} from './report-query.js';

const initial: ReportChoice = {
  preset: 'today',
  from: '',
  to: '',
  department: '',
  serviceLevelSec: DEFAULT_SERVICE_LEVEL_SEC,
  timeZone: '',
};

/** The zones this browser knows, offered as suggestions; the server checks the one typed. */
const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export default function ReportsPage() {
  const { api, t } = useAdmin();
  const departments = useLoad(() => api.get<{ departments: Department[] }>('/departments'));
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  // Days are the report time zone's; the server says which in every answer.
  const [timeZone, setTimeZone] = useState('UTC');
  const today = dayIn(applied.timeZone.trim() || timeZone, new Date());
  const query = reportQuery(applied, today);
  const report = useLoad(() => api.get<Report>(`/reports/summary?${query}`), [query]);
  const zone = report.data?.range.timeZone;
  useEffect(() => {
    if (zone) setTimeZone(zone);
  }, [zone]);
  const download = useDownload();
  const problem = report.problem?.field
    ? { ...report.problem, field: report.problem.field.replace(/^query\./, '') }
    : report.problem;

  const choosePreset = (preset: Preset) => {
    // Custom days start from what was shown, so a small change needs no retyping.
    const shown = daysOf(draft, today);
    setDraft({ ...draft, preset, ...(preset === 'custom' ? shown : {}) });
  };
  const shownDays = daysOf(applied, today);
  const data = report.data;
  return (
    <div data-testid="reports">
      <form
        class="adm-card adm-form adm-filters"
        data-testid="report-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
          report.reload();
        }}
      >
        <Field label={t('rptRange')} name="preset" problem={undefined}>
          <select
            name="preset"
            value={draft.preset}
            onChange={(e) => choosePreset((e.target as HTMLSelectElement).value as Preset)}
          >
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`rpt_${p}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.preset === 'custom' &&
          (['from', 'to'] as const).map((end) => (
            <Field key={end} label={t(end === 'from' ? 'rptFrom' : 'rptTo')} name={end} problem={problem}>
              <input
                name={end}
                type="date"
                required
                value={draft[end]}
                onInput={(e) => setDraft({ ...draft, [end]: (e.target as HTMLInputElement).value })}
              />
            </Field>
          ))}
        <Field label={t('rptDepartment')} name="department" problem={problem}>
          <select
            name="department"
            value={draft.department}
            onChange={(e) => setDraft({ ...draft, department: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{t('rptAllDepartments')}</option>
            <DepartmentOptions departments={departments.data?.departments ?? []} />
          </select>
        </Field>
        <Field label={t('rptServiceLevel')} name="serviceLevelSec" problem={problem}>
          <input
            name="serviceLevelSec"
            type="number"
            min={0}
            max={3600}
            step={1}
            required
            value={draft.serviceLevelSec}
            onInput={(e) => setDraft({ ...draft, serviceLevelSec: Number((e.target as HTMLInputElement).value) })}
          />
        </Field>
        <Field label={t('rptTimeZone')} name="timeZone" problem={problem}>
          <input
            name="timeZone"
            list="rpt-zones"
            autocomplete="off"
            placeholder={timeZone}
            value={draft.timeZone}
            onInput={(e) => setDraft({ ...draft, timeZone: (e.target as HTMLInputElement).value })}
          />
          <datalist id="rpt-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <button type="submit" class="primary" data-testid="report-show">
          {t('rptShow')}
        </button>
      </form>
      {problem && !data && <LoadProblem problem={problem} retry={report.reload} />}
      {problem && data && (
        <FormProblem problem={problem} fields={['from', 'to', 'department', 'serviceLevelSec', 'timeZone']} />
      )}
      {!data && !problem && <p class="placeholder">{t('loading')}</p>}
      {data && (
        <div data-testid="report" data-from={data.range.from} data-to={data.range.to}>
          <div class="adm-actions rpt-head">
            <p class="rpt-shown" data-testid="report-range">
              {t('rptShown', { from: shownDays.from, to: shownDays.to, timeZone: data.range.timeZone })}
            </p>
            <span class="grow" />
            <button
              type="button"
              disabled={download.busy !== undefined}
              data-testid="download-summary"
              onClick={() => void download.start(`/reports/summary.csv?${query}`)}
            >
              {t('rptDownloadSummary')}
            </button>
            <button
              type="button"
              disabled={download.busy !== undefined}
              data-testid="download-conversations"
              onClick={() => void download.start(`/reports/conversations.csv?${query}`)}
            >
              {t('rptDownloadConversations')}
            </button>
          </div>
          {download.busy && <p class="adm-muted">{t('rptDownloading')}</p>}
          {download.done && (
            <p class="adm-ok" role="status" data-testid="download-done">
              {t('rptDownloaded', { name: download.done.name })}
            </p>
          )}
          <FormProblem problem={download.problem} fields={[]} />
          <TotalsTiles figures={data.total} serviceLevelSec={data.serviceLevelSec} />
          <SeriesCharts series={data.series} timeZone={data.range.timeZone} />
          <FiguresTable
            caption={t('rptByDepartment')}
            rows={data.departments}
            serviceLevelSec={data.serviceLevelSec}
            testid="report-departments"
            empty={t('rptNoDepartments')}
          />
          <FiguresTable
            caption={t('rptByAgent')}
            rows={data.agents}
            serviceLevelSec={data.serviceLevelSec}
            testid="report-agents"
            empty={t('rptNoAgents')}
          />
        </div>
      )}
    </div>
  );
}
