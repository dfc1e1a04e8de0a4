/**
 * The same small application in each framework, served on 127.0.0.1 (port 0) with the
 * middleware of hydra-logger/http in front:
 *   GET  /users/:id  logs through req.log, awaits, logs through the root logger, answers 200 JSON
 *   POST /echo       parses a JSON body, logs through the root logger, answers 201 with the body
 *   GET  /fail       answers 503
 *   GET  /throw      throws Error('boom in handler')
 *   GET  /login      answers 200 (the tests send ?token=…)
 *   GET  /health     answers 200 (ignored by the middleware)
 *   GET  /cookie     answers 200 with a Set-Cookie header
 *   GET  /slow       sends headers and 'partial', then never ends the response
 *   anything else    the framework's 404
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import {
  fastifyHydra,
  type HttpLoggerOptions,
  honoHydra,
  httpLogger,
  koaHydra,
} from '../../src/http/index.js';
import type { HydraLogger } from '../../src/index.js';

export interface RunningServer {
  url: string;
  /** Route pattern the framework reports for /users/:id (undefined: the framework has no router). */
  route: string | undefined;
  close(): Promise<void>;
}

export type Framework = 'node' | 'express' | 'fastify' | 'koa' | 'hono';
export const FRAMEWORKS: readonly Framework[] = ['node', 'express', 'fastify', 'koa', 'hono'];

const SECRET_COOKIE = 'session=s3cr3t-cookie-value; HttpOnly';

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readJson(req: http.IncomingMessage): Promise<{ n?: number }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n?: number };
}

async function nodeServer(logger: HydraLogger, options: HttpLoggerOptions): Promise<RunningServer> {
  const log = httpLogger(logger, options);
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const user = /^\/users\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && user) {
      (req as http.IncomingMessage & { log: HydraLogger }).log.info('loading user', { id: user[1] });
      await sleep(5);
      logger.info('APP', 'after await');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: user[1] }));
    } else if (req.method === 'POST' && path === '/echo') {
      const body = await readJson(req);
      logger.info('APP', 'body parsed', { n: body.n });
      res.statusCode = 201;
      res.end(JSON.stringify(body));
    } else if (path === '/fail') {
      res.statusCode = 503;
      res.end('unavailable');
    } else if (path === '/throw') {
      throw new Error('boom in handler');
    } else if (path === '/login' || path === '/health') res.end('ok');
    else if (path === '/cookie') {
      res.setHeader('set-cookie', SECRET_COOKIE);
      res.end('ok');
    } else if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  };
  const server = http.createServer((req, res) => log(req, res, () => handler(req, res)));
  const url = await listen(server);
  return { url, route: undefined, close: () => closeServer(server) };
}

async function expressServer(logger: HydraLogger, options: HttpLoggerOptions): Promise<RunningServer> {
  const log = httpLogger(logger, options);
  const app = express();
  app.use(log);
  app.use(express.json());
  app.get('/users/:id', async (req, res) => {
    req.log.info('loading user', { id: req.params.id });
    await sleep(5);
    logger.info('APP', 'after await');
    res.json({ id: req.params.id });
  });
  app.post('/echo', (req, res) => {
    logger.info('APP', 'body parsed', { n: (req.body as { n?: number }).n });
    res.status(201).json(req.body);
  });
  app.get('/fail', (_req, res) => {
    res.status(503).send('unavailable');
  });
  app.get('/throw', () => {
    throw new Error('boom in handler');
  });
  app.get(['/login', '/health'], (_req, res) => {
    res.send('ok');
  });
  app.get('/cookie', (_req, res) => {
    res.setHeader('set-cookie', SECRET_COOKIE);
    res.send('ok');
  });
  app.get('/slow', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  });
  app.use(log.errorHandler);
  const server = http.createServer(app);
  const url = await listen(server);
  return { url, route: '/users/:id', close: () => closeServer(server) };
}

