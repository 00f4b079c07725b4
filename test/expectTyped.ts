/** Assertions of the bad-input catalogues (core, layers, testing): a typed BackpropError naming the function called, with the exact message. */
import { BackpropError } from "@backprop/core";
import { expect } from "vitest";

type ErrorClass = abstract new (...args: never[]) => BackpropError;

/** Checks a caught value: a BackpropError of `type`, `op` and message `op: ` + `message` (exact, a RegExp, or any). */
function checkCaught(caught: unknown, type: ErrorClass, op: string, message: string | RegExp | undefined): void {
  if (!(caught instanceof BackpropError)) {
    throw new Error(`expected a ${type.name} from ${op}, got ${caught === undefined ? "no error" : String(caught)}`);
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught.op).toBe(op);
  expect(caught.message.startsWith(`${op}: `)).toBe(true);
  const text = caught.message.slice(op.length + 2);
  if (typeof message === "string") expect(text).toBe(message);
  else if (message !== undefined) expect(text).toMatch(message);
}

/**
 * Asserts `call` throws a BackpropError of `type` whose `op` is `op` and whose message is `op: ` followed by
 * `message` (a string: exactly; a RegExp: matched against the text after the prefix; omitted: any text).
 */
export function expectTyped(call: () => unknown, type: ErrorClass, op: string, message?: string | RegExp): void {
  let caught: unknown;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  checkCaught(caught, type, op, message);
}

/** `expectTyped` for a function returning a promise: it must reject with that error. */
export async function expectRejects(
  call: () => Promise<unknown>,
  type: ErrorClass,
  op: string,
  message: string | RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await call();
  } catch (e) {
    caught = e;
  }
  checkCaught(caught, type, op, message);
}

/** Casts for values a TypeScript caller cannot pass but a JavaScript one can. */
export const bad = <T>(v: unknown) => v as T;
