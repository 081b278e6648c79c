// Workspace Trust: a workspace whose .vscode/settings.json points go.alternateTools.go at a trap
// script, opened WITHOUT trusting it (the trust dialog answered "No"). Diagnosing must never run
// the trap, and the view must say why the checks that would need it were skipped. Flow f.
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { after, before, describe, test } from 'node:test';
import {
  ARTIFACTS,
  T,
  eventually,
  leftoversOfThisProcess,
  missingPrerequisites,
  openVsCode,
  step,
  tempDir,
  writeTree,
  type VsCode,
} from './harness';

describe('untrusted workspace (Restricted Mode)', { timeout: 240_000 }, () => {
  let vs: VsCode | undefined;
  let root: string;
  let ws: string;
  let marker: string;
  let trap: string;

  before(async () => {
    const missing = missingPrerequisites();
    assert.deepEqual(missing, [], `e2e prerequisites missing:\n${missing.join('\n')}`);
    root = tempDir('untrusted');
    ws = path.join(root, 'cloned-repo');
    marker = path.join(root, 'TRAP-RAN');
    trap = path.join(ws, 'tools', 'go');
    writeTree(ws, {
      '.vscode/settings.json': JSON.stringify({ 'go.alternateTools': { go: trap } }, null, 2) + '\n',
      'tools/go': `#!/bin/sh\n# A "go" that a malicious repository ships: it must never run.\necho "$0 $*" >> '${marker}'\nexit 0\n`,
      'go.mod': 'module example.com/cloned\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    });
    fs.chmodSync(trap, 0o755);
    // The trap works: running it creates the marker (then start clean).
    spawnSync(trap, ['version']);
    assert.ok(fs.existsSync(marker), 'the trap script writes its marker when run');
    fs.rmSync(marker);

    vs = await openVsCode({ name: 'untrusted', folder: ws, trust: 'untrusted' });
  });

  after(async () => {
    const r = await vs?.close();
    fs.rmSync(root, { recursive: true, force: true });
    assert.deepEqual(r?.survivors ?? [], [], 'processes of the session survived close()');
    assert.deepEqual(leftoversOfThisProcess(), [], 'code-server/chromium processes started by this test survived');
  });

  test('f. diagnosing never runs the go chosen by the untrusted workspace settings', async () => {
    const v = vs!;
    await step(v, 'f-untrusted-trap', async () => {
      // Restricted Mode is on.
      await v.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
      await v.runCommand('Diagnose Go setup');
      await eventually(async () => / · \d+ checks passed/.test(await v.doctorHeadline()), 'a finished diagnosis', T.diagnose);
      // Give anything that might still be running a moment, then: the trap never ran.
      await v.page.waitForTimeout(3000);
      assert.equal(fs.existsSync(marker), false, `the trap ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
      await v.screenshot('f-untrusted-diagnosed');
    });
  });

  test('f. the view says that (and why) the workspace-chosen go was not used', async () => {
    const v = vs!;
    await step(v, 'f-untrusted-view', async () => {
      // Open every category (and "N checks passed" group) and look for the reason anywhere.
      const rows = await v.doctorAllRows(true);
      const head = await v.doctorHeadline();
      // (Not "Restricted Mode" alone: GSD703's title names it.)
      const why = [head, ...rows].filter((r) => /not trusted|untrusted|alternateTools/i.test(r));
      await v.screenshot('f-untrusted-view-expanded');
      assert.ok(
        why.length > 0,
        'nothing in the view says that go.alternateTools.go from the workspace settings was ignored because the ' +
          `workspace is not trusted (the headline says "${head}").\nRows:\n${rows.join('\n')}`,
      );
      // A skipped check carries the skip icon.
      const skippedRow = why.find((r) => /\bskipped: /.test(r));
      if (skippedRow) await v.doctorRow(skippedRow).locator('.codicon-circle-slash').waitFor();
    });
  });

  test('f. the report lists the probe that was not run, with the reason', async () => {
    const v = vs!;
    await step(v, 'f-untrusted-report', async () => {
      await v.runCommand('Copy Go setup report');
      await v.page.locator('.tab.active', { hasText: /Go setup report/ }).waitFor();
      const report = await v.clipboardText();
      fs.writeFileSync(path.join(ARTIFACTS, 'f-untrusted-report.md'), report);
      assert.match(report, /workspace (is )?(not trusted|untrusted)/i);
      assert.match(report, /go\.alternateTools\.go/);
      assert.match(report, /Workspace is not trusted: ignored go\.alternateTools\.go/);
      await v.screenshot('f-untrusted-report');
      assert.equal(fs.existsSync(marker), false, 'the trap never ran');
    });
  });
});
