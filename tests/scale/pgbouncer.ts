import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface PgBouncer {
  /** The pooled URL for the database (same user, the bouncer's port). */
  url: string;
  log(): string;
  stop(): Promise<void>;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

/**
 * Starts Debian's PgBouncer in transaction mode in front of `directUrl`'s database, from a generated ini in a
 * temporary folder (trust auth with a one-line userlist). `poolSize` server connections at most for that
 * database: the small server-side pool the instances share. As root it drops to the `postgres` user (PgBouncer
 * refuses to run as root).
 */
export async function startPgBouncer(opts: { directUrl: string; port: number; poolSize: number; bin?: string }): Promise<PgBouncer> {
  const direct = new URL(opts.directUrl);
  const db = direct.pathname.slice(1);
  const user = decodeURIComponent(direct.username);
  const dir = mkdtempSync(path.join(tmpdir(), "rc-pgbouncer-"));
  chmodSync(dir, 0o777);
  const ini = path.join(dir, "pgbouncer.ini");
  const logfile = path.join(dir, "pgbouncer.log");
  writeFileSync(path.join(dir, "userlist.txt"), `"${user}" ""\n`);
  writeFileSync(
    ini,
    [
      "[databases]",
      `${db} = host=${direct.hostname} port=${direct.port || 5432} dbname=${db}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${opts.port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${opts.poolSize}`,
      `max_db_connections = ${opts.poolSize}`,
      "max_client_conn = 1000",
      "reserve_pool_size = 0",
      "ignore_startup_parameters = extra_float_digits",
      `logfile = ${logfile}`,
      "",
    ].join("\n"),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(opts.bin ?? process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer", [...(asRoot ? ["-u", "postgres"] : []), ini], { stdio: "ignore" });
  let exited = false;
  child.once("exit", () => (exited = true));
  const readLog = () => {
    try {
      return readFileSync(logfile, "utf8");
    } catch {
      return "";
    }
  };
  const started = Date.now();
  while (!(await canConnect(opts.port))) {
    if (exited || Date.now() - started > 10_000) {
      child.kill("SIGKILL");
      throw new Error(`PgBouncer did not start on ${opts.port}: ${readLog().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pooled = new URL(opts.directUrl);
  pooled.hostname = "127.0.0.1";
  pooled.port = String(opts.port);
  return {
    url: pooled.toString(),
    log: readLog,
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
