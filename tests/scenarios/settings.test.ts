// GSD301/303/306 fixed through the CLI's --fix path, GSD307 user vs folder, GSD311 malformed
// settings; real settings files with comments.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { main } from '../../extension/src/headless/main';
import { codesOf, explain, findingsOf, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

function parseErrors(text: string): jsonc.ParseError[] {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { allowTrailingComma: true });
  return errors;
}

/** Run the headless CLI in-process, capturing its output. */
async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env, cwd });
  return { code, stdout, stderr };
}

describe('VS Code settings', { skip, concurrency: true }, () => {
  test('GSD301 + GSD303 + GSD306: --fix applies every safe fix to the real file, comments and other keys intact', async () => {
    const s = scenario('gsd30x');
    const mod = s.module('src/app');
    const original = `{
  // Team defaults: keep this comment
  "editor.tabSize": 4,
  "go.buildOnSave": "package", // legacy
  "gopls": {
    "build.experimentalWorkspaceModule": true,
    "ui.semanticTokens": true /* keep me */
  },
  "go.languageServerFlags": ["-rpc.trace", "--memory-limit=4G"],
}
`;
    const file = s.folderSettings(mod, original);
    const env = s.env([tc.binDir('1.22'), '/usr/bin', '/bin']);
    const before = await s.diagnose({ target: mod, env });
    for (const code of ['GSD301', 'GSD303', 'GSD306']) {
      const [f] = findingsOf(before.report, code);
      assert.ok(f, `${code} missing:\n${explain(before)}`);
      assert.equal(f.location?.uri, `file://${file}`);
      assert.ok(
        f.fixes.some((x) => x.applicability === 'safe' && x.actions.some((a) => a.kind === 'editFile')),
        `${code} has no safe edit fix`,
      );
    }
    assert.equal(findingsOf(before.report, 'GSD306')[0].location?.range.start.line, 8);

    const out = await cli([mod, '--fix', '--no-color'], env, s.root);
    assert.match(out.stdout, /^Before: /);
    assert.match(out.stdout, new RegExp(`Changed ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
    assert.match(out.stdout, /✓ GSD301 /);
    assert.match(out.stdout, /✓ GSD303 /);
    assert.match(out.stdout, /✓ GSD306 /);
    assert.match(out.stdout, /Re-diagnosing/);

    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(parseErrors(text), [], `not valid JSONC any more:\n${text}`);
    assert.ok(text.includes('// Team defaults: keep this comment'), text);
    assert.ok(text.includes('/* keep me */'), text);
    const value = jsonc.parse(text, [], { allowTrailingComma: true });
    assert.deepEqual(value, {
      'editor.tabSize': 4,
      gopls: { 'ui.semanticTokens': true },
      'go.languageServerFlags': ['-rpc.trace'],
    });
    const after = await s.diagnose({ target: mod, env });
    for (const code of ['GSD301', 'GSD303', 'GSD306']) assert.deepEqual(findingsOf(after.report, code), [], explain(after));
    // The final report printed by --fix is that re-diagnosis.
    assert.doesNotMatch(out.stdout.split('Re-diagnosing')[1] ?? '', /GSD30[136] /);
  });

  test('--fix refuses a file that changed since it was diagnosed', async () => {
    const s = scenario('gsd-fix-changed');
    const mod = s.module('src/app');
    const file = s.folderSettings(mod, '{\n  "go.buildOnSave": "package"\n}\n');
    const env = s.env([tc.binDir('1.22'), '/usr/bin', '/bin']);
    const { snapshot, report } = await s.diagnose({ target: mod, env });
    fs.writeFileSync(file, '{\n  "go.buildOnSave": "package", "x": 1\n}\n');
    const { applySafeFixes } = await import('../../extension/src/headless/fix');
    const r = await applySafeFixes(snapshot, report);
    assert.deepEqual(r.applied, []);
    assert.equal(r.refused[0]?.reason, 'the file changed since it was diagnosed');
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "go.buildOnSave": "package", "x": 1\n}\n');
  });

  test('GSD307: a folder value overrides the user settings file', async () => {
    const s = scenario('gsd307');
    const mod = s.module('src/app');
    const user = s.userSettings('{\n  // mine\n  "go.lintOnSave": "package",\n  "go.vetOnSave": "package"\n}\n');
    const folder = s.folderSettings(mod, '{\n  "go.lintOnSave": "off",\n  "go.vetOnSave": "package"\n}\n');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const found = findingsOf(d.report, 'GSD307');
    assert.equal(found.length, 1, explain(d));
    const [f] = found;
    assert.ok(f.title.includes('go.lintOnSave'), f.title);
    assert.equal(f.severity, 'warning', 'turning lint off is a warning');
    assert.equal(f.location?.uri, `file://${folder}`);
    assert.equal(f.location?.range.start.line, 1);
    assert.equal(f.related[0]?.location.uri, `file://${user}`);
    assert.equal(f.related[0]?.location.range.start.line, 2);
    assert.ok(f.evidence.includes('user: "package"') && f.evidence.includes('folder: "off"'), f.evidence.join('\n'));
  });

  test('GSD311: malformed folder settings give line and column, and the user file is still checked', async () => {
    const s = scenario('gsd311');
    const mod = s.module('src/app');
    s.userSettings('{\n  "go.buildOnSave": "off"\n}\n');
    const folder = s.folderSettings(mod, '{\n  "go.formatTool": "gofmt"\n  "editor.tabSize": 2\n}\n');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const [f] = findingsOf(d.report, 'GSD311');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.equal(f.location?.uri, `file://${folder}`);
    // The comma is missing right after `"gofmt"`: line 2, column 27 (1-based).
    assert.equal(f.location?.range.start.line, 1);
    assert.equal(f.location?.range.start.character, 26);
    assert.ok(f.message.includes(`${folder}:2:27: Expected comma`), f.message);
    assert.ok(f.evidence.some((e) => e.includes('"go.formatTool": "gofmt"')), f.evidence.join('\n'));
    // The user file's deprecated setting is reported from the user file.
    const [dep] = findingsOf(d.report, 'GSD301');
    assert.ok(dep, `GSD301 from the user settings is missing: ${codesOf(d.report)}`);
    assert.equal(dep.location?.uri, `file://${path.join(s.home, '.config/Code/User/settings.json')}`);
  });

  test('a .code-workspace: its folders are the workspace, its settings are a layer', async () => {
    const s = scenario('code-workspace');
    s.module('a');
    s.module('b');
    const ws = s.write('team.code-workspace', '{\n  "folders": [{ "path": "a" }, { "path": "b" }],\n  // shared\n  "settings": { "go.buildOnSave": "package" }\n}\n');
    const d = await s.diagnose({ target: ws, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    assert.deepEqual(
      d.snapshot.workspace.folders.map((f) => f.path),
      [s.path('a'), s.path('b')],
    );
    assert.equal(d.snapshot.workspace.workspaceFile, ws);
    const [f] = findingsOf(d.report, 'GSD301');
    assert.ok(f, explain(d));
    assert.equal(f.location?.uri, `file://${ws}`);
    assert.equal(f.location?.range.start.line, 3);
  });
});
