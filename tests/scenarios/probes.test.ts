// GSD901 probe-failed: a `go` that hangs (killed with its process group) and one that crashes.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { hasProcfs, waitForNoProcesses } from '../helpers/proc';
import { explain, findingsOf, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios || (!hasProcfs && 'needs /proc to check the process table');
const scenario = scenarioFactory();

describe('GSD901 probe-failed', { skip, concurrency: true }, () => {
  test('a `go` that hangs: the probe times out, the finding says so, nothing is left running', async () => {
    const s = scenario('gsd901-hang');
    // A unique duration marks the script's own child in the process table.
    const marker = `${40 + (process.pid % 50)}.${Date.now() % 1000000}`;
    const goScript = s.script('fakego/bin/go', `# a go wrapper waiting on a dead network mount\nsleep ${marker}\n`);
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([s.path('fakego/bin'), '/usr/bin', '/bin']), timeoutMs: 800 });
    assert.equal(d.snapshot.goCandidates[d.snapshot.go?.candidate ?? -1]?.path, goScript);
    assert.equal(d.snapshot.go?.version?.timedOut, true);
    assert.equal(d.snapshot.go?.env?.timedOut, true);
    const found = findingsOf(d.report, 'GSD901');
    const f = found.find((x) => x.title.includes(`${goScript} env -json`));
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.title.includes('did not finish within 800 ms and was stopped'), f.title);
    assert.ok(found.some((x) => x.title.includes(`${goScript} version`)));
    // No second hang: `go version -m` is not run with a go that did not answer.
    assert.equal(d.snapshot.toolsBuildInfo, undefined);
    assert.ok(d.snapshot.skippedProbes.some((p) => p.probe === 'toolsBuildInfo'));
    // Other rules stay quiet about what could not be observed.
    assert.deepEqual(findingsOf(d.report, 'GSD105'), []);
    const left = await waitForNoProcesses(marker);
    assert.deepEqual(left, [], `left running: ${JSON.stringify(left)}`);
    assert.deepEqual(await waitForNoProcesses(goScript), []);
  });

  test('a `go` that crashes with SIGSEGV', async () => {
    const s = scenario('gsd901-crash');
    const goScript = s.script('fakego/bin/go', 'echo "SIGSEGV: segmentation violation" >&2\nkill -SEGV $$\n');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([s.path('fakego/bin'), '/usr/bin', '/bin']) });
    assert.equal(d.snapshot.go?.version?.signal, 'SIGSEGV');
    const f = findingsOf(d.report, 'GSD901').find((x) => x.title.includes(`${goScript} version`));
    assert.ok(f, explain(d));
    assert.ok(f.title.includes('was killed by SIGSEGV'), f.title);
    assert.ok(f.evidence.includes('stderr: SIGSEGV: segmentation violation'), f.evidence.join('\n'));
  });

  test('healthy: every probe completes', async () => {
    const s = scenario('gsd901-ok');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([s.path('none'), tc.go('1.22').goroot + '/bin', '/usr/bin', '/bin']) });
    assert.deepEqual(findingsOf(d.report, 'GSD901'), [], explain(d));
  });
});
