import type { Range } from '../state';

/**
 * A zoom window shared by charts with the same x axis (all step charts, or the two grid
 * charts), so zooming one zooms the others. null = show everything.
 */
export class ZoomGroup {
  private readonly listeners = new Set<() => void>();

  constructor(private range: Range | null, private readonly persist: (r: Range | null) => void) {}

  get(): Range | null {
    return this.range;
  }

  set(range: Range | null): void {
    this.range = range;
    this.persist(range);
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): void {
    this.listeners.add(listener);
  }
}
