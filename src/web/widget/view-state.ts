/** Whether the panel is open: set by the bubble, Esc, and the host page's JS API. */
export class ViewState {
  private readonly listeners = new Set<(open: boolean) => void>();
  constructor(public open: boolean) {}

  set(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    for (const fn of this.listeners) fn(open);
  }

  subscribe(fn: (open: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
