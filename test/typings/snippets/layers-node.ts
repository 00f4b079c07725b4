/** README snippet (checked by test/typings.test.ts): the layers README's file I/O. */
import { TwoLayerNet } from "@backprop/layers";

declare const net: TwoLayerNet;

// ---- the README block, verbatim:
import { loadParametersFile, readParametersFile, saveParameters } from "@backprop/layers/node";

await saveParameters(net, "planar.safetensors", { metadata: { iterations: "10000" } });
await saveParameters(net, "planar.json");                 // the JSON checkpoint (by extension, or { format: "json" })
const restored = new TwoLayerNet({ nx: 2, nh: 4, ny: 1 });
await loadParametersFile(restored, "planar.safetensors");  // format detected from the content
const { W1 } = await readParametersFile("planar.json");
