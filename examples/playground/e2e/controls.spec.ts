/** Every control by its accessible name, the URL ↔ controls round trip, and the run buttons. */
import { courseUrl, expect, state, test } from "./fixtures.js";

test("every control is found by its accessible name", async ({ page }) => {
  await page.goto("/");
  for (const name of ["Play", "Step", "Reset", "Regenerate", "Clear points"]) {
    await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
  }
  for (const label of ["Data set", "Activation", "Optimizer"]) {
    await expect(page.getByRole("combobox", { name: label })).toBeVisible();
  }
  for (const label of [
    "Hidden units",
    "Learning rate",
    "Noise",
    "Data seed",
    "Initialisation seed",
    "Iterations per frame",
  ]) {
    await expect(page.getByRole("spinbutton", { name: label })).toBeVisible();
  }
  await expect(page.getByRole("img", { name: "Decision boundary" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Backward pass" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Iteration 0");
  await expect(page.getByRole("status")).toContainText("Cost 0.693048");
});

test("a link's query string sets the controls", async ({ page }) => {
  await page.goto(
    "/?dataset=moons&noise=0.1&dataSeed=4&hidden=7&activation=relu&lr=0.5&optimizer=adam&seed=3&perFrame=5",
  );
  await expect(page.getByLabel("Data set")).toHaveValue("moons");
  await expect(page.getByLabel("Noise")).toHaveValue("0.1");
  await expect(page.getByLabel("Data seed")).toHaveValue("4");
  await expect(page.getByLabel("Hidden units")).toHaveValue("7");
  await expect(page.getByLabel("Activation")).toHaveValue("relu");
  await expect(page.getByLabel("Learning rate")).toHaveValue("0.5");
  await expect(page.getByLabel("Optimizer")).toHaveValue("adam");
  await expect(page.getByLabel("Initialisation seed")).toHaveValue("3");
  await expect(page.getByLabel("Iterations per frame")).toHaveValue("5");
  // The moons set has 200 points; the graph's shapes follow n_h = 7.
  await expect(page.getByRole("img", { name: "Decision boundary" })).toHaveAccessibleDescription(/on 200 points/);
  await expect(page.getByRole("region", { name: "Backward pass" })).toContainText("dW1 (7×2)");
});

test("changing a control rewrites the URL, and loading that URL restores it", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Data set").selectOption("circles");
  await expect(page).toHaveURL(/dataset=circles/);
  await expect(page).toHaveURL(/noise=0\.3/); // the circles' own noise comes with the set
  await page.getByLabel("Hidden units").fill("6");
  await page.getByLabel("Hidden units").press("Enter");
  await expect(page).toHaveURL(/hidden=6/);
  await page.getByLabel("Activation").selectOption("sigmoid");
  await expect(page).toHaveURL(/activation=sigmoid/);
  await page.getByLabel("Learning rate").fill("0.3");
  await page.getByLabel("Learning rate").press("Enter");
  await expect(page).toHaveURL(/lr=0\.3/);
  await page.getByLabel("Optimizer").selectOption("momentum");
  await expect(page).toHaveURL(/optimizer=momentum/);
  await page.reload();
  await expect(page.getByLabel("Data set")).toHaveValue("circles");
  await expect(page.getByLabel("Hidden units")).toHaveValue("6");
  await expect(page.getByLabel("Activation")).toHaveValue("sigmoid");
  await expect(page.getByLabel("Learning rate")).toHaveValue("0.3");
  await expect(page.getByLabel("Optimizer")).toHaveValue("momentum");
});

test("out-of-range values in a link are clamped", async ({ page }) => {
  await page.goto("/?hidden=500&lr=-3&activation=nope");
  await expect(page.getByLabel("Hidden units")).toHaveValue("50");
  await expect(page.getByLabel("Learning rate")).toHaveValue("0.0001");
  await expect(page.getByLabel("Activation")).toHaveValue("tanh");
});

test("Play becomes Pause while training; Step runs one iteration; Reset goes back to iteration 0", async ({ page }) => {
  await page.goto(courseUrl);
  await page.getByRole("button", { name: "Step" }).click();
  await expect(page.getByRole("status")).toContainText("Iteration 1");
  expect((await state(page)).iteration).toBe(1);
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect.poll(async () => (await state(page)).iteration).toBeGreaterThan(1);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();
  const paused = (await state(page)).iteration;
  await expect(page.getByRole("status")).toContainText(`Iteration ${paused}`);
  await page.getByRole("button", { name: "Reset" }).click();
  const reset = await state(page);
  expect(reset.iteration).toBe(0);
  expect(reset.cost?.toFixed(6)).toBe("0.693048"); // the seed-2 initialisation again
});

test("clicking the picture adds points, shift-click of the other class; Clear points removes them all", async ({
  page,
}) => {
  await page.goto(courseUrl);
  const boundary = page.getByRole("img", { name: "Decision boundary" });
  await boundary.click({ position: { x: 40, y: 40 } });
  await expect(boundary).toHaveAccessibleDescription(/on 401 points/);
  await boundary.click({ position: { x: 60, y: 40 }, modifiers: ["Shift"] });
  await expect(boundary).toHaveAccessibleDescription(/on 402 points/);
  expect((await state(page)).cost).not.toBeNull();
  await page.getByRole("button", { name: "Clear points" }).click();
  await expect(boundary).toHaveAccessibleDescription(/on 0 points/);
  expect((await state(page)).cost).toBeNull();
  await boundary.click({ position: { x: 100, y: 100 } });
  await expect(boundary).toHaveAccessibleDescription(/on 1 point\b/);
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(boundary).toHaveAccessibleDescription(/on 400 points/);
});
