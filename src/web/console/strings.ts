/** The console's words, zh-CN and en (shared/i18n.ts); the compiler checks both have every key. */
import type { Dictionary } from '../shared/i18n.js';

const en = {
  pageTitle: 'Agent console · Switchboard',
  appName: 'Switchboard console',
  tabsLabel: 'Console areas',
  tabDesk: 'Desk',
  tabWorkbench: 'Workbench',
  workbenchComing: 'The supervisor workbench appears here.',
  role_agent: 'agent',
  role_supervisor: 'supervisor',
  role_admin: 'admin',
  signOut: 'Sign out',
  connConnecting: 'Connecting to the server…',
  connUnreachable: 'The server cannot be reached. Retrying; nothing you wrote is lost.',
  connRefused: 'The server refused this console.',
} as const;

export type ConsoleKey = keyof typeof en;

const zh: Record<ConsoleKey, string> = {
  pageTitle: '客服工作台 · Switchboard',
  appName: 'Switchboard 工作台',
  tabsLabel: '工作台区域',
  tabDesk: '接待',
  tabWorkbench: '主管台',
  workbenchComing: '主管工作台将显示在这里。',
  role_agent: '客服',
  role_supervisor: '主管',
  role_admin: '管理员',
  signOut: '退出登录',
  connConnecting: '正在连接服务器…',
  connUnreachable: '无法连接服务器，正在重试；您写的内容不会丢失。',
  connRefused: '服务器拒绝了此工作台。',
};

export const strings: Dictionary<ConsoleKey> = { en, 'zh-CN': zh };
