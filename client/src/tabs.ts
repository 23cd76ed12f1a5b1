/**
 * The Alerts / Incidents / Feeds / Drafts tabs of the list pane (WAI-ARIA tabs: the selected
 * tab is in the tab order, Left and Right move between the tabs shown and select). A tab may be
 * left out for people it does not concern (Drafts is only for the hub's issuers).
 */
import { byId } from './dom.ts';

/** Which list is shown. */
export type ListTab = 'alerts' | 'incidents' | 'feeds' | 'drafts';

const tabs: readonly ListTab[] = ['alerts', 'incidents', 'feeds', 'drafts'];

const tabIds: Readonly<Record<ListTab, string>> = {
  alerts: 'tab-alerts',
  incidents: 'tab-incidents',
  feeds: 'tab-feeds',
  drafts: 'tab-drafts',
};
const panelIds: Readonly<Record<ListTab, string>> = {
  alerts: 'alerts-view',
  incidents: 'incidents-view',
  feeds: 'feeds-view',
  drafts: 'drafts-view',
};

/** The tabs; `onSelect` runs after each change. */
export class ListTabs {
  private current: ListTab = 'alerts';

  constructor(private readonly onSelect: (tab: ListTab) => void) {
    for (const tab of tabs) {
      const button = byId(tabIds[tab], HTMLButtonElement);
      button.addEventListener('click', () => {
        this.select(tab);
      });
      button.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        const shown = tabs.filter((t) => !byId(tabIds[t]).hidden);
        const step = event.key === 'ArrowRight' ? 1 : -1;
        const next = shown[(shown.indexOf(tab) + step + shown.length) % shown.length] ?? 'alerts';
        this.select(next);
        byId(tabIds[this.current]).focus();
      });
    }
  }

  get selected(): ListTab {
    return this.current;
  }

  /** Shows or leaves out a tab (a tab left out while selected gives way to Alerts). */
  setAvailable(tab: ListTab, available: boolean): void {
    byId(tabIds[tab]).hidden = !available;
    if (!available && this.current === tab) this.select('alerts');
  }

  select(tab: ListTab): void {
    this.current = tab;
    for (const other of tabs) {
      const button = byId(tabIds[other]);
      button.setAttribute('aria-selected', String(other === tab));
      button.tabIndex = other === tab ? 0 : -1;
      byId(panelIds[other]).hidden = other !== tab;
    }
    this.onSelect(tab);
  }
}
