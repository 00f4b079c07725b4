/** @internal Fresh values per property run: fast-check passes a kept value again while shrinking, so values that hold tensors carry a clone method. */
import fc from "fast-check";

/**
 * `build()`, with fast-check's clone method set to build it again. fast-check hands a generated
 * value to the first run as is and calls this method whenever it passes the value again (while
 * shrinking, a tuple keeps the entries it is not shrinking), so each run gets new tensors: a
 * `requiresGrad` leaf starts with `.grad === null` and in-place changes from an earlier run are gone.
 */
export function freshEachRun<T extends object>(build: () => T): T {
  const value = build();
  Object.defineProperty(value, fc.cloneMethod, { value: () => freshEachRun(build), enumerable: false });
  return value;
}
