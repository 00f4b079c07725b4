/** The cost curve: a bounded history of (iteration, cost) drawn as a line on a canvas. */

/** At most this many points are kept; when full, every other one is dropped (the curve keeps its shape). */
export const HISTORY_LIMIT = 1000;

/** (iteration, cost) pairs with bounded memory. */
export class CostHistory {
  private iterations: number[] = [];
  private costs: number[] = [];

  /** Records the cost at an iteration (a repeated iteration is ignored). */
  add(iteration: number, cost: number): void {
    if (this.iterations.length > 0 && this.iterations[this.iterations.length - 1] === iteration) return;
    if (!Number.isFinite(cost)) return;
    this.iterations.push(iteration);
    this.costs.push(cost);
    if (this.iterations.length > HISTORY_LIMIT) {
      this.iterations = this.iterations.filter((_, i) => i % 2 === 0);
      this.costs = this.costs.filter((_, i) => i % 2 === 0);
    }
  }

  clear(): void {
    this.iterations = [];
    this.costs = [];
  }

  get length(): number {
    return this.iterations.length;
  }

  /** Draws the curve with its axes' end values. */
  draw(canvas: HTMLCanvasElement): void {
    const ctx = canvas.getContext("2d")!;
    const { width, height } = canvas;
    const pad = { left: 52, right: 10, top: 10, bottom: 24 };
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = "#555";
    ctx.lineWidth = 1;
    ctx.strokeRect(pad.left, pad.top, width - pad.left - pad.right, height - pad.top - pad.bottom);
    if (this.length === 0) return;
    const lastIteration = Math.max(1, this.iterations[this.length - 1]);
    const maxCost = Math.max(...this.costs);
    const top = maxCost > 0 ? maxCost : 1;
    const x = (it: number) => pad.left + (it / lastIteration) * (width - pad.left - pad.right);
    const y = (c: number) => pad.top + (1 - c / top) * (height - pad.top - pad.bottom);
    ctx.fillStyle = "#222";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.fillText(top.toFixed(3), pad.left - 4, pad.top + 10);
    ctx.fillText("0", pad.left - 4, height - pad.bottom);
    ctx.textAlign = "center";
    ctx.fillText(String(lastIteration), width - pad.right - 16, height - 6);
    ctx.fillText("iteration", (width + pad.left) / 2, height - 6);
    ctx.strokeStyle = "#1f5ea0";
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < this.length; i++) {
      if (i === 0) ctx.moveTo(x(this.iterations[i]), y(this.costs[i]));
      else ctx.lineTo(x(this.iterations[i]), y(this.costs[i]));
    }
    ctx.stroke();
  }
}
