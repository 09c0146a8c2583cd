/**
 * WEB-3: a desktop notification and a short sound when something needs the
 * agent: a new assignment, a transfer to them, an offer. The permission is
 * asked on a click (browsers ignore a request without one), and the sound
 * is two oscillator beeps (no audio file to fetch), through one AudioContext
 * made on first use and resumed on each sound (a context made before any
 * click starts suspended).
 */
export type AttentionKind = 'assigned' | 'transfer' | 'offer';

type Ctx = typeof AudioContext;

export class Attention {
  private audio: AudioContext | undefined;
  muted = false;

  /** Asks for the notification permission; call from a click or key handler. */
  ask(): void {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default')
      void Notification.requestPermission().catch(() => undefined);
    this.context()
      ?.resume()
      .catch(() => undefined);
  }

  notify(kind: AttentionKind, title: string, body: string): void {
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      try {
        const n = new Notification(title, { body, tag: `switchboard-${kind}-${body}` });
        n.onclick = () => {
          focus();
          n.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the sound still plays.
      }
    }
    if (!this.muted) this.beep(kind === 'offer' ? 3 : 2);
  }

  private context(): AudioContext | undefined {
    if (this.audio) return this.audio;
    const C = (globalThis as { AudioContext?: Ctx; webkitAudioContext?: Ctx }).AudioContext;
    if (!C) return undefined;
    try {
      this.audio = new C();
    } catch {
      return undefined;
    }
    return this.audio;
  }

  private beep(times: number): void {
    const ctx = this.context();
    if (!ctx) return;
    void ctx.resume().catch(() => undefined);
    const start = ctx.currentTime;
    for (let i = 0; i < times; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i % 2 ? 660 : 880;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.18);
      osc.stop(start + i * 0.18 + 0.12);
    }
  }
}
