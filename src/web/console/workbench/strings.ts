/** The supervisor workbench's words in both languages (WEB-4, WEB-7). */
import type { Dictionary } from '../../shared/i18n.js';

export type WorkbenchKey =
  | 'title'
  | 'loading'
  | 'empty'
  | 'unreachable'
  | 'reconnecting'
  | 'agents'
  | 'noAgents'
  | 'queue'
  | 'backlog'
  | 'longestWait'
  | 'active'
  | 'assignedToday'
  | 'resolvedToday'
  | 'conversations'
  | 'noConversations'
  | 'load'
  | 'status_online'
  | 'status_busy'
  | 'status_away'
  | 'status_offline'
  | 'conv_new'
  | 'conv_queued'
  | 'conv_assigned'
  | 'conv_resolved'
  | 'waitingSince'
  | 'servedBy'
  | 'unassigned'
  | 'watch'
  | 'join'
  | 'part'
  | 'takeover'
  | 'reassign'
  | 'lend'
  | 'close'
  | 'cancel'
  | 'watching'
  | 'watchingSilently'
  | 'joinedVisibly'
  | 'youServe'
  | 'historyLoading'
  | 'visitor'
  | 'system'
  | 'notes'
  | 'noNotes'
  | 'ev_created'
  | 'ev_queued'
  | 'ev_assigned'
  | 'ev_unassigned'
  | 'ev_resolved'
  | 'ev_transferred'
  | 'ev_joined'
  | 'ev_parted'
  | 'ev_reopened'
  | 'reply'
  | 'send'
  | 'resolve'
  | 'summary'
  | 'reassignTitle'
  | 'toAgent'
  | 'toDepartment'
  | 'note'
  | 'notePlaceholder'
  | 'confirmReassign'
  | 'lendTitle'
  | 'lendTo'
  | 'minutes'
  | 'confirmLend'
  | 'endLoan'
  | 'done_join'
  | 'done_part'
  | 'done_takeover'
  | 'done_reassign'
  | 'done_lend'
  | 'done_endLoan'
  | 'done_resolve'
  | 'refused'
  | 'err_forbidden'
  | 'err_not_found'
  | 'err_conflict'
  | 'err_limit_exceeded'
  | 'err_disconnected'
  | 'err_unavailable'
  | 'dismiss'
  | 'minutesShort'
  | 'secondsShort';

