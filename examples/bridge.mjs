// Live logs: a logger streams to browsers and WebSocket clients through @hydra-logger/bridge.
//
//   npm run build && node examples/bridge.mjs           runs a client against it, checks, exits
//   node examples/bridge.mjs --serve                     keeps logging; open the printed dashboard URL
//
// The client here is what a browser page does (the dashboard does the same): subscribe, read
// `records` frames, and after a disconnect resume from the last offset it got.
import { WebSocketBridgePlugin } from '@hydra-logger/bridge';
import { HydraLogger } from 'hydra-logger';
import WebSocket from 'ws';

const serve = process.argv.includes('--serve');
const logger = new HydraLogger();
const live = new WebSocketBridgePlugin({ port: serve ? 8080 : 0 }); // listening as soon as it is added
logger.addPlugin('websocket_bridge', live);
const { port } = await live.listening;
console.log(`dashboard: http://localhost:${port}/hydra/   WebSocket: ws://localhost:${port}/hydra/ws`);

if (serve) {
  let n = 0;
  setInterval(() => logger.info('APP', 'tick', { n: n++, password: 'never sent' }), 1000);
} else {
  /** Connects, subscribes with `since`, and collects records until `count` arrived. */
  function client(since, count) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://localhost:${port}/hydra/ws`, ['hydra.v1']);
      const got = [];
      let epoch;
      ws.on('error', reject);
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'hello') {
          epoch = frame.epoch;
          ws.send(JSON.stringify({ type: 'subscribe', sub: 'main', since }));
        }
        if (frame.type === 'gap') reject(new Error(`missed ${frame.count} records (${frame.reason})`));
        if (frame.type === 'records') got.push(...frame.records);
        if (got.length >= count) {
          ws.removeAllListeners('message');
          ws.close();
          resolve({ epoch, records: got });
        }
      });
    });
  }

  logger.info('APP', 'user signed in', { user: 'ann', password: 'hunter2' });
  logger.warn('DB', 'slow query', { ms: 250 });
  const first = await client({ last: 10 }, 2);
  for (const r of first.records) console.log(r.offset, r.level, r.layer, r.message, r.password ?? '');

  // While no client is connected, the service goes on logging; a client resumes with its cursor.
  logger.error('APP', 'payment failed', { order: 42 });
  const cursor = { epoch: first.epoch, offset: first.records.at(-1).offset };
  const resumed = await client(cursor, 1);
  for (const r of resumed.records) console.log(r.offset, r.level, r.layer, r.message);

  const offsets = [...first.records, ...resumed.records].map((r) => r.offset);
  if (first.records[0].password !== '[REDACTED]') throw new Error('the password left the server');
  if (offsets.join() !== '0,1,2') throw new Error(`offsets ${offsets.join()}: expected 0,1,2`);
  await logger.close(); // closes the bridge too
  console.log('example ok: bridge');
}
