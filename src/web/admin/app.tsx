/**
 * The admin pages (/admin, WEB-5): the shared staff sign-in until someone
 * is signed in; then, for an admin, a menu of settings pages over the
 * chosen one (the page is in the URL's hash, so a reload or a link keeps
 * it); for a supervisor, the same with only the pages marked for them (the
 * reports, WEB-6). An agent is told these pages are not theirs (the API
 * refuses them too). A banner says when the server cannot be reached
 * (WEB-7).
 */
import { workspaceBase } from '../shared/workspace-base.js';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { translator, type Language } from '../shared/i18n.js';
import { chooseLanguage } from '../shared/language-choice.js';
import { LanguageSwitch } from '../shared/language-switch.js';
import { SignInForm } from '../shared/sign-in-form.js';
import type { StaffAuth, StaffSession } from '../shared/staff-auth.js';
import { AdminApi } from './api.js';
import { Admin } from './context.js';
import { pageById, pagesFor, type AdminRole } from './pages.js';
import { strings } from './strings.js';

const currentPage = (): string => location.hash.replace(/^#\/?/, '');

export function App({ auth, initialLang }: { auth: StaffAuth; initialLang: Language }) {
  const [session, setSession] = useState<StaffSession | undefined>(auth.session);
  const [lang, setLang] = useState(initialLang);
  useEffect(() => auth.subscribe(setSession), [auth]);
  const t = useMemo(() => translator(strings, lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('pageTitle');
  }, [lang, t]);
  const changeLang = (l: Language) => {
    chooseLanguage(l);
    setLang(l);
  };

  if (!session)
    return (
      <main class="sign-in-page">
        <div class="sign-in-top">
          <LanguageSwitch lang={lang} onChange={changeLang} />
        </div>
        <SignInForm auth={auth} lang={lang} heading={t('appName')} />
      </main>
    );
  const role = session.staff.role;
  if (role !== 'admin' && role !== 'supervisor')
    return (
      <main class="sign-in-page">
        <div class="sign-in-top">
          <LanguageSwitch lang={lang} onChange={changeLang} />
        </div>
        <div class="adm-refused problem" role="alert" data-testid="not-admin">
          <h1>{t('notAdminTitle')}</h1>
          <p>{t('notAdmin', { name: session.staff.name, role: t(`role_${session.staff.role}`) })}</p>
          <p>
            <a href={`${workspaceBase()}/console`}>{t('toConsole')}</a> ·{' '}
            <button type="button" class="link" onClick={() => void auth.signOut()}>
              {t('signOut')}
            </button>
          </p>
        </div>
      </main>
    );
  return <Signed auth={auth} session={session} role={role} lang={lang} onLang={changeLang} />;
}

function Signed(props: {
  auth: StaffAuth;
  session: StaffSession;
  role: AdminRole;
  lang: Language;
  onLang(l: Language): void;
}) {
  const { auth, session, lang } = props;
  const pages = pagesFor(props.role);
  const t = useMemo(() => translator(strings, lang), [lang]);
  const api = useMemo(() => new AdminApi(auth), [auth]);
  const [reachable, setReachable] = useState(true);
  api.onReachable = setReachable;
  const [pageId, setPageId] = useState(currentPage);
  useEffect(() => {
    const onHash = () => setPageId(currentPage());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const page = pageById(pages, pageId);
  const heading = useRef<HTMLHeadingElement>(null);
  // A new page takes the keyboard to its heading, as a page load would.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [page.id]);
  const View = page.view;
  return (
    <Admin.Provider value={{ api, lang, t }}>
      <div class="adm" lang={lang}>
        <header class="top">
          <strong class="brand">{t('appName')}</strong>
          <span class="grow" />
          <span class="who" data-testid="who">
            {session.staff.name} · {t(`role_${props.role}`)}
          </span>
          <LanguageSwitch lang={lang} onChange={props.onLang} />
          <button type="button" class="link" data-testid="sign-out" onClick={() => void auth.signOut()}>
            {t('signOut')}
          </button>
        </header>
        {!reachable && (
          <p class="adm-banner" role="alert" data-testid="unreachable">
            {t('unreachableBanner')}
          </p>
        )}
        <div class="adm-body">
          <nav class="adm-nav" aria-label={t('menu')}>
            <ul>
              {pages.map((p) => (
                <li key={p.id}>
                  <a href={`#/${p.id}`} aria-current={p.id === page.id ? 'page' : undefined} data-page={p.id}>
                    {t(p.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main class="adm-main" data-testid={`page-${page.id}`}>
            <h1 ref={heading} tabIndex={-1}>
              {t(page.label)}
            </h1>
            <View key={page.id} />
          </main>
        </div>
      </div>
    </Admin.Provider>
  );
}
