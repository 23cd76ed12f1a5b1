/**
 * The incident part of the console: the reports the organisation may see (list, map markers,
 * panel with detail and the report form), kept current from the live `incident` events.
 */
import type { IncidentEvent } from '../../protocols/realtime/events.ts';
import type { Announcer } from './announcer.ts';
import type { HubApi } from './api.ts';
import { byId } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { IncidentApi } from './incident-api.ts';
import { IncidentBook } from './incident-book.ts';
import { incidentTitle } from './incident-labels.ts';
import { IncidentList } from './incident-list.ts';
import { IncidentPanel } from './incident-panel.ts';
import type { IncidentEventDto } from './incident-types.ts';
import type { AlertMap } from './map.ts';
import { reasonOf } from './reason.ts';
import type { RegionAsset } from './region-types.ts';

/** What the incident part needs from the console. */
export interface IncidentsDeps {
  readonly api: HubApi;
  readonly orgId: string;
  readonly canWrite: boolean;
  readonly region: RegionAsset | null;
  readonly map: AlertMap;
  readonly announcer: Announcer;
  readonly openAlert: (alertId: string) => void;
  /** Called before a report opens, so the alert detail makes room. */
  readonly beforeOpen: () => void;
  /** Shows the incidents tab. */
  readonly showTab: () => void;
}

/** The running incident part. */
export interface Incidents {
  receive(event: IncidentEvent): void;
  open(incidentId: string): void;
  closePanel(): void;
  /** The list has focus when it is shown. */
  focusList(): void;
  relabel(): void;
  stop(): void;
}

/** Starts the incident part: loads the list and wires the views. */
export function startIncidents(deps: IncidentsDeps): Incidents {
  const api = new IncidentApi(deps.api);
  const book = new IncidentBook(deps.orgId);
  let state: 'loading' | 'ready' | 'failed' = 'loading';
  let stopped = false;
  const open = (incidentId: string): void => {
    deps.beforeOpen();
    const entry = book.get(incidentId);
    if (entry !== undefined) entry.arrived = false;
    list.select(incidentId);
    panel.open(incidentId);
    render();
  };
  const list = new IncidentList(
    byId('incident-list', HTMLOListElement),
    byId('incident-empty'),
    book,
    deps.region,
    open,
  );
  const panel = new IncidentPanel(byId('incident-panel'), {
    api,
    region: deps.region,
    orgId: deps.orgId,
    canWrite: deps.canWrite,
    onOpenAlert: deps.openAlert,
    onClose: () => {
      list.select(null);
      render();
      list.focus();
    },
    onPick: (setPoint) => {
      deps.map.pick(setPoint);
    },
    onCreated: () => {
      deps.showTab();
    },
  });
  const newButton = byId('incident-new', HTMLButtonElement);
  newButton.hidden = !deps.canWrite;
  const openForm = (): void => {
    deps.beforeOpen();
    deps.showTab();
    panel.openForm();
  };
  newButton.addEventListener('click', openForm);

  function render(): void {
    if (stopped) return;
    const entries = book.all();
    list.render(entries, state);
    byId('incident-count').textContent = state === 'loading' ? '' : String(entries.length);
    deps.map.setIncidents(entries, open);
  }
  book.onChange(render);

  api.list().then(
    (items) => {
      state = 'ready';
      for (const item of items) book.upsert(item, false);
      render();
    },
    (error: unknown) => {
      state = 'failed';
      list.failure = reasonOf(error);
      render();
    },
  );

  return {
    receive(raw) {
      const event = raw as unknown as IncidentEventDto;
      if (event.kind === 'withdrawn') {
        book.remove(event.incidentId);
        if (panel.openId === event.incidentId) panel.close();
        return;
      }
      if (event.incident === undefined) return;
      // A report is news to the partners, not to the organisation that wrote it.
      const fresh = event.replay !== true && event.incident.org !== deps.orgId;
      const created = book.upsert(event.incident, fresh);
      if (created && event.kind === 'created' && event.replay !== true) {
        const hazard = tValue('hazard', event.incident.hazard);
        deps.announcer.say(
          t('incident.announce', { hazard, title: incidentTitle(event.incident.title) }),
        );
      }
      if (panel.openId === event.incidentId) panel.refresh();
    },
    open,
    closePanel: () => {
      panel.close();
    },
    focusList: () => {
      list.focus();
    },
    relabel: () => {
      panel.render();
      render();
    },
    stop: () => {
      stopped = true;
      newButton.removeEventListener('click', openForm);
      panel.close();
    },
  };
}
