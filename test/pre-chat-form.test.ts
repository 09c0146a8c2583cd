/**
 * WEB-2: the pre-chat form as a workspace setting: stored and read over the
 * admin API (validated, audited), handed to visitors in the hello, enforced
 * on `start`, and the answers on the customer profile staff read. Also the
 * `details` command of the leave-a-message form. No browser: the widget's
 * side is test/widget-forms.test.ts.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { apiAs } from './support/api.js';

const form = {
  fields: [
    { key: 'name', required: true },
    { key: 'email', required: false },
    { key: 'order', required: false, label: { en: 'Order number', 'zh-CN': '订单号' } },
  ],
};

t.test('WEB-2: the pre-chat form is set, read and validated over the admin API, and audited', async (t) => {
  const ts = await startTestServer(t);
  const admin = apiAs(ts, 'admin');
  t.same((await admin('get', '/pre-chat-form')).body, { fields: [] }, 'no form by default');
  const put = await admin('put', '/pre-chat-form', form);
  t.equal(put.status, 200);
  t.same(put.body, form);
  t.same((await admin('get', '/pre-chat-form')).body, form, 'read back as stored');
  const unlabelled = await admin('put', '/pre-chat-form', { fields: [{ key: 'order', required: true }] });
  t.equal(unlabelled.status, 400);
  t.equal(unlabelled.body.error?.field, 'fields/0/label', 'a custom question needs a label');
  const twice = await admin('put', '/pre-chat-form', {
    fields: [
      { key: 'name', required: true },
      { key: 'name', required: false },
    ],
  });
  t.equal(twice.body.error?.field, 'fields/1/key');
  const badKey = await admin('put', '/pre-chat-form', { fields: [{ key: '1 bad', required: true }] });
  t.equal(badKey.status, 400, 'keys are attribute keys');
  const agent = await apiAs(ts, 'alice')('put', '/pre-chat-form', form);
  t.equal(agent.status, 403, 'agents may not change it');
  const audit = await admin('get', '/audit?action=pre-chat-form.replace');
  t.match(JSON.stringify(audit.body), /pre-chat-form\.replace/, 'the change is in the audit log');
  t.same((await admin('put', '/pre-chat-form', { fields: [] })).body, { fields: [] }, 'an empty list turns it off');
  t.notOk((await admin('get', '/workspace')).body.preChatForm, 'not part of GET /workspace');
});

t.test(
  'WEB-2: hello carries the form; start without a required answer is refused; the answers reach the customer',
  async (t) => {
    const ts = await startTestServer(t);
    const v0 = await ts.visitor();
    t.notOk((await v0.ok({ type: 'hello' })).preChatForm, 'no form in the hello when none is set');
    await apiAs(ts, 'admin')('put', '/pre-chat-form', form);

    const v = await ts.visitor();
    const hello = await v.ok({ type: 'hello' });
    t.same(hello.preChatForm, form.fields, 'the hello names the fields');
    const missing = await v.commandRaw({ type: 'start', department: 'pre-sales', text: 'hi' });
    t.equal(missing.type, 'error');
    t.equal(missing.code, 'invalid_field');
    t.equal(missing.field, 'details.name', 'the required name is missing');
    const unknown = await v.commandRaw({
      type: 'start',
      text: 'hi',
      details: { name: 'Ann', answers: { colour: 'red' } },
    });
    t.equal(unknown.field, 'details.answers.colour', 'an answer to a question the form does not ask');
    const badEmail = await v.commandRaw({ type: 'start', text: 'hi', details: { name: 'Ann', email: 'not-an-email' } });
    t.equal(badEmail.code, 'invalid_field', 'an email that is no email is refused by the schema');
    t.equal(badEmail.field, 'details.email');

    const alice = await ts.staff('alice');
    await alice.ok({ type: 'status', status: 'online' });
    const started = await v.ok({
      type: 'start',
      department: 'pre-sales',
      text: 'Where is my parcel?',
      details: { name: 'Ann Lee', email: 'ann@example.com', answers: { order: 'A-1001' } },
    });
    const conv = started.conversationId as string;
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conv);
    const customer = (await alice.ok({ type: 'customer', conversationId: conv })) as {
      customer: Record<string, unknown>;
    };
    t.match(customer.customer, { name: 'Ann Lee', email: 'ann@example.com', attributes: { order: 'A-1001' } });

    // The leave-a-message form: details after the start, a corrected email kept.
    await v.ok({ type: 'details', details: { email: 'ann.lee@example.com' } });
    const after = (await alice.ok({ type: 'customer', conversationId: conv })) as { customer: Record<string, unknown> };
    t.match(after.customer, { name: 'Ann Lee', email: 'ann.lee@example.com' });
    const stray = await v.commandRaw({ type: 'details', details: { answers: { colour: 'red' } } });
    t.equal(stray.field, 'details.answers.colour');
  },
);
