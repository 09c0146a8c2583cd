/** MON-1: a department's counts of the day, kept at Keys.departmentDay(id) so that a restart keeps them. */
export interface DepartmentDayRecord {
  /** The department's day, YYYY-MM-DD (local-day.ts). */
  day: string;
  assigned: number;
  resolved: number;
}
