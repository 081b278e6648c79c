// Nothing secret leaves the machine. Secrets are seeded in every field of a Snapshot — proxy and
// module URLs with user:password, tokens in environment values and settings, the home directory
// and the user name in paths, command stdout/stderr, settings, go.mod and go.work texts — and none
// may survive an export: the headless `--redact` Report JSON, its `--snapshot-out` JSON, its text
// report, and the Markdown report ("Copy Go setup report").
// Part 1 builds the Snapshot by hand (every field, the real engine's Report on it); part 2 runs the
// real headless CLI on real files and a fake `go` that prints secrets.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CommandRun } from '../../extension/src/engine/generated/CommandRun';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import { runEngine } from '../../extension/src/engine/index';
import { redactOptionsFromEnv, redactText, redactValue } from '../../extension/src/gather/redact';
import { main } from '../../extension/src/headless/main';
import { buildMarkdownReport, redactOptionsFor, redactSnapshot } from '../../extension/src/present/markdown';

const USER = 'zedsecret';
/** Every secret, with a name for the failure message. The user name and home are checked separately. */
const SECRETS: Record<string, string> = {
  'GOPROXY password': 'pr0xyPass',
  'GOPROXY user': 'proxyalice',
  'GOPRIVATE password': 'privPass',
  'GONOSUMDB password': 'sumPass',
  'GOFLAGS URL password': 'flagPass',
  'GOFLAGS token flag': 'flagTok_7f3a9',
  'HTTPS_PROXY password': 'httpsProxyPass',
  'GOAUTH token': 'tok_GOAUTH_123456',
  'GitHub token': 'ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa',
  'GitLab token': 'glpat-Qw3rTy8UiOp2AsDf6GhJ',
  'opaque env token': 'opaqueEnvTokenValue42',
  'stderr password': 'stderrPass',
  'stderr bearer': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6ZWQifQ.c2lnbmF0dXJlLXNlY3JldA',
  'stdout password': 'stdoutPass',
  'settings password': 'settingsPass',
  'settings toolsEnvVars token': 'ghp_SettingsTok0123456789abcdefghijkl',
  'sonarlint token': 'sqa_0123456789abcdef0123456789abcdef01234567',
  'other extension secret': 'notAGoSettingSecret',
  'other extension opaque value': 'opaqueDbPwd99',
  'http.proxy password': 'httpProxyPass',
  'http.proxyAuthorization': 'dXNlcjpodHRwUHJveHlBdXRo',
  'go.mod password': 'modPass',
  'go.work password': 'workPass',
  'go env file password': 'envFilePass',
  'go env file token': 'envFileTok_55aa',
  'spawn error password': 'spawnPass',
  'skip reason password': 'skipPass',
  'parse error line token': 'sqa_fedcba9876543210fedcba9876543210fedcba98',
  'parse error line opaque password': 'opaqueLinePwd77',
};

function assertNoSecret(where: string, text: string, home: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    const at = text.indexOf(secret);
    assert.equal(at, -1, `${where}: ${name} (${secret}) survives: …${text.slice(Math.max(0, at - 120), at + secret.length + 40)}…`);
  }
  assert.ok(!text.includes(home), `${where}: the home directory ${home} survives`);
  const u = new RegExp(`(?<![A-Za-z0-9_-])${USER}(?![A-Za-z0-9_-])`).exec(text);
  assert.equal(u, null, `${where}: the user name survives: …${u ? text.slice(Math.max(0, u.index - 80), u.index + 40) : ''}…`);
}

/** The seeding reached the export: every secret is in the unredacted text. */
function assertAllSeeded(where: string, text: string, except: string[] = []): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    if (!except.includes(name)) assert.ok(text.includes(secret), `${where}: ${name} was never seeded`);
  }
}

const HOME = `/home/${USER}`;

function run(argv: string[], stdout: string, stderr = '', extra: Partial<CommandRun> = {}): CommandRun {
  return { argv, cwd: `${HOME}/src/app`, envOverrides: {}, stdout, stderr, exitCode: 0, timedOut: false, timeoutMs: 5000, truncated: false, durationMs: 10, ...extra };
}

