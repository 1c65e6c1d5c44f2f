// A counting budget for work in flight (events awaiting a PubAck, request bytes held in memory):
// take or be refused at once — overload is answered with 503, never queued without limit.

export class Budget {
  #used = 0;
  constructor(readonly capacity: number) {}

  get used(): number {
    return this.#used;
  }

  /** Takes `n` if it fits (a single take larger than the capacity fits only into an empty budget; 0 always fits). */
  tryTake(n: number): boolean {
    if (n > 0 && this.#used > 0 && this.#used + n > this.capacity) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }
}
