// Workspace Trust: a workspace whose .vscode/settings.json points go.alternateTools.go at a trap
// script, opened WITHOUT trusting it (the trust dialog answered "No"). Diagnosing must never run
// the trap, and the view must say why the checks that would need it were skipped. Flow f.
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { diagnoseAndWait, useSession } from './flows';
import { ARTIFACTS, eventually, step, writeTree } from './harness';

describe('untrusted workspace (Restricted Mode)', { timeout: 240_000 }, () => {
  let marker: string;

  const session = useSession('untrusted', (root) => {
    const ws = path.join(root, 'cloned-repo');
    marker = path.join(root, 'TRAP-RAN');
    const trap = path.join(ws, 'tools', 'go');
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

    return { folder: ws, trust: 'untrusted' };
  });

  test('f. diagnosing never runs the go chosen by the untrusted workspace settings', async () => {
    const v = session.vs;
    await step(v, 'f-untrusted-trap', async () => {
      // Restricted Mode is on.
      await v.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
      await diagnoseAndWait(v, / · \d+ checks passed/, 'a finished diagnosis');
      // Give anything that might still be running a moment, then: the trap never ran.
      await v.page.waitForTimeout(3000);
      assert.equal(fs.existsSync(marker), false, `the trap ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
      await v.screenshot('f-untrusted-diagnosed');
    });
  });

  test('f. the view says that (and why) the workspace-chosen go was not used', async () => {
    const v = session.vs;
    await step(v, 'f-untrusted-view', async () => {
      // As the diagnosis left it: the Probes category, which has a finding, is expanded and shows
      // GSD902 probe-skipped (info) without any click.
      const gsd902 = v.doctorRow(/^GSD902 /);
      await gsd902.waitFor({ state: 'visible' });
      await gsd902.locator('.codicon-info').waitFor();
      const rows = await v.doctorRows();
      const probes = rows.findIndex((r) => /^Probes: (\d+ infos?)(, \d+ passed)?$/.test(r));
      const i902 = rows.findIndex((r) => r.startsWith('GSD902 '));
      assert.ok(probes >= 0 && i902 > probes, `GSD902 under "Probes":\n${rows.join('\n')}`);
      // The headline counts it with the other infos (one icon per info finding in the tree).
      const head = await v.doctorHeadline();
      const infos = Number(/(\d+) infos?/.exec(head)?.[1] ?? 0);
      // (Categories with findings are expanded, so every finding row is there.)
      const infoFindings = (await v.doctorAllRows(false)).filter((r) => /^GSD\d{3} .* info$/.test(r));
      assert.ok(infos >= 1, `the headline counts GSD902: "${head}"`);
      assert.equal(infos, infoFindings.length, `${head}\n${infoFindings.join('\n')}`);
      await v.screenshot('f-untrusted-view');

      // Expanded, it says which setting was not used, from where, and why.
      await v.expandRow(/^GSD902 /);
      const details = v.doctorRow(/^Details: /);
      await details.waitFor();
      const why = (await details.getAttribute('aria-label')) ?? '';
      assert.match(why, /go\.alternateTools\.go/, why);
      assert.match(why, /workspace (folder )?settings/i, why);
      assert.match(why, /not trusted/i, why);
      await v.screenshot('f-untrusted-gsd902-expanded');
      await details.click();
      await v.page.locator('.tab.active', { hasText: /^GSD902 / }).waitFor();
      const doc = await eventually(async () => {
        const t = await v.editorText();
        return /not trusted/i.test(t) ? t.replace(/\s+/g, ' ') : undefined;
      }, 'the GSD902 details document');
      assert.match(doc, /^# GSD902 /, doc);
      assert.match(doc, /Info, Probes, rule `probe-skipped` \(\[documentation\]/, doc);
      assert.match(doc, /go\.alternateTools\.go/, doc);
      await v.screenshot('f-untrusted-gsd902-details');
      await v.runCommand('View: Close Editor');

      // Every category and group opened: the reason is also on record as a skipped check, if any.
      const all = await v.doctorAllRows(true);
      await v.screenshot('f-untrusted-view-expanded');
      const skippedRow = all.find((r) => /\bskipped: .*(not trusted|untrusted)/i.test(r));
      if (skippedRow) await v.doctorRow(skippedRow).locator('.codicon-circle-slash').waitFor();
      assert.equal(fs.existsSync(marker), false, 'the trap never ran');
    });
  });

  test('f. the report lists the probe that was not run, with the reason', async () => {
    const v = session.vs;
    await step(v, 'f-untrusted-report', async () => {
      await v.runCommand('Copy Go setup report');
      await v.page.locator('.tab.active', { hasText: /Go setup report/ }).waitFor();
      const report = await v.clipboardText();
      fs.writeFileSync(path.join(ARTIFACTS, 'f-untrusted-report.md'), report);
      assert.match(report, /workspace (is )?(not trusted|untrusted)/i);
      assert.match(report, /go\.alternateTools\.go/);
      assert.match(report, /Workspace is not trusted: ignored go\.alternateTools\.go/);
      // GSD902 is in the findings, and the summary counts it.
      assert.match(report, /^### 🔵 info: GSD902 /m);
      assert.match(report, /^\*\*Summary:\*\* (\d+ (errors?|warnings?), )*\d+ infos? · /m);
      assert.match(report, /^\| VS Code \| [\d.]+, remote \(other\), workspace not trusted \(Restricted Mode\) \|$/m);
      await v.screenshot('f-untrusted-report');
      assert.equal(fs.existsSync(marker), false, 'the trap never ran');
    });
  });
});
