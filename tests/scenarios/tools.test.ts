// GSD201 gopls-missing, GSD202 gopls-go-incompatible, with Debian's real gopls builds.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { explain, findingsOf, fixCommands, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

describe('GSD201 gopls-missing', { skip, concurrency: true }, () => {
  test('PATH without gopls', async () => {
    const s = scenario('gsd201');
    const mod = s.module('src/app');
    // Only go's own bin dir: /usr/bin (Debian's gopls) is not on PATH.
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22')]) });
    const gopls = d.snapshot.tools.find((t) => t.name === 'gopls');
    assert.equal(gopls?.path, undefined);
    assert.deepEqual(gopls?.searched, [
      path.join(s.home, 'go', 'bin', 'gopls'), // GOPATH/bin (go env GOPATH = ~/go)
      path.join(tc.binDir('1.22'), 'gopls'), // GOROOT/bin; the same dir is PATH's only entry
    ]);
    const [f] = findingsOf(d.report, 'GSD201');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.evidence.includes('not found: ~/go/bin/gopls'), f.evidence.join('\n'));
    const [cmd] = fixCommands(f);
    assert.match(cmd, new RegExp(`^${tc.go('1.22').bin} install golang\\.org/x/tools/gopls@v0\\.\\d+\\.\\d+$`));
  });

  test('healthy: gopls in GOPATH/bin is found there first', async () => {
    const s = scenario('gsd201-ok');
    const mod = s.module('src/app');
    s.link('home/go/bin/gopls', tc.gopls('v0.16.1').path);
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const gopls = d.snapshot.tools.find((t) => t.name === 'gopls');
    assert.equal(gopls?.path, path.join(s.home, 'go', 'bin', 'gopls'));
    assert.equal(gopls?.foundVia, 'gopath');
    assert.deepEqual(findingsOf(d.report, 'GSD201'), []);
  });
});

describe('GSD202 gopls-go-incompatible', { skip, concurrency: true }, () => {
  test('go1.19 with gopls v0.16.1: warning in gopls’s own words', async () => {
    const s = scenario('gsd202-warn');
    const mod = s.module('src/app', '1.19');
    const gopls = tc.gopls('v0.16.1');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.19'), path.dirname(gopls.path), '/usr/bin', '/bin']) });
    const lookup = d.snapshot.tools.find((t) => t.name === 'gopls');
    assert.equal(lookup?.path, gopls.path);
    assert.match(lookup?.version?.stdout ?? '', /"Version": "v0\.16\.1"/);
    // One `go version -m` for all tools found.
    assert.deepEqual(d.snapshot.toolsBuildInfo?.argv.slice(0, 3), [tc.go('1.19').bin, 'version', '-m']);
    assert.ok(d.snapshot.toolsBuildInfo?.argv.includes(gopls.path));
    const [f] = findingsOf(d.report, 'GSD202');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes('will be unsupported by gopls v0.17.0'), f.message);
    assert.ok(f.evidence.includes(`gopls: ${gopls.path} (v0.16.1)`), f.evidence.join('\n'));
    assert.ok(fixCommands(f).some((c) => c === `${tc.go('1.19').bin} install golang.org/x/tools/gopls@v0.15.3`), fixCommands(f).join('\n'));
  });

  test('Debian bookworm gopls (built with go1.19.5) in a `go 1.22.0` module with go1.22: error', async () => {
    const s = scenario('gsd202-built');
    const mod = s.module('src/app', '1.22.0');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    assert.equal(d.snapshot.tools.find((t) => t.name === 'gopls')?.path, '/usr/bin/gopls');
    assert.match(d.snapshot.toolsBuildInfo?.stdout ?? '', /^\/usr\/bin\/gopls: go1\.19\.5$/m);
    const [f] = findingsOf(d.report, 'GSD202');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.title.includes('go1.19.5'), f.title);
    assert.ok(f.evidence.includes('go version -m /usr/bin/gopls: go1.19.5'), f.evidence.join('\n'));
    assert.ok(f.evidence.includes(`${path.join(mod, 'go.mod')}: go 1.22.0`), f.evidence.join('\n'));
    assert.match(fixCommands(f)[0] ?? '', new RegExp(`^${tc.go('1.22').bin} install golang\\.org/x/tools/gopls@v0\\.\\d+\\.\\d+$`));
  });

  test('healthy: go1.22 with gopls v0.16.1 (built with go1.22.6) in a `go 1.22.0` module', async () => {
    const s = scenario('gsd202-ok');
    const mod = s.module('src/app', '1.22.0');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), path.dirname(tc.gopls('v0.16.1').path), '/usr/bin', '/bin']) });
    assert.deepEqual(findingsOf(d.report, 'GSD202'), [], explain(d));
  });
});
