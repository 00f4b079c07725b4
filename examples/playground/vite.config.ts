/** Vite settings: relative paths (the build works from any folder, offline) and the cross-origin-isolation headers. */
import { defineConfig } from "vite";

// COOP + COEP make the page cross-origin isolated, which shared WebAssembly memory (the GEMM worker) needs.
// BACKPROP_PLAYGROUND_ISOLATION=0 serves without them (the tests check the one-thread path that way).
const isolation = process.env.BACKPROP_PLAYGROUND_ISOLATION !== "0";
const headers: Record<string, string> = isolation
  ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" }
  : {};

export default defineConfig({
  base: "./",
  server: { headers },
  preview: { headers },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
});
