/** The playground page: wires the controls, the training loop, the pictures, the URL and the automation interface. */
import { gemmThreadCount, startGemmWorker, ValueError } from "@backprop/core";
import { BoundaryPicture, type Extent, extentOf, gridInputs } from "./boundary.js";
import { type Config, parseConfig } from "./config.js";
import { type ChangeKind, showConfig, watchControls, writeUrl } from "./controls.js";
import { CostHistory } from "./costCurve.js";
import { drawGraph, traceText } from "./graph.js";
import { drawNetwork } from "./network.js";
import { Trainer } from "./trainer.js";

/** What `state()` reports. */
export interface PlaygroundState {
  readonly iteration: number;
  /** J at the current parameters (null without data). */
  readonly cost: number | null;
  /** Training accuracy in percent (null without data). */
  readonly accuracy: number | null;
  /** 2 while the GEMM worker runs (cross-origin isolated pages), else 1. */
  readonly threads: number;
}

/** `window.backpropPlayground`: drives the page from tests and the console, deterministically. */
export interface PlaygroundAutomation {
  /** Runs n training iterations synchronously, then redraws once. */
  step(n: number): void;
  state(): PlaygroundState;
}

declare global {
  interface Window {
    backpropPlayground: PlaygroundAutomation;
  }
}

const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const playButton = byId<HTMLButtonElement>("play");
const boundaryCanvas = byId<HTMLCanvasElement>("boundary");
const costCanvas = byId<HTMLCanvasElement>("cost-curve");
const networkSvg = byId<SVGSVGElement>("network");
const graphSvg = byId<SVGSVGElement>("graph");
const tracePre = byId<HTMLPreElement>("trace");
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

/** Readouts and the graph/trace are refreshed at most this often while playing (ms). */
const STATUS_INTERVAL = 250;
/** Under prefers-reduced-motion the pictures are redrawn every this many frames while playing. */
const REDUCED_MOTION_REDRAW_EVERY = 15;

let config: Config = parseConfig(location.search);
const trainer = new Trainer(config);
const boundary = new BoundaryPicture(boundaryCanvas);
const history = new CostHistory();
let extent: Extent = extentOf(trainer.data.X);
let grid = gridInputs(extent);
let playing = false;
let frame = 0;
let lastStatus = 0;
let redraws = 0;

function state(): PlaygroundState {
  const inspection = trainer.inspect();
  return {
    iteration: trainer.iteration,
    cost: inspection?.cost ?? null,
    accuracy: inspection?.accuracy ?? null,
    threads: gemmThreadCount(),
  };
}

/** The readouts (role="status") and the pictures' text equivalents. */
function updateStatus(): void {
  const s = state();
  const cost = s.cost === null ? "–" : s.cost.toFixed(6);
  const accuracy = s.accuracy === null ? "–" : `${s.accuracy.toFixed(2)}%`;
  byId<HTMLElement>("iteration").textContent = String(s.iteration);
  byId<HTMLElement>("cost").textContent = cost;
  byId<HTMLElement>("accuracy").textContent = accuracy;
  byId<HTMLElement>("threads").textContent = String(s.threads);
  byId<HTMLElement>("boundary-text").textContent =
    `Decision boundary after ${s.iteration} iterations on ${trainer.examples} point${trainer.examples === 1 ? "" : "s"} ` +
    `(orange class 0, blue class 1): training accuracy ${accuracy}, cost ${cost}.`;
  byId<HTMLElement>("cost-text").textContent = `Cost J by iteration; now ${cost} at iteration ${s.iteration}.`;
  const inspection = trainer.inspect();
  if (inspection === null) {
    graphSvg.replaceChildren();
    tracePre.textContent = "No data: add points to see the backward pass.";
  } else {
    tracePre.textContent = traceText(inspection.J, drawGraph(graphSvg, inspection.J));
  }
  lastStatus = performance.now();
}

/** The pictures that move with every iteration: boundary, cost curve, network. */
function redrawPictures(): void {
  const inspection = trainer.inspect();
  if (inspection !== null) history.add(trainer.iteration, inspection.cost);
  boundary.draw(trainer.net, grid, extent, trainer.data);
  history.draw(costCanvas);
  drawNetwork(networkSvg, trainer.net);
  // A count for tests (reduced motion means fewer redraws); not read by the page itself.
  boundaryCanvas.dataset.redraws = String(++redraws);
}

function redrawAll(): void {
  redrawPictures();
  updateStatus();
}

function setPlaying(on: boolean): void {
  playing = on;
  playButton.textContent = on ? "Pause" : "Play";
  playButton.classList.toggle("playing", on);
  if (on) requestAnimationFrame(tick);
  else updateStatus();
}

function tick(): void {
  if (!playing) return;
  trainer.step(config.perFrame);
  frame++;
  if (!reducedMotion.matches || frame % REDUCED_MOTION_REDRAW_EVERY === 0) redrawPictures();
  if (performance.now() - lastStatus >= STATUS_INTERVAL) updateStatus();
  requestAnimationFrame(tick);
}

function newData(): void {
  trainer.setData(Trainer.generate(config));
  extent = extentOf(trainer.data.X);
  grid = gridInputs(extent);
}

function restart(): void {
  trainer.reset(config);
  history.clear();
  redrawAll();
}

function onConfigChange(next: Config, kind: ChangeKind): void {
  config = next;
  writeUrl(config);
  if (kind === "data") newData();
  if (kind === "data" || kind === "model") restart();
  if (kind === "learningRate") trainer.setLearningRate(config.lr);
}

watchControls(() => config, onConfigChange);
playButton.addEventListener("click", () => setPlaying(!playing));
byId<HTMLButtonElement>("step").addEventListener("click", () => {
  trainer.step(1);
  redrawAll();
});
byId<HTMLButtonElement>("reset").addEventListener("click", restart);
byId<HTMLButtonElement>("regenerate").addEventListener("click", () => {
  newData();
  restart();
});
byId<HTMLButtonElement>("clear").addEventListener("click", () => {
  trainer.clearPoints();
  redrawAll();
});
boundaryCanvas.addEventListener("click", (event) => {
  const [x0, x1] = boundary.toData(extent, event.offsetX, event.offsetY);
  trainer.addPoint(x0, x1, event.shiftKey ? 0 : 1);
  redrawAll();
});

window.backpropPlayground = {
  step(n: number) {
    if (!Number.isInteger(n) || n < 0) {
      throw new ValueError("backpropPlayground.step", `n must be a non-negative integer, got ${String(n)}`);
    }
    trainer.step(n);
    redrawAll();
  },
  state,
};

showConfig(config);
writeUrl(config);
redrawAll();
// The second thread needs shared WebAssembly memory, which only a cross-origin-isolated page has (COOP + COEP).
if (globalThis.crossOriginIsolated) {
  void startGemmWorker(
    (script) => new Worker(URL.createObjectURL(new Blob([script], { type: "text/javascript" }))),
  ).then(updateStatus);
}
if (config.autoplay && !reducedMotion.matches) setPlaying(true);
