/** Activation functions g and their derivatives g′, by name or as objects: sigmoid, tanh, relu, leakyRelu, linear, softmax. */
import {
  linearActivation,
  linear as linearOp,
  onesLike,
  scalar,
  sub,
  type Tensor,
  ValueError,
  where,
} from "@backprop/core";

/** The built-in activations. */
export type ActivationName = "sigmoid" | "tanh" | "relu" | "leakyRelu" | "linear" | "softmax";

/** An activation g: its forward pass and, for the closed-form backward pass, its derivative g′. */
export interface Activation {
  readonly name: string;
  /** A = g(Z), recorded on the graph. */
  forward(z: Tensor): Tensor;
  /** g′(z) as a tensor, given z and a = g(z) (not defined for softmax: throws). */
  derivative(z: Tensor, a: Tensor): Tensor;
}

/** An activation by name, as an object, or leaky relu with its slope. */
export type ActivationSpec = ActivationName | Activation | { name: "leakyRelu"; slope: number };

/** The names `activation()` accepts, for error messages. */
export const activationNames: readonly ActivationName[] = ["sigmoid", "tanh", "relu", "leakyRelu", "linear", "softmax"];

const sigmoid: Activation = {
  name: "sigmoid",
  forward: (z) => z.sigmoid(),
  // σ′(z) = a(1 − a), from the saved output as the course writes it.
  derivative: (_z, a) => a.mul(sub(1, a)),
};

const tanh: Activation = {
  name: "tanh",
  forward: (z) => z.tanh(),
  // tanh′(z) = 1 − a².
  derivative: (_z, a) => sub(1, a.mul(a)),
};

const relu: Activation = {
  name: "relu",
  forward: (z) => z.relu(),
  // relu′(z) = [z > 0]: 0 at z = 0, as the course defines it.
  derivative: (z) => z.gt(0),
};

const linear: Activation = {
  name: "linear",
  forward: (z) => z,
  derivative: (z) => onesLike(z),
};

const softmax: Activation = {
  name: "softmax",
  // Classes are rows, examples are columns: normalize each column.
  forward: (z) => z.softmax(0),
  derivative: () => {
    throw new ValueError(
      "softmax.derivative",
      "softmax's Jacobian is not elementwise, so it has no g′(z) tensor; pair softmax with softmaxCrossEntropy, whose dZ = A − Y",
    );
  },
};

/** Leaky relu with a given slope for z ≤ 0 (0.01 by default). */
export interface LeakyRelu extends Activation {
  readonly name: "leakyRelu";
  readonly slope: number;
}

/**
 * Leaky relu: z where z > 0, else slope·z; g′ = 1 where z > 0, else slope.
 * @example const g = leakyRelu(0.2); g.forward(tensor([-1, 2])).toArray(); // [-0.2, 2]
 */
export function leakyRelu(slope = 0.01): LeakyRelu {
  return leakyReluFor("leakyRelu", slope);
}

/** leakyRelu(slope), whose error names `op`, the function the user called. */
function leakyReluFor(op: string, slope: unknown): LeakyRelu {
  if (typeof slope !== "number" || !Number.isFinite(slope)) {
    throw new ValueError(op, `leakyRelu slope must be a finite number, got ${String(slope)}`);
  }
  return {
    name: "leakyRelu",
    slope,
    forward: (z) => z.leakyRelu(slope),
    // In z's dtype: plain numbers would make a float64 g′ and promote a float32 dZ = dA ∗ g′ to float64.
    derivative: (z) => where(z.gt(0), scalar(1, z.dtype), scalar(slope, z.dtype)),
  };
}

const byName: Record<Exclude<ActivationName, "leakyRelu">, Activation> = { sigmoid, tanh, relu, linear, softmax };

/**
 * The activation for a name, an `{ name: "leakyRelu", slope }` spec, or an Activation object (returned as is).
 * @example activation("tanh").forward(Z1) // A1
 * @example activation({ name: "leakyRelu", slope: 0.2 }).derivative(Z1, A1)
 */
export function activation(spec: ActivationSpec): Activation {
  return activationFor("activation", spec);
}

/**
 * `activation(spec)` for a layer or model constructor: errors name `op` (e.g. "Dense", "mlp"), the function called.
 * @example this.activation = activationFor("Dense", options.activation ?? "linear");
 */
export function activationFor(op: string, spec: unknown): Activation {
  if (typeof spec === "string") {
    if (spec === "leakyRelu") return leakyReluFor(op, 0.01);
    if (Object.hasOwn(byName, spec)) return byName[spec as keyof typeof byName];
    throw new ValueError(op, `unknown activation "${spec}": expected one of ${activationNames.join(", ")}`);
  }
  if (spec !== null && typeof spec === "object") {
    const s = spec as Partial<Activation> & { slope?: unknown };
    if (typeof s.forward === "function" && typeof s.derivative === "function") return spec as Activation;
    if (s.name === "leakyRelu" && "slope" in s) return leakyReluFor(op, s.slope);
  }
  throw new ValueError(
    op,
    `expected an activation name (${activationNames.join(", ")}), { name: "leakyRelu", slope }, or an object with forward and derivative, got ${describe(spec)}`,
  );
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return `an object with keys [${Object.keys(x).join(", ")}]`;
  return `${typeof x} ${String(x)}`;
}

/**
 * Z = W·X + b and A = g(Z). For the built-in sigmoid, tanh and relu both come from one pass over the
 * product (core's linearActivation: the same bits and the same two graph nodes); any other g runs after
 * `linear`. A is Z itself for the linear activation.
 */
export function linearThen(g: Activation, W: Tensor, X: Tensor, b: Tensor): { Z: Tensor; A: Tensor } {
  const fused = g === sigmoid ? "sigmoid" : g === tanh ? "tanh" : g === relu ? "relu" : undefined;
  if (fused !== undefined) return linearActivation(W, X, b, fused);
  const Z = linearOp(W, X, b);
  return { Z, A: g.forward(Z) };
}
