// Runs the built handler (dist/index.js) with a stand-in for the Lambda Node.js runtime's
// `awslambda` global, and prints what each request got back.
const fs = require('fs');
const vm = require('vm');
const sink = () => {
  const s = { meta: null, data: '', ended: false };
  s.write = (c) => { s.data += c; };
  s.end = () => { s.ended = true; };
  return s;
};
const awslambda = {
  streamifyResponse: (f) => f,
  HttpResponseStream: { from: (s, meta) => { s.meta = meta; return s; } },
};
const mod = { exports: {} };
const localRequire = require('module').createRequire(require('path').resolve(process.argv[2]));
vm.runInNewContext(fs.readFileSync(process.argv[2], 'utf8'), { exports: mod.exports, module: mod, require: localRequire, awslambda, Buffer, JSON, Math, Date, String, Array, TypeError, Object });
const run = async (event) => {
  const s = sink();
  await mod.exports.handler(event, s, { awsRequestId: 'req-1' });
  return { meta: s.meta, data: s.data, ended: s.ended };
};
(async () => {
  const url = { requestContext: { domainName: 'abc.lambda-url.ap-northeast-1.on.aws' } };
  const api = { requestContext: { domainName: 'xyz.execute-api.ap-northeast-1.amazonaws.com' } };
  const auth = { authorization: 'Bearer sk-test' };
  const body = (b) => JSON.stringify({ model: 'gpt-x', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hello there world' }], ...b });
  const out = {
    urlStream: await run({ ...url, headers: auth, body: body({ stream: true }) }),
    apiPlain: await run({ ...api, headers: auth, body: Buffer.from(body({})).toString('base64'), isBase64Encoded: true }),
    noKey: await run({ ...url, headers: {}, body: body({}) }),
    badJson: await run({ ...api, headers: auth, body: '{' }),
  };
  console.log(JSON.stringify(out));
})();
