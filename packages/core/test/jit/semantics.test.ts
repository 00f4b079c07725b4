/** jit's semantics: the cache per signature (LRU), closed-over tensors read at each call, trace-time side effects, value reads as JitError, the eager fallback, and the outputs' structure. */
import {
  BackpropError,
  customOp,
  enableGrad,
  grad,
  hessian,
  JitError,
  jit,
  jvp,
  noGrad,
  type Tensor,
  tensor,
  ValueError,
  valueAndGrad,
  vjp,
  withTracing,
} from "@backprop/core";
import { describe, expect, it } from "vitest";

const backends = ["codegen", "interpret"] as const;

describe.each(backends)("jit (%s)", (backend) => {
  it("traces once per signature: shapes, dtypes, requiresGrad and non-tensor arguments by value", () => {
    let traces = 0;
    const f = jit(
      (x: Tensor, k: number) => {
        traces++;
        return x.mul(k).exp();
      },
      { backend },
    );
    const a = tensor([1, 2, 3]);
    f(a, 2);
    f(tensor([4, 5, 6]), 2);
    expect(traces).toBe(1);
    f(a, 3); // another number
    f(tensor([1, 2]), 2); // another shape
    f(a.astype("float32"), 2); // another dtype
    noGrad(() => f(tensor([1, 2, 3], { requiresGrad: true }), 2)); // another requiresGrad
    expect(traces).toBe(5);
    expect(f.traceCount).toBe(5);
    expect(Array.from(f(a, 3).data)).toEqual(Array.from(a.mul(3).exp().data));
  });

  it("keeps at most cacheSize signatures, dropping the least recently used", () => {
    const f = jit((x: Tensor) => x.add(1), { backend, cacheSize: 2 });
    const [a, b, c] = [tensor([1]), tensor([1, 2]), tensor([1, 2, 3])];
    f(a);
    f(b);
    f(a); // a is now the most recently used
    f(c); // evicts b
    expect(f.cacheSize).toBe(2);
    expect(f.traceCount).toBe(3);
    f(a);
    expect(f.traceCount).toBe(3);
    f(b);
    expect(f.traceCount).toBe(4);
  });

  it("reads the tensors f closes over at every call, so in-place updates are seen", () => {
    const W = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([[0.5], [-0.5]]);
    const f = jit((x: Tensor) => W.matmul(x).add(b).tanh(), { backend });
    const x = tensor([[1], [2]]);
    expect(Array.from(f(x).data)).toEqual(Array.from(W.matmul(x).add(b).tanh().data));
    W.sub_(tensor(0.25));
    b.mul_(3);
    expect(Array.from(f(x).data)).toEqual(Array.from(W.matmul(x).add(b).tanh().data));
    expect(f.traceCount).toBe(1);
  });

  it("runs JavaScript side effects inside f while tracing only", () => {
    const seen: number[] = [];
    const f = jit(
      (x: Tensor) => {
        seen.push(x.shape[0]);
        return x.neg();
      },
      { backend },
    );
    f(tensor([1, 2]));
    f(tensor([3, 4]));
    f(tensor([5, 6]));
    expect(seen).toEqual([2]);
  });

  it("returns fresh tensors that do not require grad, in f's structure", () => {
    const x = tensor([1, 2]);
    const f = jit(
      (a: Tensor, pair: [Tensor, Tensor], named: { s: Tensor }) => ({
        same: a,
        list: [pair[0].mul(pair[1]), named.s.sum()],
        label: "sum",
      }),
      { backend },
    );
    const out = f(x, [x, tensor([3, 4])], { s: tensor([[1, 2]]) });
    expect(out.same).not.toBe(x);
    expect(Array.from(out.same.data)).toEqual([1, 2]);
    expect(Array.from(out.list[0].data)).toEqual([3, 8]);
    expect(out.list[1].shape).toEqual([]);
    expect(out.list[1].item()).toBe(3);
    expect(out.label).toBe("sum");
    for (const t of [out.same, ...out.list]) {
      expect(t.requiresGrad).toBe(false);
      expect(t.isLeaf).toBe(true);
    }
  });

  it("compiles valueAndGrad's [value, grads] with the gradients of closed-over constants", () => {
    const Y = tensor([[1, 0, 1]]);
    const loss = (w: Tensor, X: Tensor) => w.matmul(X).sigmoid().sub(Y).square().mean();
    const step = valueAndGrad(loss, { argnums: [0] });
    const w = tensor([[0.3, -0.2]]);
    const X = tensor([
      [1, 2, 3],
      [-1, 0, 1],
    ]);
    const [J, [dw]] = jit(step, { backend })(w, X);
    const [Je, [dwe]] = step(w, X);
    expect(J.item()).toBe(Je.item());
    expect(Array.from(dw.data)).toEqual(Array.from(dwe.data));
  });
});

