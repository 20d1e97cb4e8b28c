import { spawn, execFileSync, ChildProcess } from 'child_process';
import * as path from 'path';
import * as os from 'os';
import * as fs from 'fs';

const repoRoot = path.resolve(__dirname, '..', '..');

/** A utmforge release binary of our own, so a test can stop and start it (restart). */
export class Server {
  private child?: ChildProcess;
  readonly dataDir: string;
  constructor(readonly port: number) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'utmforge-e2e-'));
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Adds an account (before or while the server runs): the same CLI a script would use. */
  addUser(email: string, role: string, password = 'correct horse battery staple') {
    execFileSync(path.join(repoRoot, 'target/release/utmforge'), ['user', 'add', '--email', email, '--role', role], {
      input: `${password}\n`,
      env: { ...process.env, UTMFORGE_DATABASE_URL: `sqlite://${this.dataDir}/utmforge.db` },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  }
  /** What the server wrote to standard error (its log, the first-run setup link). */
  log = '';
  async start() {
    this.child = spawn(path.join(repoRoot, 'target/release/utmforge'), ['serve'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        UTMFORGE_ADDR: `127.0.0.1:${this.port}`,
        UTMFORGE_SITE_ROOT: path.join(repoRoot, 'target/site'),
        UTMFORGE_DATABASE_URL: `sqlite://${this.dataDir}/utmforge.db`,
        RUST_LOG: 'warn',
      },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk) => {
      this.log += chunk.toString();
      process.stderr.write(chunk);
    });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('utmforge did not start');
  }
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  cleanup() {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
