/** The admin pages' words, zh-CN and en (every key in both: the compiler checks). */
import type { Dictionary } from '../shared/i18n.js';
import { type AdminKey, en } from './strings-en.js';
import { zhCN } from './strings-zh.js';

export type { AdminKey };

export const strings: Dictionary<AdminKey> = { en, 'zh-CN': zhCN };
