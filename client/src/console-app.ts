/**
 * The console after log-in: wires the alert book to the list, map, detail, alarm, filters
 * and connection status, loads the list and the details over REST and keeps them current
 * from the live feed. Test and Exercise messages are shown only when the officer opts in
 * ("Show exercises and tests": the live connection is opened again asking for them), marked
 * as such, and never sound the alarm.
 */
import type { FeedItem } from '../../protocols/realtime/console-feed.ts';
import { AlertBook, displayStateOf, type AlertEntry } from './alert-book.ts';
import { Alarm } from './alarm.ts';
import { Announcer } from './announcer.ts';
import { HubApi } from './api.ts';
import type { AlertSummaryDto, Session } from './api-types.ts';
import { DetailLoader } from './detail-loader.ts';
import { DetailPanel } from './detail.ts';
import { DraftPanel } from './draft-panel.ts';
import { byId } from './dom.ts';
import { FeedPanel } from './feed-panel.ts';
import { FilterBar, passesFilters } from './filters.ts';
import { startIncidents } from './incidents-app.ts';
import { onLanguageChange, t, tValue } from './i18n/i18n.ts';
import { eventHeadline, organisationName } from './labels.ts';
import { AlertList } from './list.ts';
import { openLiveConnection, type ConnectionState } from './live.ts';
import { AlertMap } from './map.ts';
import type { RegionAsset } from './region-types.ts';
import { reasonOf } from './reason.ts';
import { ConnectionStatus } from './status.ts';
import { loadExercises, saveExercises } from './storage.ts';
import { ListTabs } from './tabs.ts';
import { tileConfigOfPage } from './tiles.ts';

/** Why the console ended. */
export type ConsoleEnd = 'logout' | 'expired';

/** A running console. */
export interface ConsoleApp {
  stop(): void;
}

const ackRoles = new Set(['officer', 'issuer', 'admin']);
const alarmSeverities = new Set(['Extreme', 'Severe']);
/** CAP statuses a console that opted in shows besides Actual (System and Draft: never). */
const exerciseStatuses = new Set(['Test', 'Exercise']);
/** Roles of the hub organisation that approve or reject drafts. */
const draftRoles = new Set(['issuer', 'admin']);

