// The packaged VSIX with a module of its bundle broken the way a bundling mistake breaks it (a
// `require()` of a file that is not in the VSIX, run while the module initialises): the user must
// see why Go Setup Doctor did not start, with a "Show log" action, and our commands must say so
// too, instead of VS Code's "command 'goSetupDoctor.diagnose' not found". Flow h.
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { useSession } from './flows';
import { VSIX, eventually, step, writeTree } from './harness';

const MISSING = './gsd-e2e-missing-chunk';

/** dist/go-setup-doctor.vsix with the tree view module's initialisation requiring a missing file. */
function brokenVsix(dir: string): string {
  const unpacked = path.join(dir, 'unpacked');
  let r = spawnSync('unzip', ['-q', VSIX, '-d', unpacked], { encoding: 'utf8' });
  assert.equal(r.status, 0, `unzip: ${r.stderr}`);
  const js = path.join(unpacked, 'extension/dist/extension.js');
  const text = fs.readFileSync(js, 'utf8');
  // esbuild wraps each module lazily loaded by activate() in `"<path>"() { ... }`.
  const init = /("extension\/src\/present\/tree\.ts"\(\) \{)/;
  assert.match(text, init, 'the tree module is initialised lazily (activate() loads it)');
  fs.writeFileSync(js, text.replace(init, `$1\n    require(${JSON.stringify(MISSING)});`));
  const out = path.join(dir, 'go-setup-doctor-broken.vsix');
  r = spawnSync('zip', ['-q', '-r', '-X', out, '.'], { cwd: unpacked, encoding: 'utf8' });
  assert.equal(r.status, 0, `zip: ${r.stderr}`);
  return out;
}

/** The text of the "Go Setup Doctor" output channel, from its log file under the user data dir. */
function channelLog(userData: string): string | undefined {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Go Setup Doctor\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  const text = found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  return /failed to start/.test(text) ? text : undefined;
}

describe('a VSIX whose bundle fails to initialise', { timeout: 240_000 }, () => {
  const session = useSession('activation', (root) => {
    const ws = path.join(root, 'hello');
    writeTree(ws, {
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    });
    return { folder: ws, vsix: brokenVsix(root) };
  });

  test('h. the error is shown with "Show log"; commands and the view say why, not "command not found"', async () => {
    const v = session.vs;
    await step(v, 'h-activation-failure', async () => {
      const failed = /^Go Setup Doctor failed to start: Cannot find module '\.\/gsd-e2e-missing-chunk'/;
      const toast = v.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'Go Setup Doctor failed to start' }).first();
      // Activation (workspaceContains:**/go.mod) shows it by itself.
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      const shown = await v.notifications();
      assert.ok(shown.some((n) => failed.test(n)), shown.join('\n'));
      await toast.getByRole('button', { name: 'Show log' }).waitFor();
      await v.screenshot('h-activation-failure-notification');

      // The palette command answers with the same error (VS Code would say "command ... not found").
      await v.runCommand('Notifications: Clear All Notifications');
      await toast.waitFor({ state: 'hidden' });
      await v.runCommand('Diagnose Go setup');
      await eventually(async () => (await v.notifications()).some((n) => failed.test(n)), 'the error again after "Diagnose Go setup"');
      const all = await v.notifications();
      assert.ok(!all.some((n) => /not found/.test(n)), all.join('\n'));
      await toast.waitFor({ state: 'visible' });
      await v.page.waitForTimeout(700); // the toast's fade-in
      await v.screenshot('h-activation-failure-diagnose');

      // "Diagnose Go setup" showed the view: it says it too, with the log one click away.
      assert.match(await v.doctorHeadline(), failed);
      const row = v.doctorRow(/^Go Setup Doctor failed to start: Cannot find module/);
      await row.waitFor({ state: 'visible' });
      await row.locator('.codicon-error').waitFor();
      assert.equal((await row.innerText()).trim(), 'Failed to start: show log');
      await v.screenshot('h-activation-failure-view');

      // "Show log": the "Go Setup Doctor" output channel, with the error and its stack.
      const again = v.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'Go Setup Doctor failed to start' }).first();
      await again.getByRole('button', { name: 'Show log' }).click();
      const panel = v.page.locator('.part.panel');
      await panel.locator('.monaco-editor .view-lines:visible').first().waitFor();
      const logText = await eventually(() => channelLog(v.userData), 'the "Go Setup Doctor" log file');
      assert.match(logText, /\[error\] Go Setup Doctor [\d.]+ failed to start: Error: Cannot find module '\.\/gsd-e2e-missing-chunk'/, logText);
      assert.match(logText, /\n\s+at .*extension\.js:\d+/, 'with the stack into our bundle');
      // Scrolled to the top, the panel shows the error line.
      const box = await panel.boundingBox();
      assert.ok(box, 'the panel is on screen');
      await v.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.7);
      await eventually(async () => {
        await v.page.mouse.wheel(0, -2_000);
        const t = (await panel.locator('.monaco-editor .view-lines:visible').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
        return /failed to start: Error: Cannot find module/.test(t);
      }, 'the error line on screen in the Output panel', 30_000, 300);
      await v.screenshot('h-activation-failure-log');
    });
  });
});
