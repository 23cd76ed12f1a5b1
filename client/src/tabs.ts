/**
 * The Alerts / Incidents tabs of the list pane (WAI-ARIA tabs: the selected tab is in the tab
 * order, Left and Right move between tabs and select).
 */
import { byId } from './dom.ts';

/** Which list is shown. */
export type ListTab = 'alerts' | 'incidents';

const tabIds: Readonly<Record<ListTab, string>> = {
  alerts: 'tab-alerts',
  incidents: 'tab-incidents',
};
const panelIds: Readonly<Record<ListTab, string>> = {
  alerts: 'alerts-view',
  incidents: 'incidents-view',
};

/** The tabs; `onSelect` runs after each change. */
export class ListTabs {
  private current: ListTab = 'alerts';

  constructor(private readonly onSelect: (tab: ListTab) => void) {
    for (const tab of Object.keys(tabIds) as ListTab[]) {
      const button = byId(tabIds[tab], HTMLButtonElement);
      button.addEventListener('click', () => {
        this.select(tab);
      });
      button.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        this.select(tab === 'alerts' ? 'incidents' : 'alerts');
        byId(tabIds[this.current]).focus();
      });
    }
  }

  get selected(): ListTab {
    return this.current;
  }

  select(tab: ListTab): void {
    this.current = tab;
    for (const other of Object.keys(tabIds) as ListTab[]) {
      const button = byId(tabIds[other]);
      button.setAttribute('aria-selected', String(other === tab));
      button.tabIndex = other === tab ? 0 : -1;
      byId(panelIds[other]).hidden = other !== tab;
    }
    this.onSelect(tab);
  }
}
