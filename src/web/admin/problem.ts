/** A refusal or failure as the pages show it: the server's stable code, its message and the field it names. */
import { ApiError } from './api.js';

export interface Problem {
  code: string;
  message: string;
  field?: string;
}

export const problemOf = (err: unknown): Problem =>
  err instanceof ApiError
    ? { code: err.code, message: err.message, ...(err.field ? { field: err.field.replace(/\//g, '.') } : {}) }
    : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
