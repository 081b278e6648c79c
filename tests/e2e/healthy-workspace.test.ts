// A healthy workspace (current Go and tools, valid go.mod, empty settings) with the diagnosis
// running by itself (goSetupDoctor.autoRun, the default): the status bar stays quiet; then a
// setting changed and saved in .vscode/settings.json re-runs the diagnosis (debounced) and the
// view and status bar update without any command. Flows d (healthy) and e.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { useSession } from './flows';
import { T, eventually, step, writeTree } from './harness';

describe('healthy Go setup, diagnosis on its own', { timeout: 240_000 }, () => {
  let ws: string;

  const session = useSession('healthy', (root) => {
    ws = path.join(root, 'hello');
    writeTree(ws, {
      '.vscode/settings.json': '{\n}\n',
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n',
    });
    return { folder: ws };
  });

  test('d. healthy workspace: the status bar item is quiet (no error/warning count)', async () => {
    const v = session.vs;
    await step(v, 'd-healthy', async () => {
      const item = v.doctorStatus();
      // The first run happens by itself after activation.
      await item.waitFor({ state: 'visible', timeout: T.diagnose });
      await eventually(async () => /no problems found/.test((await item.getAttribute('aria-label')) ?? ''), 'a finished diagnosis', T.diagnose);
      const label = (await item.getAttribute('aria-label')) ?? '';
      assert.match(label, /Go Setup Doctor: no problems found/, label);
      assert.equal((await item.innerText()).trim(), 'Go');
      assert.equal(await item.locator('.codicon-check').count(), 1);
      assert.equal(await item.locator('.codicon-error, .codicon-warning').count(), 0);
      const cls = (await item.getAttribute('class')) ?? '';
      assert.doesNotMatch(cls, /error-kind|warning-kind|has-background-color/, cls);
      // Nothing in Problems from us either.
      assert.equal(await v.page.locator('[id="status.problems"]').getAttribute('aria-label'), 'No Problems');
      await v.screenshot('d-healthy-status-bar');

      await item.click();
      await v.doctorTree().waitFor({ state: 'visible' });
      // No errors or warnings; notes (info, e.g. "gopls is N releases behind") may be there.
      await eventually(
        async () => /^(No problems found|\d+ infos?) · \d+ checks passed/.test(await v.doctorHeadline()),
        'the healthy headline',
      );
      // The tree fills in once the view is shown.
      const rows = await eventually(async () => {
        const r = await v.doctorRows();
        return r.length >= 5 ? r : undefined;
      }, 'the tree rows');
      assert.equal(await v.doctorTree().locator('.codicon-error, .codicon-warning').count(), 0, rows.join('\n'));
      assert.ok(rows.some((r) => /^VS Code settings: \d+ passed$/.test(r)), rows.join('\n'));
      // Passing-only categories are collapsed.
      assert.equal(await v.doctorRow(/^VS Code settings: \d+ passed$/).getAttribute('aria-expanded'), 'false');
      assert.equal(await v.doctorRow(/^Go toolchain: \d+ passed$/).getAttribute('aria-expanded'), 'false');
      await v.screenshot('d-healthy-view');
    });
  });

  test('e. a setting changed and saved in settings.json re-runs the diagnosis by itself', async (t) => {
    const v = session.vs;
    await step(v, 'e-auto-rerun', async () => {
      const settingsPath = path.join(ws, '.vscode/settings.json');
      await v.openFile('.vscode/settings.json');
      await v.replaceEditorText('{\n  "go.useLanguageServer": false\n}\n', false);
      await v.page.locator('.tab.active.dirty').waitFor();
      // Nothing re-runs on an unsaved edit.
      await v.page.waitForTimeout(1500);
      assert.match(await v.doctorHeadline(), /^(No problems found|\d+ infos?) · /, 'no re-run before save');
      const saved = Date.now();
      await v.page.keyboard.press('Control+S');
      await v.page.locator('.tab.active.dirty').waitFor({ state: 'hidden' });
      assert.equal(fs.readFileSync(settingsPath, 'utf8'), '{\n  "go.useLanguageServer": false\n}\n');

      // The view and the status bar update without any command.
      await eventually(async () => /^1 warning(, \d+ infos?)? · \d+ checks passed/.test(await v.doctorHeadline()), 'the headline to show the warning', T.diagnose);
      const took = Date.now() - saved;
      const category = v.doctorRow(/^VS Code settings: 1 warning, \d+ passed$/);
      await category.waitFor();
      await category.locator('.codicon-warning').waitFor();
      // The category was collapsed while it only had passing checks; now that it has a warning it
      // is expanded by itself and shows the new finding (nothing clicked).
      assert.equal(await category.getAttribute('aria-expanded'), 'true', 'the category with the new warning is expanded');
      const row = v.doctorRow(/^GSD308 /);
      await row.waitFor({ state: 'visible' });
      // Categories that still only pass stay collapsed.
      assert.equal(await v.doctorRow(/^Go toolchain: \d+ passed$/).getAttribute('aria-expanded'), 'false');
      await v.screenshot('e-auto-rerun-view');
      await row.locator('.codicon-warning').waitFor();
      const item = v.doctorStatus();
      await eventually(async () => /warning\s+1,/.test((await item.getAttribute('aria-label')) ?? ''), 'the status bar warning count');
      assert.equal(await item.locator('.codicon-warning').count(), 1);
      // In Problems, on the saved file, with the rule code.
      await v.page.keyboard.press('Control+Shift+M');
      const marker = await eventually(async () => (await v.problemRows()).find((r) => r.text.includes('GSD308')), 'GSD308 in Problems');
      assert.match(marker.text, /\[Ln 2, Col 3\]/);
      await v.screenshot('e-auto-rerun-after-save');
      // Debounced (~0.5 s) and quick, but not instant: report how long it took.
      t.diagnostic(`the view showed the new warning ${took} ms after Ctrl+S`);

      // Back to healthy: the finding goes away on its own too.
      await v.openFile('.vscode/settings.json');
      await v.replaceEditorText('{\n}\n');
      await eventually(
        async () => /^(No problems found|\d+ infos?) · /.test(await v.doctorHeadline()),
        'the healthy headline again',
        T.diagnose,
      );
      // GSD308 is now a passing check (no warning icon anywhere in the tree), and the category,
      // passing only again, is collapsed.
      assert.equal(await v.doctorTree().locator('.codicon-warning, .codicon-error').count(), 0);
      await eventually(
        async () => (await v.doctorRow(/^VS Code settings: \d+ passed$/).getAttribute('aria-expanded')) === 'false',
        'the passing "VS Code settings" category collapsed',
      );
      await eventually(async () => /no problems found/.test((await item.getAttribute('aria-label')) ?? ''), 'quiet status bar again', T.diagnose);
      await v.screenshot('e-auto-rerun-back-to-healthy');
    });
  });
});
