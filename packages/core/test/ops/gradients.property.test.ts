import { gradcheck, gradgradcheck } from "@backprop/core";
import { primitives } from "@backprop/core/internal";
import { propertyParams } from "@backprop/testing";
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { opSpecs } from "./opSpecs.js";

describe("every primitive's backward rule", () => {
  it("has a spec in the op table (and the registry's names match its keys)", () => {
    expect(Object.keys(opSpecs).sort()).toEqual(Object.keys(primitives).sort());
    for (const [key, def] of Object.entries(primitives)) expect(def.name).toBe(key);
  });

  for (const [name, spec] of Object.entries(opSpecs)) {
    test.prop([spec.cases], propertyParams(30))(
      `${name}: first derivatives equal central finite differences`,
      ({ inputs, f }) => {
        expect(gradcheck(f, inputs, { atol: 1e-6, rtol: 1e-5, eps: spec.eps }).passed).toBe(true);
      },
    );
    if (spec.secondOrder) {
      test.prop([spec.cases], propertyParams(10, 1 / 3))(
        `${name}: second derivatives equal finite differences of the gradient`,
        ({ inputs, f }) => {
          expect(gradgradcheck(f, inputs, { atol: 1e-5, rtol: 1e-4, eps: spec.eps }).passed).toBe(true);
        },
      );
    }
  }
});
