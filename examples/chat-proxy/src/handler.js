// Stand-in for the team's proxy, which is built separately: an
// OpenAI-compatible echo. Through the function URL (RESPONSE_STREAM) it
// streams server-sent events; the HTTP API buffers responses (and cuts them
// at 30 s), so there it answers with one proxy-integration JSON body.
// The team's handler checks the caller's API key against its own list; this
// echo has no key to check and only refuses requests without one.
const viaUrl = (e) => (e.requestContext?.domainName ?? '').includes('.lambda-url.');

exports.handler = awslambda.streamifyResponse(async (event, stream, context) => {
  const send = (statusCode, contentType, chunks) => {
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
  const error = (status, message) =>
    send(status, 'application/json', [JSON.stringify({ error: { message, type: 'invalid_request_error' } })]);

  if (!(event.headers?.authorization ?? '').startsWith('Bearer ')) return error(401, 'missing API key');
  let req;
  try {
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : event.body;
    req = JSON.parse(body || '');
    if (req === null || typeof req !== 'object') throw new TypeError('not an object');
  } catch {
    return error(400, 'the body is not a JSON object');
  }
  const users = (Array.isArray(req.messages) ? req.messages : []).filter((m) => m?.role === 'user');
  const text = String(users.at(-1)?.content ?? '');
  const base = { id: `chatcmpl-${context.awsRequestId}`, created: Math.floor(Date.now() / 1000), model: String(req.model ?? 'echo') };
  if (!req.stream) {
    const message = { role: 'assistant', content: text };
    return send(200, 'application/json', [
      JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }] }),
    ]);
  }
  const chunk = (delta, finish_reason) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
  const words = text.split(/(?<=\s)/).filter((w) => w.length > 0);
  send(200, 'text/event-stream', [
    chunk({ role: 'assistant', content: '' }, null),
    ...words.map((w) => chunk({ content: w }, null)),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ]);
});
