/**
 * A binary min-heap of (id, priority) pairs in typed arrays, reused across searches so that a
 * nearest-border search allocates nothing (the same structure as mourner's flatqueue, which
 * Flatbush uses internally but does not export).
 */
export class PriorityHeap {
  private ids: Uint32Array;
  private priorities: Float64Array;
  /** Number of entries. */
  length = 0;

  constructor(capacity = 256) {
    this.ids = new Uint32Array(capacity);
    this.priorities = new Float64Array(capacity);
  }

  /** Empties the heap (keeps its memory). */
  clear(): void {
    this.length = 0;
  }

  /** Adds `id` with `priority`. */
  push(id: number, priority: number): void {
    if (this.length === this.ids.length) this.grow();
    const ids = this.ids;
    const priorities = this.priorities;
    let pos = this.length++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const parentPriority = priorities[parent] as number;
      if (priority >= parentPriority) break;
      ids[pos] = ids[parent] as number;
      priorities[pos] = parentPriority;
      pos = parent;
    }
    ids[pos] = id;
    priorities[pos] = priority;
  }

  /** The smallest priority (Infinity when empty). */
  peekPriority(): number {
    return this.length === 0 ? Infinity : (this.priorities[0] as number);
  }

  /** Removes the entry with the smallest priority and returns its id (heap must not be empty). */
  pop(): number {
    const ids = this.ids;
    const priorities = this.priorities;
    const top = ids[0] as number;
    const last = --this.length;
    if (last > 0) {
      const id = ids[last] as number;
      const priority = priorities[last] as number;
      const half = last >> 1;
      let pos = 0;
      while (pos < half) {
        let child = 2 * pos + 1;
        const right = child + 1;
        if (right < last && (priorities[right] as number) < (priorities[child] as number)) {
          child = right;
        }
        const childPriority = priorities[child] as number;
        if (childPriority >= priority) break;
        ids[pos] = ids[child] as number;
        priorities[pos] = childPriority;
        pos = child;
      }
      ids[pos] = id;
      priorities[pos] = priority;
    }
    return top;
  }

  private grow(): void {
    const ids = new Uint32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ids = ids;
    const priorities = new Float64Array(this.priorities.length * 2);
    priorities.set(this.priorities);
    this.priorities = priorities;
  }
}