/** A Snapshot with a secret in every field that can hold one. */
function seeded(): Snapshot {
  const go = `${HOME}/sdk/go1.22.1/bin/go`;
  const gopls = `${HOME}/go/bin/gopls`;
  const goEnv = {
    GOROOT: `${HOME}/sdk/go1.22.1`,
    GOPATH: `${HOME}/go`,
    GOVERSION: 'go1.22.1',
    GOARCH: 'amd64',
    GOHOSTARCH: 'amd64',
    GOOS: 'linux',
    GOPROXY: 'https://proxyalice:pr0xyPass@proxy.corp.example/mod,direct',
    GOPRIVATE: 'https://u:privPass@git.corp.example/*',
    GONOSUMDB: 'https://u:sumPass@git.corp.example',
    GOFLAGS: '-mod=mod -overlay=https://u:flagPass@x.example/o.json -token=flagTok_7f3a9',
    GOAUTH: '/opt/bin/goauth --token=tok_GOAUTH_123456',
    GOENV: `${HOME}/.config/go/env`,
    GOMOD: `${HOME}/src/app/go.mod`,
  };
  const envOverrides = { GOPROXY: 'https://eve:settingsPass@proxy.corp.example', GITHUB_TOKEN: 'ghp_SettingsTok0123456789abcdefghijkl' };
  return {
    schema: 1,
    origin: 'vscode',
    host: { os: 'linux', arch: 'x64', machine: 'x86_64', shell: `${HOME}/.nix-profile/bin/zsh`, home: HOME },
    vscode: { version: '1.96.0', trusted: true, extensions: [{ id: 'golang.go', version: '0.46.1', active: true }] },
    env: {
      HOME,
      USER,
      SHELL: `${HOME}/.nix-profile/bin/zsh`,
      PATH: `${HOME}/sdk/go1.22.1/bin:${HOME}/go/bin:/usr/bin`,
      GOPROXY: goEnv.GOPROXY,
      GOPRIVATE: goEnv.GOPRIVATE,
      GONOSUMDB: goEnv.GONOSUMDB,
      GOFLAGS: goEnv.GOFLAGS,
      GOAUTH: goEnv.GOAUTH,
      HTTPS_PROXY: 'http://px:httpsProxyPass@proxy.corp.example:3128',
      GITHUB_TOKEN: 'ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa',
      GITLAB_TOKEN: 'glpat-Qw3rTy8UiOp2AsDf6GhJ',
      GO_MODULE_TOKEN: 'opaqueEnvTokenValue42',
    },
    settings: [
      {
        scope: 'user',
        uri: `file://${HOME}/.config/Code/User/settings.json`,
        text: JSON.stringify(
          {
            'go.buildOnSave': 'package',
            'go.toolsEnvVars': envOverrides,
            'sonarlint.connectedMode.token': 'sqa_0123456789abcdef0123456789abcdef01234567',
            'someExtension.apiSecret': 'notAGoSettingSecret',
        'mssql.connections': [{ server: 'db.corp.example', connectionString: 'Server=db;User Id=sa;Pwd=opaqueDbPwd99;' }],
            'http.proxy': 'http://px:httpProxyPass@proxy.corp.example:8080',
            'http.proxyAuthorization': 'Basic dXNlcjpodHRwUHJveHlBdXRo',
            'go.goroot': `${HOME}/sdk/go1.22.1`,
          },
          null,
          2,
        ),
      },
      {
        scope: 'workspaceFolder',
        uri: `file://${HOME}/src/app/.vscode/settings.json`,
        folder: `file://${HOME}/src/app`,
        // A syntax error on the line with the token: the finding quotes that line.
        text: '{\n  "sonarlint.token": "sqa_fedcba9876543210fedcba9876543210fedcba98",\n  "mssql.connectionString": "Server=db;Pwd=opaqueLinePwd77;"\n  "go.lintTool": "staticcheck"\n}\n',
      },
      { scope: 'workspaceFile', uri: `file://${HOME}/src/all.code-workspace`, readError: `EACCES: permission denied, open '${HOME}/src/all.code-workspace'` },
    ],
    goCandidates: [
      { path: go, realPath: go, source: 'path', executable: true, version: run([go, 'version'], 'go version go1.22.1 linux/amd64\n', '', { envOverrides }) },
      {
        path: `${HOME}/bin/go`,
        source: 'path',
        executable: true,
        version: run([`${HOME}/bin/go`, 'version'], '', '', { exitCode: undefined, spawnError: `EACCES: spawn ${HOME}/bin/go --password=spawnPass` }),
      },
    ],
    go: {
      candidate: 0,
      version: run([go, 'version'], 'go version go1.22.1 linux/amd64\n'),
      env: run([go, 'env', '-json'], JSON.stringify(goEnv, null, 2), `go: warning: fetching https://tokuser:stderrPass@git.corp.example/x: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6ZWQifQ.c2lnbmF0dXJlLXNlY3JldA\n`, { envOverrides }),
    },
    tools: [
      {
        name: 'gopls',
        path: gopls,
        foundVia: 'gopath',
        searched: [gopls],
        version: run([gopls, 'version', '-json'], `{"GoVersion": "go1.22.1", "Path": "golang.org/x/tools/gopls", "Version": "v0.16.1", "Note": "https://u:stdoutPass@x.example"}`),
      },
      { name: 'dlv', searched: [`${HOME}/go/bin/dlv`], unusable: { [`${HOME}/go/bin/dlv`]: 'a directory' } },
    ],
    toolsBuildInfo: run([go, 'version', '-m', gopls], `${gopls}: go1.22.1\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.16.1\th1:x=\n`),
    workspace: {
      workspaceFile: `${HOME}/src/all.code-workspace`,
      folders: [
        {
          uri: `file://${HOME}/src/app`,
          path: `${HOME}/src/app`,
          goMod: { path: `${HOME}/src/app/go.mod`, text: 'module example.com/app\n\ngo 1.23\n\n// mirror: https://frank:modPass@git.corp.example/app\n' },
          goWork: { path: `${HOME}/src/app/go.work`, text: 'go 1.23\n\nuse ./missing // https://g:workPass@git.corp.example\n' },
          ancestorGoMod: `${HOME}/go.mod`,
          goFiles: ['main.go'],
          nestedModules: [],
          filesVisited: 3,
          walkCapped: false,
        },
      ],
    },
    goEnvFile: { path: `${HOME}/.config/go/env`, text: 'GOPROXY=https://gina:envFilePass@proxy.corp.example\nGOFLAGS=-token=envFileTok_55aa\n' },
    skippedProbes: [{ probe: 'workspaceWalk', reason: `Could not read a directory in ${HOME}/src/app: secret (EACCES) https://s:skipPass@x.example.` }],
  };
}

