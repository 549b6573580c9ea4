// A small seeded PRNG (mulberry32), so a generated corpus is the same on every machine and a
// failure can be replayed with its seed.
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(16)];
    return s;
  }
}

/** The seed a differential run uses: AZPOL_ORACLE_SEED, else a fixed one. */
export function oracleSeed(): number {
  const fromEnv = process.env.AZPOL_ORACLE_SEED;
  return fromEnv ? Number.parseInt(fromEnv, 10) : 20261123;
}
