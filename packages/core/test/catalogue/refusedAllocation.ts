/** Runs a test body where Float64Array refuses more than a billion elements, as V8 does when memory runs out. */
import { vi } from "vitest";

/**
 * The engine's refusal is simulated because a machine with the memory to spare would really allocate the
 * catalogue's 32 GiB shapes; numpy raises MemoryError there.
 */
export function withRefusedAllocation(body: () => void): void {
  class Refusing extends Float64Array {
    constructor(n: number) {
      if (n > 1e9) throw new RangeError("Array buffer allocation failed");
      super(n);
    }
  }
  vi.stubGlobal("Float64Array", Refusing);
  try {
    body();
  } finally {
    vi.unstubAllGlobals();
  }
}
