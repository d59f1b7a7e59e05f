// The deterministic random number generator behind RNDR/RNDRRS (FEAT_RNG): xoshiro128** over four 32-bit
// words, seeded with splitmix32 from the machine's seed and the CPU index. Guests see the same sequence on
// every run with the same seed (record/replay and reverse debugging depend on it); nothing here reads the
// host clock or Math.random. RNDRRS ("reseeded") returns the next numbers of the same generator: the
// architecture only requires that a reseed happened, which a deterministic emulator cannot observe.
// The state is part of the CPU (reset with it); snapshots must include `state`.

export class Rng {
  readonly state = new Uint32Array(4);

  seed(seed: number, stream: number): void {
    let x = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** The next 32 random bits (as a signed int32). */
  next32(): number {
    const s = this.state;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9);
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r | 0;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
