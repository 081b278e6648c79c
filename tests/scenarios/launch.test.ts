// GSD321 launch-target-invalid and GSD317 launch-config-outdated on real folders: a launch.json
// whose `program`s point at a missing directory, a library package and a text file, diagnosed
// through the real gatherer and the WASM engine; the delve texts the findings quote are checked
// against the installed dlv v1.24.0 itself.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { applyEditFix, explain, findingsOf, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

/** A module with a main package (cmd/app), a library with a test (lib) and an executable text file. */
function workspace(s: Scenario): string {
  const app = s.folder('src/app', {
    'go.mod': 'module example.com/app\n\ngo 1.24\n',
    'cmd/app/main.go': '// Command app.\npackage main\n\nfunc main() {}\n',
    'lib/lib.go': '/* Package lib is a library. */\npackage lib\n\n// F is one.\nfunc F() int { return 1 }\n',
    'lib/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
    'lib/lib_test.go': 'package lib\n\nimport "testing"\n\nfunc TestF(t *testing.T) { _ = F() }\n',
  });
  s.write(path.join(app, 'notes.txt'), 'hello\n', 0o755);
  return app;
}

function launchJson(s: Scenario, folder: string, configs: object[]): string {
  return s.write(path.join(folder, '.vscode', 'launch.json'), `{\n  // debug\n  "version": "0.2.0",\n  "configurations": ${JSON.stringify(configs, null, 2)}\n}\n`);
}

