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
  | 'newMessage'
  | 'preChatTitle'
  | 'fieldName'
  | 'fieldEmail'
  | 'fieldMessage'
  | 'optional'
  | 'required'
  | 'badEmail'
  | 'startChat'
  | 'leaveSend'
  | 'leaveThanks'
  | 'leaveFailed'
  | 'attach'
  | 'dropHere'
  | 'uploading'
  | 'upload_too_large'
  | 'upload_type'
  | 'upload_space'
  | 'upload_busy'
  | 'upload_network'
  | 'upload_refused'
  | 'remove'
  | 'openImage'
  | 'closeImage'
  | 'download'
  | 'unreachable'
  | 'parted';

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
    newMessage: '({n}) New message',
    preChatTitle: 'Before we start, tell us a little about you.',
    fieldName: 'Your name',
    fieldEmail: 'Email',
    fieldMessage: 'How can we help?',
    optional: ' (optional)',
    required: 'Please fill this in.',
    badEmail: 'This does not look like an email address.',
    startChat: 'Start chat',
    leaveSend: 'Leave message',
    leaveThanks: 'Thank you, {name}. We have your message and will answer here and at {email}.',
    leaveFailed: 'Your message could not be sent: {reason}',
    attach: 'Attach a file',
    dropHere: 'Drop the file to send it',
    uploading: 'Uploading… {percent}%',
    upload_too_large: 'This file is too large.',
    upload_type: 'This kind of file cannot be sent. Send an image (PNG, JPEG, GIF, WebP), a PDF or a text file.',
    upload_space: 'The server has no room for this file right now. Try again later.',
    upload_busy: 'The server is busy. Try again in a moment.',
    upload_network: 'The upload failed: the file may be too large, or the connection was lost.',
    upload_refused: 'The file was refused.',
    remove: 'Remove',
    openImage: 'Open image {name}',
    closeImage: 'Close image',
    download: 'Download {name}',
    unreachable: 'We cannot reach the chat server right now. We will keep trying.',
    parted: '{name} left the conversation.',
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
    newMessage: '（{n}）新消息',
    preChatTitle: '开始咨询前，请简单介绍一下您自己。',
    fieldName: '您的姓名',
    fieldEmail: '电子邮箱',
    fieldMessage: '请问有什么可以帮您？',
    optional: '（选填）',
    required: '此项为必填项。',
    badEmail: '邮箱地址格式不正确。',
    startChat: '开始咨询',
    leaveSend: '提交留言',
    leaveThanks: '谢谢您，{name}。我们已收到留言，会在这里并通过 {email} 回复您。',
    leaveFailed: '留言未能发送：{reason}',
    attach: '添加文件',
    dropHere: '松开即可发送文件',
    uploading: '正在上传… {percent}%',
    upload_too_large: '文件太大，无法发送。',
    upload_type: '不支持此类文件。请发送图片（PNG、JPEG、GIF、WebP）、PDF 或文本文件。',
    upload_space: '服务器暂时没有空间存放此文件，请稍后再试。',
    upload_busy: '服务器繁忙，请稍后再试。',
    upload_network: '上传失败：文件可能太大，或连接已断开。',
    upload_refused: '文件被拒绝。',
    remove: '移除',
    openImage: '查看图片 {name}',
    closeImage: '关闭图片',
    download: '下载 {name}',
    unreachable: '暂时无法连接客服服务器，我们会继续尝试。',
    parted: '{name} 已离开会话。',
  },
};

export type StringKey = Key;