describe("jit: reading a traced value inside f", () => {
  const reads: [string, (t: Tensor) => unknown][] = [
    ["item()", (t) => t.sum().item()],
    ["toArray()", (t) => t.toArray()],
    ["data", (t) => t.exp().data],
    ["toArray1D()", (t) => t.toArray1D()],
    ["printing (toString)", (t) => String(t.neg())],
  ];
  it.each(reads)("%s is a JitError naming jit, the read and the fix", (what, read) => {
    const f = jit((x: Tensor) => {
      read(x);
      return x;
    });
    let error: unknown;
    try {
      f(tensor([1, 2]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JitError);
    expect(error).toBeInstanceOf(BackpropError);
    const message = (error as Error).message;
    expect(message.startsWith("jit: ")).toBe(true);
    expect(message).toContain(what);
    expect(message).toMatch(/of shape \((2)?\)/);
    expect(message).toContain("return the tensor from the function and read it outside jit");
  });

  it("a data-dependent branch is such a read", () => {
    const f = jit((x: Tensor) => (x.sum().item() > 0 ? x : x.neg()));
    expect(() => f(tensor([1]))).toThrow(JitError);
  });

  it("reading a tensor f closes over is allowed (it is not traced)", () => {
    const scale = tensor(3);
    const f = jit((x: Tensor) => x.mul(scale.item()));
    expect(Array.from(f(tensor([1, 2])).data)).toEqual([3, 6]);
  });

  it("values are readable again after the trace, and outside jit", () => {
    const f = jit((x: Tensor) => x.add(1));
    const out = f(tensor([1]));
    expect(out.item()).toBe(2);
    expect(tensor([5]).item()).toBe(5);
  });
});

describe("jit: a call that is itself differentiated runs f eagerly", () => {
  it("an argument requiring grad in grad mode: the output requires grad and backward reaches it", () => {
    const f = jit((x: Tensor) => x.mul(x).sum());
    const x = tensor([1, 2], { requiresGrad: true });
    const y = enableGrad(() => f(x));
    expect(y.requiresGrad).toBe(true);
    y.backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([2, 4]);
    expect(f.traceCount).toBe(0);
  });

  it("grad of a jitted function equals grad of the function", () => {
    const f = (x: Tensor) => x.tanh().mul(x).sum();
    const x = tensor([0.5, -1]);
    expect(Array.from(grad(jit(f))(x).data)).toEqual(Array.from(grad(f)(x).data));
  });

  it("inside a jvp and inside an outer trace", () => {
    const f = jit((x: Tensor) => x.exp());
    const [, t] = jvp(f, [tensor([0, 1])], [tensor([1, 1])]);
    expect(Array.from(t.data)).toEqual([1, Math.E]);
    const traced = withTracing(() => f(tensor([0])));
    expect(traced.op).toBe("exp");
    expect(f.traceCount).toBe(0);
  });

  it("a closed-over tensor requiring grad in grad mode: the output requires grad (eager from then on)", () => {
    const W = tensor([2, 3], { requiresGrad: true });
    const f = jit((x: Tensor) => W.mul(x).sum());
    const y = f(tensor([1, 1]));
    expect(y.requiresGrad).toBe(true);
    y.backward();
    expect(Array.from(W.grad?.data ?? [])).toEqual([1, 1]);
    expect(f.lower(tensor([1, 1]))).toContain("runs eagerly");
  });
});

describe("jit: errors", () => {
  it("rejects bad options and non-functions", () => {
    expect(() => jit(1 as unknown as () => Tensor)).toThrow(ValueError);
    expect(() => jit((x: Tensor) => x, { cacheSize: 0 })).toThrow(/cacheSize must be a positive integer/);
    expect(() => jit((x: Tensor) => x, { backend: "wasm" as "auto" })).toThrow(/backend must be/);
  });

  it("a custom op is a JitError naming it", () => {
    const cube = customOp({
      name: "cube",
      forward: (x: Tensor) => x.mul(x).mul(x),
      backward: (g, { inputs: [x] }) => [g.mul(x.mul(x)).mul(3)],
    });
    expect(() => jit((x: Tensor) => cube(x))(tensor([1]))).toThrow(/jit: cannot compile the cube op/);
  });

  it("backward() inside f is a JitError naming backward (its .grad would be filled while tracing only)", () => {
    // Before: the first call added W's gradient twice (trace + eager rerun) and a step with an update inside
    // updated W on the first call only; now both refuse, before anything changes.
    const W = tensor([[0.1, 0.2]], { requiresGrad: true });
    const x = tensor([
      [1, -1, 2],
      [0.5, 0, -2],
    ]);
    const step = jit((y: Tensor) => {
      const J = W.matmul(y).tanh().sum();
      J.backward();
      return J;
    });
    expect(() => step(x)).toThrow(JitError);
    expect(() => step(x)).toThrow(
      /^backward: called inside a function jit is tracing: backward\(\) fills \.grad, which jit does not record, .*jit valueAndGrad\(loss, \{ argnums \}\) instead/,
    );
    expect(W.grad).toBeNull();
    // Outside jit, and when jit runs f eagerly (the call is differentiated), backward works as usual.
    const eager = jit((y: Tensor) => {
      y.mul(y).sum().backward();
      return y;
    });
    const z = tensor([1, 2], { requiresGrad: true });
    eager(z);
    expect(Array.from(z.grad?.data ?? [])).toEqual([2, 4]);
  });

  it("an in-place update inside f is a JitError naming it (it would run while tracing only)", () => {
    const W = tensor([[0.1, 0.2]]);
    const before = Array.from(W.data);
    const dW = tensor([[1, 1]]);
    for (const [name, update] of [
      ["sub_", () => W.sub_(dW, 0.5)],
      ["add_", () => W.add_(dW)],
      ["mul_", () => W.mul_(2)],
      ["div_", () => W.div_(2)],
      ["copy_", () => W.copy_(dW)],
    ] as const) {
      const step = jit((y: Tensor) => {
        update();
        return y.add(1);
      });
      expect(() => step(tensor([1]))).toThrow(JitError);
      expect(() => step(tensor([1]))).toThrow(
        new RegExp(
          `^${name}: called inside a function jit is tracing: an in-place update is never recorded, .*W\\.sub_\\(dW, lr\\) after the call`,
        ),
      );
    }
    // An update computed from the traced argument would also bake in the trace's values: refused the same way.
    const h = tensor([0, 0]);
    expect(() => jit((y: Tensor) => h.copy_(y.mul(2)))(tensor([1, 2]))).toThrow(/^copy_: called inside a function jit/);
    expect(Array.from(W.data)).toEqual(before);
    expect(Array.from(h.data)).toEqual([0, 0]);
  });

  it("an argument jit cannot compare by value is a JitError", () => {
    const f = jit((x: Tensor, _g: () => void) => x);
    expect(() => f(tensor([1]), () => {})).toThrow(/argument 1 is a function/);
  });
});

describe("jit: transforms inside f", () => {
  const bits = (t: Tensor) => Array.from(t.data, String);
  const x = tensor([0.5, -1.25, 2]);

  it.each(backends)("hessian, jvp and a vjp used inside f equal eager bit for bit (%s)", (backend) => {
    const h = (y: Tensor) => hessian((z: Tensor) => z.pow(3).mul(z.tanh()).sum())(y);
    expect(bits(jit(h, { backend })(x))).toEqual(bits(h(x)));
    const j = (y: Tensor) => jvp((z: Tensor) => z.exp().mul(z), [y], [y.mul(0.5)]);
    const [pj, tj] = jit(j, { backend })(x);
    const [pe, te] = j(x);
    expect(bits(pj)).toEqual(bits(pe));
    expect(bits(tj)).toEqual(bits(te));
    const v = (y: Tensor) => {
      const [out, pullback] = vjp((z: Tensor) => z.sigmoid().mul(z), y);
      return [out, ...pullback(out.mul(2))];
    };
    expect(jit(v, { backend })(x).map(bits)).toEqual(v(x).map(bits));
  });

  it("returning a function (vjp's pullback) is a JitError", () => {
    const g = jit((y: Tensor) => vjp((z: Tensor) => z.exp(), y));
    expect(() => g(x)).toThrow(/jit: the function returned a function \(such as vjp's pullback\)/);
  });

  it("each call's outputs are new arrays (the program's buffers are not handed out)", () => {
    const g = jit((y: Tensor) => y.exp());
    const first = g(x);
    const second = g(x);
    expect(second.data).not.toBe(first.data);
    expect(bits(second)).toEqual(bits(first));
  });

  it("where new Function is refused (EvalError, as under a strict CSP), auto runs the interpreter with the same bits", () => {
    const original = globalThis.Function;
    const refuse = function refused() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    } as unknown as FunctionConstructor;
    const g = jit((y: Tensor) => y.tanh().mul(y).sum());
    globalThis.Function = refuse;
    let text: string;
    let out: Tensor;
    try {
      out = g(x);
      text = g.lower(x);
    } finally {
      globalThis.Function = original;
    }
    expect(text.startsWith("jit program (interpreter)")).toBe(true);
    expect(bits(out)).toEqual(bits(x.tanh().mul(x).sum()));
    expect(() => {
      globalThis.Function = refuse;
      try {
        jit((y: Tensor) => y.neg(), { backend: "codegen" })(x);
      } finally {
        globalThis.Function = original;
      }
    }).toThrow(EvalError);
  });
});
