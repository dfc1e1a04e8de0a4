// Type-level tests of hydra-logger/http: checked by `tsc -p packages/core/tsconfig.json` (npm run
// lint), never executed. Each `@ts-expect-error` line must fail to compile; the rest must compile.

import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { expectTypeOf } from 'vitest';
import { fastifyHydra, honoHydra, httpLogger, koaHydra, type RequestLogger } from '../../src/http/index.js';
import { HydraLogger } from '../../src/index.js';

const logger = new HydraLogger();

// ---- express: req.log and req.requestId on every Request ------------------------------------
const app = express();
const log = httpLogger(logger, { ignore: ['/health'], levels: { clientError: 'INFO' } });
app.use(log);
app.get('/users/:id', (req, res) => {
  req.log.info('loading user', { id: req.params.id });
  req.log.layer('DB').debug('query');
  expectTypeOf(req.log).toEqualTypeOf<HydraLogger>();
  expectTypeOf(req.requestId).toEqualTypeOf<string>();
  // @ts-expect-error log methods take a message or fields, not a number
  req.log.info(42);
  res.json({});
});
app.use(log.errorHandler);

// ---- fastify: the plugin registers with its options; request.log and request.requestId --------
const fastify = Fastify();
void fastify.register(fastifyHydra, { logger, query: 'strip' });
// @ts-expect-error the plugin needs a logger
void fastify.register(fastifyHydra, { query: 'strip' });
fastify.get('/users/:id', async (request) => {
  request.log.info('loading user');
  request.log.info({ id: 1 }, 'loading user');
  expectTypeOf(request.requestId).toEqualTypeOf<string>();
  return {};
});

// ---- koa and hono ---------------------------------------------------------------------------
const koa = new Koa();
koa.use(koaHydra(logger));
koa.use((ctx) => {
  ctx.log.info('in koa');
  expectTypeOf(ctx.requestId).toEqualTypeOf<string>();
});
const hono = new Hono();
hono.use(honoHydra(logger));
hono.get('/', (c) => {
  c.get('log').info('in hono');
  expectTypeOf(c.get('requestId')).toEqualTypeOf<string>();
  return c.text('ok');
});

// ---- options ----------------------------------------------------------------------------------
// @ts-expect-error an unknown level name
httpLogger(logger, { levels: { success: 'LOUD' } });
// @ts-expect-error query is 'redact' or 'strip'
httpLogger(logger, { query: 'keep' });
expectTypeOf<RequestLogger>().toEqualTypeOf<HydraLogger>();
