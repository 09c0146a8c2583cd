/**
 * What the desk keeps in this browser, per staff member (localStorage keys
 * `switchboard.console.<id>.<name>`): messages not yet acknowledged and
 * the status the agent last chose. Storage that
 * is full or refused keeps things for this page only.
 */
export class DeskStorage {
  constructor(private readonly staffId: string) {}

  load<T>(name: string): T | undefined {
    try {
      const raw = localStorage.getItem(this.key(name));
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  save(name: string, value: unknown): void {
    try {
      localStorage.setItem(this.key(name), JSON.stringify(value));
    } catch {
      // Storage full or refused: kept for this page only.
    }
  }

  private key(name: string): string {
    return `switchboard.console.${this.staffId}.${name}`;
  }
}
