/**
 * The staff sign-in form of /console and /admin: email and password, sent
 * through StaffAuth; the server's refusal is shown in words under the form
 * (role="alert", so a screen reader says it), never a blank page (WEB-7).
 * The rest of the page follows StaffAuth's subscription once it succeeds.
 */
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { translator, type Language } from './i18n.js';
import { signInStrings } from './sign-in-strings.js';
import { AuthError, type StaffAuth, type StaffSession } from './staff-auth.js';

export interface SignInFormProps {
  auth: StaffAuth;
  lang: Language;
  /** The app's name over the form, e.g. "Agent console". */
  heading?: string;
  onSignedIn?(session: StaffSession): void;
}

export function SignInForm({ auth, lang, heading, onSignedIn }: SignInFormProps) {
  const t = translator(signInStrings, lang);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const emailRef = useRef<HTMLInputElement>(null);
  // The form is the whole page: the keyboard starts in its first field.
  useEffect(() => emailRef.current?.focus(), []);

  const explain = (err: unknown): string => {
    if (!(err instanceof AuthError)) return t('unreachable');
    if (err.code === 'unauthorized') return t('unauthorized');
    if (err.code === 'rate_limited')
      return err.retryAfterSec ? t('rateLimitedFor', { n: err.retryAfterSec }) : t('rateLimited');
    if (err.code === 'invalid_field')
      return t('invalid', { field: err.field === 'password' ? t('password') : t('email') });
    if (err.code === 'unreachable') return t('unreachable');
    if (err.code === 'unavailable' || err.status === 503) return t('unavailable');
    return t('other', { message: err.message });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const session = await auth.signIn(email.trim(), password);
      setPassword('');
      onSignedIn?.(session);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="sign-in" onSubmit={submit} aria-busy={busy} data-testid="sign-in">
      {heading && <p class="sign-in-app">{heading}</p>}
      <h1>{t('title')}</h1>
      <Field label={t('email')} type="email" value={email} set={setEmail} inputRef={emailRef} />
      <Field label={t('password')} type="password" value={password} set={setPassword} />
      {problem !== undefined && (
        <p class="sign-in-problem" role="alert" data-testid="sign-in-problem">
          {explain(problem)}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('signingIn') : t('submit')}
      </button>
    </form>
  );
}

interface FieldProps {
  label: string;
  /** Also the input's name, which password managers and tests find it by. */
  type: 'email' | 'password';
  value: string;
  set(value: string): void;
  inputRef?: Ref<HTMLInputElement>;
}

function Field({ label, type, value, set, inputRef }: FieldProps) {
  return (
    <label>
      <span>{label}</span>
      <input
        // preact's types split inputs by `type`; both values take the same attributes here.
        type={type as 'password'}
        name={type}
        autocomplete={type === 'email' ? 'username' : 'current-password'}
        required
        ref={inputRef}
        value={value}
        onInput={(e) => set((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}
