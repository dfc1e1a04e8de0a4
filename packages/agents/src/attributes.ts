/**
 * Field names of the tracker's records: OpenTelemetry GenAI semantic conventions (`gen_ai.*`) for
 * agents, models and tools, OpenTelemetry messaging conventions (`messaging.*`) for messages
 * between agents, and `hydra.*` for what neither covers.
 */
export const ATTR = Object.freeze({
  operation: 'gen_ai.operation.name',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  agentDescription: 'gen_ai.agent.description',
  agentVersion: 'gen_ai.agent.version',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  provider: 'gen_ai.provider.name',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  errorType: 'error.type',
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  destination: 'messaging.destination.name',
  messageConversationId: 'messaging.message.conversation_id',
  bodySize: 'messaging.message.body.size',
  // hydra.* : not covered by the conventions
  role: 'hydra.agent.role',
  parentId: 'hydra.agent.parent_id',
  state: 'hydra.agent.state',
  previousState: 'hydra.agent.previous_state',
  stateReason: 'hydra.agent.state_reason',
  from: 'hydra.message.from',
  messageType: 'hydra.message.type',
  taskId: 'hydra.task.id',
  messageTokens: 'hydra.message.tokens',
  content: 'hydra.message.content',
  awaitReply: 'hydra.message.await_reply',
  ok: 'hydra.ok',
  latencyMs: 'hydra.latency_ms',
  durationMs: 'hydra.duration_ms',
  costUsd: 'hydra.cost_usd',
  lamport: 'hydra.lamport',
  origin: 'hydra.agents.origin',
  alertKind: 'hydra.alert.kind',
  alertAgents: 'hydra.alert.agents',
} as const);

/** `gen_ai.operation.name` of each record: OpenTelemetry's well-known values where one applies. */
export const OPERATION = Object.freeze({
  register: 'create_agent',
  run: 'invoke_agent',
  tool: 'execute_tool',
  llm: 'chat',
  state: 'update_agent_state',
  send: 'send_message',
  receive: 'receive_message',
  process: 'process_message',
  alert: 'detect_anomaly',
  wait: 'wait_for_agent',
} as const);

/** `messaging.system` of messages between agents. */
export const MESSAGING_SYSTEM = 'hydra.agents';

/** The A2A task states; any other string is a custom state. */
export const A2A_STATES = Object.freeze([
  'submitted',
  'working',
  'input-required',
  'auth-required',
  'completed',
  'failed',
  'canceled',
  'rejected',
] as const);

/** States after which an agent is done: not stuck, not waiting. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'canceled', 'rejected']);
