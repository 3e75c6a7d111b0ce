// UI smoke test: what a person sees. Packages the extension (`npm run package`), installs the
// .vsix into a fresh code-server, opens a single-stage Go Dockerfile in headless chromium and
// checks the squiggle, the Problems panel row, the Quick Fix menu (Ctrl+. then Enter on
// "Convert to multi-stage", by keyboard as a user would), the conversion's notes in the Refactor
// Preview before applying it (Ctrl+Enter) and the converted text; then the
// extension's details page, whose pictures must display from the package alone. Screenshots go
// to test-results/screenshots/, or to images/screenshots/ with --update-screenshots (the README
// shows two of them, inlined into the package: keep them small).
//
// Options: --vsix FILE (skip packaging and install FILE), --update-screenshots.
// The DOM classes used (.squiggly-warning, .markers-panel, .action-widget, .view-lines) are
// VS Code internals: re-check them when code-server is upgraded.
/* global document, Image -- used in functions that Playwright evaluates in the page */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeServerCommand,
  createSandbox,
  isolatedPage,
  launchChromium,
  registerSandboxCleanup,
  RUN_TIMEOUT_MS,
  startCodeServer,
  startRun,
  workbenchUrl,
} from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const vsixArg = args.includes('--vsix') ? args[args.indexOf('--vsix') + 1] : undefined;
const screenshotDir = args.includes('--update-screenshots')
  ? join(root, 'images/screenshots')
  : join(root, 'test-results/screenshots');
// How long one UI state may take to appear (the machine may be busy).
const STEP_MS = 60000;
const RUNTIME = 'gcr.io/distroless/static-debian13:nonroot';

let page;
const { say, cleanup, finish, finishing } = startRun('ui-smoke', {
  timeoutMs: RUN_TIMEOUT_MS,
  async beforeCleanup(code) {
    if (code === 0 || !page) return;
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'failure.png') });
    say(`failure screenshot: ${join(screenshotDir, 'failure.png')}`);
  },
});

function packageExtension() {
  say('packaging the extension (npm run package)');
  const result = spawnSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run package failed');
  return join(root, 'go-multistage.vsix');
}

/** User settings that keep the window quiet: no welcome page, tips or chat in the pictures. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // Smaller pictures: no minimap, a narrow window without the side bar (see main()).
  'editor.minimap.enabled': false,
  'workbench.layoutControl.enabled': false,
  // Inlay hints whole, not cut at 43 characters.
  'editor.inlayHints.maximumLength': 0,
};

/**
 * Saves a screenshot of the page, or of `clip` (a rectangle of it). A `.webp` name is encoded by
 * the browser itself (lossy WebP at quality 0.4, about a third of Chromium's PNG, the text still
 * legible): those are the pictures the README shows, inlined into the .vsix, which must stay under
 * 500 KB.
 */
async function shot(name, clip) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, name);
  if (!name.endsWith('.webp')) {
    await page.screenshot({ path, clip });
  } else {
    const png = (await page.screenshot({ clip })).toString('base64');
    const encoder = await page.context().newPage();
    const url = await encoder.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      canvas.getContext('2d').drawImage(image, 0, 0);
      return canvas.toDataURL('image/webp', 0.4);
    }, png);
    await encoder.close();
    if (!url.startsWith('data:image/webp;base64,')) throw new Error(`${name}: no WebP encoder`);
    writeFileSync(path, Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  }
  say(`screenshot ${path}`);
}

const EDITOR_LINES = '.editor-group-container.active .editor-instance .view-lines';

/**
 * The rectangle of the active editor from the line showing `first` to the line showing `last`,
 * line numbers included, for a picture of those lines alone.
 */
async function linesArea(first, last) {
  const editor = await page
    .locator('.editor-group-container.active .editor-instance')
    .first()
    .boundingBox();
  const line = (text) =>
    page.locator(`${EDITOR_LINES} .view-line`).filter({ hasText: text }).first().boundingBox();
  const top = await line(first);
  const bottom = await line(last);
  if (!editor || !top || !bottom) throw new Error(`lines "${first}" to "${last}" not shown`);
  const margin = 2;
  return {
    x: editor.x,
    y: top.y - margin,
    width: editor.width,
    height: bottom.y + bottom.height - top.y + 2 * margin,
  };
}