describe('redaction of a Snapshot with a secret in every field', () => {
  const snapshot = seeded();
  const report = runEngine(snapshot);

  test('the seeded secrets reach the Report and the Snapshot unredacted (the test is not vacuous)', () => {
    assertAllSeeded('snapshot', JSON.stringify(snapshot));
    const text = JSON.stringify(report);
    // Rules quote what they saw: stderr, URLs, settings lines, paths.
    for (const s of ['stderrPass', 'opaqueLinePwd77', HOME]) assert.ok(text.includes(s), `the report does not quote ${s}`);
  });

  test('headless --json --redact / --snapshot-out --redact', () => {
    const opts = redactOptionsFromEnv(snapshot.env);
    assertNoSecret('report JSON', JSON.stringify(redactValue(report, opts)), HOME);
    assertNoSecret('snapshot JSON', JSON.stringify(redactSnapshot(snapshot, opts)), HOME);
  });

  test('Markdown report', () => {
    const md = buildMarkdownReport({ report, snapshot, extensionVersion: '0.1.0' });
    assert.ok(md.includes('## Findings'));
    assertNoSecret('Markdown', md, HOME);
  });

  test('redacted text stays useful: hosts, keys and Go values are kept', () => {
    const md = buildMarkdownReport({ report, snapshot });
    for (const kept of ['proxy.corp.example', 'go.buildOnSave', 'GOPROXY', 'go.toolsEnvVars', '~/sdk/go1.22.1/bin/go']) assert.ok(md.includes(kept), `${kept} was lost`);
    const opts = redactOptionsFor(snapshot);
    for (const same of [
      'GOPROXY=https://proxy.golang.org,direct',
      'Basic authentication failed; the token expired; invalid token provided',
      '"ui.semanticTokens": true, "go.lintFlags": ["--fast"], "go.toolsManagement.autoUpdate": true',
      'GOFLAGS=-mod=mod -tags=integration',
    ]) {
      assert.equal(redactText(same, opts), same);
    }
  });
});

