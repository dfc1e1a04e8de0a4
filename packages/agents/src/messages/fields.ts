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
}
check();
