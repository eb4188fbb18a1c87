// The virtual clock's agenda: a binary min-heap keyed by (time, sequence), so
// events at the same simulated instant run in the order they were scheduled.
// Fast-forwarding costs one pop per event, never one step per millisecond.

export type Action = () => void;

export class EventQueue {
  // Parallel arrays keep the heap compact and the comparisons monomorphic.
  private times: number[] = [];
  private seqs: number[] = [];
  private actions: Action[] = [];
  private seq = 0;

  get size(): number {
    return this.times.length;
  }

  push(time: number, action: Action): void {
    const s = this.seq++;
    let i = this.times.length;
    this.times.push(time);
    this.seqs.push(s);
    this.actions.push(action);
    // sift up
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p];
      if (pt < time || (pt === time && this.seqs[p] < s)) break;
      this.times[i] = pt;
      this.seqs[i] = this.seqs[p];
      this.actions[i] = this.actions[p];
      i = p;
    }
    this.times[i] = time;
    this.seqs[i] = s;
    this.actions[i] = action;
  }

  peekTime(): number | null {
    return this.times.length > 0 ? this.times[0] : null;
  }

  /** Removes the earliest event and returns its action (check peekTime first). */
  pop(): Action {
    const top = this.actions[0];
    const lastT = this.times.pop()!;
    const lastS = this.seqs.pop()!;
    const lastA = this.actions.pop()!;
    const n = this.times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (this.times[r] < this.times[l] || (this.times[r] === this.times[l] && this.seqs[r] < this.seqs[l]))) c = r;
        const ct = this.times[c];
        if (lastT < ct || (lastT === ct && lastS < this.seqs[c])) break;
        this.times[i] = ct;
        this.seqs[i] = this.seqs[c];
        this.actions[i] = this.actions[c];
        i = c;
      }
      this.times[i] = lastT;
      this.seqs[i] = lastS;
      this.actions[i] = lastA;
    }
    return top;
  }

  clear(): void {
    this.times = [];
    this.seqs = [];
    this.actions = [];
  }
}
