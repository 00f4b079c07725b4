/** The engine adds into gradient buffers only it holds: never into one a user can still see (.grad, hooks, gradients()). */
import { gradients, randn, type Tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

const N = 96;

/** A graph whose intermediate gradients are engine-owned (fresh tensors from tanh's and mul's rules). */
function chain(x: Tensor): { z: Tensor; J: Tensor } {
  const z = x.tanh();
  return { z, J: z.mul(3).tanh().mul(2).sum() };
}

/** Runs more backward passes and ops of the same size, which would reuse any released buffer. */
function churn(): void {
  for (let i = 0; i < 5; i++) {
    const x = randn([N], 100 + i).requiresGrad_();
    x.add(1).exp();
    chain(x).J.backward(); // last: its released buffers stay in the pool
  }
}

describe("buffer reuse in backward", () => {
  it("keeps a retained intermediate gradient intact", () => {
    const x = randn([N], 1).requiresGrad_();
    const { z, J } = chain(x);
    z.retainGrad();
    J.backward();
    const dz = Array.from((z.grad as Tensor).data);
    const dx = Array.from((x.grad as Tensor).data);
    churn();
    expect(Array.from((z.grad as Tensor).data)).toEqual(dz);
    expect(Array.from((x.grad as Tensor).data)).toEqual(dx);
  });

  it("keeps a gradient a hook kept a reference to", () => {
    const x = randn([N], 2).requiresGrad_();
    const { z, J } = chain(x);
    let seen: Tensor | undefined;
    z.registerHook((g) => {
      seen = g;
      return undefined;
    });
    J.backward();
    const copy = Array.from((seen as Tensor).data);
    churn();
    expect(Array.from((seen as Tensor).data)).toEqual(copy);
  });

  it("keeps gradients returned by gradients(), and gives the same values as without reuse", () => {
    const x = randn([N], 3).requiresGrad_();
    const { z, J } = chain(x);
    const [dz, dx] = gradients(J, [z, x]);
    const copies = [Array.from(dz.data), Array.from(dx.data)];
    churn();
    expect([Array.from(dz.data), Array.from(dx.data)]).toEqual(copies);
    // Independent check of dx: d/dx 2·tanh(3·tanh x) = 6·(1 − tanh²(3 tanh x))·(1 − tanh² x).
    const xs = x.data;
    Array.from(dx.data).forEach((v, i) => {
      const t = Math.tanh(xs[i]);
      const u = Math.tanh(3 * t);
      expect(v).toBeCloseTo(6 * (1 - u * u) * (1 - t * t), 12);
    });
  });

  it("hands out zero-filled buffers (a sum accumulates into its freshly allocated output)", () => {
    const x = randn([2, N], 4);
    for (let round = 0; round < 3; round++) {
      churn(); // leaves buffers of N elements, holding gradients, in the pool
      const s = x.sum(0); // output of N elements, accumulated in place by the reduce kernel
      Array.from(s.data).forEach((v, j) => {
        expect(v).toBe(x.data[j] + x.data[N + j]);
      });
    }
  });
});
