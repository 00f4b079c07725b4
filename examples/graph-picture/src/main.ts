/** Draws the graphs: `node examples/graph-picture/dist/main.js [outDir]` after `pnpm build` (default outDir: examples/graph-picture/out). */
import { fileURLToPath } from "node:url";
import { drawGraphs } from "./picture.js";

const outDir = process.argv[2] ?? fileURLToPath(new URL("../out/", import.meta.url));
const { files, message } = drawGraphs(outDir);
for (const file of files) console.log(`wrote ${file}`);
console.log(message);
