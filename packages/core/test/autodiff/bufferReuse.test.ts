/**
 * The engine adds into, and recycles, gradient buffers only it holds: never one a user or a graph can
 * still see (.grad, hooks, gradients(), custom rules, saved tensors, forward values). That bookkeeping
 * lives in one place, src/autodiff/pendingGradients.ts.
 */
import { propertyParams } from "@backprop/testing";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { customOp, gradients, linear, linearActivation, randn, sigmoidCrossEntropy, Tensor } from "../../src/index.js";
import { allocate, allocateForOverwrite, recycle } from "../../src/kernels/floatArray.js";

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

  it("keeps the gradient a custom rule was handed", () => {
    let seen: Tensor | undefined;
    const double = customOp({
      name: "double",
      forward: (x) => x.mul(2),
      backward: (g) => {
        seen = g;
        return [g.mul(2)];
      },
    });
    const x = randn([N], 5).requiresGrad_();
    double(x.tanh().mul(3)).tanh().sum().backward();
    const copy = Array.from((seen as Tensor).data);
    churn();
    expect(Array.from((seen as Tensor).data)).toEqual(copy);
  });

  test.prop([graphCase, fc.boolean()], propertyParams(100))(
    "recycles no buffer a tensor of the graph, a saved value or a gradient still holds",
    ({ base, inputs, steps }, retainSome) => {
      const xs = inputs.map((shape, i) => randn(shape, i + 1).requiresGrad_());
      const J = build(xs, steps);
      // gradients() recycles nothing (it returns intermediate results): the reference values.
      const twins = xs.map((x) => x.detach().requiresGrad_());
      const expected = gradients(build(twins, steps), twins);
      const tensors = reachable(J);
      if (retainSome) for (const t of tensors) if (t._node !== null && t.size % 2 === 0) t.retainGrad();
      J.backward();
      xs.forEach((x, i) => {
        const got = x.grad === null ? new Array<number>(x.size).fill(0) : Array.from(x.grad.data);
        expect(got, `input ${i} of base ${base}`).toEqual(Array.from(expected[i].data));
      });
      const held = [...tensors, ...tensors.map((t) => t.grad).filter((g): g is Tensor => g !== null)];
      const before = held.map((t) => Array.from(t.data));
      // Takes every spare buffer up to 100 elements (at most 4 per length are kept) and writes into it.
      for (let n = 9; n <= 100; n++) for (let k = 0; k < 5; k++) allocate("float64", n).fill(7);
      held.forEach((t, i) => {
        expect(Array.from(t.data)).toEqual(before[i]);
      });
    },
  );
});

/** One op of a random graph: which op, and which earlier values it reads (counted back from the newest). */
interface Step {
  readonly op: (typeof OPS)[number];
  readonly args: readonly [number, number];
}

// Ops whose rules return their incoming gradient (add, sub, linear's bias), fresh tensors (mul, the
// fused activations and loss) or reduced ones (broadcast operands, sum), with fan-out from reuse.
const OPS = ["add", "sub", "mul", "maximum", "tanh", "relu", "sigmoid", "sum0", "sum1", "linear", "bce"] as const;

/** A base shape (r, c), inputs of shape (r, c), (r, 1), (1, c) or (), and a few ops over them. */
const graphCase = fc
  .record({ r: fc.integer({ min: 1, max: 10 }), c: fc.integer({ min: 1, max: 10 }) })
  .chain(({ r, c }) =>
    fc.record({
      base: fc.constant(`${r}x${c}`),
      inputs: fc.array(fc.constantFrom([r, c], [r, 1], [1, c], [] as number[]), { minLength: 1, maxLength: 3 }),
      steps: fc.array(
        fc.record({ op: fc.constantFrom(...OPS), args: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })) }),
        { minLength: 1, maxLength: 8 },
      ),
    }),
  );

