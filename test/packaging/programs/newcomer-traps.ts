/** A newcomer's first-hour slips, each refused loudly by the installed packages with a typed error that names the fix. */
import { inspect } from "node:util";
import {
  AutodiffError,
  type BackpropError,
  DTypeError,
  grad,
  JitError,
  jit,
  noGrad,
  RandomState,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
} from "@backprop/core";
import { binaryCrossEntropy, fit, fromJSONCheckpoint, TwoLayerNet, toJSONCheckpoint } from "@backprop/layers";

/** Runs `slip`, which must throw `type` with a message matching `message`. */
function refused(
  what: string,
  type: abstract new (...args: never[]) => BackpropError,
  message: RegExp,
  slip: () => unknown,
) {
  try {
    slip();
  } catch (e) {
    if (e instanceof type && message.test((e as Error).message)) return;
    throw new Error(`${what}: expected ${type.name} matching ${message}, got ${String(e)}`);
  }
  throw new Error(`${what}: no error (a silent wrong result)`);
}

const rs = new RandomState(1);
const X = rs.randn(2, 6); // (n_x, m): examples are columns
const Y = tensor([[1, 0, 1, 0, 1, 1]]); // (1, m)
const net = new TwoLayerNet({ nx: 2, nh: 3, ny: 1 });

refused("Y as (m, 1)", ShapeError, /^binaryCrossEntropy: A has shape \(1,6\) but Y has shape \(6,1\)/, () =>
  binaryCrossEntropy(net.forward(X).A2, Y.T),
);
refused("X as (m, n_x)", ShapeError, /^fit: X has shape \(6,2\) but W1 is \(3,2\)/, () =>
  fit(net, X.T, Y, { iterations: 1, learningRate: 1 }),
);
refused("labels in {-1, 1}", ValueError, /^fit: Y must hold 0\/1 labels, found -1/, () =>
  fit(net, X, Y.mul(2).sub(1), { iterations: 1, learningRate: 1 }),
);
refused("float64 data into a float32 model", DTypeError, /X\.astype\("float32"\)/, () =>
  fit(new TwoLayerNet({ nx: 2, nh: 3, ny: 1, dtype: "float32" }), X, Y, { iterations: 1, learningRate: 1 }),
);

const W = tensor([[0.1, -0.2]], { requiresGrad: true, name: "W" });
const cost = (w: Tensor) => w.matmul(X).sigmoid().sub(Y).square().mean();
refused("grad of a function that reads W from outside", AutodiffError, /would be all zeros/, () =>
  grad((_w: Tensor) => cost(W))(W),
);
refused("a NaN learning rate", ValueError, /^sub_: alpha must be a finite number, got NaN/, () =>
  noGrad(() => W.sub_(grad(cost)(W), Number.parseFloat("not a number"))),
);
const J = cost(W);
J.backward();
refused("backward twice", AutodiffError, /retainGraph/, () => J.backward());
refused("backward() inside jit", JitError, /^backward: called inside a function jit is tracing/, () =>
  jit((x: Tensor) => {
    const L = W.matmul(x).sum();
    L.backward();
    return L;
  })(X),
);
refused("a JSON checkpoint stringified twice", ValueError, /encoded twice/, () =>
  fromJSONCheckpoint(JSON.stringify(toJSONCheckpoint(net.namedParameters()))),
);
refused("a ragged nested array", ValueError, /^tensor: ragged nested array/, () => tensor([[1, 2], [3]]));

// And what works: console.log shows the values, training by hand learns.
if (inspect(W) !== String(W) || !String(W).startsWith("tensor([[")) throw new Error(`inspect(W) is ${inspect(W)}`);
const before = cost(W).item();
for (let i = 0; i < 50; i++) {
  W.grad = null;
  cost(W).backward();
  noGrad(() => W.sub_(W.grad as Tensor, 1));
}
if (!(cost(W).item() < before))
  throw new Error(`gradient descent did not lower the cost (${before} → ${cost(W).item()})`);
console.log("newcomer-traps: every slip refused with a typed error");