async function fastifyServer(logger: HydraLogger, options: HttpLoggerOptions): Promise<RunningServer> {
  const app = Fastify();
  await app.register(fastifyHydra, { logger, ...options });
  app.get<{ Params: { id: string } }>('/users/:id', async (request) => {
    request.log.info({ id: request.params.id }, 'loading user');
    await sleep(5);
    logger.info('APP', 'after await');
    return { id: request.params.id };
  });
  app.post<{ Body: { n?: number } }>('/echo', async (request, reply) => {
    logger.info('APP', 'body parsed', { n: request.body.n });
    return reply.code(201).send(request.body);
  });
  app.get('/fail', async (_request, reply) => reply.code(503).send('unavailable'));
  app.get('/throw', async () => {
    throw new Error('boom in handler');
  });
  app.get('/login', async () => 'ok');
  app.get('/health', async () => 'ok');
  app.get('/cookie', async (_request, reply) => reply.header('set-cookie', SECRET_COOKIE).send('ok'));
  app.get('/slow', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/plain' });
    reply.raw.write('partial');
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    route: '/users/:id',
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

async function koaServer(logger: HydraLogger, options: HttpLoggerOptions): Promise<RunningServer> {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  router.get('/users/:id', async (ctx) => {
    ctx.log.info('loading user', { id: ctx.params.id });
    await sleep(5);
    logger.info('APP', 'after await');
    ctx.body = { id: ctx.params.id };
  });
  router.post('/echo', async (ctx) => {
    const body = await readJson(ctx.req);
    logger.info('APP', 'body parsed', { n: body.n });
    ctx.status = 201;
    ctx.body = body;
  });
  router.get('/fail', (ctx) => {
    ctx.status = 503;
    ctx.body = 'unavailable';
  });
  router.get('/throw', () => {
    throw new Error('boom in handler');
  });
  router.get('/login', (ctx) => {
    ctx.body = 'ok';
  });
  router.get('/health', (ctx) => {
    ctx.body = 'ok';
  });
  router.get('/cookie', (ctx) => {
    ctx.set('set-cookie', SECRET_COOKIE);
    ctx.body = 'ok';
  });
  router.get('/slow', (ctx) => {
    const body = new PassThrough();
    ctx.type = 'text/plain';
    ctx.body = body;
    body.write('partial');
  });
  app.use(koaHydra(logger, options));
  app.use(router.routes());
  const server = http.createServer(app.callback());
  const url = await listen(server);
  return { url, route: '/users/:id', close: () => closeServer(server) };
}

async function honoServer(logger: HydraLogger, options: HttpLoggerOptions): Promise<RunningServer> {
  const app = new Hono();
  app.use(honoHydra(logger, options));
  app.get('/users/:id', async (c) => {
    c.get('log').info('loading user', { id: c.req.param('id') });
    await sleep(5);
    logger.info('APP', 'after await');
    return c.json({ id: c.req.param('id') });
  });
  app.post('/echo', async (c) => {
    const body = (await c.req.json()) as { n?: number };
    logger.info('APP', 'body parsed', { n: body.n });
    return c.json(body, 201);
  });
  app.get('/fail', (c) => c.text('unavailable', 503));
  app.get('/throw', () => {
    throw new Error('boom in handler');
  });
  app.get('/login', (c) => c.text('ok'));
  app.get('/health', (c) => c.text('ok'));
  app.get('/cookie', (c) => {
    c.header('set-cookie', SECRET_COOKIE);
    return c.text('ok');
  });
  app.get('/slow', (c) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('partial'));
      },
    });
    return c.body(body, 200, { 'content-type': 'text/plain' });
  });
  app.onError((_err, c) => c.text('internal error', 500));
  const server = await new Promise<http.Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as http.Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, route: '/users/:id', close: () => closeServer(server) };
}

export function startServer(
  framework: Framework,
  logger: HydraLogger,
  options: HttpLoggerOptions,
): Promise<RunningServer> {
  switch (framework) {
    case 'node':
      return nodeServer(logger, options);
    case 'express':
      return expressServer(logger, options);
    case 'fastify':
      return fastifyServer(logger, options);
    case 'koa':
      return koaServer(logger, options);
    case 'hono':
      return honoServer(logger, options);
  }
}

/** Sends a request, then destroys the socket as soon as the first body bytes arrive. */
export function abortMidResponse(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}
