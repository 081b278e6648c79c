// A Go workspace whose .vscode/launch.json has a Go configuration with `dlvLoadConfig` (GSD317
// launch-config-outdated: dlv-dap ignores it) and one whose `program` is a missing directory
// (GSD321 launch-target-invalid), next to a non-Go configuration, in a real VS Code (code-server)
// with the packaged VSIX: the view and the Problems panel show both at the key, the quick fix
// (Ctrl+.) removes `dlvLoadConfig` on disk keeping comments and the other configurations, and the
// re-diagnosis no longer lists GSD317.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, test } from 'node:test';
import { diagnoseAndWait, fileWithout, openQuickFixMenu, parseJsonc, pickQuickFix, useSession } from './flows';
import { T, eventually, step, writeTree, type VsCode } from './harness';

const LAUNCH = `{
  // Debug configurations (this comment must survive the quick fix)
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Launch hello",
      "type": "go",
      "request": "launch",
      "mode": "debug",
      "program": "\${workspaceFolder}",
      /* left over from the legacy debug adapter */
      "dlvLoadConfig": { "maxStringLen": 1000, "maxArrayValues": 64 },
      "args": ["-v"]
    },
    {
      "name": "Launch server",
      "type": "go",
      "request": "launch",
      "mode": "debug",
      "program": "\${workspaceFolder}/cmd/server" // this directory does not exist
    },
    {
      // Not Go: must be left alone
      "name": "Generate assets",
      "type": "node",
      "request": "launch",
      "program": "\${workspaceFolder}/tools/gen.js",
      "dlvLoadConfig": "not ours"
    }
  ]
}
`;

