/**
 * A real Debian rsyslogd for tests: started in the foreground (`-n`) with a config of its own in a
 * temp directory (no imuxsock/imklog, no system paths), listening on 127.0.0.1 for UDP, TCP and TLS
 * (gtls driver, a throwaway CA made with openssl), writing every message it receives as one JSON
 * object per line to a file the test reads back field by field.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

/** One message as rsyslog parsed it (its property names; all strings, as rsyslog writes them). */
export interface RsyslogRecord {
  pri: string;
  facility: string;
  severity: string;
  timestamp: string;
  hostname: string;
  appname: string;
  procid: string;
  msgid: string;
  sd: string;
  msg: string;
  tag: string;
  input: string;
  raw: string;
}

export interface TestCerts {
  dir: string;
  /** The throwaway CA's certificate (PEM): trust it to verify the server. */
  ca: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** `openssl` on this machine (CI has the same image), or `undefined`. */
export function opensslPath(): string | undefined {
  for (const p of ['/usr/bin/openssl', '/usr/local/bin/openssl']) if (fs.existsSync(p)) return p;
  return undefined;
}

/** A CA (self-signed) and a server certificate it signed for 127.0.0.1 and localhost, in `dir`. */
export function makeTestCerts(dir: string): TestCerts {
  const openssl = opensslPath();
  if (openssl === undefined) throw new Error('openssl is needed to make the test certificates');
  fs.mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const run = (args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca-key.pem'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=hydra test CA',
  ]);
  run(['req', ...ec, '-keyout', f('server-key.pem'), '-out', f('server.csr'), '-subj', '/CN=localhost']);
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca-key.pem'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  ]);
  return {
    dir,
    ca: fs.readFileSync(f('ca.pem'), 'utf8'),
    caFile: f('ca.pem'),
    certFile: f('server.pem'),
    keyFile: f('server-key.pem'),
  };
}

/** A port that was free a moment ago (bound and closed); rsyslog cannot bind port 0. */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((res, rej) => {
      s.once('error', rej);
      s.bind(0, '127.0.0.1', () => res());
    });
    const { port } = s.address();
    await new Promise<void>((res) => s.close(() => res()));
    return port;
  }
  const srv = net.createServer();
  await new Promise<void>((res, rej) => {
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => res());
  });
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

const PROBE_MSGID = 'hydra-probe';

