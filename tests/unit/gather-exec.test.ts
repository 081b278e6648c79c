// runCommand against real processes: timeouts kill the whole process group, signals, spawn
// errors, output caps.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { envOverrides, runCommand } from '../../extension/src/gather/exec';
import { hasProcfs, processesMatching, waitForNoProcesses } from '../helpers/proc';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-exec-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { PATH: '/usr/bin:/bin', HOME: tmp };

describe('runCommand', { concurrency: true }, () => {
  test('a timeout kills the command and the grandchild it started', { skip: !hasProcfs && 'needs /proc' }, async () => {
    const marker = `gsd-marker-${process.pid}-${Date.now()}`;
    // The grandchild is an `sh -c` whose $0 is the marker (`; :` keeps sh from exec-ing sleep).
    const script = `sh -c 'sleep 30; :' ${marker}-grandchild & sleep 30; : ${marker}`;
    const run = await runCommand(['sh', '-c', script, marker], { env, timeoutMs: 300 });
    assert.equal(run.timedOut, true);
    assert.equal(run.exitCode, undefined, 'a timed-out run has no exit code');
    assert.equal(run.timeoutMs, 300);
    assert.equal(run.signal, 'SIGKILL');
    const left = await waitForNoProcesses(marker);
    assert.deepEqual(left, [], `processes survived the timeout: ${JSON.stringify(left)}`);
    assert.deepEqual(processesMatching(`${marker}-grandchild`), []);
  });

  test('a command killed by SIGSEGV reports the signal', async () => {
    const script = path.join(tmp, 'crash.sh');
    fs.writeFileSync(script, '#!/bin/sh\necho about to crash >&2\nkill -SEGV $$\n', { mode: 0o755 });
    const run = await runCommand([script, 'version'], { env, timeoutMs: 5000 });
    assert.equal(run.signal, 'SIGSEGV');
    assert.equal(run.exitCode, undefined);
    assert.equal(run.timedOut, false);
    assert.match(run.stderr, /about to crash/);
  });

  test('a file without execute permission is EACCES', async () => {
    const file = path.join(tmp, 'not-executable');
    fs.writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const run = await runCommand([file], { env, timeoutMs: 5000 });
    assert.match(run.spawnError ?? '', /^EACCES: /);
    assert.equal(run.exitCode, undefined);
  });

  test('a missing file is ENOENT', async () => {
    const run = await runCommand([path.join(tmp, 'nope', 'go'), 'version'], { env, timeoutMs: 5000 });
    assert.match(run.spawnError ?? '', /^ENOENT: spawn .*nope\/go ENOENT/);
  });

  test('a missing working directory is named as such', async () => {
    const run = await runCommand(['/bin/true'], { env, cwd: path.join(tmp, 'no-such-dir'), timeoutMs: 5000 });
    assert.match(run.spawnError ?? '', /working directory does not exist/);
  });

  test('huge output is truncated at the cap, and the command still completes', async () => {
    const run = await runCommand(['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x; echo done >&2'], {
      env,
      timeoutMs: 10000,
      maxOutputBytes: 64 * 1024,
    });
    assert.equal(run.exitCode, 0);
    assert.equal(run.truncated, true);
    assert.equal(run.stdout.length, 64 * 1024);
    assert.equal(run.stderr, 'done\n');
  });

  test('the default cap is 1 MiB per stream', async () => {
    const run = await runCommand(['sh', '-c', 'head -c 1100000 /dev/zero | tr "\\0" y'], { env, timeoutMs: 10000 });
    assert.equal(run.truncated, true);
    assert.equal(run.stdout.length, 1024 * 1024);
  });

  test('records exit code, stdout, stderr, cwd and env overrides', async () => {
    const run = await runCommand(['sh', '-c', 'echo "$GSD_X"; pwd; echo err >&2; exit 3'], {
      env: { ...env, GSD_X: 'value' },
      baseEnv: env,
      cwd: tmp,
      timeoutMs: 5000,
    });
    assert.equal(run.exitCode, 3);
    assert.equal(run.stdout, `value\n${fs.realpathSync(tmp)}\n`);
    assert.equal(run.stderr, 'err\n');
    assert.equal(run.cwd, tmp);
    assert.deepEqual(run.envOverrides, { GSD_X: 'value' });
    assert.deepEqual(run.argv, ['sh', '-c', 'echo "$GSD_X"; pwd; echo err >&2; exit 3']);
    assert.ok(run.durationMs >= 0);
  });

  test('never throws, even for an empty command line', async () => {
    const run = await runCommand([], { env, timeoutMs: 1000 });
    assert.match(run.spawnError ?? '', /EINVAL/);
  });
});

test('envOverrides lists variables set or changed, not removed or equal ones', () => {
  assert.deepEqual(envOverrides({ A: '1', B: '2', C: '3' }, { A: '1', B: 'x', D: '4' }), { B: '2', C: '3' });
});