/** The text of the active editor's visible lines, with Monaco's non-breaking spaces undone. */
function editorText() {
  return page
    .locator(EDITOR_LINES)
    .first()
    .evaluate((element) => element.innerText.replace(/\u00a0/g, ' '));
}

/** Waits until the active editor shows every one of `parts`, and returns its text. */
async function waitForEditorText(parts, what) {
  try {
    await page.waitForFunction(
      ({ selector, expected }) => {
        const text = (document.querySelector(selector)?.innerText ?? '').replace(/\u00a0/g, ' ');
        return expected.every((part) => text.includes(part));
      },
      { selector: EDITOR_LINES, expected: parts },
      { timeout: STEP_MS },
    );
  } catch {
    throw new Error(`timed out waiting for ${what}; the editor shows:\n${await editorText()}`);
  }
  return editorText();
}

/** Opens a workspace file with Quick Open (Ctrl+P), as a user would. */
async function openFile(relativePath) {
  const [folder, name] = relativePath.split('/');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  // Enter once the focused result is this file (its row shows the name and the folder).
  await page
    .locator('.quick-input-widget .monaco-list-row.focused')
    .filter({ hasText: name })
    .filter({ hasText: folder })
    .waitFor();
  await page.keyboard.press('Enter');
  await page
    .locator('.editor-group-container.active .breadcrumbs-control')
    .filter({ hasText: folder })
    .waitFor();
}

/**
 * Ctrl+. and waits for the Quick Fix menu. If the editor answers "No code actions available"
 * (its request was cancelled by a concurrent diagnostics update, seen on a busy machine), the
 * message is dismissed and Ctrl+. pressed again, as a person would, at most three times.
 */
