// GSD804 gopls-killed on a real kernel OOM kill:
// a memory cgroup of its own (cgroup v1 `memory` hierarchy, or v2 when the root delegates the
// memory controller) limited to 256 MiB; the manifest's real gopls v0.16.1 runs `gopls check` in it
// with GOGC=off (its heap only grows) and oom_score_adj 1000 (the kernel prefers it over its own
// `go list`), until the kernel kills it with SIGKILL. Then the headless CLI runs in the same
// cgroup, as the extension host would: /proc/self/cgroup, the cgroup's memory files and `dmesg`
// lead to GSD804 with the pid, the kernel line, the limit and a command that raises it. Running
// that command and diagnosing again: the finding is gone. The healthy twin (a second cgroup, 2 GiB,
// where gopls finishes) gives no finding although the kernel log still holds the first kill.
// Needs root, Linux, a writable memory cgroup and the toolchain manifest; every cgroup made here
// is removed.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import { explain, findingsOf, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const CLI = path.join(tc.ROOT, 'dist', 'cli.js');
const LIMIT = '256M';
const LIMIT_BYTES = 256 * 1024 * 1024;

/** Where a child memory cgroup can be made: v1 memory hierarchy, else v2 with memory delegated. */
function cgroupParent(): { dir: string; v1: boolean } | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const v1 = '/sys/fs/cgroup/memory';
  if (fs.existsSync(path.join(v1, 'memory.limit_in_bytes'))) return { dir: v1, v1: true };
  try {
    if (fs.readFileSync('/sys/fs/cgroup/cgroup.subtree_control', 'utf8').split(/\s+/).includes('memory')) return { dir: '/sys/fs/cgroup', v1: false };
  } catch {
    /* no cgroup v2 at /sys/fs/cgroup */
  }
  return undefined;
}
const parent = cgroupParent();
const limitFile = parent?.v1 ? 'memory.limit_in_bytes' : 'memory.max';

const made: string[] = [];
const scenario = scenarioFactory();
after(async () => {
  for (const dir of made) {
    for (let i = 0; i < 50 && fs.existsSync(dir); i++) {
      try {
        fs.rmdirSync(dir);
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // the last task is still leaving
      }
    }
  }
});

function makeCgroup(label: string, limit = LIMIT): string {
  if (!parent) throw new Error('no cgroup parent');
  const dir = path.join(parent.dir, `gsd804-${label}-${process.pid}`);
  fs.mkdirSync(dir);
  made.push(dir);
  fs.writeFileSync(path.join(dir, limitFile), limit);
  return dir;
}

/** Run argv inside `cg` (the shell moves itself in, then execs). */
function inCgroup(cg: string, argv: string[], extraShell = ''): string[] {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['/bin/sh', '-c', `echo $$ > '${cg}/cgroup.procs' && ${extraShell} exec ${quoted}`];
}

function setup(label: string) {
  const s = scenario(label);
  const mod = s.module('src/app', '1.22', {
    'main.go': 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nfunc main() { fmt.Println(http.StatusOK) }\n',
  });
  s.folderSettings(mod, '{\n  // the team\'s settings\n  "go.lintTool": "staticcheck"\n}\n');
  s.link('bin/gopls', tc.gopls('v0.16.1').path);
  const env = s.env([s.path('bin'), path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin'], {
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GOCACHE: s.path('gocache'),
  });
  return { s, mod, env };
}

/** `gopls check main.go` in the cgroup; resolves with its pid and how it ended. */
function goplsCheck(cg: string, mod: string, env: NodeJS.ProcessEnv, extraEnv: Record<string, string>, oomFirst: boolean) {
  return new Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const [cmd, ...args] = inCgroup(cg, [tc.gopls('v0.16.1').path, 'check', 'main.go'], oomFirst ? 'echo 1000 > /proc/self/oom_score_adj &&' : '');
    const child = spawn(cmd, args, { cwd: mod, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ pid: child.pid ?? -1, code, signal, stderr }));
  });
}

function diagnose(cg: string, mod: string, env: NodeJS.ProcessEnv, out: string): { report: Report; snap: Snapshot } {
  const [cmd, ...args] = inCgroup(cg, [process.execPath, CLI, mod, '--json', '--no-cache', '--snapshot-out', out]);
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });
  assert.ok(r.status === 0 || r.status === 1, `CLI failed (${r.status} ${r.signal}): ${r.stderr}`);
  return { report: JSON.parse(r.stdout) as Report, snap: JSON.parse(fs.readFileSync(out, 'utf8')) as Snapshot };
}

