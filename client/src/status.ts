/**
 * The connection status line: live / reconnecting / offline / replayed N missed, so the officer
 * always knows whether the screen is current. Quiet (no announcement) while nothing changes.
 */
import { t } from './i18n/i18n.ts';
import type { ConnectionState } from './live.ts';
import { formatClock } from './time.ts';

/** Renders connection states into one element (`data-state` for styling and tests). */
export class ConnectionStatus {
  private state: ConnectionState = { kind: 'connecting' };
  /** The last replay that brought something, shown until the connection drops again. */
  private lastReplay: { count: number; at: number } | null = null;

  constructor(private readonly element: HTMLElement) {
    this.render();
  }

  set(state: ConnectionState): void {
    // Each replay says what it brought; an older note is no longer news.
    if (state.kind === 'live')
      this.lastReplay = state.replayed > 0 ? { count: state.replayed, at: state.at } : null;
    this.state = state;
    this.render();
  }

  /** Re-renders in the current language. */
  render(): void {
    const state = this.state;
    this.element.dataset.state = state.kind;
    let text: string;
    switch (state.kind) {
      case 'connecting':
        text = t('conn.connecting');
        break;
      case 'live':
        text =
          this.lastReplay === null
            ? t('conn.live')
            : t('conn.replayed', {
                count: this.lastReplay.count,
                time: formatClock(this.lastReplay.at),
              });
        break;
      case 'reconnecting':
        text = t('conn.reconnecting');
        break;
      case 'offline':
        text = t('conn.offline');
        break;
      case 'refused':
        text = t('conn.refused', { reason: state.message });
        break;
    }
    this.element.textContent = text;
    this.element.dataset.replayed = String(this.lastReplay?.count ?? 0);
  }
}
