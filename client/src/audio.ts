/**
 * The page's one AudioContext. Browsers let a page make sound only after a click or a key
 * press, so it is created (or resumed) at the first one, from page load on: the log-in itself
 * arms the alarm's sound.
 */

let context: AudioContext | null = null;

function unlock(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // No audio device: the alarm banner still shows.
    context = null;
  }
}

/** Arms the audio at the first click or key press; call once at start-up. */
export function armAudioOnGesture(): void {
  document.addEventListener('pointerdown', unlock, { capture: true });
  document.addEventListener('keydown', unlock, { capture: true });
}

/** The audio context when it may play, else null. */
export function runningAudio(): AudioContext | null {
  return context?.state === 'running' ? context : null;
}
