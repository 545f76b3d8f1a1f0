import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible server for POST /v1/chat/completions (non-streaming) that replays a
 * scripted conversation: each request takes the next step of the script, which checks the request and
 * answers with a message (text and/or tool calls, with usage) or a fault (429 with Retry-After, an
 * answer slower than the client's timeout, a 500). Every request is validated against the API's
 * documented shape (model, message roles, tool call / tool message pairing, the tools' JSON schemas)
 * and recorded, so tests can read the prompts the agent sent.
 */

/** The request fields this server understands (the documented ones the agent uses). */
export interface ChatRequestBody {
  model: string;
  messages: Array<{
    role: string;
    content?: string | null;
    tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

export interface RecordedChatRequest {
  body: ChatRequestBody;
  /** The raw request body, exactly as received. */
  raw: string;
  headers: IncomingHttpHeaders;
  receivedAt: number;
  /** The HTTP status this server answered. */
  status: number;
}

/** One scripted answer: assistant text, tool calls (arguments as a string are sent verbatim), usage. */
export interface ScriptedReply {
  content?: string;
  toolCalls?: Array<{ name: string; arguments: string | Record<string, unknown> }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export type ScriptStep =
  | {
      /** Returns a complaint when the request is not what this step expects. */
      expect?: (request: ChatRequestBody) => string | undefined;
      reply: ScriptedReply | ((request: ChatRequestBody) => ScriptedReply);
    }
  | { fault: 'rate-limit'; retryAfterSeconds: number }
  | { fault: 'slow'; delayMs: number }
  | { fault: 'server-error' };

export interface FakeOpenAi {
  /** The base URL to give the client (`…/v1`). */
  url: string;
  requests: RecordedChatRequest[];
  /** Requests that broke the API's rules or the script's expectations; a passing test leaves it empty. */
  violations: string[];
  /** Steps not used yet. */
  remaining(): number;
  close(): Promise<void>;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function apiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

/** The complaints the real API would raise about the request's shape. */
export function validateChatRequest(body: unknown, models: string[]): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null) return ['the body is not a JSON object'];
  const b = body as Partial<ChatRequestBody>;
  if (typeof b.model !== 'string' || !models.includes(b.model)) problems.push(`unknown model ${JSON.stringify(b.model)}`);
  if (b.stream === true) problems.push('streaming is not scripted');
  if (b.max_completion_tokens !== undefined && (!Number.isInteger(b.max_completion_tokens) || b.max_completion_tokens < 1)) {
    problems.push('max_completion_tokens must be a positive integer');
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) return [...problems, 'messages must be a non-empty array'];
  let open = new Set<string>();
  b.messages.forEach((m, i) => {
    if (!ROLES.has(m.role)) problems.push(`messages[${i}].role ${JSON.stringify(m.role)} is not a role`);
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || !open.has(m.tool_call_id)) {
        problems.push(`messages[${i}] answers tool call ${JSON.stringify(m.tool_call_id)}, which no preceding assistant message made`);
      }
      open.delete(m.tool_call_id as string);
      if (typeof m.content !== 'string') problems.push(`messages[${i}].content must be a string`);
      return;
    }
    if (open.size > 0) problems.push(`messages[${i}]: tool calls ${[...open].join(', ')} were never answered`);
    open = new Set();
    if (m.role === 'assistant') {
      for (const call of m.tool_calls ?? []) {
        if (call.type !== 'function' || typeof call.function?.arguments !== 'string') problems.push(`messages[${i}] has a malformed tool call`);
        open.add(call.id);
      }
      if (m.content !== null && m.content !== undefined && typeof m.content !== 'string') problems.push(`messages[${i}].content must be a string or null`);
      if ((m.content ?? null) === null && (m.tool_calls ?? []).length === 0) problems.push(`messages[${i}] is an empty assistant message`);
    } else if (typeof m.content !== 'string') {
      problems.push(`messages[${i}].content must be a string`);
    }
  });
  if (open.size > 0) problems.push(`the last tool calls ${[...open].join(', ')} were never answered`);
  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) problems.push('tools must be an array');
    else
      b.tools.forEach((t, i) => {
        if (t.type !== 'function') problems.push(`tools[${i}].type must be "function"`);
        if (!TOOL_NAME.test(t.function?.name ?? '')) problems.push(`tools[${i}].function.name is invalid`);
        const p = t.function?.parameters;
        if (p !== undefined && (typeof p !== 'object' || p === null || p.type !== 'object')) {
          problems.push(`tools[${i}].function.parameters must be a JSON schema of type "object"`);
        }
      });
  }
  return problems;
}

