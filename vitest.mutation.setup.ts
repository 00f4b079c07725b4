/** Setup for mutation runs: one fixed fast-check seed, so property tests keep their names ("… (with seed=42)") between Stryker's dry run and its mutant runs. */
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.BACKPROP_PROPERTY_SEED ?? 42) });
