/** Forward-mode state: the stack of active jvp levels, and the tangents a tensor carries, one per level. */
import type { Tensor } from "../tensor.js";

/**
 * A tensor's tangent at one jvp level. A short linked list: each nested jvp adds one level, and
 * nesting deeper than two or three is rare.
 */
export interface TangentLink {
  readonly level: number;
  readonly tangent: Tensor;
  readonly next: TangentLink | null;
}

/**
 * The levels whose tangents ops propagate now, outermost first. Each jvp call gets a fresh id, so a
 * tensor that escaped an earlier jvp never passes its stale tangent into a later one (perturbation
 * confusion). While a level's rule runs, only the levels outside it are active: a level-k tangent
 * carries tangents of the levels outside k, never of k or inner ones.
 */
let active: readonly number[] = [];
let lastLevel = 0;

/** True while some jvp is running: the one check `record` makes per op. */
export function isForwardActive(): boolean {
  return active.length !== 0;
}

/** The active levels, outermost first. */
export function activeLevels(): readonly number[] {
  return active;
}

/** The tangent `t` carries at `level`, or null. */
export function tangentAt(t: Tensor, level: number): Tensor | null {
  for (let link = t._tangents; link !== null; link = link.next) if (link.level === level) return link.tangent;
  return null;
}

/** Whether `t` carries a tangent at a level active now. */
export function hasActiveTangent(t: Tensor): boolean {
  if (active.length === 0) return false;
  for (let link = t._tangents; link !== null; link = link.next) if (active.includes(link.level)) return true;
  return false;
}

/** Gives `t` the tangent `tangent` at `level` (replacing one it had). */
export function setTangent(t: Tensor, level: number, tangent: Tensor): void {
  t._tangents = { level, tangent, next: removeLevel(t._tangents, level) };
}

/** Removes `t`'s tangent at `level` (when its jvp returns). */
export function dropTangent(t: Tensor, level: number): void {
  t._tangents = removeLevel(t._tangents, level);
}

/** Gives `to` the tangents `from` carries at the active levels (a fresh entry point keeps the outer jvps' tangents). */
export function copyActiveTangents(from: Tensor, to: Tensor): boolean {
  let copied = false;
  for (const level of active) {
    const tangent = tangentAt(from, level);
    if (tangent !== null) {
      setTangent(to, level, tangent);
      copied = true;
    }
  }
  return copied;
}

function removeLevel(link: TangentLink | null, level: number): TangentLink | null {
  if (link === null) return null;
  if (link.level === level) return link.next;
  const rest = removeLevel(link.next, level);
  return rest === link.next ? link : { level: link.level, tangent: link.tangent, next: rest };
}

/** Makes exactly `levels` active and returns the levels active before (restore them in a finally). */
export function swapActiveLevels(levels: readonly number[]): readonly number[] {
  const previous = active;
  active = levels;
  return previous;
}

/** Runs `fn` with exactly `levels` active, restoring the previous levels afterwards. */
export function withActiveLevels<T>(levels: readonly number[], fn: () => T): T {
  const previous = active;
  active = levels;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Runs `fn` with a new innermost level (a fresh id) active, which it receives. */
export function withNewLevel<T>(fn: (level: number) => T): T {
  const level = ++lastLevel;
  return withActiveLevels([...active, level], () => fn(level));
}

/** Runs `fn` with no level active: ops inside propagate no tangents (a custom op's forward). */
export function withoutTangents<T>(fn: () => T): T {
  return withActiveLevels([], fn);
}
