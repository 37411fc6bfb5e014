/** A binary min-heap of (due time, key): the scheduler's timetable. */
export class DueQueue<K> {
  private readonly items: { due: number; key: K }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(due: number, key: K): void {
    const items = this.items;
    items.push({ due, key });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].due <= items[i].due) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  peek(): { due: number; key: K } | undefined {
    return this.items[0];
  }

  pop(): { due: number; key: K } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && items[l].due < items[m].due) m = l;
        if (r < items.length && items[r].due < items[m].due) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top;
  }
}