async function openQuickFixMenu(menu) {
  const rows = menu.locator('.monaco-list-row');
  const none = page.locator('.monaco-editor-overlaymessage').filter({ hasText: 'No code actions' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    await rows.or(none).first().waitFor();
    if ((await rows.count()) > 0) return;
    if (attempt === 3) throw new Error('Ctrl+. kept answering "No code actions available"');
    say('Ctrl+. answered "No code actions available"; pressing it again');
    await page.keyboard.press('Escape');
    await none.waitFor({ state: 'hidden' });
  }
}

async function main() {
  rmSync(join(screenshotDir, 'failure.png'), { force: true });
  const vsix = vsixArg ? resolve(vsixArg) : packageExtension();

  const sandbox = createSandbox('go-multistage-ui');
  registerSandboxCleanup(cleanup, sandbox);
  const workspace = join(sandbox.root, 'workspace');
  cpSync(join(root, 'test/vscode/fixtures/workspace'), workspace, { recursive: true });
  mkdirSync(join(sandbox.userData, 'User'), { recursive: true });
  writeFileSync(
    join(sandbox.userData, 'User', 'settings.json'),
    JSON.stringify(QUIET_SETTINGS, null, 2),
  );

  const installed = await codeServerCommand(sandbox, ['--install-extension', vsix]);
  if (!/successfully installed/i.test(installed)) throw new Error(`install said: ${installed}`);
  say(`installed ${vsix}`);

  const server = await startCodeServer(cleanup, sandbox);
  server.child.once('exit', (code, signal) => {
    if (!finishing()) void finish(1, `code-server exited during the run (${code ?? signal})`);
  });
  const browser = await launchChromium(cleanup, sandbox);
  page = await isolatedPage(browser, server.port, { width: 960, height: 540 });
  page.setDefaultTimeout(STEP_MS);
  await page.goto(workbenchUrl(server.port, { folder: workspace }), { waitUntil: 'commit' });
  await page.locator('.monaco-workbench .explorer-folders-view').waitFor({ timeout: STEP_MS });
  say('workbench open');
  // The editor and the panel are what the pictures are about: hide the side bar.
  await page.keyboard.press('Control+B');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden' });

  // 1. A single-stage Go Dockerfile gets a warning squiggle and a row in the Problems panel.
  await openFile('single-stage/Dockerfile');
  const editor = page.locator('.editor-group-container.active .editor-instance').first();
  await editor.locator('.squiggly-warning').first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Control+Shift+M');
  const row = page
    .locator('.markers-panel .monaco-list-row')
    .filter({ hasText: 'go-toolchain-in-final-stage' });
  await row.first().waitFor({ timeout: STEP_MS });
  const rowText = await row.first().innerText();
  for (const expected of [
    'The final image ships the Go toolchain and the sources: golang:1.27 is its base.',
    'go-multistage',
    'go-toolchain-in-final-stage',
  ]) {
    if (!rowText.includes(expected))
      throw new Error(`Problems row lacks "${expected}": ${rowText}`);
  }
  say('squiggle and Problems row present');
  // The editor and the Problems panel down to the row, without the explorer beside them.
  const editorPart = await page.locator('.part.editor').first().boundingBox();
  const rowBox = await row.first().boundingBox();
  if (!editorPart || !rowBox) throw new Error('editor or Problems row not shown');
  await shot('problems-panel.webp', {
    x: editorPart.x,
    y: editorPart.y,
    width: editorPart.width,
    height: rowBox.y + rowBox.height + 8 - editorPart.y,
  });

  // 2. Ctrl+. on the image reference opens the Quick Fix menu; Enter applies the conversion.
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type('2:6');
  await page.keyboard.press('Enter');
  // The blue light bulb shows once the editor knows a preferred quick fix at the cursor.
  await editor.locator('[class*="codicon-lightbulb-autofix"]').first().waitFor();
  const menu = page.locator('.action-widget');
  await openQuickFixMenu(menu);
  const focused = menu.locator('.monaco-list-row.focused');
  const rows = await menu.locator('.monaco-list-row').count();
  for (let i = 0; i <= rows; i++) {
    if (
      (await focused.count()) > 0 &&
      (await focused.innerText()).includes('Convert to multi-stage')
    ) {
      break;
    }
    if (i === rows) throw new Error('no "Convert to multi-stage" in the Quick Fix menu');
    await page.keyboard.press('ArrowDown');
  }
  say(`Quick Fix menu: ${JSON.stringify(await menu.locator('.monaco-list-row').allInnerTexts())}`);
  await shot('quick-fix-menu.webp');
  // What the conversion decided, before it is applied: Ctrl+Enter on the menu entry previews the
  // edit in the Refactor Preview, where the change carries the conversion's change annotation:
  // hovering it shows "Convert to multi-stage - <the notes>".
  await page.keyboard.press('Control+Enter');
  const preview = page.locator('.bulk-edit-panel');
  const change = preview.locator('.textedit').first();
  await change.waitFor();
  await change.hover();
  const note = 'non-root user: its Go sources write nothing';
  await page.waitForFunction(
    (text) =>
      [
        ...document.querySelectorAll('.bulk-edit-panel [title], .monaco-hover, .workbench-hover'),
      ].some((element) =>
        (element.getAttribute('title') ?? element.textContent ?? '').includes(text),
      ),
    note,
    { timeout: STEP_MS },
  );
  say('Refactor Preview: the change carries the notes');
  await preview.getByRole('button', { name: 'Apply' }).click();

  await waitForEditorText(
    [
      'FROM golang:1.27 AS build',
      'RUN CGO_ENABLED=0 go build -o server ./cmd/server',
      `FROM ${RUNTIME}`,
      'COPY --from=build /src/server /src/server',
      'CMD ["./server"]',
    ],
    'the converted Dockerfile',
  );
  await editor
    .locator('.squiggly-warning')
    .first()
    .waitFor({ state: 'detached', timeout: STEP_MS });
  await page
    .locator('.markers-panel .monaco-list-row')
    .filter({ hasText: 'go-toolchain-in-final-stage' })
    .first()
    .waitFor({ state: 'detached', timeout: STEP_MS });
  say('converted; the warning is gone');
  await shot('converted-file.webp', await linesArea('# One stage', 'CMD ["./server"]'));

  // 3. A correct multi-stage file: highlighted, and nothing reported.
  await page.keyboard.press('Control+J');
  await page.locator('.markers-panel').waitFor({ state: 'hidden' });
  await openFile('multi-stage/Dockerfile');
  const active = page.locator('.editor-group-container.active .editor-instance').first();
  // Highlighted: the lines carry several token classes (keywords, images, strings, comments).
  await page.waitForFunction(
    (selector) => {
      const lines = document.querySelector(selector);
      const classes = new Set(
        [...(lines?.querySelectorAll('span[class^="mtk"]') ?? [])].map((s) => s.className),
      );
      return classes.size >= 3;
    },
    EDITOR_LINES,
    { timeout: STEP_MS },
  );
  // Best effort (the in-host tests prove the server checks such a file): no squiggle is shown.
  if ((await active.locator('.squiggly-warning, .squiggly-error').count()) > 0) {
    throw new Error('the multi-stage file shows a squiggle');
  }
  await shot('multi-stage-highlighted.png');

  // 3b. Inlay hints, once the user turns them on in the Settings editor: what the model resolved,
  // beside the text: the image ${GO_VERSION} makes, what the build writes and for which
  // platform, the user the image runs as.
  await page.keyboard.press('Control+,');
  const settingsSearch = page.locator('.settings-editor .suggest-input-container textarea').first();
  await settingsSearch.waitFor();
  await settingsSearch.fill('goMultistage.inlayHints.enable');
  const checkbox = page
    .locator('.settings-editor .setting-item-bool')
    .filter({ hasText: 'Inlay Hints' })
    .locator('.setting-value-checkbox')
    .first();
  await checkbox.click();
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('aria-checked') === 'true',
    '.settings-editor .setting-item-bool .setting-value-checkbox',
  );
  // Back to the Dockerfile: close the Settings editor.
  await page.keyboard.press('Control+W');
  await waitForEditorText(
    ['= golang:1.27', '→ /out/worker', 'runs as 65532:65532'],
    'the inlay hints',
  );
  say('inlay hints shown once turned on');
  // Wide enough for the whole hint of the go build line; the picture is those lines alone.
  await page.setViewportSize({ width: 1280, height: 540 });
  await page.waitForFunction(
    (selector) => (document.querySelector(selector)?.innerText ?? '').includes('GOARCH='),
    EDITOR_LINES,
  );
  await shot('inlay-hints.webp', await linesArea('ARG GO_VERSION', 'ENTRYPOINT'));
  await page.setViewportSize({ width: 960, height: 540 });

  // 4. The extension's details page: the README of the package, its pictures displayed from the
  // package itself (the page loads no relative path and this browser reaches no other host).
  await page.keyboard.press('Control+Shift+X');
  const search = page
    .locator(
      '.extensions-viewlet .suggest-input-container textarea, .extensions-viewlet .monaco-inputbox textarea',
    )
    .first();
  await search.waitFor();
  await search.fill('@installed go-multistage');
  const entry = page
    .locator('.extensions-viewlet .monaco-list-row')
    .filter({ hasText: 'Go Multi-Stage' })
    .first();
  await entry.waitFor();
  await entry.click();
  await page.locator('.extension-editor').waitFor();
  const pictures = await waitForDetailsPictures();
  say(`details page: ${pictures.count} pictures displayed`);
  await page.keyboard.press('Control+B');
  await shot('details-page.png');
}

/**
 * Waits until the details page's web view shows the README's title and at least two pictures,
 * every one of them loaded; returns their count. The web view is a frame of its own.
 */
async function waitForDetailsPictures() {
  const deadline = Date.now() + STEP_MS;
  let seen = 'no README frame';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const state = await frame
        .evaluate(() => {
          const title = document.querySelector('h1')?.textContent ?? '';
          const images = [...document.querySelectorAll('img')];
          return {
            title,
            count: images.length,
            loaded: images.filter((img) => img.complete && img.naturalWidth > 0).length,
          };
        })
        .catch(() => undefined);
      if (!state || !state.title.includes('Go Multi-Stage')) continue;
      seen = `README frame with ${state.loaded} of ${state.count} pictures loaded`;
      if (state.count >= 2 && state.loaded === state.count) {
        // The picture shows in the screenshot: the first one scrolled into view.
        await frame.evaluate(() => document.querySelector('img')?.scrollIntoView());
        return state;
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`the details page did not display its pictures: ${seen}`);
}

main().then(
  () => finish(0, 'UI smoke test passed'),
  (error) => {
    console.error(error);
    void finish(1, 'UI smoke test failed');
  },
);
