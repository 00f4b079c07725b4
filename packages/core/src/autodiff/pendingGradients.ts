/** The gradients pending in one backward pass, and the bookkeeping of which buffers only the engine holds (guarded by test/autodiff/bufferReuse.test.ts). */
import { binaryFlat } from "../kernels/binary.js";
import { recycle } from "../kernels/floatArray.js";
import { add } from "../ops/elementwise/add.js";
import type { Tensor } from "../tensor.js";
import type { GraphNode } from "./node.js";

/** Inputs up to which isFresh scans a node's lists (cheaper than building sets for the usual one to three). */
const SCAN_LIMIT = 8;

/**
 * The gradient flowing into each tensor of a topological order (by position), summed as the rules
 * produce them, and whether only the engine holds it: a sum it made, or a fresh rule result. Such a
 * gradient may be added into in place, kept as a leaf's `.grad` without a copy, and — once its rule
 * has run and no input kept it — recycled for the next allocation of its length. A gradient a user,
 * a hook, a `gradients()` target or a custom rule could see is never written to or recycled.
 */
export class PendingGradients {
  private readonly grads: Array<Tensor | undefined>;
  private readonly owned: boolean[];
  // The gradient last taken, whether the engine owned it, and whether a rule passed its buffer on.
  private taken: Tensor | undefined = undefined;
  private takenOwned = false;
  private passedOn = false;
  // For a node with many inputs: its inputs, and how often its rule returned each tensor, counted once per rule run.
  private counted: {
    node: GraphNode;
    inputGrads: ReadonlyArray<Tensor | null>;
    inputs: Set<Tensor>;
    uses: Map<Tensor, number>;
  } | null = null;

  constructor(
    size: number,
    /** Whether sums must go through the add op (createGraph, or a jvp running: gradients carry tangents). */
    private readonly byOps: boolean,
  ) {
    this.grads = new Array<Tensor | undefined>(size);
    this.owned = new Array<boolean>(size).fill(false);
  }

  /** Starts the pass: the root's gradient (the seed, which the engine does not own). */
  seed(position: number, g: Tensor): void {
    this.grads[position] = g;
  }

  /** Removes and returns the gradient summed for `position` (undefined when no path from the root reaches it). */
  take(position: number): Tensor | undefined {
    const g = this.grads[position];
    this.grads[position] = undefined;
    this.taken = g;
    this.takenOwned = this.owned[position];
    this.passedOn = false;
    return g;
  }

  /** Whether `g`, the gradient just taken after `t`'s hooks ran, is held by the engine alone. */
  ownsTaken(t: Tensor, g: Tensor): boolean {
    return this.takenOwned && g === this.taken && t._hooks === null;
  }

  /**
   * Adds `gi`, the gradient `node`'s rule returned for one input (`returned`, summed back to the
   * input's shape as `gi`), to the gradient pending for that input's `position`.
   */
  add(
    position: number,
    gi: Tensor,
    returned: Tensor,
    g: Tensor,
    node: GraphNode,
    inputGrads: ReadonlyArray<Tensor | null>,
  ): void {
    if (gi._data === g._data) this.passedOn = true;
    const { grads, owned, byOps } = this;
    const existing = grads[position];
    const fresh = !byOps && (gi !== returned || this.isFresh(gi, g, node, inputGrads));
    if (existing === undefined) {
      grads[position] = gi;
      owned[position] = fresh;
    } else if (byOps || existing.dtype !== gi.dtype) {
      grads[position] = add(existing, gi);
      owned[position] = !byOps;
    } else if (owned[position]) addInto(existing, gi);
    else if (fresh) {
      addInto(gi, existing); // a + b = b + a exactly: the same value as add(existing, gi)
      grads[position] = gi;
      owned[position] = true;
    } else {
      grads[position] = add(existing, gi);
      owned[position] = true;
    }
  }

  /**
   * After `t`'s rule ran: `g` is dead when only the engine held it (no hook, `retainGrad`, `gradients()`
   * target or custom rule saw it) and no input gradient shares its buffer — then the buffer is recycled.
   */
  releaseTaken(t: Tensor, g: Tensor, node: GraphNode, targetsSeeGradients: boolean): void {
    const dead =
      this.ownsTaken(t, g) && !t._retainsGrad && !targetsSeeGradients && node.op.name !== "custom" && !this.passedOn;
    if (dead) recycle(g._data);
  }

  /**
   * Whether a gradient a built-in rule returned is a new tensor nothing else holds (so the engine may
   * add into it, or store it as a leaf's .grad without a copy): not the incoming gradient, an input,
   * the output, or a tensor returned for two inputs. Custom rules may return anything: never fresh.
   * A node with more than SCAN_LIMIT inputs has them counted once per rule run: scanning the lists for
   * each input made concat or stack of n tensors O(n²).
   */
  private isFresh(gi: Tensor, g: Tensor, node: GraphNode, inputGrads: ReadonlyArray<Tensor | null>): boolean {
    if (gi === g || gi === node.output || node.op.name === "custom") return false;
    if (node.inputs.length <= SCAN_LIMIT) {
      if (node.inputs.includes(gi)) return false;
      let uses = 0;
      for (const x of inputGrads) if (x === gi) uses++;
      return uses === 1;
    }
    let counted = this.counted;
    if (counted === null || counted.node !== node || counted.inputGrads !== inputGrads) {
      const uses = new Map<Tensor, number>();
      for (const x of inputGrads) if (x !== null) uses.set(x, (uses.get(x) ?? 0) + 1);
      counted = { node, inputGrads, inputs: new Set(node.inputs), uses };
      this.counted = counted;
    }
    return !counted.inputs.has(gi) && counted.uses.get(gi) === 1;
  }
}

/** acc += g elementwise (same shapes), for a gradient sum only the engine holds. */
function addInto(acc: Tensor, g: Tensor): void {
  binaryFlat("add", acc._data, g._data, acc._data);
}
