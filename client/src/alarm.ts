/**
 * The alarm: a banner and a sound for new Extreme and Severe alerts this organisation has not
 * acknowledged, until it does. The sound is made with WebAudio (no audio files) and can be
 * muted for this session; the banner cannot be muted (see audio.ts for when sound may play).
 */
import type { AlertEntry } from './alert-book.ts';
import { runningAudio } from './audio.ts';
import { h, replaceChildren } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { eventHeadline, severityClass } from './labels.ts';
import { loadMuted, saveMuted } from './storage.ts';

/** How often the sound repeats while an alarm stands. */
const REPEAT_MS = 8000;

/** What the banner's buttons do. */
export interface AlarmDeps {
  readonly canAck: boolean;
  readonly onOpen: (alertId: string) => void;
  readonly onAck: (alertId: string) => void;
}

/** The alarm banner and sound. */
export class Alarm {
  private timer: ReturnType<typeof setInterval> | undefined;
  private muted = loadMuted();
  private alerts: readonly AlertEntry[] = [];
  private beeps = 0;
  /** What the banner shows, so an unchanged banner is not rebuilt (focus stays on it). */
  private shown = '';

  constructor(
    private readonly banner: HTMLElement,
    private readonly muteButton: HTMLButtonElement,
    private readonly deps: AlarmDeps,
  ) {
    muteButton.addEventListener('click', () => {
      this.muted = !this.muted;
      saveMuted(this.muted);
      this.render();
    });
    this.render();
  }

  /** The alerts that need the alarm now (newest first); new ones sound at once. */
  set(alerts: readonly AlertEntry[]): void {
    const known = new Set(this.alerts.map((a) => `${a.alert.id}:${a.escalation}`));
    const fresh = alerts.some((a) => !known.has(`${a.alert.id}:${a.escalation}`));
    this.alerts = alerts;
    if (alerts.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    } else {
      if (fresh) this.beep();
      this.timer ??= setInterval(() => {
        this.beep();
      }, REPEAT_MS);
    }
    this.render();
  }

  private beep(): void {
    if (this.muted || this.alerts.length === 0) return;
    const audio = runningAudio();
    if (audio === null) return;
    // Two falling tones, 880 Hz then 660 Hz: recognisable without being shrill.
    const start = audio.currentTime;
    [880, 660].forEach((frequency, i) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      const at = start + i * 0.22;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.21);
    });
    this.beeps += 1;
    this.banner.dataset.beeps = String(this.beeps);
  }

  /** Re-renders in the current language. */
  render(): void {
    this.muteButton.textContent = this.muted ? t('sound.unmute') : t('sound.mute');
    this.muteButton.setAttribute('aria-pressed', String(this.muted));
    this.banner.dataset.muted = String(this.muted);
    const first = this.alerts[0];
    this.banner.hidden = first === undefined;
    const signature = [
      document.documentElement.lang,
      this.alerts.length,
      first?.alert.id,
      first?.alert.severity,
      first?.escalation,
    ].join('|');
    if (signature === this.shown) return;
    this.shown = signature;
    if (first === undefined) {
      replaceChildren(this.banner);
      return;
    }
    const alert = first.alert;
    const open = h('button', { type: 'button', id: 'alarm-open' }, t('alarm.open'));
    open.addEventListener('click', () => {
      this.deps.onOpen(alert.id);
    });
    const ack =
      this.deps.canAck &&
      h('button', { type: 'button', id: 'alarm-ack', class: 'primary' }, t('alarm.acknowledge'));
    if (ack !== false)
      ack.addEventListener('click', () => {
        this.deps.onAck(alert.id);
      });
    replaceChildren(
      this.banner,
      h('strong', { class: 'alarm-count' }, t('alarm.title', { count: this.alerts.length })),
      h(
        'span',
        { class: `alarm-alert ${severityClass(alert.severity)}` },
        h('span', { class: 'sev-label' }, tValue('severity', alert.severity)),
        ' ',
        h('span', { class: 'cap-text' }, eventHeadline(alert.event, alert.headline)),
        first.escalation > 0 &&
          h('span', { class: 'badge' }, t('alarm.escalated', { level: first.escalation })),
      ),
      h('span', { class: 'alarm-actions' }, open, ack),
    );
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.alerts = [];
    this.banner.hidden = true;
  }
}
