import type { PosterSkippedRow } from "@/server/poster";
import type { SyncEntity } from "./types";

/** How many reasons a run record keeps; the number of skipped rows is counted in full. */
export const MAX_SKIP_REASONS = 5;

/**
 * Rows of one sync that could not be used (Poster sent something unreadable, or a value Postgres would refuse).
 * Such a row is left as it is locally: not updated, not archived. A row whose very id is unreadable could be any
 * of ours, so nothing is archived from that entity's list in this run.
 */
export class SyncSkips {
  readonly reasons: string[] = [];
  private readonly perEntity = new Map<SyncEntity, number>();
  private readonly ids = new Map<SyncEntity, Set<number>>();
  private readonly withoutId = new Set<SyncEntity>();

  add(entity: SyncEntity, id: number | null, reason: string): void {
    this.perEntity.set(entity, this.count(entity) + 1);
    if (id === null) this.withoutId.add(entity);
    else this.ids.set(entity, (this.ids.get(entity) ?? new Set<number>()).add(id));
    if (this.reasons.length < MAX_SKIP_REASONS) this.reasons.push(id === null ? `${reason} (nothing archived from this list)` : reason);
  }

  /** For a client call's `onSkip`. With `only` (a targeted sync), rows of other ids are not this run's concern. */
  sink(entity: SyncEntity, only?: ReadonlySet<number>): (row: PosterSkippedRow) => void {
    return (row) => {
      if (only && row.id !== null && !only.has(row.id)) return;
      this.add(entity, row.id, row.reason);
    };
  }

  count(entity: SyncEntity): number {
    return this.perEntity.get(entity) ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const c of this.perEntity.values()) n += c;
    return n;
  }

  /** Poster ids whose rows were unreadable: kept as they are. */
  keptIds(entity: SyncEntity): ReadonlySet<number> {
    return this.ids.get(entity) ?? new Set<number>();
  }

  /** Whether a row without a readable id was skipped: the list is not known to be complete. */
  incomplete(entity: SyncEntity): boolean {
    return this.withoutId.has(entity);
  }
}
