// A deprecated setting in the USER settings.json, reached from the Problems panel: the marker opens
// the user's settings.json at the key, its quick fix edits the real file on disk (the user's
// comment and the other settings kept) and the finding clears. (Desktop VS Code shows that file as
// vscode-userdata:; code-server's extension host sees it as file:, the URI the findings carry;
// present/editorUri.ts moves the markers to a document open under another URI, unit-tested in
// present.model.test.ts.)
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { diagnoseAndWait, fileWithout, openQuickFixMenu, parseJsonc, pickQuickFix, useSession } from './flows';
import { T, eventually, step, writeTree } from './harness';

describe('a deprecated setting in the user settings.json', { timeout: 300_000 }, () => {
  const session = useSession('user-settings', (root) => {
    const ws = path.join(root, 'hello');
    writeTree(ws, {
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    });
    return { folder: ws, settings: { 'go.buildOnSave': 'package' } };
  });

  test('i. Problems opens the user settings.json at the key; its quick fix edits the file on disk; GSD301 clears', async () => {
    const v = session.vs;
    await step(v, 'user-settings', async () => {
      // The user's own comment above the setting, as people write them.
      const file = v.settingsFile;
      const original = fs.readFileSync(file, 'utf8').replace('"go.buildOnSave"', '// build on save, from an old blog post\n  "go.buildOnSave"');
      fs.writeFileSync(file, original);
      const keyLine = original.split('\n').findIndex((l) => l.includes('"go.buildOnSave"')) + 1;
      const keyCol = original.split('\n')[keyLine - 1].indexOf('"go.buildOnSave"') + 1;

      await diagnoseAndWait(v, /warning/, 'the diagnosis with GSD301');
      await v.doctorRow(/^GSD301 `go\.buildOnSave` is deprecated/).waitFor({ timeout: T.diagnose });

      const panel = await v.openProblems();
      const rows = await eventually(async () => {
        const r = await v.problemRows();
        return r.some((x) => x.text.includes('GSD301')) ? r : undefined;
      }, 'GSD301 in Problems');
      const w301 = rows.find((r) => r.text.includes('GSD301'))!;
      assert.match(w301.label, /^Warning: `go\.buildOnSave` is deprecated/);
      assert.match(w301.text, new RegExp(`\\[Ln ${keyLine}, Col ${keyCol}\\]`), w301.text);
      assert.ok(
        rows.some((r) => r.label.includes('settings.json') && r.label.includes(path.dirname(file))),
        `the group names the user settings file:\n${rows.map((r) => r.label).join('\n')}`,
      );
      await panel.locator('.monaco-list-row', { hasText: 'GSD301' }).dblclick();
      await v.page.locator('.tab.active', { hasText: 'settings.json' }).waitFor();
      // The key is selected (Col 3 to 19).
      await v.statusBarItem(new RegExp(`^Ln ${keyLine}, Col (${keyCol}|${keyCol + '"go.buildOnSave"'.length})\\b`)).waitFor();
      const active = v.page.locator('.editor-group-container.active');
      await active.locator('.squiggly-warning').first().waitFor({ timeout: T.ui });
      // Into the key, as a user clicks on the squiggle.
      await v.page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 3; i++) await v.page.keyboard.press('ArrowRight');
      await v.statusBarItem(new RegExp(`^Ln ${keyLine}, Col ${keyCol + 3}\\b`)).waitFor();
      await v.screenshot('user-settings-squiggle');
      const widget = await openQuickFixMenu(v, 'Remove `go.buildOnSave`');
      await v.screenshot('user-settings-quick-fix-menu');
      await pickQuickFix(v, widget, 'Remove `go.buildOnSave`');

      const text = await fileWithout(file, 'go.buildOnSave', 'the fix saved to the user settings.json on disk');
      const { value, errors } = parseJsonc(text);
      assert.deepEqual(errors, [], text);
      assert.ok(text.includes('// build on save, from an old blog post'), text);
      assert.equal(value['telemetry.telemetryLevel'], 'off', text);
      assert.equal(value['go.buildOnSave'], undefined, text);
      // The fix re-runs the diagnosis: GSD301 is gone from the view and the editor.
      await eventually(async () => !(await v.doctorRows()).some((r) => r.startsWith('GSD301 ')), 'GSD301 gone from the view', T.diagnose);
      await active.locator('.tab.dirty').waitFor({ state: 'hidden' }).catch(() => undefined);
      await v.screenshot('user-settings-after-fix');
    });
  });
});
