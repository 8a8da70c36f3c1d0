// An OpenAI-compatible /chat/completions: through the function URL
// (RESPONSE_STREAM) it streams server-sent events; the HTTP API buffers
// responses (and cuts them at 30 s), so there it answers with one
// proxy-integration JSON body. It answers with the last user message (the
// provider calls, configured by config/model_map.json, are the team's) and
// refuses requests without an API key.
import { Context, HttpEvent, LambdaGlobal, ResponseStream, decodeBody } from './runtime';

declare const awslambda: LambdaGlobal;

interface Message {
  role?: string;
  content?: unknown;
}

interface ChatRequest {
  model?: unknown;
  stream?: unknown;
  messages?: unknown;
}

const viaUrl = (e: HttpEvent): boolean => (e.requestContext?.domainName ?? '').includes('.lambda-url.');

export const handler = awslambda.streamifyResponse(
  async (event: HttpEvent, stream: ResponseStream, context: Context): Promise<void> => {
    const send = (statusCode: number, contentType: string, chunks: string[]): void => {
      const headers = { 'content-type': contentType };
      if (viaUrl(event)) {
        const out = awslambda.HttpResponseStream.from(stream, { statusCode, headers });
        for (const c of chunks) out.write(c);
        out.end();
      } else {
        stream.write(JSON.stringify({ statusCode, headers, body: chunks.join('') }));
        stream.end();
      }
    };
    const error = (status: number, message: string): void =>
      send(status, 'application/json', [
        JSON.stringify({ error: { message, type: 'invalid_request_error' } }),
      ]);

    if (!(event.headers?.authorization ?? '').startsWith('Bearer ')) return error(401, 'missing API key');
    let req: ChatRequest;
    try {
      const parsed: unknown = JSON.parse(decodeBody(event) || '');
      if (parsed === null || typeof parsed !== 'object') throw new TypeError('not an object');
      req = parsed as ChatRequest;
    } catch {
      return error(400, 'the body is not a JSON object');
    }
    const messages: Message[] = Array.isArray(req.messages) ? (req.messages as Message[]) : [];
    const users = messages.filter((m) => m?.role === 'user');
    const text = String(users[users.length - 1]?.content ?? '');
    const base = {
      id: `chatcmpl-${context.awsRequestId}`,
      created: Math.floor(Date.now() / 1000),
      model: String(req.model ?? 'echo'),
    };
    if (!req.stream) {
      const message = { role: 'assistant', content: text };
      return send(200, 'application/json', [
        JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }] }),
      ]);
    }
    const chunk = (delta: object, finish_reason: string | null): string =>
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
    const words = text.split(/(?<=\s)/).filter((w) => w.length > 0);
    send(200, 'text/event-stream', [
      chunk({ role: 'assistant', content: '' }, null),
      ...words.map((w) => chunk({ content: w }, null)),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ]);
  },
);