function completion(body: ChatRequestBody, reply: ScriptedReply, index: number) {
  const calls = (reply.toolCalls ?? []).map((c, n) => ({
    id: `call_${index}_${n}`,
    type: 'function' as const,
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const message = { role: 'assistant', content: reply.content ?? null, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) };
  const usage = reply.usage ?? {
    prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
    completion_tokens: Math.ceil(JSON.stringify(message).length / 4),
  };
  return {
    id: `chatcmpl-${index}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** Starts the server on a free loopback port. */
export async function startFakeOpenAi(options: { apiKey: string; models: string[]; script: ScriptStep[] }): Promise<FakeOpenAi> {
  const requests: RecordedChatRequest[] = [];
  const violations: string[] = [];
  const script = [...options.script];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: ChatRequestBody;
      try {
        body = JSON.parse(raw) as ChatRequestBody;
      } catch {
        violations.push('a request body is not JSON');
        return sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error'));
      }
      const entry: RecordedChatRequest = { body, raw, headers: req.headers, receivedAt: Date.now(), status: 0 };
      requests.push(entry);
      const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        entry.status = status;
        sendJson(res, status, payload, headers);
      };
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/v1/chat/completions') {
        violations.push(`${req.method} ${req.url} is not implemented`);
        return answer(404, apiError(`Invalid URL (${req.method} ${req.url})`, 'invalid_request_error'));
      }
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        violations.push('a request came without the right API key');
        return answer(401, apiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      }
      const problems = validateChatRequest(body, options.models);
      if (problems.length > 0) {
        violations.push(...problems.map((p) => `request ${requests.length}: ${p}`));
        return answer(400, apiError(problems.join('; '), 'invalid_request_error'));
      }
      const step = script.shift();
      if (!step) {
        violations.push(`request ${requests.length} came after the script ended`);
        return answer(500, apiError('The scripted conversation is over.', 'server_error'));
      }
      if ('fault' in step) {
        switch (step.fault) {
          case 'rate-limit':
            return answer(429, apiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), { 'retry-after': String(step.retryAfterSeconds) });
          case 'server-error':
            return answer(500, apiError('The server had an error while processing your request.', 'server_error'));
          case 'slow': {
            const timer = setTimeout(() => {
              timers.delete(timer);
              if (!res.destroyed) answer(500, apiError('Too slow.', 'server_error'));
            }, step.delayMs);
            timers.add(timer);
            return;
          }
        }
      }
      const complaint = step.expect?.(body);
      if (complaint) violations.push(`request ${requests.length}: ${complaint}`);
      const reply = typeof step.reply === 'function' ? step.reply(body) : step.reply;
      return answer(200, completion(body, reply, requests.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    violations,
    remaining: () => script.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text of every message of a request, for searching prompts. */
export function promptText(request: RecordedChatRequest): string {
  return request.body.messages.map((m) => m.content ?? '').join('\n');
}

/** The content of the tool message answering `toolName`'s most recent call in this request. */
export function toolResult(request: RecordedChatRequest, toolName: string): string | undefined {
  const messages = request.body.messages;
  for (let i = messages.length - 1; i >= 0; i--) {
    const call = messages[i]?.tool_calls?.find((c) => c.function.name === toolName);
    if (call) return messages.find((m) => m.role === 'tool' && m.tool_call_id === call.id)?.content ?? undefined;
  }
  return undefined;
}
