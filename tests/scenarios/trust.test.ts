// Workspace Trust: an untrusted workspace's settings never get a binary run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { explain, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

/** A folder whose .vscode/settings.json points go and gopls at trap scripts. */
function trapped(s: Scenario) {
  const marker = s.path('TRAP-RAN');
  const goTrap = s.script('repo/.tools/go', `touch ${marker}\nexec ${tc.go('1.22').bin} "$@"\n`);
  const goplsTrap = s.script('repo/.tools/gopls', `touch ${marker}\nexit 0\n`);
  const mod = s.module('repo');
  s.folderSettings(
    mod,
    `{
  // committed by someone else
  "go.alternateTools": { "go": "\${workspaceFolder}/.tools/go", "gopls": "${goplsTrap}" },
  "go.toolsEnvVars": { "GOFLAGS": "-toolexec=${goTrap}", "GOROOT": "/nonexistent" },
  "go.goroot": "/nonexistent"
}
`,
  );
  return { marker, goTrap, goplsTrap, mod };
}

describe('Workspace Trust', { skip, concurrency: true }, () => {
  test('untrusted: the trap is never run, skippedProbes says which setting was ignored', async () => {
    const s = scenario('trust-no');
    const { marker, goTrap, goplsTrap, mod } = trapped(s);
    const env = s.env([path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env, trusted: false });
    assert.equal(fs.existsSync(marker), false, 'a binary chosen by workspace settings was run');

    const byProbe = new Map(d.snapshot.skippedProbes.map((p) => [p.probe, p.reason]));
    const goReason = byProbe.get('go.alternateTools.go') ?? '';
    assert.match(goReason, /^Workspace is not trusted: ignored go\.alternateTools\.go = "\$\{workspaceFolder\}\/\.tools\/go" from the workspace folder settings/);
    assert.ok(goReason.includes(path.join(mod, '.vscode', 'settings.json')), goReason);
    assert.ok(goReason.includes('was not run'), goReason);
    assert.ok(byProbe.get('go.alternateTools.gopls')?.includes(goplsTrap));
    for (const key of ['go.goroot', 'go.toolsEnvVars.GOFLAGS', 'go.toolsEnvVars.GOROOT']) assert.ok(byProbe.has(key), `${key}: ${[...byProbe.keys()]}`);

    // The trap is listed (so the report can show it) but has no `go version`; PATH's go is used.
    const trap = d.snapshot.goCandidates.find((c) => c.path === goTrap);
    assert.equal(trap?.source, 'alternateTools');
    assert.equal(trap?.version, undefined);
    assert.equal(d.snapshot.goCandidates[d.snapshot.go?.candidate ?? -1]?.path, tc.go('1.24').bin);
    assert.deepEqual(d.snapshot.go?.env?.envOverrides, {}, 'workspace go.toolsEnvVars were not applied');
    assert.notEqual(d.snapshot.tools.find((t) => t.name === 'gopls')?.path, goplsTrap);
    assert.ok(!d.report.findings.some((f) => f.code === 'GSD101'), explain(d));
  });

  test('untrusted, and the only go is the workspace’s: the go probe is skipped, not "go not found"', async () => {
    const s = scenario('trust-only');
    const { marker, mod } = trapped(s);
    const d = await s.diagnose({ target: mod, env: s.env([s.folder('empty-bin')]), trusted: false });
    assert.equal(fs.existsSync(marker), false);
    assert.equal(d.snapshot.go, undefined);
    assert.match(d.snapshot.skippedProbes.find((p) => p.probe === 'go')?.reason ?? '', /only go found .* chosen by workspace settings and was not run/);
    const check = d.report.checks.find((c) => c.code === 'GSD101');
    assert.equal(check?.status, 'skipped');
  });

  test('trusted: the same settings are used (the trap runs) — the test above is meaningful', async () => {
    const s = scenario('trust-yes');
    const { marker, goTrap, mod } = trapped(s);
    const d = await s.diagnose({ target: mod, env: s.env([path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin']), trusted: true });
    assert.equal(fs.existsSync(marker), true);
    assert.equal(d.snapshot.goCandidates[d.snapshot.go?.candidate ?? -1]?.path, goTrap);
    assert.deepEqual(d.snapshot.skippedProbes, []);
  });
});
