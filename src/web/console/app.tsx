/**
 * The console page (/console): the sign-in form until a staff member is
 * signed in, then a header (tabs by role, the connection's state, the
 * language switch, sign-out) over the chosen tab. One ConsoleSession lives
 * as long as the signed-in staff member; signing out (or a revoked session,
 * close code 4001) brings the form back.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Language } from '../shared/i18n.js';
import { chooseLanguage } from '../shared/language-choice.js';
import { LanguageSwitch } from '../shared/language-switch.js';
import { SignInForm } from '../shared/sign-in-form.js';
import type { StaffAuth, StaffSession } from '../shared/staff-auth.js';
import { ConnectionBanner } from './connection-banner.js';
import { ConsoleSession } from './session.js';
import { strings } from './strings.js';
import { tabsFor } from './tabs.js';
import { translator } from '../shared/i18n.js';

export function App({ auth, initialLang }: { auth: StaffAuth; initialLang: Language }) {
  const [session, setSession] = useState<StaffSession | undefined>(auth.session);
  const [lang, setLang] = useState(initialLang);
  useEffect(() => auth.subscribe(setSession), [auth]);
  const staffId = session?.staff.id;
  const consoleSession = useMemo(() => (staffId ? new ConsoleSession(auth, lang) : undefined), [auth, staffId]);
  useEffect(() => {
    if (!consoleSession) return;
    consoleSession.start();
    return () => consoleSession.stop();
  }, [consoleSession]);
  const changeLang = (l: Language) => {
    chooseLanguage(l);
    consoleSession?.setLanguage(l);
    setLang(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translator(strings, lang)('pageTitle');
  }, [lang]);

  if (!consoleSession) {
    const t = translator(strings, lang);
    return (
      <main class="sign-in-page">
        <div class="sign-in-top">
          <LanguageSwitch lang={lang} onChange={changeLang} />
        </div>
        <SignInForm auth={auth} lang={lang} heading={t('appName')} />
      </main>
    );
  }
  return <Signed session={consoleSession} lang={lang} onLang={changeLang} />;
}

function Signed({ session, lang, onLang }: { session: ConsoleSession; lang: Language; onLang(l: Language): void }) {
  const tabs = tabsFor(session.staff.role);
  const [tabId, setTabId] = useState(tabs[0]!.id);
  const t = session.t;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const tab = tabs.find((x) => x.key === e.key);
      if (tab) {
        e.preventDefault();
        setTabId(tab.id);
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [tabs]);
  const active = tabs.find((x) => x.id === tabId) ?? tabs[0]!;
  const View = active.view;
  return (
    <div class="console" lang={lang}>
      <header class="top">
        <strong class="brand">{t('appName')}</strong>
        {tabs.length > 1 && (
          <div class="tabs" role="tablist" aria-label={t('tabsLabel')}>
            {tabs.map((x) => (
              <button
                type="button"
                role="tab"
                key={x.id}
                id={`tab-${x.id}`}
                aria-selected={x.id === active.id}
                aria-controls="tab-panel"
                data-tab={x.id}
                onClick={() => setTabId(x.id)}
              >
                {t(x.label)}
              </button>
            ))}
          </div>
        )}
        <span class="grow" />
        <span class="who" data-testid="who">
          {session.staff.name} · {t(`role_${session.staff.role}`)}
        </span>
        <LanguageSwitch lang={lang} onChange={onLang} />
        <button type="button" class="link" data-testid="sign-out" onClick={() => void session.auth.signOut()}>
          {t('signOut')}
        </button>
      </header>
      <ConnectionBanner session={session} />
      <section id="tab-panel" class="tab-panel" role="tabpanel" aria-labelledby={`tab-${active.id}`}>
        <View session={session} />
      </section>
    </div>
  );
}
