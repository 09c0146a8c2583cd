/** The admin menu: each settings page, its label and its view, in menu order. */
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

export interface AdminPage {
  id: string;
  label: AdminKey;
  view: FunctionComponent;
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
];

export const pageById = (id: string): AdminPage => pages.find((p) => p.id === id) ?? pages[0]!;
