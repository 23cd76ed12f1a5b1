/** Screen-reader announcements through two aria-live regions (polite and assertive). */

/** Speaks short messages; the same message twice is spoken twice. */
export class Announcer {
  constructor(
    private readonly polite: HTMLElement,
    private readonly assertive: HTMLElement,
  ) {}

  say(message: string, urgent = false): void {
    const region = urgent ? this.assertive : this.polite;
    // Emptying first makes a repeated message a change the screen reader reports.
    region.textContent = '';
    requestAnimationFrame(() => {
      region.textContent = message;
    });
  }

  /** Forgets the last announcements (they were in the language of their time). */
  clear(): void {
    this.polite.textContent = '';
    this.assertive.textContent = '';
  }
}
