/** What every admin page reads: the API client, the language's words and the departments (for pickers). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language, Translate } from '../shared/i18n.js';
import type { AdminApi } from './api.js';
import type { AdminKey } from './strings.js';

export interface AdminContext {
  api: AdminApi;
  lang: Language;
  t: Translate<AdminKey>;
}

export const Admin = createContext<AdminContext | undefined>(undefined);

export function useAdmin(): AdminContext {
  const cx = useContext(Admin);
  if (!cx) throw new Error('admin pages render inside <Admin.Provider>');
  return cx;
}

export const useT = (): Translate<AdminKey> => useAdmin().t;
