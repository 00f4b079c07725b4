/** The op table of the random computational graphs: each op's arity, output shape and how to apply and print it. */
import {
  add,
  broadcastTo,
  cast,
  concat,
  div,
  exp,
  linear,
  log,
  logSigmoid,
  matmul,
  max,
  min,
  minimum,
  mul,
  neg,
  pad,
  pow,
  sigmoidCrossEntropy,
  slice,
  sqrt,
  type Tensor,
  tanh,
  tensor,
  transpose,
  where,
} from "@backprop/core";

/**
 * Ops a generated graph may use. The default set (`graphOpNames`) is smooth (C∞), so finite
 * differences apply everywhere; `kinkedGraphOpNames` (relu, abs, maximum, minimum, max, min) and
 * `lossyGraphOpNames` (a float32 round trip) are opt-in through `ops`, for properties that do not
 * difference across kinks or roundings (e.g. two gradient paths agreeing). Together
 * (`allGraphOpNames`) they use every primitive of core's registry (this is tested).
 */
export type GraphOpName =
  | "relu"
  | "abs"
  | "maximum"
  | "minimum"
  | "max"
  | "min"
  | "cast"
  | "pow"
  | "log"
  | "sqrt"
  | "where"
  | "transpose"
  | "slice"
  | "concat"
  | "linear"
  | "sigmoidCrossEntropy"
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
  "log",
  "sqrt",
  "pow",
  "where",
  "transpose",
  "slice",
  "concat",
  "linear",
  "sigmoidCrossEntropy",
];

/** Ops with kinks, not drawn unless listed in `GraphOptions.ops`. */
export const kinkedGraphOpNames: readonly GraphOpName[] = ["relu", "abs", "maximum", "minimum", "max", "min"];

/** Ops that round (a float64 → float32 → float64 cast), not drawn unless listed in `GraphOptions.ops`. */
export const lossyGraphOpNames: readonly GraphOpName[] = ["cast"];

/** Every graph op: between them they use every primitive of core. */
export const allGraphOpNames: readonly GraphOpName[] = [...graphOpNames, ...kinkedGraphOpNames, ...lossyGraphOpNames];

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
  if (op === "matmul" || op === "linear") return 3;
  const binary: readonly GraphOpName[] = [
    "add",
    "sub",
    "mul",
    "div",
    "maximum",
    "minimum",
    "pow",
    "where",
    "concat",
    "sigmoidCrossEntropy",
  ];
  return binary.includes(op) ? 2 : 1;
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
    case "minimum":
    case "pow":
      return broadcastShape(shapes[0], shapes[1]);
    case "sum":
    case "mean":
    case "logSumExp":
    case "max":
    case "min":
      return axis === 0 ? [1, base[1]] : axis === 1 ? [base[0], 1] : [1, 1];
    case "matmul":
    case "broadcast":
    case "where":
    case "transpose":
    case "slice":
    case "concat":
    case "linear":
    case "sigmoidCrossEntropy":
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
    case "minimum":
      return minimum(a, b);
    case "max":
      return max(full(a), axes, true);
    case "min":
      return min(full(a), axes, true);
    case "cast":
      return cast(cast(a, a.dtype === "float64" ? "float32" : "float64"), a.dtype);
    case "log":
      return log(add(a.square(), 1));
    case "sqrt":
      return sqrt(add(a.square(), 1));
    case "pow":
      return pow(add(a.square(), 1), b);
    case "where":
      return where(checkerboard(base, a.dtype), full(a), full(b));
    case "transpose":
      return transpose(transpose(full(a)));
    case "slice":
      // Zeros in the first row: slice rows [1, r) (empty when r = 1) and pad them back at row 1.
      return pad(slice(full(a), [[1, base[0]]]), base, [1, 0]);
    case "concat":
      // Columns [1, c] of [a | b]: a's last c − 1 columns, then b's first.
      return slice(concat([full(a), full(b)], 1), [null, [1, base[1] + 1]]);
    case "linear":
      // W (r,c) = a, X (c,c) = bᵀ·b/(r·c), bias c broadcast as linear allows: (r,c).
      return linear(full(a), matmul(full(b).T, full(b)).div(base[0] * base[1]), full(c));
    case "sigmoidCrossEntropy":
      // Logits a against soft labels σ(b) in (0, 1).
      return sigmoidCrossEntropy(full(a), full(b).sigmoid());
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

/** A constant 0/1 mask of the base shape, 1 where row + column is even (a condition no input moves). */
function checkerboard([r, c]: readonly [number, number], dtype: Tensor["dtype"]): Tensor {
  const mask = Array.from({ length: r * c }, (_, i) => ((Math.floor(i / c) + (i % c)) % 2 === 0 ? 1 : 0));
  return tensor(dtype === "float64" ? new Float64Array(mask) : new Float32Array(mask), { shape: [r, c] });
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
    case "max":
    case "min":
      expr = `${node.op}(${a}, axis=${axis}, keepdims)`;
      break;
    case "cast":
      expr = `cast(cast(${a}, other dtype), own dtype)`;
      break;
    case "log":
    case "sqrt":
      expr = `${node.op}(1 + ${a}²)`;
      break;
    case "pow":
      expr = `(1 + ${a}²)^${b}`;
      break;
    case "where":
      expr = `where(checkerboard, ${a}, ${b})`;
      break;
    case "transpose":
      expr = `transpose(transpose(${a}))`;
      break;
    case "slice":
      expr = `pad(slice(${a}, rows 1:), row 1)`;
      break;
    case "concat":
      expr = `concat([${a}, ${b}], 1)[:, 1:c+1]`;
      break;
    case "linear":
      expr = `linear(${a}, ${b}ᵀ·${b} / ${node.shape[0] * node.shape[1]}, ${c})`;
      break;
    case "sigmoidCrossEntropy":
      expr = `sigmoidCrossEntropy(${a}, σ(${b}))`;
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
