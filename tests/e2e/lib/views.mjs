// Helpers for the editor's own views in code-server: webview frames found by their text, and notebook lines
// reached through the outline (editor.e2e and reproduce.e2e).
import { waitFor } from "./harness.mjs";

/** The webview frame (page -> iframe -> active frame) whose text matches `pattern`. */
export async function webviewFrame(page, pattern) {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.locator("body").first().innerText({ timeout: 500 }).catch(() => "");
    if (pattern.test(text)) return { frame, text };
  }
  return null;
}

export async function waitForWebview(h, pattern, what, timeout = 60000) {
  return waitFor(() => webviewFrame(h.page, pattern), { timeout, interval: 500, message: what });
}

/** A notebook line, reached through the notebook's outline (Go to Symbol: the markdown heading above its cell),
 * because this notebook's outputs make it too long for the harness' wheel scrolling. */
export async function findLine(h, text, heading) {
  const page = h.page;
  const line = page.locator(".notebookOverlay .view-line", { hasText: text }).first();
  if (!(await line.count())) {
    await page.locator(".notebookOverlay .cell-list-container").first().click({ position: { x: 6, y: 40 } });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Shift+O");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10000 });
    await input.fill(`@${heading}`);
    // the heading itself, not a code cell whose text happens to match the letters
    const row = page.locator(".quick-input-widget .monaco-list-row", {
      has: page.locator(".label-name", { hasText: new RegExp(`^\\s*${heading}\\s*$`) }),
    }).first();
    await row.waitFor({ state: "visible", timeout: 10000 });
    await row.click();
    await page.waitForTimeout(500);
  }
  return h.notebookLine(text);
}