describe('GSD804 gopls-killed: a real OOM kill in a memory cgroup', {
  skip: tc.skipScenarios || (!fs.existsSync(CLI) && `${CLI} is missing: run npm run build`) || (!parent && 'needs root on Linux and a memory cgroup to write'),
}, () => {
  test('gopls is OOM-killed for real; the CLI in the same cgroup names pid, kernel line and limit; raising the limit clears it', async () => {
    const { s, mod, env } = setup('gsd804-killed');
    const cg = makeCgroup('killed');
    const run = await goplsCheck(cg, mod, env, { GOGC: 'off' }, true);
    assert.equal(run.signal, 'SIGKILL', `gopls was not killed: exit ${run.code}\n${run.stderr}`);
    const oomControl = fs.readFileSync(path.join(cg, parent?.v1 ? 'memory.oom_control' : 'memory.events'), 'utf8');
    assert.match(oomControl, /^oom_kill [1-9]/m, 'the kernel counted the kill in the cgroup');

    const { report, snap } = diagnose(cg, mod, env, s.path('snap-before.json'));
    const memcg = '/' + path.relative(parent?.dir ?? '/', cg);
    assert.ok(snap.host.cgroup?.split('\n').some((l) => l.endsWith(`:${memcg}`)), `the CLI ran in ${memcg}: ${snap.host.cgroup}`);
    if (snap.host.kernelLog?.exitCode !== 0) {
      // dmesg refused (kernel.dmesg_restrict without CAP_SYSLOG): recorded, and nothing to go on.
      assert.equal(findingsOf(report, 'GSD804').length, 0);
      return;
    }
    const [f] = findingsOf(report, 'GSD804');
    assert.ok(f, `GSD804 expected:\n${explain(report)}`);
    assert.equal(f.severity, 'error');
    assert.equal(f.title, `gopls was killed by the kernel's OOM killer (pid ${run.pid})`);
    assert.match(f.message, new RegExp(`The kernel killed gopls \\(pid ${run.pid}, \\d+ s ago\\) with SIGKILL because VS Code's cgroup ${memcg} reached its memory limit of 256 MiB`));
    assert.ok(f.evidence.some((e) => e.includes(`out of memory: Killed process ${run.pid} (gopls)`)), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.includes(`${path.join(cg, limitFile)} = ${LIMIT_BYTES} (256 MiB)`)), f.evidence.join('\n'));
    // The settings edit into the folder's settings.json, and the limit command.
    const edit = f.fixes.find((x) => x.actions[0]?.kind === 'editFile');
    assert.ok(edit && /build\.directoryFilters/.test(edit.title), JSON.stringify(f.fixes));
    const raise = f.fixes.flatMap((x) => x.actions).find((a) => a.kind === 'runShell');
    assert.ok(raise && raise.kind === 'runShell');
    assert.equal(raise.command, `echo 512M | tee ${path.join(cg, limitFile)}`, 'root (CAP_SYS_ADMIN): no sudo');

    // Apply the fix as given, then diagnose again in the same cgroup.
    const applied = spawnSync('/bin/sh', ['-c', raise.command], { encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(Number(fs.readFileSync(path.join(cg, limitFile), 'utf8').trim()), 2 * LIMIT_BYTES);
    const after = diagnose(cg, mod, env, s.path('snap-after.json'));
    assert.deepEqual(findingsOf(after.report, 'GSD804'), [], explain(after.report));
  });

  test('healthy twin: gopls finishes in a cgroup with room (2 GiB); the earlier kill in another cgroup is not reported', async () => {
    // (256 MiB is too little for gopls v0.16.1 to check this module even with the default GOGC.)
    const { s, mod, env } = setup('gsd804-healthy');
    const cg = makeCgroup('healthy', '2G');
    const run = await goplsCheck(cg, mod, env, {}, false);
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    const { report, snap } = diagnose(cg, mod, env, s.path('snap.json'));
    assert.ok(snap.host.cgroupMemory?.some((f) => f.path === path.join(cg, limitFile)));
    assert.deepEqual(findingsOf(report, 'GSD804'), [], explain(report));
  });
});
