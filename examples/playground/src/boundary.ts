/** The decision boundary: the network's P(y = 1) on a 100×100 grid as canvas ImageData, scaled, with the data points on top. */
import { noGrad, type Tensor, tensor } from "@backprop/core";
import type { TwoLayerNet } from "@backprop/layers";
import type { Points } from "./trainer.js";

/** Grid cells per side of the heatmap. */
export const GRID = 100;

/** Class colours (RGB): label 0 orange, label 1 blue, as TensorFlow Playground; dark enough for contrast on white. */
const CLASS0 = [196, 90, 0] as const;
const CLASS1 = [31, 94, 160] as const;

/** The plotted region: the data's range ±1 on each axis, as the course's `plot_decision_boundary`. */
export interface Extent {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** The data's range ±1 (a unit square around 0 when there are no points). */
export function extentOf(X: Tensor): Extent {
  const m = X.shape[1];
  if (m === 0) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < m; i++) {
    xMin = Math.min(xMin, X.data[i]);
    xMax = Math.max(xMax, X.data[i]);
    yMin = Math.min(yMin, X.data[m + i]);
    yMax = Math.max(yMax, X.data[m + i]);
  }
  return { xMin: xMin - 1, xMax: xMax + 1, yMin: yMin - 1, yMax: yMax + 1 };
}

/** The grid's cell centres as one (2, GRID²) input, row by row from the top (largest x₁) down. */
export function gridInputs(extent: Extent): Tensor {
  const n = GRID * GRID;
  const data = new Float64Array(2 * n);
  for (let row = 0; row < GRID; row++) {
    const y = extent.yMax - ((row + 0.5) / GRID) * (extent.yMax - extent.yMin);
    for (let col = 0; col < GRID; col++) {
      const i = row * GRID + col;
      data[i] = extent.xMin + ((col + 0.5) / GRID) * (extent.xMax - extent.xMin);
      data[n + i] = y;
    }
  }
  return tensor(data, [2, n]);
}

/** Draws the heatmap and the points onto `canvas`; reuses one small canvas for the ImageData between frames. */
export class BoundaryPicture {
  private readonly cells: HTMLCanvasElement;
  private readonly image: ImageData;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.cells = document.createElement("canvas");
    this.cells.width = GRID;
    this.cells.height = GRID;
    this.image = new ImageData(GRID, GRID);
  }

  /** Canvas pixel (CSS px from the top left) → data coordinates. */
  toData(extent: Extent, px: number, py: number): [number, number] {
    const { width, height } = this.canvas.getBoundingClientRect();
    return [
      extent.xMin + (px / width) * (extent.xMax - extent.xMin),
      extent.yMax - (py / height) * (extent.yMax - extent.yMin),
    ];
  }

  /** Evaluates the net on the grid (no graph recorded) and redraws everything. */
  draw(net: TwoLayerNet, grid: Tensor, extent: Extent, points: Points): void {
    const probability = noGrad(() => net.forward(grid).A2).data;
    const pixels = this.image.data;
    for (let i = 0; i < probability.length; i++) {
      // Light class colours: the more certain the network, the stronger the tint.
      const p = probability[i];
      const strength = Math.abs(p - 0.5) * 2 * 0.45;
      const c = p > 0.5 ? CLASS1 : CLASS0;
      pixels[4 * i] = 255 + (c[0] - 255) * strength;
      pixels[4 * i + 1] = 255 + (c[1] - 255) * strength;
      pixels[4 * i + 2] = 255 + (c[2] - 255) * strength;
      pixels[4 * i + 3] = 255;
    }
    this.cells.getContext("2d")!.putImageData(this.image, 0, 0);
    const ctx = this.canvas.getContext("2d")!;
    const { width, height } = this.canvas;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.cells, 0, 0, width, height);
    this.drawPoints(ctx, extent, points);
  }

  private drawPoints(ctx: CanvasRenderingContext2D, extent: Extent, { X, Y }: Points): void {
    const { width, height } = this.canvas;
    const m = X.shape[1];
    const radius = Math.max(2.5, width / 130);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#fff";
    for (let i = 0; i < m; i++) {
      const x = ((X.data[i] - extent.xMin) / (extent.xMax - extent.xMin)) * width;
      const y = ((extent.yMax - X.data[m + i]) / (extent.yMax - extent.yMin)) * height;
      const c = Y.data[i] > 0.5 ? CLASS1 : CLASS0;
      ctx.fillStyle = `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