/** Applies the steps to the inputs and returns a scalar: the sum of the last value. */
function build(xs: readonly Tensor[], steps: readonly Step[]): Tensor {
  const values: Tensor[] = [...xs];
  const pick = (back: number) => values[Math.max(0, values.length - 1 - back)];
  for (const { op, args } of steps) {
    const [a, b] = [pick(args[0]), pick(args[1])];
    const square = (t: Tensor) => (t.rank === 2 ? t.matmul(t.transpose()) : t);
    const next: Record<(typeof OPS)[number], () => Tensor> = {
      add: () => a.add(b),
      sub: () => a.sub(b),
      mul: () => a.mul(b),
      maximum: () => a.maximum(b),
      tanh: () => a.tanh(),
      relu: () => a.relu(),
      sigmoid: () => a.sigmoid(),
      sum0: () => (a.rank === 2 ? a.sum(0, true) : a.sum()),
      sum1: () => (a.rank === 2 ? a.sum(1, true) : a.sum()),
      linear: () => (a.rank === 2 ? linearOf(square(a), a, b) : a.mul(b)),
      bce: () => sigmoidCrossEntropy(a, a.detach().tanh().add(1).mul(0.5)), // labels without grad: the fused rule
    };
    values.push(next[op]());
  }
  return values[values.length - 1].sum();
}

/** W·X + b when b fits W·X's shape as a bias, else W·X. */
function linearOf(W: Tensor, X: Tensor, b: Tensor): Tensor {
  const [n, m] = [W.shape[0], X.shape[1]];
  const fits =
    b.rank === 0 || (b.rank === 2 && (b.shape[0] === 1 || b.shape[0] === n) && (b.shape[1] === 1 || b.shape[1] === m));
  return fits ? linear(W, X, b) : W.matmul(X);
}

/** Every tensor reachable from `root` through graph nodes: inputs, outputs and tensors saved in attributes. */
function reachable(root: Tensor): Tensor[] {
  const seen = new Set<Tensor>([root]);
  const stack = [root];
  for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
    const node = t._node;
    if (node === null) continue;
    const saved = Object.values((node.attrs ?? {}) as Record<string, unknown>);
    for (const x of [...node.inputs, node.output, ...saved]) {
      if (x instanceof Tensor && !seen.has(x)) {
        seen.add(x);
        stack.push(x);
      }
    }
  }
  return [...seen];
}

describe("recycled buffers", () => {
  it("come back zero-filled, for the same dtype and length only", () => {
    const used = new Float64Array(100).fill(3);
    recycle(used);
    expect(allocate("float32", 100)).not.toBe(used);
    expect(allocate("float64", 99)).not.toBe(used);
    const again = allocate("float64", 100);
    expect(again).toBe(used);
    expect(Array.from(again).every((v) => v === 0)).toBe(true);
  });

  it("are never views into a larger buffer, nor arrays small enough for V8's heap", () => {
    const backing = new Float64Array(200).fill(1);
    const view = backing.subarray(100);
    recycle(view);
    expect(allocate("float64", 100)).not.toBe(view);
    const tiny = new Float64Array(4);
    recycle(tiny);
    expect(allocate("float64", 4)).not.toBe(tiny);
  });

  it("come back with their old values to a kernel that overwrites every element (allocateForOverwrite)", () => {
    const used = new Float32Array(100).fill(3);
    recycle(used);
    expect(allocateForOverwrite("float64", 100)).not.toBe(used);
    const again = allocateForOverwrite("float32", 100);
    expect(again).toBe(used);
    expect(again[99]).toBe(3);
    expect(Array.from(allocateForOverwrite("float32", 100)).every((v) => v === 0)).toBe(true); // none spare: fresh
  });

  it("leave nothing of their old values in the outputs of the ops that overwrite them", () => {
    const n = 6 * 40;
    const x = randn([6, 40], 1);
    const w = randn([6, 6], 2);
    const b = randn([6, 1], 3);
    const want = [x.relu(), x.add(b), x.mul(x), w.matmul(x), linearActivation(w, x, b, "tanh").A].map((t) =>
      Array.from(t.data),
    );
    const dirty = () => {
      for (let i = 0; i < 4; i++) recycle(new Float64Array(n).fill(Number.NaN));
    };
    const got = [
      () => x.relu(),
      () => x.add(b),
      () => x.mul(x),
      () => w.matmul(x),
      () => linearActivation(w, x, b, "tanh").A,
    ].map((f) => {
      dirty();
      return Array.from(f().data);
    });
    expect(got).toEqual(want);
  });
});