/** Starts the console for a logged-in person; `onEnd` runs once when it ends. */
export function startConsole(
  session: Session,
  region: RegionAsset | null,
  onEnd: (why: ConsoleEnd) => void,
): ConsoleApp {
  const user = session.user;
  const book = new AlertBook(user.orgId);
  const canAck = ackRoles.has(user.role);
  let ended = false;
  const end = (why: ConsoleEnd): void => {
    if (ended) return;
    ended = true;
    stop();
    onEnd(why);
  };
  const api = new HubApi(session.token, () => {
    end('expired');
  });
  const announcer = new Announcer(byId('announcer'), byId('announcer-urgent'));
  const status = new ConnectionStatus(byId('connection'));
  let listState: 'loading' | 'ready' | 'failed' = 'loading';
  const exercisesBox = byId('show-exercises', HTMLInputElement);
  let exercises = loadExercises();
  exercisesBox.checked = exercises;
  const shown = (status: string): boolean =>
    status === 'Actual' || (exercises && exerciseStatuses.has(status));

  const loader = new DetailLoader(
    (id) => api.alertDetail(id),
    (detail) => book.setDetail(detail),
  );
  const open = (alertId: string): void => {
    incidents.closePanel();
    // Opened: no longer "new".
    const entry = book.get(alertId);
    if (entry !== undefined) entry.arrived = false;
    detail.open(alertId);
    list.select(alertId);
    map.show(book.get(alertId) ?? null, byId('detail').offsetWidth);
    render();
  };
  const acknowledge = async (alertId: string): Promise<void> => {
    const ack = await api.acknowledge(alertId);
    book.acknowledge(alertId, ack.orgId, { by: ack.by, at: ack.at });
  };
  const detail = new DetailPanel(byId('detail'), {
    book,
    region,
    canAck,
    loadDetail: (id) => loader.load(id, true),
    loadRouting: (id) => api.alertRouting(id),
    acknowledge,
    onOpen: open,
    onClose: () => {
      list.select(null);
      map.show(null);
      render();
      list.focus();
    },
  });
  const list = new AlertList(
    byId('alert-list', HTMLOListElement),
    byId('list-empty'),
    book,
    region,
    open,
  );
  const map = new AlertMap(byId('map'), region, open, tileConfigOfPage());
  const alarm = new Alarm(byId('alarm'), byId('mute', HTMLButtonElement), {
    canAck,
    onOpen: open,
    onAck: (alertId) => {
      open(alertId);
      void detail.acknowledge(alertId);
    },
  });
  const filters = new FilterBar(
    {
      country: byId('filter-country', HTMLSelectElement),
      hazard: byId('filter-hazard', HTMLSelectElement),
      severity: byId('filter-severity', HTMLSelectElement),
      state: byId('filter-state', HTMLSelectElement),
    },
    byId('filters-clear', HTMLButtonElement),
    region,
    () => {
      render();
    },
  );

  const feeds = new FeedPanel(byId('feed-list'), byId('feed-empty'), byId('feed-count'), {
    api,
    region,
    announcer,
  });
  const drafts =
    region !== null && user.orgId === region.hubId && draftRoles.has(user.role)
      ? new DraftPanel(byId('draft-list'), byId('draft-empty'), byId('draft-count'), {
          api,
          announcer,
        })
      : null;
  const tabs = new ListTabs((tab) => {
    byId('filters').hidden = tab !== 'alerts';
    if (tab === 'drafts') void drafts?.refresh();
  });
  tabs.setAvailable('drafts', drafts !== null);
  tabs.select('alerts');
  const incidents = startIncidents({
    api,
    orgId: user.orgId,
    canWrite: canAck,
    region,
    map,
    announcer,
    openAlert: (alertId) => {
      tabs.select('alerts');
      open(alertId);
    },
    beforeOpen: () => {
      detail.close();
    },
    showTab: () => {
      tabs.select('incidents');
    },
  });

  const needsAlarm = (entry: AlertEntry): boolean =>
    alarmSeverities.has(entry.alert.severity) &&
    entry.alert.status === 'Actual' &&
    (displayStateOf(entry.alert) === 'active' || displayStateOf(entry.alert) === 'updated') &&
    !book.ackedHere(entry) &&
    ((entry.expected?.includes(user.orgId) ?? false) || entry.escalation > 0);

  function render(): void {
    if (ended) return;
    // Test and Exercise alerts stay in the book when hidden again: showing them needs no reload.
    const entries = book.all().filter((e) => shown(e.alert.status));
    const listed = entries.filter((e) => passesFilters(e, filters.values));
    const filtered = Object.values(filters.values).some((v) => v !== '');
    filters.setHazards(entries);
    list.render(listed, listState, filtered);
    const count = filtered
      ? t('list.count', { shown: listed.length, total: entries.length })
      : String(entries.length);
    byId('list-count').textContent = listState === 'loading' ? '' : count;
    map.setAlerts(listed);
    alarm.set(entries.filter(needsAlarm));
    detail.render();
  }
  book.onChange(render);

  const display = (item: FeedItem): void => {
    if (item.name === 'alert') {
      const event = item.event;
      // An alert is news to the others, not to the organisation that issued it.
      const fresh = event.alert.orgId !== user.orgId;
      const seq = event.kind === 'stored' ? event.seq : 0;
      const { created } = book.upsert(event.alert, fresh, seq);
      if (event.kind === 'escalation' && event.escalation !== undefined) {
        book.escalate(event.alert.id, event.escalation.orgId, event.escalation.level);
      }
      if (created && event.replay !== true) {
        const a = event.alert;
        const values = {
          severity: tValue('severity', a.severity),
          title: eventHeadline(a.event, a.headline),
        };
        if (a.status !== 'Actual') {
          // Said calmly, and as what it is.
          announcer.say(t('announce.exercise', { ...values, status: tValue('status', a.status) }));
        } else announcer.say(t('announce.new', values), alarmSeverities.has(a.severity));
      }
      void (created ? loader.load(event.alert.id, true) : loader.refresh(event.alert.id)).catch(
        () => undefined,
      );
    } else if (item.name === 'ack') {
      const event = item.event;
      const entry = book.acknowledge(event.alertId, event.orgId, { by: event.by, at: event.at });
      if (entry !== undefined && event.orgId !== user.orgId && event.replay !== true) {
        announcer.say(
          t('announce.ack', {
            org: organisationName(region, event.orgId),
            event: entry.alert.event,
          }),
        );
      }
    }
    if (item.name === 'incident') incidents.receive(item.event);
    if (item.name === 'feed-health') feeds.receive(item.event);
  };

  const onState = (state: ConnectionState): void => {
    status.set(state);
    if (state.kind === 'live' && state.replayed > 0) {
      announcer.say(t('announce.replayed', { count: state.replayed }));
    }
    if (state.kind === 'refused') end('expired');
  };

  let live: ReturnType<typeof openLiveConnection> | null = null;
  let firstSeq = 0;
  const connect = (startAfter: number): void => {
    if (ended) return;
    firstSeq = startAfter;
    live = openLiveConnection({
      token: session.token,
      userId: user.id,
      startAfter,
      exercises,
      display,
      onState,
    });
  };
  /** Adds the alerts of the list the console shows now (and loads the active ones' details). */
  const addListed = (items: readonly AlertSummaryDto[]): number => {
    let newest = 0;
    for (const item of items) {
      newest = Math.max(newest, item.seq);
      // Consoles show real alerts; Test and Exercise messages only when opted in, as on the socket.
      if (!shown(item.status)) continue;
      book.upsert(item, false, item.seq);
      if (item.state === 'active') void loader.load(item.id).catch(() => undefined);
    }
    return newest;
  };
  const onExercises = (): void => {
    exercises = exercisesBox.checked;
    saveExercises(exercises);
    render();
    // The hub sends Test and Exercise messages only to consoles that asked in the handshake
    // (before the first connect, that one asks as chosen).
    if (live === null) return;
    live.close();
    connect(firstSeq);
    // Those that came before this console's watermark are never replayed: the list has them.
    if (exercises) api.listAlerts().then(addListed, () => undefined);
  };
  exercisesBox.addEventListener('change', onExercises);

  void feeds.load();
  drafts?.start();
  api
    .listAlerts()
    .then((items) => {
      listState = 'ready';
      const newest = addListed(items);
      render();
      connect(newest);
    })
    .catch((error: unknown) => {
      listState = 'failed';
      list.failure = reasonOf(error);
      render();
      connect(0);
    });

  const relabel = (): void => {
    announcer.clear();
    incidents.relabel();
    feeds.render();
    drafts?.render();
    filters.render();
    map.relabel();
    alarm.render();
    status.render();
    render();
  };
  const unsubscribe = onLanguageChange(relabel);
  const logout = byId('logout', HTMLButtonElement);
  const onLogout = (): void => {
    api.logOut().catch(() => undefined);
    end('logout');
  };
  logout.addEventListener('click', onLogout);

  const resize = (): void => {
    map.resize();
  };
  window.addEventListener('resize', resize);
  render();
  list.focus();

  function stop(): void {
    unsubscribe();
    logout.removeEventListener('click', onLogout);
    exercisesBox.removeEventListener('change', onExercises);
    window.removeEventListener('resize', resize);
    live?.close();
    incidents.stop();
    drafts?.stop();
    loader.stop();
    alarm.stop();
    detail.close();
    map.remove();
  }
  return { stop: () => end('logout') };
}
