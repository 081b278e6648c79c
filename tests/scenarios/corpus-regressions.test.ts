// False negatives found on tests/corpus, reproduced on real folders through the real gatherer and
// the WASM engine: go.gopath naming the go binary (kimhyunki/sw), a nested "go": {...} object
// (ory/hydra), quoted -tags values in gopls build.buildFlags (ava-labs/avalanchego's
// `--tags='test'` works; `-tags="test"` does not), each checked against the real go command.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { explain, findingsOf, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();
const GO = () => tc.go('1.24').bin;

function go(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(GO(), args, { cwd, env: { ...env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' }, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('corpus false negatives, for real', { skip, concurrency: true }, () => {
  test('go.gopath set to the go binary (a /usr/bin/go symlink): GSD320 warning; go install really fails so', async () => {
    const s = scenario('gopath-binary');
    const binGo = s.link('usr/bin/go', GO());
    const app = s.module('src/app', '1.24');
    s.folderSettings(app, `{\n    "go.gopath" : ${JSON.stringify(binGo)},\n    "go.inferGopath": true\n}\n`);
    const env = s.env([path.dirname(binGo), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: app, env });
    const [f] = findingsOf(d.report, 'GSD320');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.equal(f.title, '`go.gopath` points at the go binary, not at a GOPATH');
    const quoted = `mkdir ${binGo}: not a directory`;
    assert.ok(f.message.includes(quoted), f.message);
    const real = go(['install', '.'], app, { ...env, GOPATH: binGo });
    assert.notEqual(real.code, 0);
    assert.ok(real.out.includes(quoted), real.out);
    assert.equal(f.location?.uri, pathToFileURL(path.join(app, '.vscode', 'settings.json')).href);

    // Healthy twin: a real GOPATH directory.
    const ok = s.module('src/ok', '1.24');
    fs.mkdirSync(path.join(s.home, 'go'), { recursive: true });
    s.folderSettings(ok, `{"go.gopath": ${JSON.stringify(path.join(s.home, 'go'))}}`);
    const d2 = await s.diagnose({ target: ok, env });
    assert.deepEqual(findingsOf(d2.report, 'GSD320'), [], explain(d2));
  });

  test('a nested "go": {...} object: GSD304 at the "go" key; the dotted twin is quiet', async () => {
    const s = scenario('nested-go');
    const app = s.module('src/app', '1.24');
    s.folderSettings(app, '{\n  // "[go]": {\n  //   "editor.formatOnSave": false,\n  // },\n  "go": {\n    "testTags": "sqlite"\n  }\n}\n');
    const env = s.env([path.dirname(GO()), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: app, env });
    const [f] = findingsOf(d.report, 'GSD304');
    assert.ok(f, explain(d));
    assert.equal(f.location?.range.start.line, 4);
    assert.equal(f.fixes[0]?.title, 'Rewrite as `go.testTags`');
    s.folderSettings(app, '{\n  "go.testTags": "sqlite"\n}\n');
    const d2 = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(d2.report, 'GSD304'), [], explain(d2));
  });

  test('quoted -tags in gopls build.buildFlags: -tags="test" excludes the tagged file for real and is reported; --tags=\'test\' works and is not', async () => {
    const s = scenario('quoted-tags');
    const app = s.module('src/app', '1.24', {
      'tagged/doc.go': 'package tagged\n',
      'tagged/t.go': '//go:build test\n\npackage tagged\n\nconst X = 1\n',
    });
    const env = s.env([path.dirname(GO()), '/usr/bin', '/bin']);
    const files = (flag: string) => go(['list', '-f', '{{.GoFiles}}', flag, './tagged'], app, env).out.trim();
    assert.equal(files('-tags="test"'), '[doc.go]');
    assert.equal(files("--tags='test'"), '[doc.go t.go]');

    s.folderSettings(app, '{\n  "gopls": {\n    "build.buildFlags": ["-tags=\\"test\\""]\n  }\n}\n');
    const d = await s.diagnose({ target: app, env });
    const [f] = findingsOf(d.report, 'GSD319');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes('go reads the tags «"test"»'), f.message);
    assert.equal(f.fixes[0]?.title, 'Write `-tags=test` in `gopls › build.buildFlags`');

    s.folderSettings(app, '{\n  "gopls": {\n    "build.buildFlags": [\n      "--tags=\'test\'",\n    ],\n  },\n  "go.testTags": "test",\n}\n');
    const d2 = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(d2.report, 'GSD319'), [], explain(d2));
  });
});
