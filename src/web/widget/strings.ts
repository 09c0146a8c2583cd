/** The widget's words in both languages (WEB-1, WEB-2). */
import type { Dictionary } from '../shared/i18n.js';

type Key =
  | 'open'
  | 'close'
  | 'title'
  | 'unread'
  | 'placeholder'
  | 'send'
  | 'connecting'
  | 'offline'
  | 'refused'
  | 'queued'
  | 'queuedWait'
  | 'backlog_no_agents_online'
  | 'backlog_closed'
  | 'backlog_queue_full'
  | 'with'
  | 'typing'
  | 'read'
  | 'sending'
  | 'failed'
  | 'resolved'
  | 'rateAsk'
  | 'rateThanks'
  | 'rateScore'
  | 'empty'
  | 'you'
  | 'file'
  | 'newMessage';

export const strings: Dictionary<Key> = {
  en: {
    open: 'Chat with us',
    close: 'Close chat',
    title: 'Customer service',
    unread: '{n} unread',
    placeholder: 'Write a message…',
    send: 'Send',
    connecting: 'Connecting…',
    offline: 'Connection lost. Reconnecting…',
    refused: 'Chat is not available on this website.',
    queued: 'You are number {position} in line.',
    queuedWait: 'You are number {position} in line, about {minutes} min.',
    backlog_no_agents_online: 'Nobody is online right now. Leave a message and we will answer as soon as we are back.',
    backlog_closed: 'We are closed right now. Leave a message and we will answer when we open.',
    backlog_queue_full: 'All our agents are busy. Leave a message and we will answer as soon as we can.',
    with: 'You are chatting with {name}',
    typing: '{name} is typing…',
    read: 'Read',
    sending: 'Sending…',
    failed: 'Not sent: {reason}',
    resolved: 'This conversation has ended. Write again any time.',
    rateAsk: 'How did we do?',
    rateThanks: 'Thank you for your rating.',
    rateScore: '{n} of 5',
    empty: 'Ask us anything: we usually answer within minutes.',
    you: 'You',
    file: 'File: {name}',
    newMessage: '({n}) New message',
  },
  'zh-CN': {
    open: '在线咨询',
    close: '关闭对话',
    title: '在线客服',
    unread: '{n} 条未读',
    placeholder: '请输入消息…',
    send: '发送',
    connecting: '正在连接…',
    offline: '连接已断开，正在重连…',
    refused: '本网站暂不提供在线咨询。',
    queued: '您前面还有 {position} 位（含您）。',
    queuedWait: '您前面还有 {position} 位（含您），预计等待约 {minutes} 分钟。',
    backlog_no_agents_online: '当前没有客服在线。请留言，我们上线后会尽快回复。',
    backlog_closed: '当前不在服务时间。请留言，我们上班后会回复您。',
    backlog_queue_full: '客服都在忙。请留言，我们会尽快回复。',
    with: '{name} 正在为您服务',
    typing: '{name} 正在输入…',
    read: '已读',
    sending: '发送中…',
    failed: '发送失败：{reason}',
    resolved: '本次对话已结束，如有需要可随时再留言。',
    rateAsk: '请为本次服务评分',
    rateThanks: '感谢您的评价。',
    rateScore: '{n} 分（满分 5 分）',
    empty: '有任何问题都可以问我们，通常几分钟内回复。',
    you: '我',
    file: '文件：{name}',
    newMessage: '（{n}）新消息',
  },
};

export type StringKey = Key;
