// A workspace with a broken Go setup, in a real VS Code (code-server) with the packaged VSIX:
// diagnose from the palette, the view, the Problems panel, the status bar, a quick fix that keeps
// the file's comments, and the redacted report. Flows a, b, c, d (status bar) and g.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { diagnoseAndWait, fileWithout, openQuickFixMenu, pickQuickFix, useSession } from './flows';
import { ARTIFACTS, T, eventually, step, writeTree } from './harness';

const SETTINGS = `{
  // Build settings (comment must survive the quick fix)
  "go.buildOnSave": "package", // deprecated: GSD301
  /* gopls flags: one is invented */
  "go.languageServerFlags": ["-rpc.trace", "--memory-limit=4G"],
  "editor.tabSize": 4
}
`;

// A proxy URL with credentials in the environment: the report must not show them.
const SECRET = 's3cr3t-t0ken-9f8e7d';

describe('broken Go setup (trusted workspace)', { timeout: 240_000 }, () => {
  let settingsPath: string;

  const session = useSession('broken', (root) => {
    const ws = path.join(root, 'hello');
    writeTree(ws, {
      '.vscode/settings.json': SETTINGS,
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n',
    });
    settingsPath = path.join(ws, '.vscode/settings.json');
    return {
      folder: ws,
      // Off so that the diagnosis shown is the one the palette command ran.
      settings: { 'goSetupDoctor.autoRun': false },
      env: { GOPROXY: `https://gsd-user:${SECRET}@proxy.example.invalid,direct` },
    };
  });

  test('a. "Diagnose Go setup" from the palette fills the view: findings by category, passing checks', async () => {
    const v = session.vs;
    await step(v, 'a-diagnose', async () => {
      // autoRun is off: nothing has run yet, so the status bar item is hidden.
      assert.equal(await v.doctorStatus().isVisible(), false, 'no diagnosis before the command');
      await v.runCommand('Diagnose Go setup');
      await v.doctorRow(/^GSD306 /).waitFor({ state: 'visible', timeout: T.diagnose });
      const rows = await v.doctorRows();
      // Findings under their category (categories with findings are expanded).
      const cat = rows.findIndex((r) => /^VS Code settings: 1 error, 1 warning, \d+ passed$/.test(r));
      assert.ok(cat >= 0, `"VS Code settings" category with its counts:\n${rows.join('\n')}`);
      const i306 = rows.findIndex((r) => r.startsWith('GSD306 gopls does not accept the flag `--memory-limit=4G`'));
      const i301 = rows.findIndex((r) => r.startsWith('GSD301 `go.buildOnSave` is deprecated'));
      assert.ok(i306 > cat && i301 > cat, `GSD306 and GSD301 under "VS Code settings":\n${rows.join('\n')}`);
      // Passing checks: whole categories that passed, and "N checks passed" under one with findings.
      assert.ok(rows.some((r) => /^Go toolchain: \d+ passed$/.test(r)), `Go toolchain passed:\n${rows.join('\n')}`);
      assert.ok(rows.some((r) => /^\d+ checks passed$/.test(r)), `"N checks passed" row:\n${rows.join('\n')}`);
      // 1 error (GSD306); warnings: GSD301 and whatever else this machine has (normally nothing).
      assert.match(await v.doctorHeadline(), /^1 error, \d+ warnings?(, \d+ infos?)? · \d+ checks passed/);
      // The view's own pieces: severity icons on the findings.
      await v.doctorRow(/^GSD306 /).locator('.codicon-error').waitFor();
      await v.doctorRow(/^GSD301 /).locator('.codicon-warning').waitFor();
      await v.screenshot('a-diagnose-view');

      // The sidebar has its default width: what a user sees first (~35 characters a row).
      const width = (await v.doctorTree().boundingBox())?.width ?? 0;
      assert.ok(width > 200 && width < 400, `default sidebar width, got ${width}px`);

      // Hovering a finding shows all of it: title, message, evidence, fixes.
      await v.doctorRow(/^GSD306 /).hover();
      const hover = v.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'GOMEMLIMIT' }).first();
      await hover.waitFor({ state: 'visible' });
      const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
      assert.match(hoverText, /GSD306 gopls does not accept the flag --memory-limit=4G \(error, invalid-gopls-flag\)/, hoverText);
      // The engine's `code` renders as code, not as literal backticks.
      await hover.locator('code', { hasText: '--memory-limit=4G' }).first().waitFor();
      assert.match(hoverText, /GOMEMLIMIT/, hoverText);
      assert.match(hoverText, /Fixes/, hoverText);
      assert.match(hoverText, /Remove --memory-limit=4G from go\.languageServerFlags \(safe\)/, hoverText);
      await v.screenshot('a-finding-tooltip');
      await v.page.mouse.move(900, 600);
      await v.page.keyboard.press('Escape');

      // A finding expands into "Details…" (no message cut into rows), evidence, location and fix.
      await v.expandRow(/^GSD306 /);
      const details = v.doctorRow(/^Details: gopls .*-memory-limit.*GOMEMLIMIT/);
      await details.waitFor();
      await v.doctorRowWithText(/settings\.json:5:44/).waitFor();
      await v.doctorRow(/^Remove `--memory-limit=4G` from go\.languageServerFlags/).waitFor();
      const after306 = await v.doctorRows();
      const i = after306.findIndex((r) => r.startsWith('GSD306 '));
      assert.ok(after306[i + 1].startsWith('Details: '), `"Details…" first under GSD306:\n${after306.join('\n')}`);
      assert.equal((await details.innerText()).trim(), 'Details…');
      // The row's text fits: nothing cut off.
      const fits = await details.locator('.label-name, .monaco-icon-label').first().evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
      assert.ok(fits, 'the "Details…" row is not truncated');
      await v.screenshot('a-diagnose-finding-expanded');

      // "Details…" opens the whole finding as a read-only, word-wrapped Markdown document.
      await details.click();
      const tab = v.page.locator('.tab.active', { hasText: 'GSD306 invalid-gopls-flag.md' });
      await tab.waitFor();
      const doc = await eventually(async () => {
        const t = await v.editorText();
        return t.includes('GOMEMLIMIT') ? t : undefined;
      }, 'the details document');
      const flat = doc.replace(/\s+/g, ' ');
      assert.match(flat, /^# GSD306 gopls does not accept the flag `--memory-limit=4G`/, doc);
      assert.match(flat, /Error, VS Code settings, rule `invalid-gopls-flag` \(\[documentation\]\(https:/, doc);
      assert.match(flat, /-memory-limit.*GOMEMLIMIT/, doc);
      assert.match(flat, /Location: `[^`]*\/\.vscode\/settings\.json:5:44`/, doc);
      assert.match(flat, /\*\*safe\*\*: Remove `--memory-limit=4G` from go\.languageServerFlags/, doc);
      assert.equal(await v.statusBarItem(/^Markdown$/).count(), 1, 'shown as Markdown (word-wrapped)');
      await v.screenshot('a-finding-details');
      await v.runCommand('View: Close Editor');
      await tab.waitFor({ state: 'hidden' });
    });
  });

  test('b. the Problems panel lists the findings on .vscode/settings.json with line and rule code', async () => {
    const v = session.vs;
    await step(v, 'b-problems', async () => {
      const panel = await v.openProblems();
      const rows = await eventually(async () => {
        const r = await v.problemRows();
        return r.length >= 3 ? r : undefined;
      }, 'problem rows');
      const file = rows.find((r) => /^\d+ problems? in file settings\.json of folder \.vscode$/.test(r.label));
      assert.ok(file, `a settings.json (.vscode) group:\n${rows.map((r) => r.label).join('\n')}`);
      assert.match(file!.label, /^2 problems in file settings\.json/);
      const e306 = rows.find((r) => r.text.includes('GSD306'));
      const w301 = rows.find((r) => r.text.includes('GSD301'));
      assert.ok(e306 && w301, `GSD306 and GSD301 markers:\n${rows.map((r) => r.text).join('\n---\n')}`);
      assert.match(e306!.text, /gopls does not accept the flag `--memory-limit=4G`/);
      assert.match(e306!.text, /\[Ln 5, Col 44\]/);
      assert.match(e306!.text, /Go setup/);
      assert.match(e306!.label, /^Error: /);
      assert.match(w301!.text, /\[Ln 3, Col 3\]/);
      assert.match(w301!.label, /^Warning: /);
      await v.screenshot('b-problems-panel');

      // The marker leads to the right place: the settings file, at the flag.
      await panel.locator('.monaco-list-row', { hasText: 'GSD306' }).dblclick();
      await v.page.locator('.tab.active', { hasText: 'settings.json' }).waitFor();
      // The cursor is on line 5 with the flag selected (Col 44 to 63).
      await v.statusBarItem(/^Ln 5, Col (44|63)\b/).waitFor();
      await v.screenshot('b-problem-opens-settings');
    });
  });

  test('d. the status bar item shows the counts; clicking it reveals the view', async () => {
    const v = session.vs;
    await step(v, 'd-status-bar', async () => {
      const item = v.doctorStatus();
      await item.waitFor({ state: 'visible' });
      const label = (await item.getAttribute('aria-label')) ?? '';
      // The same counts as the view's headline.
      const head = await v.doctorHeadline();
      const errors = Number(/(\d+) errors?/.exec(head)?.[1] ?? 0);
      const warnings = Number(/(\d+) warnings?/.exec(head)?.[1] ?? 0);
      assert.equal(errors, 1, head);
      assert.ok(warnings >= 1, head);
      assert.match(label, new RegExp(`^error\\s+${errors}\\s+warning\\s+${warnings},`), label);
      assert.match(label, new RegExp(`Go Setup Doctor: 1 error, ${warnings} warnings?`), label);
      assert.equal(((await item.innerText()).match(/\d+/g) ?? []).join(' '), `${errors} ${warnings}`);
      assert.equal(await item.locator('.codicon-error').count(), 1);
      assert.equal(await item.locator('.codicon-warning').count(), 1);
      assert.match(((await item.getAttribute('class')) ?? ''), /error-kind|has-background-color/);
      // Hide the view (show the Explorer), then click the item.
      await v.runCommand('View: Show Explorer');
      await v.doctorTree().waitFor({ state: 'hidden' });
      await v.screenshot('d-status-bar-before-click');
      await item.click();
      await v.doctorTree().waitFor({ state: 'visible' });
      await v.doctorRow(/^GSD306 /).waitFor();
      await v.screenshot('d-status-bar-click-reveals-view');
    });
  });

  test('c. the quick fix removes the bad flag on disk, keeps comments and other keys; GSD306 clears', async () => {
    const v = session.vs;
    await step(v, 'c-quick-fix', async () => {
      // The editor from b is on settings.json, cursor on the diagnostic; make sure of both.
      await v.openFile('.vscode/settings.json');
      await v.goTo(5, 50);
      await v.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
      // The squiggle is on screen.
      await v.page.locator('.editor-group-container.active .squiggly-error').first().waitFor();
      const widget = await openQuickFixMenu(v, 'Remove `--memory-limit=4G` from go.languageServerFlags');
      await v.screenshot('c-quick-fix-menu');
      await pickQuickFix(v, widget, 'Remove `--memory-limit=4G`');

      // On disk: the flag is gone; comments, the other flag and the other keys are kept.
      const text = await fileWithout(settingsPath, '--memory-limit', 'the fix to be saved to disk');
      for (const kept of [
        '// Build settings (comment must survive the quick fix)',
        '// deprecated: GSD301',
        '/* gopls flags: one is invented */',
        '"go.buildOnSave": "package"',
        '"-rpc.trace"',
        '"editor.tabSize": 4',
      ]) {
        assert.ok(text.includes(kept), `kept ${kept}:\n${text}`);
      }
      assert.match(text, /"go\.languageServerFlags":\s*\[\s*"-rpc\.trace"\s*\]/, text);
      // Saved, not left dirty.
      await v.page.locator('.tab.active.dirty').waitFor({ state: 'hidden' });

      // The diagnosis re-runs by itself after the fix (autoRun is off: the fix triggers it).
      await eventually(async () => !(await v.doctorRows()).some((r) => r.startsWith('GSD306')), 'GSD306 to leave the view', T.diagnose);
      const rows = await v.doctorRows();
      assert.ok(rows.some((r) => r.startsWith('GSD301')), `GSD301 is still there:\n${rows.join('\n')}`);
      assert.match(await v.doctorHeadline(), /^\d+ warnings?/);
      await eventually(async () => !(await v.problemRows()).some((r) => r.text.includes('GSD306')), 'GSD306 to leave Problems');
      await v.page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ state: 'hidden' });
      await v.screenshot('c-after-quick-fix');

      // And an explicit re-diagnosis agrees.
      await diagnoseAndWait(v, /^\d+ warnings?/, 'headline after re-diagnosis');
      assert.ok(!(await v.doctorRows()).some((r) => r.startsWith('GSD306')));
    });
  });

  test('g. "Copy Go setup report" opens a redacted Markdown report in an editor', async () => {
    const v = session.vs;
    await step(v, 'g-copy-report', async () => {
      await v.runCommand('Copy Go setup report');
      await v.page.locator('.tab.active', { hasText: /Go setup report/ }).waitFor();
      await v.statusBarItem(/^Markdown$/).waitFor();
      const visible = await eventually(async () => {
        const t = await v.editorText();
        return t.includes('# Go setup report') ? t : undefined;
      }, 'the report in the editor');
      await v.screenshot('g-report-editor');
      await eventually(async () => (await v.notifications()).some((n) => /report is on the clipboard/.test(n)), 'the clipboard notification');
      // The whole report (the command also put it on the clipboard).
      const report = await v.clipboardText().catch(() => '');
      fs.writeFileSync(path.join(ARTIFACTS, 'g-report.md'), report);
      const text = report || visible;
      assert.match(text, /^# Go setup report/m, 'Markdown heading');
      assert.match(text, /redacted/);
      assert.ok(!text.includes(SECRET), 'the proxy credentials are redacted');
      assert.ok(!text.includes(v.home), `the home directory (${v.home}) is redacted`);
      assert.ok(report, 'the report is on the clipboard');
      assert.ok(report.startsWith('# Go setup report'), report.slice(0, 200));
      assert.match(report, /go version go1\.\d+/, 'the report names the Go version');
      assert.match(report, /GSD301/);
      assert.doesNotMatch(report, /GSD306 gopls does not accept/, 'fixed in c');
      // The proxy is named, its credentials are not; gopls in ~/go/bin is shown as ~/go/bin.
      assert.match(report, /GSD506/);
      assert.match(report, /https:\/\/\*\*\*@proxy\.example\.invalid/, 'the proxy URL, credentials masked');
      assert.match(report, /~\/go\/bin\/gopls/);
      // The remote is named by its kind: code-server's remoteName is host:port, never printed.
      const port = String(new URL(v.page.url()).port);
      assert.match(report, /^\| VS Code \| [\d.]+, remote \(other\), workspace trusted \|$/m);
      assert.ok(!report.includes(`127.0.0.1:${port}`) && !report.includes(`:${port}`), `the report names code-server's host:port (${port})`);
      assert.match(report, /"remoteName": "other"/);
      // Settings the rules don't read are omitted (the harness's user settings have these)...
      for (const key of ['editor.minimap.enabled', 'files.autoSave', 'editor.autoClosingBrackets', 'workbench.colorTheme']) {
        assert.match(report, new RegExp(`${key.replace(/\./g, '\\.')}\\\\": \\\\"<omitted: not a Go setting>`), `${key} omitted`);
      }
      assert.doesNotMatch(report, /editor\.minimap\.enabled\\": false/);
      assert.doesNotMatch(report, /files\.autoSave\\": \\"off/);
      // ...the Go ones are kept (the workspace's go.buildOnSave, with its comment).
      assert.match(report, /\/\/ deprecated: GSD301/);
      assert.match(report, /go\.buildOnSave\\": \\"package/);
    });
  });
});
