/**
 * The admin pages' form pieces: a labelled field that shows the server's
 * validation error when the error names it (the API's `field` is a dotted
 * path such as `widening.overflowTo` or `skills.1`, the pre-chat form's a
 * slash path such as `fields/0/key`; a field shows errors of its own name
 * and of anything under it), a form-level problem box for whatever no field
 * names (WEB-7: never nothing), and what a page shows until it has loaded.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from './context.js';
import type { Problem } from './problem.js';
import type { Loaded } from './use-resource.js';

export { problemOf, type Problem } from './problem.js';
export { useLoad, type Loaded } from './use-resource.js';

/** Whether the problem is about the field `name` or something inside it. */
export const names = (problem: Problem | undefined, name: string): boolean =>
  problem?.field !== undefined && (problem.field === name || problem.field.startsWith(`${name}.`));

export function Field(props: {
  label: string;
  name: string;
  problem: Problem | undefined;
  hint?: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const bad = names(props.problem, props.name);
  return (
    <div class={`adm-field${bad ? ' adm-invalid' : ''}${props.wide ? ' adm-wide' : ''}`} data-field={props.name}>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is the child the page passes in */}
      <label>
        <span class="adm-label">{props.label}</span>
        {props.children}
      </label>
      {props.hint && <small class="adm-hint">{props.hint}</small>}
      {bad && (
        <p class="adm-field-error" role="alert" data-field-error={props.name}>
          {props.problem!.message}
        </p>
      )}
    </div>
  );
}

/** The problem when no field of `fields` shows it (or it names no field). */
export function FormProblem({ problem, fields }: { problem: Problem | undefined; fields: readonly string[] }) {
  const t = useT();
  if (!problem || fields.some((f) => names(problem, f))) return null;
  return (
    <p class="problem" role="alert" data-testid="form-problem">
      {t(
        problem.code === 'unreachable'
          ? 'unreachable'
          : problem.code === 'forbidden'
            ? 'forbidden'
            : problem.code === 'conflict'
              ? 'conflict'
              : 'refused',
      )}{' '}
      {problem.code !== 'unreachable' && problem.message}
      {problem.field && ` (${problem.field})`}
    </p>
  );
}

/** After a refused save, the keyboard goes to the first field the server named. */
export function useFocusInvalid(problem: Problem | undefined) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!problem?.field) return;
    const el = ref.current?.querySelector<HTMLElement>(
      '.adm-invalid input, .adm-invalid select, .adm-invalid textarea',
    );
    el?.focus();
  }, [problem]);
  return ref;
}

/** A page's whole-page failure (cannot load), with a retry. */
export function LoadProblem({ problem, retry }: { problem: Problem; retry(): void }) {
  const t = useT();
  return (
    <div class="problem" role="alert" data-testid="load-problem">
      <p>
        {problem.code === 'unreachable'
          ? t('unreachable')
          : problem.code === 'forbidden'
            ? t('forbidden')
            : t('loadFailed')}{' '}
        {problem.code !== 'unreachable' && problem.message}
      </p>
      <button type="button" onClick={retry}>
        {t('retry')}
      </button>
    </div>
  );
}

/** What a page shows until its data is there: the load's problem with a retry, or "Loading…"; null once loaded. */
export function NotLoaded({ loaded }: { loaded: Loaded<unknown> }) {
  const t = useT();
  if (loaded.data !== undefined) return null;
  if (loaded.problem) return <LoadProblem problem={loaded.problem} retry={loaded.reload} />;
  return <p class="placeholder">{t('loading')}</p>;
}

/** The workspace's departments as the options of a picker. */
export function DepartmentOptions({ departments }: { departments: readonly { id: string; name: string }[] }) {
  return (
    <>
      {departments.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </>
  );
}

/** Comma- or newline-separated words, trimmed, empties dropped. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** A number input's value: undefined when empty. */
export const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