/** Run the installed dlv v1.24.0 the way the debug adapter would build/launch, headless; its output. */
function dlv(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(tc.dlv('v1.24.0').path, [...args, '--headless', '--listen=127.0.0.1:0'], {
    cwd, env: { ...env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' }, encoding: 'utf8', timeout: 120000, killSignal: 'SIGKILL',
  });
  return `${r.stdout}${r.stderr}`;
}

describe('GSD321 launch-target-invalid', { skip, concurrency: true }, () => {
  test('missing directory, library package, text file in exec mode: each reported with the real error text', async () => {
    const s = scenario('gsd321');
    const app = workspace(s);
    const file = launchJson(s, app, [
      { name: 'gone', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/cmd/gone' },
      { name: 'library', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/lib' },
      { name: 'text', type: 'go', request: 'launch', mode: 'exec', program: '${workspaceFolder}/notes.txt' },
      { name: 'app', type: 'go', request: 'launch', mode: 'auto', program: '${workspaceFolder}/cmd/app' },
      { name: 'current', type: 'go', request: 'launch', mode: 'auto', program: '${fileDirname}' },
    ]);
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: app, env });

    const targets = d.snapshot.workspace.folders[0].launchTargets ?? [];
    assert.deepEqual(targets.map((t) => [t.program, t.kind]), [
      ['${workspaceFolder}/cmd/gone', 'missing'],
      ['${workspaceFolder}/lib', 'dir'],
      ['${workspaceFolder}/notes.txt', 'file'],
      ['${workspaceFolder}/cmd/app', 'dir'],
    ], '${fileDirname} is known only at F5 and is not resolved');
    assert.equal(targets[0].error, 'ENOENT');
    assert.deepEqual(targets[1].goFiles, [
      { name: 'gen.go', package: 'main', build: 'ignore' },
      { name: 'lib.go', package: 'lib' },
      { name: 'lib_test.go', package: 'lib' },
    ]);
    assert.equal(targets[2].magic, Buffer.from('hell').toString('hex'));

    const found = findingsOf(d.report, 'GSD321');
    assert.deepEqual(found.map((f) => f.title), [
      '`program` of "gone" is not a directory or .go file',
      '`program` of "library" is not a main package',
      '`program` of "text" is not an executable',
    ], explain(d));
    const uri = pathToFileURL(file).href;
    for (const f of found) assert.equal(f.location?.uri, uri);
    const [gone, library, text] = found;
    assert.ok(gone.message.includes(`The program attribute '${path.join(app, 'cmd/gone')}' must be a valid directory or .go file in debug/test/auto modes.`), gone.message);
    assert.ok(library.message.includes('`package lib`'), library.message);
    assert.ok(text.evidence.some((e) => e.includes(`${path.join(app, 'notes.txt')}: file, first bytes 68656c6c`)), text.evidence.join('\n'));

    // The delve texts quoted are what the installed delve says.
    const NOT_EXEC = 'could not launch process: not an executable file';
    assert.ok(library.message.includes(NOT_EXEC) && text.message.includes(NOT_EXEC));
    assert.ok(dlv(['exec', './notes.txt'], app, env).includes(NOT_EXEC));
    assert.ok(dlv(['debug', './lib'], app, env).includes(NOT_EXEC));

    // The library has a test: the offered edit switches to test mode; re-diagnosed, it is gone.
    const fix = library.fixes[0];
    assert.equal(fix?.title, 'Set `"mode": "test"` in "library"');
    const action = fix.actions[0];
    assert.ok(action.kind === 'editFile' && action.uri === uri);
    const before = fs.readFileSync(file, 'utf8');
    const edits = [...action.edits].sort((a, b) => b.range.startOffset - a.range.startOffset);
    let after = before;
    for (const e of edits) after = after.slice(0, e.range.startOffset) + e.newText + after.slice(e.range.endOffset);
    fs.writeFileSync(file, after);
    assert.ok(after.includes('// debug'));
    const d2 = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(d2.report, 'GSD321').map((f) => f.title), [
      '`program` of "gone" is not a directory or .go file',
      '`program` of "text" is not an executable',
    ]);
  });

  test('missing exec binary, a test-only package, a directory without Go files: the texts delve prints', async () => {
    const s = scenario('gsd321-more');
    const app = workspace(s);
    s.write(path.join(app, 't/x_test.go'), 'package t\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n');
    s.write(path.join(app, 'docs/README.md'), '# docs\n');
    launchJson(s, app, [
      { name: 'bin', type: 'go', request: 'launch', mode: 'exec', program: 'bin/app' },
      { name: 'tests', type: 'go', request: 'launch', mode: 'debug', program: './t' },
      { name: 'docs', type: 'go', request: 'launch', mode: 'debug', program: 'docs' },
    ]);
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: app, env });
    const found = findingsOf(d.report, 'GSD321');
    assert.equal(found.length, 3, explain(d));
    const cases: [string, string[]][] = [
      [`could not launch process: open ${path.join(app, 'bin/app')}: no such file or directory`, ['exec', path.join(app, 'bin/app')]],
      [`no non-test Go files in ${path.join(app, 't')}`, ['debug', './t']],
      [`no Go files in ${path.join(app, 'docs')}`, ['debug', './docs']],
    ];
    for (const [i, [text, args]] of cases.entries()) {
      assert.ok(found[i].message.includes(text), found[i].message);
      const real = dlv(args, app, env);
      assert.ok(real.includes(text), `dlv ${args.join(' ')}: ${real}`);
    }
    assert.equal(found[1].fixes[0]?.title, 'Set `"mode": "test"` in "tests"');
  });

  test('healthy twin: main package, a real executable, tests of the library: no finding', async () => {
    const s = scenario('gsd321-ok');
    const app = workspace(s);
    const exe = path.join(app, 'bin', 'app');
    fs.mkdirSync(path.dirname(exe), { recursive: true });
    fs.copyFileSync(tc.go('1.24').bin, exe); // any real ELF executable will do
    launchJson(s, app, [
      { name: 'app', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/cmd/app' },
      { name: 'main.go', type: 'go', request: 'launch', program: 'cmd/app/main.go' },
      { name: 'lib tests', type: 'go', request: 'launch', mode: 'test', program: '${workspaceFolder}/lib' },
      { name: 'exe', type: 'go', request: 'launch', mode: 'exec', program: '${workspaceFolder}/bin/app' },
    ]);
    const d = await s.diagnose({ target: app, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    assert.equal(d.snapshot.workspace.folders[0].launchTargets?.length, 4);
    assert.deepEqual(findingsOf(d.report, 'GSD321'), [], explain(d));
    assert.deepEqual(findingsOf(d.report, 'GSD317'), [], explain(d));
  });
});

describe('GSD317 launch-config-outdated', { skip, concurrency: true }, () => {
  test('dlvLoadConfig under dlv-dap: located in the real launch.json, its safe fix removes it', async () => {
    const s = scenario('gsd317');
    const app = workspace(s);
    const file = launchJson(s, app, [
      { name: 'app', type: 'go', request: 'launch', program: '${workspaceFolder}/cmd/app', dlvLoadConfig: { maxStringLen: 1000 } },
    ]);
    const d = await s.diagnose({ target: app, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    const [f] = findingsOf(d.report, 'GSD317');
    assert.ok(f, explain(d));
    assert.equal(f.location?.uri, pathToFileURL(file).href);
    assert.ok(f.message.includes("'dlvLoadConfig' is deprecated with dlv-dap debug adapter."));
    assert.equal(f.fixes[0]?.applicability, 'safe');
  });

  test("the user settings' global launch configurations are checked too; the fix edits the real settings.json, comments kept", async () => {
    const s = scenario('gsd317-user');
    const app = workspace(s);
    const userFile = s.userSettings(
      '{\n  // mine\n  "editor.tabSize": 2,\n  "launch": {\n    // global: offered in every window\n    "configurations": [\n      { "name": "Current file", "type": "go", "request": "launch", "mode": "debug", "program": "${file}", "apiVersion": 2 }\n    ]\n  }\n}\n',
    );
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: app, env });
    const [f] = findingsOf(d.report, 'GSD317');
    assert.ok(f, explain(d));
    assert.equal(f.location?.uri, pathToFileURL(userFile).href);
    assert.ok(f.title.includes('`apiVersion` has no effect with the dlv-dap debug adapter'), f.title);
    assert.equal(f.fixes[0]?.actions[0]?.kind, 'editFile');
    const text = applyEditFix(f.fixes[0]);
    for (const kept of ['// mine', '// global: offered in every window', '"editor.tabSize": 2', '"program": "${file}"']) {
      assert.ok(text.includes(kept), `kept ${kept}:\n${text}`);
    }
    assert.ok(!text.includes('apiVersion'), text);
    const again = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(again.report, 'GSD317'), [], explain(again));
  });
});
