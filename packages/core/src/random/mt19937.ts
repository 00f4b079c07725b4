/** MT19937 Mersenne Twister (32-bit outputs) with init_genrand seeding, the bit generator of numpy's legacy RandomState. */

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/**
 * The MT19937 generator: 624 words of state in a Uint32Array, tempered 32-bit outputs.
 * @example
 * const mt = new MT19937(5489);
 * mt.nextUint32(); // 3499211612 (the reference implementation's first output for seed 5489)
 */
export class MT19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  /**
   * Seeds with init_genrand (the seed is taken modulo 2**32).
   * @example new MT19937(0).nextUint32(); // 2357136044
   */
  constructor(seed: number) {
    this.seed(seed);
  }

  /**
   * Re-seeds with init_genrand: state[0] = seed, state[i] = 1812433253 * (state[i-1] ^ (state[i-1] >>> 30)) + i.
   * @example mt.seed(42); mt.nextUint32(); // 1608637542
   */
  seed(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.index = N;
  }

  /**
   * The next tempered 32-bit output, an integer in [0, 2**32 - 1].
   * @example new MT19937(1).nextUint32(); // 1791095845
   */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Regenerates all 624 state words (genrand_int32's block step). */
  private twist(): void {
    const mt = this.state;
    let k = 0;
    for (; k < N - M; k++) {
      const y = (mt[k] & UPPER) | (mt[k + 1] & LOWER);
      mt[k] = mt[k + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      const y = (mt[k] & UPPER) | (mt[k + 1] & LOWER);
      mt[k] = mt[k + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }
}
