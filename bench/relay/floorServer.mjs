// A bound, not a product: y-webrtc fan-out on ws with the least work per delivery (no
// validation, no limits, no backpressure), so relayLoad.mjs can show how much of a server's
// CPU per delivery is the write itself, which no server-side code can remove.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const topics = new Map();
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  clientTracking: false,
});

/** `data` up to its last '}' plus `tail`, as one unmasked text frame. */
const frameOf = (data, tail) => {
  const end = data.lastIndexOf(0x7d);
  const length = end + tail.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  data.copy(frame, header, 0, end);
  frame.write(tail, header + end, 'latin1');
  return frame;
};

wss.on('connection', (ws) => {
  const socket = ws._socket;
  const mine = new Set();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.type === 'subscribe') {
      for (const t of msg.topics) {
        if (!topics.has(t)) topics.set(t, new Set());
        topics.get(t).add(socket);
        mine.add(t);
      }
    } else if (msg.type === 'ping') {
      ws.send('{"type":"pong"}');
    } else if (msg.type === 'publish') {
      const subs = topics.get(msg.topic);
      if (!subs) return;
      const frame = frameOf(data, `,"clients":${subs.size}}`);
      for (const s of subs) s.write(frame);
    }
  });
  ws.on('close', () => {
    for (const t of mine) {
      const subs = topics.get(t);
      subs.delete(socket);
      if (subs.size === 0) topics.delete(t);
    }
  });
});

const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
);
server.listen(Number(process.env.PORT), process.env.HOST);
