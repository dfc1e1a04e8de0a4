import type { Fields } from 'hydra-logger';
import { ATTR, MESSAGING_SYSTEM, OPERATION } from '../attributes.js';

// The fields of the three records of every message, built as object literals with constant keys
// (the names of ATTR, spelled out: V8 makes such a literal from a template, with its final shape at
// once, where computed keys add the properties one by one). The keys' order is the records' order.

/** `send_message`'s fields; the optional ones are added by the caller. */
export function sendFields(
  agentId: string,
  agentName: string,
  messageId: string,
  toId: string,
  lamport: number,
  origin: string,
): Fields {
  return {
    'gen_ai.operation.name': 'send_message',
    'gen_ai.agent.id': agentId,
    'gen_ai.agent.name': agentName,
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'send',
    'messaging.message.id': messageId,
    'messaging.destination.name': toId,
    'hydra.lamport': lamport,
    'hydra.agents.origin': origin,
  };
}

/** `receive_message`'s and `process_message`'s fields (without `hydra.ok`, `from` and conversation). */
export function messageFields(
  op: 'receive_message' | 'process_message',
  type: 'receive' | 'process',
  agentId: string,
  agentName: string,
  messageId: string,
  lamport: number,
  origin: string,
): Fields {
  return {
    'gen_ai.operation.name': op,
    'gen_ai.agent.id': agentId,
    'gen_ai.agent.name': agentName,
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': type,
    'messaging.message.id': messageId,
    'hydra.lamport': lamport,
    'hydra.agents.origin': origin,
  };
}

/** `send_message`'s fields with a conversation, and tokens (0: none): the common message, in one literal. */
export function sendFieldsConv(
  agentId: string,
  agentName: string,
  messageId: string,
  toId: string,
  lamport: number,
  origin: string,
  conv: string,
  tokens: number,
): Fields {
  return tokens > 0
    ? {
        'gen_ai.operation.name': 'send_message',
        'gen_ai.agent.id': agentId,
        'gen_ai.agent.name': agentName,
        'messaging.system': 'hydra.agents',
        'messaging.operation.type': 'send',
        'messaging.message.id': messageId,
        'messaging.destination.name': toId,
        'hydra.lamport': lamport,
        'hydra.agents.origin': origin,
        'gen_ai.conversation.id': conv,
        'hydra.message.tokens': tokens,
      }
    : {
        'gen_ai.operation.name': 'send_message',
        'gen_ai.agent.id': agentId,
        'gen_ai.agent.name': agentName,
        'messaging.system': 'hydra.agents',
        'messaging.operation.type': 'send',
        'messaging.message.id': messageId,
        'messaging.destination.name': toId,
        'hydra.lamport': lamport,
        'hydra.agents.origin': origin,
        'gen_ai.conversation.id': conv,
      };
}

/** `receive_message`'s fields of a message whose sender and conversation are known, in one literal. */
export function receiveFieldsFull(
  agentId: string,
  agentName: string,
  messageId: string,
  lamport: number,
  origin: string,
  from: string,
  conv: string,
): Fields {
  return {
    'gen_ai.operation.name': 'receive_message',
    'gen_ai.agent.id': agentId,
    'gen_ai.agent.name': agentName,
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'receive',
    'messaging.message.id': messageId,
    'hydra.lamport': lamport,
    'hydra.agents.origin': origin,
    'hydra.message.from': from,
    'gen_ai.conversation.id': conv,
  };
}

/** `process_message`'s fields of a message processed successfully whose sender and conversation are known, in one literal. */
export function processedFieldsFull(
  agentId: string,
  agentName: string,
  messageId: string,
  lamport: number,
  origin: string,
  from: string,
  conv: string,
): Fields {
  return {
    'gen_ai.operation.name': 'process_message',
    'gen_ai.agent.id': agentId,
    'gen_ai.agent.name': agentName,
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'process',
    'messaging.message.id': messageId,
    'hydra.lamport': lamport,
    'hydra.agents.origin': origin,
    'hydra.message.from': from,
    'gen_ai.conversation.id': conv,
    'hydra.ok': true,
  };
}

/** The literal keys above are ATTR's names (checked once at load: a renamed attribute fails loudly). */
function check(): void {
  const s = sendFields('', '', '', '', 0, '');
  const m = messageFields('receive_message', 'receive', '', '', '', 0, '');
  const want = [
    ATTR.operation,
    ATTR.agentId,
    ATTR.agentName,
    ATTR.messagingSystem,
    ATTR.messagingOperationType,
    ATTR.messageId,
  ];
  const ok =
    want.every((k) => k in s && k in m) &&
    ATTR.destination in s &&
    ATTR.lamport in s &&
    ATTR.origin in m &&
    s[ATTR.messagingSystem] === MESSAGING_SYSTEM &&
    s[ATTR.operation] === OPERATION.send &&
    m[ATTR.operation] === OPERATION.receive &&
    messageFields('process_message', 'process', '', '', '', 0, '')[ATTR.operation] === OPERATION.process;
  if (!ok) throw new Error('@hydra-logger/agents: message record keys differ from ATTR');
  // The one-literal forms hold the same keys in the same order as the general form plus its additions.
  const same = (a: Fields, b: Fields) => JSON.stringify(a) === JSON.stringify(b);
  const gen = (base: Fields, extra: [string, unknown][]) => {
    for (const [k, v] of extra) base[k] = v;
    return base;
  };
  const full =
    same(
      sendFieldsConv('a', 'n', 'i', 't', 1, 'o', 'c', 5),
      gen(sendFields('a', 'n', 'i', 't', 1, 'o'), [
        [ATTR.conversationId, 'c'],
        [ATTR.messageTokens, 5],
      ]),
    ) &&
    same(
      sendFieldsConv('a', 'n', 'i', 't', 1, 'o', 'c', 0),
      gen(sendFields('a', 'n', 'i', 't', 1, 'o'), [[ATTR.conversationId, 'c']]),
    ) &&
    same(
      receiveFieldsFull('a', 'n', 'i', 1, 'o', 'f', 'c'),
      gen(messageFields('receive_message', 'receive', 'a', 'n', 'i', 1, 'o'), [
        [ATTR.from, 'f'],
        [ATTR.conversationId, 'c'],
      ]),
    ) &&
    same(
      processedFieldsFull('a', 'n', 'i', 1, 'o', 'f', 'c'),
      gen(messageFields('process_message', 'process', 'a', 'n', 'i', 1, 'o'), [
        [ATTR.from, 'f'],
        [ATTR.conversationId, 'c'],
        [ATTR.ok, true],
      ]),
    );
  if (!full) throw new Error('@hydra-logger/agents: one-literal message fields differ from the general form');
}
check();
