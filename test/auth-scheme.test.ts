/**
 * CONV-1, ROLE-4: HTTP authentication schemes are case-insensitive (RFC 9110
 * §11.1), so the file routes take `Visitor` and `Bearer` in any case, with
 * one or more spaces before the credential; the credential itself is taken
 * as sent.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { httpRequest } from './support/http.js';

const png = (): Buffer =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1000)]);

t.test(
  'CONV-1 ROLE-4: the Visitor and Bearer schemes of the file routes are accepted in any case; a changed credential is not',
  async (t) => {
    const s = await startTestServer(t);
    const port = s.server.port;
    const alice = await onlineAgent(s, 'alice');
    const { visitorId, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    const token = s.cred('alice').token;
    const up = (authorization: string) =>
      httpRequest(port, `/v1/files?conversationId=${conversationId}&name=a.png`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'image/png' },
        body: png(),
      });
    const down = (authorization: string, id: string) =>
      httpRequest(port, `/v1/files/${id}`, { headers: { authorization } });

    let fileId = '';
    for (const scheme of ['Visitor', 'visitor', 'VISITOR', 'vIsItOr']) {
      const answer = await up(`${scheme} ${visitorId}`);
      t.equal(answer.status, 201, `upload with "${scheme} <visitor id>"`);
      fileId = (answer.json().file as { id: string }).id;
      t.equal((await down(`${scheme}  ${visitorId}`, fileId)).status, 200, `download with "${scheme}" and two spaces`);
    }
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      t.equal((await down(`${scheme} ${token}`, fileId)).status, 200, `an agent's download with "${scheme} <token>"`);
      t.equal((await up(`${scheme} ${token}`)).status, 201, `an agent's upload with "${scheme} <token>"`);
    }
    t.equal(
      (await up(`Visitor ${visitorId.toUpperCase() === visitorId ? visitorId.toLowerCase() : visitorId.toUpperCase()}`))
        .status,
      401,
      'the visitor id is case-sensitive',
    );
    t.equal(
      (await down(`Bearer ${token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()}`, fileId))
        .status,
      401,
      'and so is the token',
    );
    t.equal((await up(`Visitors ${visitorId}`)).status, 401, 'another scheme is not taken for it');
    t.equal((await up(`Visitor${visitorId}`)).status, 401, 'nor one without the space');
  },
);
