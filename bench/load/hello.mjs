// The ceiling the load bench divides by: Fastify with @fastify/websocket doing the least a chat server
// can do on this machine — parse a JSON message and answer it, over HTTP and over a WebSocket — so the
// bench's ratios say how much of the machine Zhike's real work (storage, NLU, the bot) takes.
// `node bench/load/hello.mjs PORT`; prints "listening" when ready.
import websocket from '@fastify/websocket';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
await app.register(websocket);
app.post('/api/v1/inbound', async (request) => {
  const body = request.body;
  return { conversationId: 'c', messageId: String(body?.messageId ?? ''), duplicate: false };
});
app.post('/api/v1/widget/sessions', async () => ({ visitorToken: 'v', conversationId: null }));
app.get('/api/v1/widget/ws', { websocket: true }, (socket) => {
  socket.send(JSON.stringify({ type: 'ready' }));
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    if (frame.type !== 'send') return;
    socket.send(JSON.stringify({ type: 'ack', clientMessageId: frame.clientMessageId }));
    socket.send(JSON.stringify({ type: 'message', message: { author: 'bot', text: `echo: ${frame.text}` } }));
  });
});
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write('listening\n');