function config(dir: string, ports: Ports, certs: TestCerts | undefined): string {
  const out = path.join(dir, 'out.jsonl');
  const tlsGlobal =
    certs === undefined
      ? ''
      : ` defaultNetstreamDriverCAFile="${certs.caFile}" defaultNetstreamDriverCertFile="${certs.certFile}" defaultNetstreamDriverKeyFile="${certs.keyFile}"`;
  const prop = (outname: string, name: string, extra = '') =>
    `  property(outname="${outname}" name="${name}" format="jsonf"${extra})`;
  return `global(workDirectory="${path.join(dir, 'work')}" maxMessageSize="256k"${tlsGlobal})
module(load="imudp")
module(load="imtcp" maxSessions="200")
template(name="fields" type="list" option.jsonf="on") {
${[
  prop('pri', 'pri'),
  prop('facility', 'syslogfacility'),
  prop('severity', 'syslogseverity'),
  prop('timestamp', 'timereported', ' dateFormat="rfc3339"'),
  prop('hostname', 'hostname'),
  prop('appname', 'app-name'),
  prop('procid', 'procid'),
  prop('msgid', 'msgid'),
  prop('sd', 'structured-data'),
  prop('msg', 'msg'),
  prop('tag', 'syslogtag'),
  prop('input', 'inputname'),
  prop('raw', 'rawmsg'),
].join('\n')}
}
# Direct: the input thread writes each batch it read before reading more, so a SIGKILL loses as
# little as rsyslog can (what it read and had not yet written), not a whole in-memory queue.
ruleset(name="remote" queue.type="Direct") {
  action(type="omfile" file="${out}" template="fields")
}
# rcvbufSize: a burst of datagrams is not lost to the default buffer while rsyslog is busy (UDP loss is real, not what these tests look at).
input(type="imudp" address="127.0.0.1" port="${ports.udp}" ruleset="remote" rcvbufSize="8m")
input(type="imtcp" address="127.0.0.1" port="${ports.tcp}" ruleset="remote")
${
  certs === undefined
    ? ''
    : `input(type="imtcp" address="127.0.0.1" port="${ports.tls}" ruleset="remote" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")\n`
}`;
}

interface Ports {
  udp: number;
  tcp: number;
  tls: number;
}

export interface RsyslogServer {
  dir: string;
  ports: Ports;
  /** The test CA (PEM) and files; `undefined` when started without TLS. */
  certs: TestCerts | undefined;
  /** Every record received so far (probe records left out), in file order. */
  records(): RsyslogRecord[];
  /** Waits (bounded) until `pred(records)` holds; returns the records. Throws with what it saw on timeout. */
  waitFor(
    pred: (rs: RsyslogRecord[]) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<RsyslogRecord[]>;
  /** Waits until at least `n` records arrived. */
  waitForCount(n: number, timeoutMs?: number): Promise<RsyslogRecord[]>;
  /** SIGKILL, and waits for the process to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same ports (after kill or stop); waits until it listens. */
  restart(): Promise<void>;
  /** SIGTERM, waits for exit. */
  stop(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
  /** rsyslog's own stderr, for failure messages. */
  stderr(): string;
}

const BIND_FAILURE = /already in use|could not create (tcp )?listener|no listeners|-2077/i;

/**
 * Starts rsyslogd on free ports; retries with other ports if it cannot bind them. Resolves once
 * the TCP (and TLS) ports accept connections and a UDP probe has reached the output file.
 */
export async function startRsyslog(o: { tls?: boolean } = {}): Promise<RsyslogServer> {
  if (!hasRsyslog()) {
    throw new Error(
      `${RSYSLOGD} is not installed (apt-get install -y rsyslog rsyslog-gnutls; .ci/run does it)`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-rsyslog-'));
  fs.mkdirSync(path.join(dir, 'work'));
  const certs = o.tls === true ? makeTestCerts(path.join(dir, 'certs')) : undefined;
  const outFile = path.join(dir, 'out.jsonl');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let err = '';
  let probes = 0;

  const launch = async (ports: Ports): Promise<boolean> => {
    fs.writeFileSync(path.join(dir, 'rsyslog.conf'), config(dir, ports, certs));
    fs.rmSync(path.join(dir, 'rsyslogd.pid'), { force: true });
    err = '';
    const c = spawn(
      RSYSLOGD,
      ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslogd.pid')],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
    );
    child = c;
    let gone = false;
    exited = new Promise<void>((res) =>
      c.once('exit', () => {
        gone = true;
        res();
      }),
    );
    c.stdout?.on('data', (b: Buffer) => {
      err += b.toString();
    });
    c.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const deadline = Date.now() + 20_000;
    const tcpPorts = certs === undefined ? [ports.tcp] : [ports.tcp, ports.tls];
    for (const p of tcpPorts) {
      while (!(await canConnect(p))) {
        if (gone || BIND_FAILURE.test(err) || Date.now() > deadline) {
          c.kill('SIGKILL');
          await exited;
          return false;
        }
        await tick(20);
      }
    }
    // UDP has no connect: send probes until one is in the output file.
    const sock = dgram.createSocket('udp4');
    try {
      const marker = `probe-${process.pid}-${++probes}`;
      while (!fs.existsSync(outFile) || !fs.readFileSync(outFile, 'utf8').includes(marker)) {
        if (gone || BIND_FAILURE.test(err) || Date.now() > deadline) {
          c.kill('SIGKILL');
          await exited;
          return false;
        }
        await new Promise<void>((res) =>
          sock.send(`<14>1 - - - - ${PROBE_MSGID} - ${marker}`, ports.udp, '127.0.0.1', () => res()),
        );
        await tick(50);
      }
    } finally {
      sock.close();
    }
    return true;
  };

  let ports: Ports = { udp: 0, tcp: 0, tls: 0 };
  let ok = false;
  for (let attempt = 0; attempt < 6 && !ok; attempt++) {
    ports = { udp: await freePort('udp'), tcp: await freePort('tcp'), tls: await freePort('tcp') };
    ok = await launch(ports);
  }
  if (!ok) {
    const e = err;
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`rsyslogd did not start: ${e}`);
  }

  const records = (): RsyslogRecord[] => {
    let text: string;
    try {
      text = fs.readFileSync(outFile, 'utf8');
    } catch {
      return [];
    }
    const out: RsyslogRecord[] = [];
    // Split before each object, not only at line ends: a line cut by a SIGKILL is followed, after
    // the restart, by the next record on the same line.
    for (const piece of text.split(/(?=\{"pri":)/)) {
      const line = piece.trim();
      if (line === '') continue;
      let r: RsyslogRecord;
      try {
        r = JSON.parse(line) as RsyslogRecord;
      } catch {
        continue; // cut by a kill, or still being written
      }
      if (r.msgid !== PROBE_MSGID) out.push(r);
    }
    return out;
  };

  const server: RsyslogServer = {
    dir,
    ports,
    certs,
    records,
    async waitFor(pred, timeoutMs = 30_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rs = records();
        if (pred(rs)) return rs;
        if (Date.now() > deadline)
          throw new Error(
            `rsyslog: ${what} not met within ${timeoutMs} ms; ${rs.length} records, last: ${JSON.stringify(rs.at(-1))}; stderr: ${err}`,
          );
        await tick(25);
      }
    },
    waitForCount(n, timeoutMs) {
      return server.waitFor((rs) => rs.length >= n, timeoutMs, `${n} records`);
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child?.kill('SIGTERM');
      await exited;
    },
    async restart() {
      for (let attempt = 0; attempt < 20; attempt++) if (await launch(ports)) return;
      throw new Error(`rsyslogd did not restart on ${JSON.stringify(ports)}: ${err}`);
    },
    async dispose() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    stderr: () => err,
  };
  return server;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

const tick = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** Runs a quick rsyslogd check: is it installed here? */
export const hasRsyslog = (): boolean => fs.existsSync(RSYSLOGD);
