/**
 * The admin menu: each page, its label, its view and who sees it, in menu
 * order. Admins see every page; supervisors only those marked for them
 * (the reports, WEB-6), the API scoping them to their departments.
 */
import type { FunctionComponent } from 'preact';
import type { AdminKey } from './strings.js';
import { DepartmentsPage } from './pages/departments.js';
import { StaffPage } from './pages/staff.js';
import { KeywordRulesPage } from './pages/keyword-rules.js';
import { RoutingTestPage } from './pages/routing-test.js';
import { TagsPage } from './pages/tags.js';
import { CannedRepliesPage } from './pages/canned-replies.js';
import { AutoMessagesPage } from './pages/auto-messages.js';
import { WorkspacePage } from './pages/workspace.js';
import { PreChatFormPage } from './pages/pre-chat-form.js';
import { SnippetPage } from './pages/snippet.js';
import { AuditPage } from './pages/audit.js';
import { BackupPage } from './pages/backup.js';
import { lazyView } from './lazy-view.js';

export interface AdminPage {
  id: string;
  label: AdminKey;
  view: FunctionComponent;
  /** Shown to supervisors too (otherwise admins only). */
  supervisors?: true;
}

export const pages: readonly AdminPage[] = [
  { id: 'departments', label: 'navDepartments', view: DepartmentsPage },
  { id: 'staff', label: 'navStaff', view: StaffPage },
  { id: 'keyword-rules', label: 'navRules', view: KeywordRulesPage },
  { id: 'routing-test', label: 'navTest', view: RoutingTestPage },
  { id: 'tags', label: 'navTags', view: TagsPage },
  { id: 'canned-replies', label: 'navCanned', view: CannedRepliesPage },
  { id: 'auto-messages', label: 'navAuto', view: AutoMessagesPage },
  { id: 'workspace', label: 'navWorkspace', view: WorkspacePage },
  { id: 'pre-chat-form', label: 'navPreChat', view: PreChatFormPage },
  { id: 'widget-snippet', label: 'navSnippet', view: SnippetPage },
  { id: 'audit', label: 'navAudit', view: AuditPage },
  { id: 'backup', label: 'navBackup', view: BackupPage },
  // uPlot and the report views are their own chunk, loaded when the page opens.
  {
    id: 'reports',
    label: 'navReports',
    view: lazyView(() => import('./pages/reports/reports-page.js')),
    supervisors: true,
  },
];

export type AdminRole = 'supervisor' | 'admin';

/** The pages a role sees, in menu order. */
export const pagesFor = (role: AdminRole): readonly AdminPage[] =>
  role === 'admin' ? pages : pages.filter((p) => p.supervisors);

/** The page of that id among `shown`, or the first of them (an unknown id, or a page the role does not see). */
export const pageById = (shown: readonly AdminPage[], id: string): AdminPage =>
  shown.find((p) => p.id === id) ?? shown[0]!;
