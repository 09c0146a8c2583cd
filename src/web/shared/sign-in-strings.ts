/** The staff sign-in form's words (sign-in-form.tsx), zh-CN and en. */
import type { Dictionary } from './i18n.js';

export type SignInKey =
  | 'title'
  | 'email'
  | 'password'
  | 'submit'
  | 'signingIn'
  | 'unauthorized'
  | 'rateLimited'
  | 'rateLimitedFor'
  | 'invalid'
  | 'unreachable'
  | 'unavailable'
  | 'other';

export const signInStrings: Dictionary<SignInKey> = {
  en: {
    title: 'Sign in',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    signingIn: 'Signing in…',
    unauthorized: 'Wrong email or password.',
    rateLimited: 'Too many attempts. Try again later.',
    rateLimitedFor: 'Too many attempts. Try again in {n} s.',
    invalid: 'Check the field: {field}.',
    unreachable: 'The server cannot be reached. Check the network and try again.',
    unavailable: 'The server is starting or busy. Try again in a moment.',
    other: 'The server refused: {message}',
  },
  'zh-CN': {
    title: '登录',
    email: '邮箱',
    password: '密码',
    submit: '登录',
    signingIn: '正在登录…',
    unauthorized: '邮箱或密码错误。',
    rateLimited: '尝试次数过多，请稍后再试。',
    rateLimitedFor: '尝试次数过多，请 {n} 秒后再试。',
    invalid: '请检查此项：{field}。',
    unreachable: '无法连接服务器，请检查网络后重试。',
    unavailable: '服务器正在启动或繁忙，请稍后再试。',
    other: '服务器拒绝了请求：{message}',
  },
};