describe('redaction end to end: the headless CLI on real files and a fake go', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-redact-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, USER);
  const write = (rel: string, text: string, mode?: number) => {
    const p = path.join(home, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    if (mode !== undefined) fs.chmodSync(p, mode);
    return p;
  };
  for (const tool of ['sh', 'cat']) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
    if (found) {
      fs.mkdirSync(path.join(home, 'sysbin'), { recursive: true });
      fs.symlinkSync(found, path.join(home, 'sysbin', tool));
    }
  }
  const goEnv = {
    GOROOT: path.join(home, 'sdk', 'go1.22.1'),
    GOPATH: path.join(home, 'go'),
    GOVERSION: 'go1.22.1',
    GOARCH: 'amd64',
    GOHOSTARCH: 'amd64',
    GOOS: 'linux',
    GOPROXY: 'https://proxyalice:pr0xyPass@proxy.corp.example/mod,direct',
    GOFLAGS: '-mod=mod -token=flagTok_7f3a9',
    GOAUTH: '/opt/bin/goauth --token=tok_GOAUTH_123456',
    GOENV: path.join(home, '.config', 'go', 'env'),
  };
  write('fakego/go-env.json', JSON.stringify(goEnv, null, 2));
  write(
    'fakego/bin/go',
    [
      '#!/bin/sh',
      'case "$1" in',
      '  version) echo "go version go1.22.1 linux/amd64"; echo "fetching https://tokuser:stderrPass@git.corp.example/x Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6ZWQifQ.c2lnbmF0dXJlLXNlY3JldA" >&2 ;;',
      `  env) cat "${path.join(home, 'fakego', 'go-env.json')}" ;;`,
      '  *) exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
    0o755,
  );
  write(
    '.config/Code/User/settings.json',
    JSON.stringify(
      {
        'go.buildOnSave': 'package',
        'go.toolsEnvVars': { GOPRIVATE: 'https://eve:settingsPass@git.corp.example', GITHUB_TOKEN: 'ghp_SettingsTok0123456789abcdefghijkl' },
        'sonarlint.connectedMode.token': 'sqa_0123456789abcdef0123456789abcdef01234567',
        'someExtension.apiSecret': 'notAGoSettingSecret',
        'mssql.connections': [{ server: 'db.corp.example', connectionString: 'Server=db;User Id=sa;Pwd=opaqueDbPwd99;' }],
        'http.proxy': 'http://px:httpProxyPass@proxy.corp.example:8080',
        'http.proxyAuthorization': 'Basic dXNlcjpodHRwUHJveHlBdXRo',
      },
      null,
      2,
    ),
  );
  const app = path.join(home, 'src', 'app');
  write('src/app/go.mod', 'module example.com/app\n\ngo 1.22\n\n// mirror: https://frank:modPass@git.corp.example/app\n');
  write('src/app/go.work', 'go 1.22\n\nuse . // https://g:workPass@git.corp.example\n');
  write('src/app/main.go', 'package main\n\nfunc main() {}\n');
  write('src/app/.vscode/settings.json', '{\n  "sonarlint.token": "sqa_fedcba9876543210fedcba9876543210fedcba98",\n  "mssql.connectionString": "Server=db;Pwd=opaqueLinePwd77;"\n  "go.lintTool": "staticcheck"\n}\n');
  write('.config/go/env', 'GOPROXY=https://gina:envFilePass@proxy.corp.example\nGOFLAGS=-token=envFileTok_55aa\n');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    USER,
    SHELL: '/bin/bash',
    PATH: [path.join(home, 'fakego', 'bin'), path.join(home, 'sysbin')].join(':'),
    GOPROXY: goEnv.GOPROXY,
    GOPRIVATE: 'https://u:privPass@git.corp.example/*',
    GONOSUMDB: 'https://u:sumPass@git.corp.example',
    GOFLAGS: '-mod=mod -overlay=https://u:flagPass@x.example/o.json',
    GOAUTH: goEnv.GOAUTH,
    HTTPS_PROXY: 'http://px:httpsProxyPass@proxy.corp.example:3128',
    GO_MODULE_TOKEN: 'opaqueEnvTokenValue42',
    GITHUB_TOKEN: 'ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa',
  };

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main([app, '--no-cache', '--timeout', '4000', ...args], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      isTTY: false,
      env,
      cwd: tmp,
    });
    return { code, stdout, stderr };
  }

  // Not in files or env the CLI reads: only the hand-built Snapshot carries them.
  const notGathered = ['GitLab token', 'spawn error password', 'skip reason password', 'stdout password', 'go.work password'];

  test('unredacted, the secrets are there (the CLI really read them)', async () => {
    const raw = path.join(tmp, 'raw.json');
    const r = await cli(['--json', '--snapshot-out', raw]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const text = fs.readFileSync(raw, 'utf8');
    // GITHUB_TOKEN is not even gathered (the environment is allow-listed).
    assertAllSeeded('raw snapshot', text, [...notGathered, 'GitHub token']);
    assert.ok(!text.includes('ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa'));
    // The Markdown of the raw snapshot, as the VS Code command builds it.
    const snapshot = JSON.parse(text) as Snapshot;
    assertNoSecret('Markdown', buildMarkdownReport({ report: runEngine(snapshot), snapshot }), home);
  });

  test('--json --redact and --snapshot-out --redact', async () => {
    const out = path.join(tmp, 'redacted.json');
    const r = await cli(['--json', '--redact', '--snapshot-out', out]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.length > 0);
    assertNoSecret('--json --redact', r.stdout, home);
    assertNoSecret('--json --redact (stderr)', r.stderr, home);
    assertNoSecret('--snapshot-out --redact', fs.readFileSync(out, 'utf8'), home);
  });

  test('the text report with --redact', async () => {
    const r = await cli(['--redact', '--no-color']);
    assert.ok(r.stdout.includes('GSD'), r.stdout);
    assertNoSecret('text report', r.stdout, home);
  });
});
