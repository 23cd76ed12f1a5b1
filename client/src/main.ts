/**
 * The console's entry point: language, region asset, then the log-in form or (with a session
 * kept in this tab) the console itself. The officer's organisation and role stay in the top
 * bar while logged in.
 */
import type { Session } from './api-types.ts';
import { armAudioOnGesture } from './audio.ts';
import { startConsole } from './console-app.ts';
import { byId, h, replaceChildren } from './dom.ts';
import { initialLanguage, setLanguage, tValue, uiLanguages, type UiLanguage } from './i18n/i18n.ts';
import { organisationName } from './labels.ts';
import { setUpLogin } from './login.ts';
import type { RegionAsset } from './region-types.ts';
import { clearSession, loadSession, saveSession } from './storage.ts';

async function loadRegion(): Promise<RegionAsset | null> {
  const file = document.querySelector<HTMLMetaElement>('meta[name="ewx-region"]')?.content;
  if (file === undefined || file === '') return null;
  try {
    const response = await fetch(`/${file}`);
    return response.ok ? ((await response.json()) as RegionAsset) : null;
  } catch {
    // Without the asset the console works, only without boundaries and local names.
    return null;
  }
}

function setUpLanguageSwitch(): void {
  const select = byId('lang', HTMLSelectElement);
  replaceChildren(
    select,
    ...uiLanguages.map((l) => h('option', { value: l.tag, lang: l.tag }, l.name)),
  );
  const language = initialLanguage();
  select.value = language;
  setLanguage(language);
  select.addEventListener('change', () => {
    setLanguage(select.value as UiLanguage);
  });
}

function showIdentity(session: Session | null, region: RegionAsset | null): void {
  const identity = byId('identity');
  identity.hidden = session === null;
  if (session === null) return;
  const user = session.user;
  const orgName = region === null ? user.orgName : organisationName(region, user.orgId);
  byId('identity-org').textContent = orgName === user.orgId ? user.orgName : orgName;
  byId('identity-org').title = user.orgId;
  byId('identity-role').textContent = tValue('role', user.role);
  byId('identity-name').textContent = user.name;
}

async function boot(): Promise<void> {
  armAudioOnGesture();
  setUpLanguageSwitch();
  const region = await loadRegion();
  const loginView = byId('login-view');
  const consoleView = byId('console-view');
  const loggedInOnly = ['connection', 'mute', 'logout'].map((id) => byId(id));
  let session: Session | null = null;

  const showConsole = (s: Session): void => {
    session = s;
    saveSession(s);
    loginView.hidden = true;
    consoleView.hidden = false;
    for (const element of loggedInOnly) element.hidden = false;
    showIdentity(s, region);
    startConsole(s, region, (why) => {
      session = null;
      clearSession();
      consoleView.hidden = true;
      for (const element of loggedInOnly) element.hidden = true;
      byId('alarm').hidden = true;
      showIdentity(null, region);
      loginView.hidden = false;
      login.show(why === 'expired' ? 'expired' : undefined);
    });
  };
  const login = setUpLogin(showConsole);
  byId('lang').addEventListener('change', () => {
    showIdentity(session, region);
  });
  const kept = loadSession();
  if (kept === null) login.show();
  else showConsole(kept);
  document.body.dataset.ready = 'true';
}

void boot();
