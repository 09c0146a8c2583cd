/**
 * WEB-2: while the tab is hidden, a new message from the team blinks the
 * page title ("(2) New message") and plays a short tone, until the visitor
 * looks at the tab again. The tone is best effort: a browser that has not
 * seen the visitor interact with the page keeps audio suspended.
 */
const BLINK_MS = 1000;

export class Attention {
  private unseen = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private original = '';

  constructor(private readonly label: (count: number) => string) {
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.clear());
  }

  notify(): void {
    if (document.visibilityState !== 'hidden') return;
    this.unseen++;
    tone();
    if (this.timer !== undefined) return;
    this.original = document.title;
    let on = true;
    document.title = this.label(this.unseen);
    this.timer = setInterval(() => {
      on = !on;
      document.title = on ? this.label(this.unseen) : this.original;
    }, BLINK_MS);
  }

  private clear(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.unseen = 0;
    document.title = this.original;
  }
}

function tone(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.05;
    osc.connect(gain).connect(ctx.destination);
    osc.onended = () => void ctx.close();
    osc.start();
    osc.stop(ctx.currentTime + 0.15);
  } catch {
    // No audio in this browser or page: the title still blinks.
  }
}
