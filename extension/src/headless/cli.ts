// Entry point of dist/cli.js: `node dist/cli.js [folder|file.code-workspace] [options]`.
import { main } from './main';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`go-setup-doctor: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 3;
  },
);
