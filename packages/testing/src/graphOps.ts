/** The op table of the random computational graphs: each op's arity, output shape and how to apply and print it. */
import { add, broadcastTo, div, exp, logSigmoid, matmul, mul, neg, type Tensor, tanh } from "@backprop/core";

/**
 * Ops a generated graph may use. The default set (`graphOpNames`) is smooth (C∞), so finite
 * differences apply everywhere; `kinkedGraphOpNames` (relu, abs, maximum) are opt-in through
 * `ops`, for properties that do not difference across kinks (e.g. two gradient paths agreeing).
 */
export type GraphOpName =
  | "relu"
  | "abs"
  | "maximum"
  | "tanh"
  | "sigmoid"
  | "softplus"
  | "logSigmoid"
  | "exp"
  | "neg"
  | "scale"
  | "square"
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "sum"
  | "mean"
  | "logSumExp"
  | "matmul"
  | "broadcast"
  | "reshape";

/** Every graph op, in the order shrinking prefers (simplest first). */
export const graphOpNames: readonly GraphOpName[] = [
  "tanh",
  "add",
  "mul",
  "sub",
  "neg",
  "scale",
  "square",
  "sigmoid",
  "softplus",
  "logSigmoid",
  "exp",
  "div",
  "sum",
  "mean",
  "logSumExp",
  "matmul",
  "broadcast",
  "reshape",
];

/** Ops with kinks, not drawn unless listed in `GraphOptions.ops`. */
export const kinkedGraphOpNames: readonly GraphOpName[] = ["relu", "abs", "maximum"];

/** One resolved node: its op, operand node indices, reduction axis, scale constant and output shape. */
export interface GraphNodeSpec {
  readonly op: GraphOpName;
  readonly operands: readonly number[];
  /** Reduction axis of the rank-2 base shape (null: every axis). */
  readonly axis: 0 | 1 | null;
  /** The constant of "scale". */
  readonly k: number;
  readonly shape: readonly number[];
  /** Wrapped in squash(v) = B·tanh(v/B) because its values exceeded the bound when generated. */
  squash: boolean;
}

/** How many operands each op takes. */
export function arity(op: GraphOpName): number {
  if (op === "matmul") return 3;
  if (op === "add" || op === "sub" || op === "mul" || op === "div" || op === "maximum") return 2;
  return 1;
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The output shape of an op whose operands have the given shapes (all broadcast to `base` = [r, c]). */
export function outputShape(
  op: GraphOpName,
  shapes: readonly (readonly number[])[],
  axis: 0 | 1 | null,
  base: readonly [number, number],
): number[] {
  switch (op) {
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "maximum":
      return broadcastShape(shapes[0], shapes[1]);
    case "sum":
    case "mean":
    case "logSumExp":
      return axis === 0 ? [1, base[1]] : axis === 1 ? [base[0], 1] : [1, 1];
    case "matmul":
    case "broadcast":
      return [...base];
    default:
      return [...shapes[0]];
  }
}

/** Applies one node to its operand values. */
export function applyOp(node: GraphNodeSpec, xs: readonly Tensor[], base: readonly [number, number]): Tensor {
  const [a, b, c] = xs;
  const full = (t: Tensor) => broadcastTo(t, base);
  const axes = node.axis === null ? [0, 1] : node.axis;
  switch (node.op) {
    case "relu":
      return a.relu();
    case "abs":
      return a.abs();
    case "maximum":
      return a.maximum(b);
    case "tanh":
      return tanh(a);
    case "sigmoid":
      return a.sigmoid();
    case "softplus":
      return a.softplus();
    case "logSigmoid":
      return logSigmoid(a);
    case "exp":
      return exp(a);
    case "neg":
      return neg(a);
    case "scale":
      return mul(a, node.k);
    case "square":
      return a.square();
    case "add":
      return add(a, b);
    case "sub":
      return a.sub(b);
    case "mul":
      return mul(a, b);
    case "div":
      return div(a, add(b.square(), 1));
    case "sum":
      return full(a).sum(axes, true);
    case "mean":
      return full(a).mean(axes, true);
    case "logSumExp":
      return full(a).logSumExp(axes, true);
    case "matmul":
      // A · (Bᵀ · C) / (r·c): (r,c)·((c,r)·(r,c)) = (r,c), scaled so values stay of order 1.
      return matmul(full(a), matmul(full(b).T, full(c))).div(base[0] * base[1]);
    case "broadcast":
      return full(a);
    case "reshape":
      return a.reshape([-1]).reshape(node.shape);
  }
}

/** The node as a line of the printed program, e.g. `t3 = mul(t1, x0)  (2,1)`. */
export function formatNode(node: GraphNodeSpec, names: readonly string[], target: string, bound: number): string {
  const [a, b, c] = node.operands.map((i) => names[i]);
  const axis = node.axis === null ? "all" : String(node.axis);
  let expr: string;
  switch (node.op) {
    case "scale":
      expr = `${node.k} ∗ ${a}`;
      break;
    case "div":
      expr = `${a} / (1 + ${b}²)`;
      break;
    case "sum":
    case "mean":
    case "logSumExp":
      expr = `${node.op}(${a}, axis=${axis}, keepdims)`;
      break;
    case "matmul":
      expr = `${a} · (${b}ᵀ · ${c}) / ${node.shape[0] * node.shape[1]}`;
      break;
    case "reshape":
      expr = `reshape(reshape(${a}, [-1]), (${node.shape.join(",")}))`;
      break;
    default:
      expr = `${node.op}(${[a, b].filter((n) => n !== undefined).join(", ")})`;
  }
  if (node.squash) expr = `${bound}·tanh(${expr} / ${bound})`;
  return `${target} = ${expr}   (${node.shape.join(",")})`;
}