/** 1-based line and column of the first `needle` in `text` (as the Problems panel shows them). */
function lineCol(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} in the fixture`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** The extension's log (its output channel) of this session. */
function extensionLog(v: VsCode): string {
  const logs = path.join(v.userData, 'logs');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Go Setup Doctor.log') out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  if (fs.existsSync(logs)) walk(logs);
  return out.join('\n');
}

const DOC = 'https://github.com/go-setup-doctor/go-setup-doctor/blob/main/docs/rules/';

describe('launch.json: outdated attribute and invalid program (trusted workspace)', { timeout: 300_000 }, () => {
  let launchPath: string;
  const at317 = lineCol(LAUNCH, '"dlvLoadConfig"');
  const at321 = lineCol(LAUNCH, '"program": "${workspaceFolder}/cmd/server"');

  const session = useSession('launch', (root) => {
    const ws = path.join(root, 'hello');
    writeTree(ws, {
      '.vscode/launch.json': LAUNCH,
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n',
    });
    launchPath = path.join(ws, '.vscode/launch.json');
    // Off so that the diagnosis shown is the one the palette command ran.
    return { folder: ws, settings: { 'goSetupDoctor.autoRun': false } };
  });

  test('a. "Diagnose Go setup" lists GSD317 and GSD321 under VS Code settings', async () => {
    const v = session.vs;
    await step(v, 'launch-a-view', async () => {
      await diagnoseAndWait(v, /^\d+ errors?, \d+ warnings?/, 'the headline with an error and a warning');
      await v.doctorRow(/^GSD321 /).waitFor({ state: 'visible', timeout: T.diagnose });
      const rows = await v.doctorRows();
      const cat = rows.findIndex((r) => /^VS Code settings: 1 error, 1 warning, \d+ passed$/.test(r));
      assert.ok(cat >= 0, `"VS Code settings" with 1 error and 1 warning:\n${rows.join('\n')}`);
      const i317 = rows.findIndex((r) => r.startsWith('GSD317 `dlvLoadConfig` has no effect with the dlv-dap debug adapter'));
      const i321 = rows.findIndex((r) => r.startsWith('GSD321 `program` of "Launch server" is not a directory or .go file'));
      assert.ok(i317 > cat && i321 > cat, `GSD317 and GSD321 under "VS Code settings":\n${rows.join('\n')}`);
      // Exactly one of each: the node configuration's "dlvLoadConfig" is not a Go configuration's.
      assert.equal(rows.filter((r) => r.startsWith('GSD317 ')).length, 1, rows.join('\n'));
      assert.equal(rows.filter((r) => r.startsWith('GSD321 ')).length, 1, rows.join('\n'));
      await v.doctorRow(/^GSD321 /).locator('.codicon-error').waitFor();
      await v.doctorRow(/^GSD317 /).locator('.codicon-warning').waitFor();
      await v.screenshot('launch-a-view');

      // Expanded: the whole message, the configuration as evidence, the location, the fix.
      await v.expandRow(/^GSD317 /);
      await v.doctorRowWithText(new RegExp(`launch\\.json:${at317.line}:${at317.col}`)).waitFor();
      await v.doctorRowWithText(/configuration "Launch hello"/).waitFor();
      await v.doctorRow(/^Remove `dlvLoadConfig`/).waitFor();
      await v.expandRow(/^GSD321 /);
      await v.doctorRowWithText(new RegExp(`launch\\.json:${at321.line}:${at321.col}`)).waitFor();
      await v.doctorRowWithText(/configuration "Launch server" \(mode debug\)/).waitFor();
      await v.screenshot('launch-a-view-expanded');
    });
  });

  test('b. the Problems panel shows both on launch.json at the key, the code linking to the rule doc', async () => {
    const v = session.vs;
    await step(v, 'launch-b-problems', async () => {
      const panel = await v.openProblems();
      const rows = await eventually(async () => {
        const r = await v.problemRows();
        return r.some((x) => x.text.includes('GSD317')) && r.some((x) => x.text.includes('GSD321')) ? r : undefined;
      }, 'GSD317 and GSD321 in Problems');
      const file = rows.find((r) => /^\d+ problems? in file launch\.json of folder \.vscode$/.test(r.label));
      assert.ok(file, `a launch.json (.vscode) group:\n${rows.map((r) => r.label).join('\n')}`);
      // Ours are two (the JSON schema adds its own once the file is open in an editor).
      assert.equal(rows.filter((r) => /Go setup/.test(r.text)).length, 2, rows.map((r) => r.text).join('\n---\n'));
      const w317 = rows.find((r) => r.text.includes('GSD317'))!;
      const e321 = rows.find((r) => r.text.includes('GSD321'))!;
      assert.match(w317.label, /^Warning: /);
      assert.match(w317.text, /`dlvLoadConfig` has no effect with the dlv-dap debug adapter/);
      assert.match(w317.text, new RegExp(`\\[Ln ${at317.line}, Col ${at317.col}\\]`), w317.text);
      assert.match(e321.label, /^Error: /);
      assert.match(e321.text, /`program` of "Launch server" is not a directory or \.go file/);
      assert.match(e321.text, new RegExp(`\\[Ln ${at321.line}, Col ${at321.col}\\]`), e321.text);
      for (const r of [w317, e321]) assert.match(r.text, /Go setup/);

      // The code is a link to the rule's documentation.
      for (const [code, name] of [['GSD317', 'launch-config-outdated'], ['GSD321', 'launch-target-invalid']]) {
        const link = panel.locator('.monaco-list-row a', { hasText: code }).first();
        await link.waitFor();
        const target = `${(await link.getAttribute('href')) ?? ''} ${(await link.getAttribute('title')) ?? ''}`;
        assert.ok(target.includes(`${DOC}${code}-${name}.md`), `${code} links to its doc, got: ${target}`);
      }
      await v.screenshot('launch-b-problems-panel');
    });
  });

  test('c. the quick fix removes dlvLoadConfig on disk; comments and the other configurations stay; GSD317 clears', async () => {
    const v = session.vs;
    await step(v, 'launch-c-quick-fix', async () => {
      await v.openFile('.vscode/launch.json');
      await v.goTo(at317.line, at317.col + 3);
      await v.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
      // GSD321's squiggle (GSD317's warning squiggle shares the line with the JSON schema's own).
      await v.page.locator('.editor-group-container.active .squiggly-error').first().waitFor();
      await v.screenshot('launch-c-editor-squiggles');
      const widget = await openQuickFixMenu(v, 'Remove `dlvLoadConfig`');
      await v.screenshot('launch-c-quick-fix-menu');
      await pickQuickFix(v, widget, 'Remove `dlvLoadConfig`');

      // On disk: the Go configuration's dlvLoadConfig is gone, the rest is as it was.
      const text = await fileWithout(launchPath, '"maxStringLen"', 'the fix to be saved to disk');
      const { value, errors } = parseJsonc(text);
      assert.deepEqual(errors, [], `launch.json still parses as JSONC:\n${text}`);
      for (const kept of [
        '// Debug configurations (this comment must survive the quick fix)',
        '// this directory does not exist',
        '// Not Go: must be left alone',
      ]) {
        assert.ok(text.includes(kept), `kept ${kept}:\n${text}`);
      }
      assert.equal(value.version, '0.2.0');
      assert.equal(value.configurations.length, 3, text);
      const [hello, server, node] = value.configurations;
      assert.deepEqual(hello, {
        name: 'Launch hello',
        type: 'go',
        request: 'launch',
        mode: 'debug',
        program: '${workspaceFolder}',
        args: ['-v'],
      });
      assert.equal(server.program, '${workspaceFolder}/cmd/server');
      assert.deepEqual(node, {
        name: 'Generate assets',
        type: 'node',
        request: 'launch',
        program: '${workspaceFolder}/tools/gen.js',
        dlvLoadConfig: 'not ours',
      });
      // Only the attribute's own text went: everything outside the first configuration is unchanged.
      const cut = (t: string) => t.slice(t.indexOf('    {\n      "name": "Launch server"'));
      assert.equal(cut(text), cut(LAUNCH));
      await v.page.locator('.tab.active.dirty').waitFor({ state: 'hidden' });

      // The fix re-runs the diagnosis (autoRun is off): GSD317 leaves the view and Problems, GSD321 stays.
      await eventually(async () => !(await v.doctorRows()).some((r) => r.startsWith('GSD317')), 'GSD317 to leave the view', T.diagnose);
      const rows = await v.doctorRows();
      assert.ok(rows.some((r) => r.startsWith('GSD321')), `GSD321 is still there:\n${rows.join('\n')}`);
      await eventually(async () => {
        const p = await v.problemRows();
        return !p.some((r) => r.text.includes('GSD317')) && p.some((r) => r.text.includes('GSD321'));
      }, 'GSD317 to leave Problems (GSD321 stays)');
      // Re-diagnosed on the new text: GSD321 is now one line up, at its key.
      const p321 = (await v.problemRows()).find((r) => r.text.includes('GSD321'))!;
      assert.match(p321.text, new RegExp(`\\[Ln ${at321.line - 1}, Col ${at321.col}\\]`), p321.text);
      await v.screenshot('launch-c-after-quick-fix');

      // An explicit re-diagnosis agrees.
      await diagnoseAndWait(v, /^1 error\b/, 'headline after re-diagnosis');
      const again = await v.doctorRows();
      assert.ok(!again.some((r) => r.startsWith('GSD317')), again.join('\n'));
      assert.ok(again.some((r) => r.startsWith('GSD321')), again.join('\n'));
    });
  });

  test('d. with autoRun on, saving launch.json re-runs the diagnosis: fixing `program` by hand clears GSD321', async () => {
    const v = session.vs;
    await step(v, 'launch-d-save-reruns', async () => {
      // Turn autoRun on in the workspace's settings (written on disk, as a checkout would); it
      // runs once for that.
      const runs = () => (extensionLog(v).match(/run #\d+ done/g) ?? []).length;
      const before0 = runs();
      writeTree(path.dirname(launchPath), { 'settings.json': '{\n  "goSetupDoctor.autoRun": true\n}\n' });
      await eventually(() => runs() > before0, 'a run after autoRun was turned on', T.diagnose);
      assert.ok((await v.doctorRows()).some((r) => r.startsWith('GSD321')), 'GSD321 before the edit');

      // Edit `program` of "Launch server" in the editor and save (Ctrl+S): no command is run.
      const before = fs.readFileSync(launchPath, 'utf8');
      const fixed = before.replace('"${workspaceFolder}/cmd/server" // this directory does not exist', '"${workspaceFolder}" // the main package');
      assert.notEqual(fixed, before);
      await v.openFile('.vscode/launch.json');
      await v.replaceEditorText(fixed);
      assert.equal(fs.readFileSync(launchPath, 'utf8'), fixed);

      await eventually(() => /run #\d+ \([^)]*launch\.json (saved|changed)/.test(extensionLog(v)), 'a run for "launch.json saved"', T.diagnose);
      await eventually(async () => !(await v.doctorRows()).some((r) => r.startsWith('GSD321')), 'GSD321 to leave the view', T.diagnose);
      await eventually(async () => !(await v.problemRows()).some((r) => /GSD3(17|21)/.test(r.text)), 'no Go setup markers on launch.json');
      assert.doesNotMatch(await v.doctorHeadline(), /error/);
      await v.screenshot('launch-d-after-save');
    });
  });
});
