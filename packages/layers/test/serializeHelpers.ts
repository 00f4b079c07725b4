/** Shared helpers of the checkpoint tests: special doubles, bit-level comparison, hand-built safetensors bytes. */
import { ValueError } from "@backprop/core";
import { expect } from "vitest";
/** Doubles that stress an encoding: signed zeros, subnormals, extremes, infinities, NaN, inexact decimals. */
export const SPECIAL = [
  -0,
  0,
  5e-324,
  -5e-324,
  2.225073858507201e-308, // largest subnormal
  2.2250738585072014e-308, // smallest normal
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  0.1,
  1 / 3,
  Math.PI,
  -123456789.12345679,
  Number.EPSILON,
];

/** The IEEE-754 bits of each double, as hex (NaN payloads normalized: not required to survive). */
export function bits(values: ArrayLike<number>): string[] {
  return Array.from(values, (v) => {
    if (Number.isNaN(v)) return "nan";
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return view.getBigUint64(0).toString(16);
  });
}

/** A safetensors file from a header (object, text or raw bytes) and data bytes, with the 8-byte little-endian length. */
export function build(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json =
    header instanceof Uint8Array
      ? header
      : new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  const n = lengthOverride ?? json.length;
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Little-endian float64 bytes of the values. */
export function f64(...values: number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setFloat64(8 * i, v, true);
  });
  return out;
}

export function expectValueError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValueError);
  expect((caught as Error).message).toMatch(message);
}