export const workbenchStrings: Dictionary<WorkbenchKey> = {
  en: {
    title: 'Supervisor workbench',
    loading: 'Loading the live monitor…',
    empty: 'You supervise no department.',
    unreachable:
      'The server cannot be reached. The monitor shows the last figures it had and updates again once connected.',
    reconnecting: 'Reconnecting…',
    agents: 'Agents',
    noAgents: 'No agents in this department.',
    queue: 'In queue',
    backlog: 'Left messages',
    longestWait: 'Longest wait',
    active: 'Active',
    assignedToday: 'Assigned today',
    resolvedToday: 'Resolved today',
    conversations: 'Open conversations',
    noConversations: 'No open conversations.',
    load: '{active}/{max}',
    status_online: 'online',
    status_busy: 'busy',
    status_away: 'away',
    status_offline: 'offline',
    conv_new: 'new',
    conv_queued: 'waiting',
    conv_assigned: 'assigned',
    conv_resolved: 'resolved',
    waitingSince: 'since {time}',
    servedBy: 'with {name}',
    unassigned: 'nobody yet',
    watch: 'Watch',
    join: 'Join',
    part: 'Leave',
    takeover: 'Take over',
    reassign: 'Re-assign',
    lend: 'Lend',
    close: 'Close',
    cancel: 'Cancel',
    watching: 'Conversation {id}',
    watchingSilently: 'Watching silently: nobody is told.',
    joinedVisibly: 'You joined: the customer and the agent see you.',
    youServe: 'You serve this conversation.',
    historyLoading: 'Loading the history…',
    visitor: 'Customer',
    system: 'System',
    notes: 'Internal notes',
    noNotes: 'No internal notes.',
    ev_created: 'Conversation opened in {department}',
    ev_queued: 'Waiting in {department}',
    ev_assigned: 'Assigned to {name} ({policy})',
    ev_unassigned: '{name} lost it ({reason})',
    ev_resolved: 'Resolved by {by}{summary}',
    ev_transferred: 'Transferred to {to} by {by}',
    ev_joined: '{name} joined',
    ev_parted: '{name} left',
    ev_reopened: 'Reopened by the customer',
    reply: 'Write to the customer…',
    send: 'Send',
    resolve: 'Resolve',
    summary: 'Summary',
    reassignTitle: 'Re-assign conversation {id}',
    toAgent: 'To an agent',
    toDepartment: 'To a department',
    note: 'Note for whoever takes it',
    notePlaceholder: 'The problem, what was done, the customer’s mood',
    confirmReassign: 'Re-assign',
    lendTitle: 'Lend {name} to another department',
    lendTo: 'Department',
    minutes: 'For how many minutes',
    confirmLend: 'Lend',
    endLoan: 'End loan to {department}',
    done_join: 'You joined {id}.',
    done_part: 'You left {id}.',
    done_takeover: 'You took over {id}.',
    done_reassign: '{id} was re-assigned.',
    done_lend: '{name} is lent to {department} until {time}.',
    done_endLoan: 'The loan of {name} to {department} ended.',
    done_resolve: '{id} is resolved.',
    refused: 'Refused: {message}',
    err_forbidden: 'You may not do this: {message}',
    err_not_found: 'Not found: {message}',
    err_conflict: 'Not possible now: {message}',
    err_limit_exceeded: 'Limit reached: {message}',
    err_disconnected: 'Not sent: the server cannot be reached. Try again once connected.',
    err_unavailable: 'The server cannot do this right now: {message}',
    dismiss: 'Dismiss',
    minutesShort: '{m} min {s} s',
    secondsShort: '{s} s',
  },
  'zh-CN': {
    title: '主管工作台',
    loading: '正在加载实时监控…',
    empty: '您没有负责的部门。',
    unreachable: '无法连接服务器。监控显示的是最后收到的数据，连接恢复后会继续更新。',
    reconnecting: '正在重新连接…',
    agents: '客服',
    noAgents: '该部门没有客服。',
    queue: '排队',
    backlog: '留言',
    longestWait: '最长等待',
    active: '进行中',
    assignedToday: '今日分配',
    resolvedToday: '今日解决',
    conversations: '进行中的会话',
    noConversations: '没有进行中的会话。',
    load: '{active}/{max}',
    status_online: '在线',
    status_busy: '忙碌',
    status_away: '离开',
    status_offline: '离线',
    conv_new: '新会话',
    conv_queued: '排队中',
    conv_assigned: '已分配',
    conv_resolved: '已解决',
    waitingSince: '自 {time}',
    servedBy: '由 {name} 接待',
    unassigned: '尚无人接待',
    watch: '旁听',
    join: '加入',
    part: '退出',
    takeover: '接管',
    reassign: '重新分配',
    lend: '借调',
    close: '关闭',
    cancel: '取消',
    watching: '会话 {id}',
    watchingSilently: '正在旁听：不会通知任何人。',
    joinedVisibly: '您已加入：客户和客服都能看到您。',
    youServe: '此会话由您接待。',
    historyLoading: '正在加载历史记录…',
    visitor: '客户',
    system: '系统',
    notes: '内部备注',
    noNotes: '没有内部备注。',
    ev_created: '会话在 {department} 创建',
    ev_queued: '在 {department} 排队',
    ev_assigned: '分配给 {name}（{policy}）',
    ev_unassigned: '{name} 失去了此会话（{reason}）',
    ev_resolved: '由 {by} 解决{summary}',
    ev_transferred: '由 {by} 转接给 {to}',
    ev_joined: '{name} 已加入',
    ev_parted: '{name} 已退出',
    ev_reopened: '客户重新打开了会话',
    reply: '回复客户…',
    send: '发送',
    resolve: '解决',
    summary: '总结',
    reassignTitle: '重新分配会话 {id}',
    toAgent: '分配给客服',
    toDepartment: '分配给部门',
    note: '给接手人的备注',
    notePlaceholder: '问题、已做的处理、客户情绪',
    confirmReassign: '重新分配',
    lendTitle: '将 {name} 借调到其他部门',
    lendTo: '部门',
    minutes: '借调分钟数',
    confirmLend: '借调',
    endLoan: '结束借调到 {department}',
    done_join: '您已加入 {id}。',
    done_part: '您已退出 {id}。',
    done_takeover: '您已接管 {id}。',
    done_reassign: '{id} 已重新分配。',
    done_lend: '{name} 已借调到 {department}，至 {time}。',
    done_endLoan: '{name} 到 {department} 的借调已结束。',
    done_resolve: '{id} 已解决。',
    refused: '被拒绝：{message}',
    err_forbidden: '您无权执行此操作：{message}',
    err_not_found: '未找到：{message}',
    err_conflict: '当前无法执行：{message}',
    err_limit_exceeded: '已达上限：{message}',
    err_disconnected: '未发送：无法连接服务器。连接恢复后请重试。',
    err_unavailable: '服务器暂时无法执行：{message}',
    dismiss: '关闭提示',
    minutesShort: '{m} 分 {s} 秒',
    secondsShort: '{s} 秒',
  },
};
