/** The ONNX example: export a trained net, run it in ONNX Runtime (Node), export a gradient graph, import a model (run with `pnpm build` first). */
import { onnxTour } from "./onnxTour.js";

const result = await onnxTour();
process.stdout.write(`${result.lines.join("\n")}\n`);
