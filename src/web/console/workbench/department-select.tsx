/** A choice among the wall's departments, by name. */
import type { DepartmentView } from './monitor-model.js';

export function DepartmentSelect(props: {
  departments: readonly DepartmentView[];
  value: string;
  label?: string;
  id?: string;
  testId: string;
  disabled?: boolean;
  onChange: (department: string) => void;
}) {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      data-testid={props.testId}
      disabled={props.disabled}
      value={props.value}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      {props.departments.map((d) => (
        <option key={d.department} value={d.department}>
          {d.name}
        </option>
      ))}
    </select>
  );
}
