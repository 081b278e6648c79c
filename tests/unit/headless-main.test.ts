// main(): colour rules, usage errors, JSON-only stdout. Runs the real gatherer on a temp folder
// (with no go on PATH) and the real engine.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { main, type Io } from '../../extension/src/headless/main';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-main-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const folder = path.join(tmp, 'proj');
fs.mkdirSync(folder);

async function run(argv: string[], over: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    env: { HOME: tmp, PATH: path.join(tmp, 'no-bin') },
    cwd: tmp,
    ...over,
  });
  return { code, stdout, stderr };
}

describe('headless main', { concurrency: true }, () => {
  test('colour on a TTY; plain with NO_COLOR, --no-color, or when piped', async () => {
    const tty = await run([folder], { isTTY: true });
    assert.ok(tty.stdout.includes('\u001b['));
    const noColor = await run([folder], { isTTY: true, env: { HOME: tmp, PATH: '', NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes('\u001b['));
    const flag = await run([folder, '--no-color'], { isTTY: true });
    assert.ok(!flag.stdout.includes('\u001b['));
    const piped = await run(['proj']);
    assert.ok(!piped.stdout.includes('\u001b['));
    assert.match(piped.stdout, new RegExp(`— ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), 'a relative folder is resolved against cwd');
  });

  test('--vscode-logs: the gopls output log of a VS Code window (relative to cwd) leads to GSD804', async () => {
    // golang/vscode-go#848's crash loop, where VS Code writes the "gopls (server)" channel.
    const exthost = path.join(tmp, 'logs/20261126T101500/window1/exthost');
    const log = path.join(exthost, 'output_logging_20261126T101502/2-gopls (server).log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, '[Info  - 4:38:38 PM] Connection to server got closed. Server will restart.\n'.repeat(4) + '[Error - 4:38:38 PM] Connection to server got closed. Server will not be restarted.\n');
    const r = await run([folder, '--json', '--no-cache', '--vscode-logs', 'logs/20261126T101500/window1/exthost']);
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === 'GSD804');
    assert.equal(f?.title, 'gopls crashed repeatedly and was not restarted');
    assert.ok(f.evidence.some((e: string) => e.endsWith('2-gopls (server).log: [Error - 4:38:38 PM] Connection to server got closed. Server will not be restarted.')), f.evidence.join('\n'));
    const without = JSON.parse((await run([folder, '--json', '--no-cache'])).stdout);
    assert.ok(!without.findings.some((x: { code: string }) => x.code === 'GSD804'));
  });

  test('--json prints exactly one JSON document', async () => {
    const r = await run([folder, '--json']);
    const report = JSON.parse(r.stdout);
    assert.equal(typeof report.engineVersion, 'string');
    assert.equal(r.code, report.summary.errors > 0 ? 1 : 0);
  });

  test('usage errors exit 2 and print usage on stderr', async () => {
    const r = await run(['--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option --bogus[\s\S]*usage: go-setup-doctor/);
    assert.equal(r.stdout, '');
    const file = path.join(tmp, 'notes.txt');
    fs.writeFileSync(file, '');
    const notFolder = await run([file]);
    assert.equal(notFolder.code, 2);
    assert.match(notFolder.stderr, /is not a folder or a \.code-workspace file/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: /);
  });
});
