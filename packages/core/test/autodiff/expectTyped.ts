/** The catalogue tests' assertion: a typed BackpropError naming the function called, with the exact message. */
import { BackpropError } from "@backprop/core";
import { expect } from "vitest";

/**
 * Asserts `call` throws a BackpropError of `type` whose `op` is `op` and whose message is `op: ` followed by
 * `message` (a string: exactly; a RegExp: matched against the text after the prefix).
 */
export function expectTyped(
  call: () => unknown,
  type: abstract new (...args: never[]) => BackpropError,
  op: string,
  message: string | RegExp,
): void {
  let caught: unknown;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof BackpropError)) {
    throw new Error(`expected a ${type.name} from ${op}, got ${caught === undefined ? "no error" : String(caught)}`);
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught.op).toBe(op);
  expect(caught.message.startsWith(`${op}: `)).toBe(true);
  const text = caught.message.slice(op.length + 2);
  if (typeof message === "string") expect(text).toBe(message);
  else expect(text).toMatch(message);
}

/** Casts for values a TypeScript caller cannot pass but a JavaScript one can. */
export const bad = <T>(v: unknown) => v as T;
